"""Migration 0003 on a database that already holds offers: they become kind 'new', not
linked to any contract; the migration can be undone and done again."""

from __future__ import annotations

import pytest
from alembic import command
from database_helpers import BACKENDS, fresh_database, old_offer
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quote.store import migrate
from quote.store.db import create_store_engine
from quote.store.migrate import alembic_config


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    """An empty database, not migrated."""
    with fresh_database(request.param, request, tmp_path, migrated=False) as url:
        yield url


def test_offers_issued_before_contracts_become_kind_new(empty_url):
    migrate(empty_url, "0002")
    engine = create_store_engine(empty_url)
    try:
        with engine.begin() as connection:
            offer = old_offer(engine.dialect.name)
            connection.execute(text(offer))
        migrate(empty_url)
        with engine.connect() as connection:
            assert connection.execute(text(
                "SELECT kind, term_start, contract_id, customer_id FROM offers")).one() == (
                "new", None, None, None)
        with engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE offers SET kind = 'gift'"))

        config = alembic_config(empty_url)
        command.downgrade(config, "0002")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT number FROM offers")).scalar() == (
                "Q-2026-000001")
        migrate(empty_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT kind FROM offers")).scalar() == "new"
    finally:
        engine.dispose()
