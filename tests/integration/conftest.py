"""Fixtures shared by the integration tests: a throwaway PostgreSQL server.

The server is a fresh cluster made with Debian's binaries
(``/usr/lib/postgresql/<version>/bin``), listening on a free port of
127.0.0.1 with its socket and data in a temporary folder, started once per
test session and stopped at its end (the benchmarks' ``bench/_postgres.py``,
one recipe for both). If it cannot start the tests fail, saying why.
The migrations build a template database (``TEMPLATE_DB``) once; tests copy it
(``CREATE DATABASE ... TEMPLATE``). ``store_url`` and ``store`` give a test an
empty migrated database of each backend (the store and contract tests).
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from database_helpers import BACKENDS, fresh_database

from bench._postgres import PostgresError, PostgresServer, throwaway_postgres
from quote.store import Store, migrate

TEMPLATE_DB = "quote_template"


class SessionServer:
    """The session's server: the bench's throwaway server plus the migrated template."""

    template = TEMPLATE_DB  # the migrated database to copy for a test

    def __init__(self, server: PostgresServer):
        self.server = server

    def url(self, database: str) -> str:
        return self.server.url(database)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.server.port, user="quote",
                               dbname="postgres", autocommit=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[SessionServer]:
    try:
        with throwaway_postgres() as server:
            migrate(server.create_database(TEMPLATE_DB))
            yield SessionServer(server)
    except PostgresError as exc:
        pytest.fail(f"{exc} (make test installs PostgreSQL)", pytrace=False)


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
