"""Empty databases of each backend (migrated, or not for the migration tests), for the
store and the offer tests.

Importable from every test folder below ``tests/integration`` (its conftest
puts this folder on the import path).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from quote.store import migrate

# tests on databases run on both; the PostgreSQL runs carry the "postgres" marker
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_numbers = itertools.count(1)


# An offer row as the first schema (0001, 0002) stored it, for the migration tests;
# SQLite's DATETIME takes the time without its "+00".
OLD_OFFER = """INSERT INTO offers (id, number, status, issued_at, valid_until, language, currency,
    rate_card_id, rate_card_version, rate_card_sha256, package_id, package_name,
    customer_company, customer_contact, customer_email, customer_country, customer_search,
    subtotal, discount, net, tax, total, document_json)
VALUES (1, 'Q-2026-000001', 'issued', '2026-01-02 10:00:00+00', '2026-02-01', 'en', 'EUR',
    'bpmonline', '2019.1', 'x', 'business', 'Business', 'Acme', '', '', 'DE', 'acme',
    240000, 0, 240000, 0, 240000, '{}')"""


def old_offer(dialect: str) -> str:
    """``OLD_OFFER`` as ``dialect`` takes it."""
    return OLD_OFFER if dialect == "postgresql" else OLD_OFFER.replace("+00", "")


@contextmanager
def fresh_database(backend: str, request, folder: Path, *,
                   migrated: bool = True) -> Iterator[str]:
    """The URL of an empty database of ``backend``, migrated unless ``migrated`` is
    false, dropped afterwards.

    SQLite: a new file in ``folder``. PostgreSQL: a copy of the migrated template
    database (or a new, empty one) on the server the ``postgres_server`` fixture started.
    """
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'quote.db'}"
        if migrated:
            migrate(url)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    template = f" TEMPLATE {server.template}" if migrated else ""
    with server.admin() as admin:
        admin.execute(f"CREATE DATABASE {name}{template}")
    yield server.url(name)
    with server.admin() as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
