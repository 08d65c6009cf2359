"""Helpers of the offer integration tests."""

from __future__ import annotations

import itertools

from quote.store import add_user, create_api_token

_users = itertools.count(1)


def api_token(app, role: str) -> str:
    """A new user of ``role`` and an API token of theirs."""
    store = app.extensions["quote.store"]
    with store.session() as session:
        user = add_user(session, f"{role}-{next(_users)}@example.com", role.title(),
                        "correct horse battery", role=role)
        return create_api_token(session, user).token
