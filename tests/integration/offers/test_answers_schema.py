"""Migration 0005 on a database that already holds offers: their lines stay (SQLite
rebuilds the offers table, with the foreign keys off), the cached PDFs are dropped (the
template changed), an offer may then be declined, and the migration can be undone."""

from __future__ import annotations

import pytest
from alembic import command
from database_helpers import BACKENDS, fresh_database, old_offer
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quote.store import migrate
from quote.store.db import create_store_engine
from quote.store.migrate import alembic_config

LINE = """INSERT INTO offer_lines (offer_id, position, code, description, amount)
VALUES (1, 1, 'support', 'Support', 240000)"""
PDF = """INSERT INTO offer_pdfs (offer_id, language, pdf, created_at)
VALUES (1, 'de', :pdf, '2026-01-02 10:00:00+00')"""


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    """An empty database, not migrated."""
    with fresh_database(request.param, request, tmp_path, migrated=False) as url:
        yield url


def _one(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_offers_keep_their_lines_and_may_be_declined_after_0005(empty_url):
    migrate(empty_url, "0002")  # 0003 rebuilds the offers table on SQLite too
    engine = create_store_engine(empty_url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.begin() as connection:
            connection.execute(text(old_offer(engine.dialect.name)))
            connection.execute(text(LINE))
            connection.execute(text(PDF.replace("+00", "") if sqlite else PDF),
                               {"pdf": b"%PDF old"})
        migrate(empty_url)
        assert _one(engine, "SELECT count(*) FROM offer_lines") == 1
        assert _one(engine, "SELECT count(*) FROM offer_pdfs") == 0
        with engine.begin() as connection:
            connection.execute(text("UPDATE offers SET status = 'declined'"))
        with engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE offers SET status = 'lost'"))

        command.downgrade(alembic_config(empty_url), "0004")
        assert _one(engine, "SELECT status FROM offers") == "issued"
        assert _one(engine, "SELECT count(*) FROM offer_lines") == 1
        migrate(empty_url)
        assert _one(engine, "SELECT count(*) FROM offer_lines") == 1
    finally:
        engine.dispose()
