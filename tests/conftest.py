"""Fixtures shared by every test folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from request_samples import bpm_request
from smtp_server import SmtpServer, free_port

from quote import resources
from quote.core.catalog import RateBook, load_rates
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.core.result import QuoteResult
from quote.core.tax import load_tax_rules

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session", autouse=True)
def validated_files_cache(tmp_path_factory):
    """Validated rate cards and tax rules are kept in a folder of the test run's own (and
    in every server a test starts), not in the user's cache (``quote.core.checked``)."""
    if "QUOTE_CACHE_DIR" in os.environ:
        yield
        return
    os.environ["QUOTE_CACHE_DIR"] = str(tmp_path_factory.mktemp("validated"))
    yield
    del os.environ["QUOTE_CACHE_DIR"]


@pytest.fixture(scope="session")
def rates_dir() -> Path:
    return resources.rates_dir()


@pytest.fixture(scope="session")
def book(rates_dir) -> RateBook:
    """The shipped rate cards, without tax rules: a tax only where a request sets one."""
    return load_rates(rates_dir)


@pytest.fixture(scope="session")
def taxed_book(rates_dir) -> RateBook:
    """The shipped rate cards with the shipped tax rules, as the web app prices."""
    loaded = load_rates(rates_dir)
    loaded.tax = load_tax_rules(ROOT / "tax" / "rules.toml").rules
    return loaded


@pytest.fixture
def make_request():
    """Factory: a valid bpm'online request dict, with any field overridden."""
    return bpm_request


@pytest.fixture
def price(book):
    """Factory: price a request dict with the shipped rate cards."""

    def run(data: dict) -> QuoteResult:
        return price_quote(parse_request(data), book, TODAY)

    return run


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free port of 127.0.0.1, keeping every message it accepts
    (``smtp_server.messages``); ``smtp_server.settings()`` points the app at it."""
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def unreachable_smtp() -> dict:
    """App settings naming an SMTP server that is not there (a free port, nobody listens)."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port(), "MAIL_TLS": "none",
            "MAIL_TIMEOUT": 2}
