"""Empty, migrated databases of each backend, for the store and the offer tests.

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


@contextmanager
def fresh_database(backend: str, request, folder: Path) -> Iterator[str]:
    """The URL of an empty, migrated database of ``backend``, dropped afterwards.

    SQLite: a new file in ``folder``. PostgreSQL: a copy of the migrated template
    database on the server the ``postgres_server`` fixture started.
    """
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'quote.db'}"
        migrate(url)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    with server.admin() as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {server.template}")
    yield server.url(name)
    with server.admin() as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
