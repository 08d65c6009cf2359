"""Contract fixtures: every test runs on SQLite and on the throwaway PostgreSQL server
(``postgres_server`` in tests/integration/conftest.py), each on a fresh migrated
database."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_helpers import rates_with_two_versions

from quote import create_app
from quote.core.catalog import RateBook
from quote.store import add_user

PASSWORD = "a long enough password"


@pytest.fixture
def sales(store) -> int:
    """The id of a sales user, anna@example.com."""
    with store.session() as session:
        return add_user(session, "anna@example.com", "Anna Berg", PASSWORD).id


@pytest.fixture
def two_versions(rates_dir, tmp_path) -> RateBook:
    """bpm'online 2019.1 and 2026.1 (from 2026-06-01: Business on-site 25 %)."""
    return rates_with_two_versions(rates_dir, tmp_path / "rates")


@pytest.fixture
def make_rates(rates_dir, tmp_path):
    """Factory: the two versions, with the 2019.1 version's top_up_prices and
    renewal.price_lock as given."""
    made = iter(range(1000))

    def make(**options) -> RateBook:
        return rates_with_two_versions(rates_dir, tmp_path / f"rates-{next(made)}", **options)

    return make


@pytest.fixture
def app(store_url, tmp_path):
    """The app on the same database (for the command line), TODAY 2026-11-22."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": store_url,
                      "TODAY": "2026-11-22", "RATELIMIT_ENABLED": False,
                      "DATABASE_AUTO_MIGRATE": False})
    yield app
    app.extensions["quote.store"].dispose()


@pytest.fixture
def csv_path(tmp_path):
    """Factory: write bytes to a CSV file and return its path."""

    def write(data: bytes, name: str = "contracts.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
