"""The web app on a database of each backend (SQLite file, throwaway PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from database_helpers import BACKENDS, fresh_database

from quote import create_app

TODAY = "2026-01-15"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty, migrated database of each backend; dropped afterwards."""
    with fresh_database(request.param, request, tmp_path) as url:
        yield url


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
