"""Small helpers shared by the unit tests."""

from __future__ import annotations

import datetime as dt

from request_samples import bpm_request

from quote.core.catalog import RateBook
from quote.core.errors import QuoteInputError
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.core.result import QuoteResult

TODAY = dt.date(2026, 11, 22)


bpm = bpm_request  # a bpm'online request (Business, on-site, 12,000.00, 2026), with overrides


def priced(book: RateBook, data: dict) -> QuoteResult:
    return price_quote(parse_request(data), book, TODAY)


def refused_fields(book: RateBook, data: object) -> list[str]:
    """The field paths a request is refused for (fails when it is accepted)."""
    try:
        price_quote(parse_request(data), book, TODAY)
    except QuoteInputError as exc:
        return [error.field for error in exc.errors]
    raise AssertionError("the request was accepted")
