"""Fixtures of the web tests: the app with the shipped rate cards, and its test client."""

from __future__ import annotations

import pytest

from quote import create_app

TODAY = "2026-01-15"


@pytest.fixture
def make_app():
    """Factory: the app with test settings, overridden by ``config``."""

    def make(**config):
        settings = {"TESTING": True, "WTF_CSRF_ENABLED": False, "TODAY": TODAY,
                    "SECRET_KEY": "test"}
        settings.update(config)
        return create_app(settings)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def form_data():
    """Factory: a filled-in quote form (as posted), with any field overridden."""

    def make(**overrides) -> dict:
        data = {
            "entry_language": "en",
            "rate_card": "bpmonline",
            "package": "business",
            "deployment": "on_site",
            "license_value": "12,000.00",
            "term_start": "2026-01-01",
            "term_years": "1",
            "environments": "",
            "tax_percent": "0",
            "language": "en",
        }
        for row in range(3):
            for name in ("date", "license_value", "environments"):
                data[f"additions-{row}-{name}"] = ""
        data.update(overrides)
        return data

    return make
