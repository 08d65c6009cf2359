"""Store fixtures: every store test runs against SQLite and a throwaway PostgreSQL server.

The ``postgres_server`` fixture is in tests/integration/conftest.py (shared with
the offer tests of the web app). Every test gets its own database, copied from
a template that the migrations built.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from database_helpers import BACKENDS, fresh_database
from store_helpers import draft_from

from quote.core.offer import OfferDocument
from quote.store import Store


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty, migrated database of each backend."""
    with fresh_database(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url) -> Iterator[Store]:
    store = Store(store_url)
    yield store
    store.dispose()


@pytest.fixture
def make_draft(book, make_request):
    """Factory: an unnumbered OfferDocument of a bpm'online request with any field overridden."""

    def make(valid_days: int = 30, **overrides) -> OfferDocument:
        return draft_from(book, make_request(**overrides), valid_days)

    return make
