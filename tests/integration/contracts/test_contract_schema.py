"""Migration 0003 on a database that already holds offers: they become kind 'new', not
linked to any contract; the migration can be undone and done again."""

from __future__ import annotations

import itertools
import os

import pytest
from alembic import command
from database_helpers import BACKENDS
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quote.store import migrate
from quote.store.db import create_store_engine
from quote.store.migrate import alembic_config

_numbers = itertools.count(1)

OFFER = """INSERT INTO offers (id, number, status, issued_at, valid_until, language, currency,
    rate_card_id, rate_card_version, rate_card_sha256, package_id, package_name,
    customer_company, customer_contact, customer_email, customer_country, customer_search,
    subtotal, discount, net, tax, total, document_json)
VALUES (1, 'Q-2026-000001', 'issued', '2026-01-02 10:00:00+00', '2026-02-01', 'en', 'EUR',
    'bpmonline', '2019.1', 'x', 'business', 'Business', 'Acme', '', '', 'DE', 'acme',
    240000, 0, 240000, 0, 240000, '{}')"""


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    """An empty database, not migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"old_{os.getpid()}_{next(_numbers)}"
    with server.admin() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield server.url(name)
    with server.admin() as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_offers_issued_before_contracts_become_kind_new(empty_url):
    migrate(empty_url, "0002")
    engine = create_store_engine(empty_url)
    try:
        with engine.begin() as connection:
            offer = OFFER if engine.dialect.name == "postgresql" else OFFER.replace("+00", "")
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
