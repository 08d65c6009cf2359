"""The web app on a database of each backend (SQLite file, throwaway PostgreSQL)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from quote import create_app
from quote.store import migrate

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TODAY = "2026-01-15"
_numbers = itertools.count(1)  # database names


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty, migrated database of each backend; dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'quote.db'}"
        migrate(url)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    name = f"offers_{os.getpid()}_{next(_numbers)}"
    with server.admin() as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {server.template}")
    yield server.url(name)
    with server.admin() as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def make_app(database_url):
    """Factory: the app on ``database_url`` with test settings, overridden by ``config``."""
    apps = []

    def make(**config):
        settings = {"TESTING": True, "WTF_CSRF_ENABLED": False, "TODAY": TODAY,
                    "SECRET_KEY": "test", "DATABASE_URL": database_url,
                    "RATELIMIT_ENABLED": False}
        settings.update(config)
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["quote.store"].dispose()
