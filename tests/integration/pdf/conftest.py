"""Offers made from request dicts with the shipped rate cards."""

from __future__ import annotations

import datetime as dt

import pytest

from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request

AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(scope="session")
def make_offer(taxed_book):
    """Factory: the offer document of a request dict, taxed by the shipped tax rules."""

    def make(data: dict, *, number: str | None = None, language: str | None = None):
        request = parse_request(data)
        result = price_quote(request, taxed_book, AS_OF)
        loaded = taxed_book.priced_with(result)
        return offer_document(request, result, loaded, number=number, language=language)

    return make
