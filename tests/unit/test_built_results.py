"""The pricing core builds its results without pydantic's validation (``built()``, see
``quote.core.result``): that must give exactly what validating every model gives, for
any request, in every language."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from quote.core import result as result_models
from quote.core.errors import QuoteInputError
from quote.core.offer import OfferDocument, SellerContact, offer_document
from quote.core.pricing import compare_packages, price_quote, price_with_card
from quote.core.request import parse_request

from .test_properties import BOOK, CARDS, PROPERTY, quote_requests

TODAY = dt.date(2026, 11, 22)


def _validated(cls, **fields):
    return cls(**fields)


def validating():
    """Every result model validated as pydantic validates input (the slow, checked way)."""
    return mock.patch.object(result_models._Out, "built", classmethod(_validated))


@st.composite
def any_requests(draw) -> dict:
    """The property tests' requests, in any language, some as renewals or reinstatements."""
    data = draw(quote_requests())
    data["language"] = draw(st.sampled_from(["en", "de", "ru"]))
    card = CARDS[data["rate_card"]]
    kind = draw(st.sampled_from(["as drawn", "renewal", "reinstatement"]))
    if kind != "as drawn" and not data.get("existing_contract"):
        data["kind"] = kind
        if kind == "reinstatement" and card.reinstatement is not None:
            start = dt.date.fromisoformat(data["term_start"])
            gap = draw(st.integers(2, 700))
            end = start - dt.timedelta(days=gap)
            data["lapsed"] = {"start": (end - dt.timedelta(days=draw(st.integers(30, 1500))))
                              .isoformat(), "end": end.isoformat()}
    return data


def priced_json(data: dict) -> str:
    try:
        return price_quote(parse_request(data), BOOK, TODAY).model_dump_json()
    except QuoteInputError as exc:
        return f"refused: {[(e.field, e.message) for e in exc.errors]}"


@PROPERTY
@given(data=any_requests())
def test_a_built_result_is_the_validated_result_byte_for_byte(data):
    fast = priced_json(data)
    with validating():
        checked = priced_json(data)
    assert fast == checked


@PROPERTY
@given(data=any_requests())
def test_a_result_without_texts_has_the_same_figures(data):
    try:
        request = parse_request(data)
        worded = price_quote(request, BOOK, TODAY)
    except QuoteInputError:
        return
    loaded = BOOK.priced_with(worded)
    bare = price_with_card(request, loaded, worded.as_of, texts=False)
    assert all(line.description == line.detail == "" for line in bare.lines)
    blank = {"description": "", "detail": ""}
    assert bare == worded.model_copy(update={
        "lines": [line.model_copy(update=blank) for line in worded.lines]})


def test_the_packages_compared_are_priced_without_texts(book):
    request = parse_request({"rate_card": "bpmonline", "package": "business",
                             "deployment": "on_site", "license_value": "12000.00",
                             "term_start": "2026-01-01", "as_of": "2026-01-01",
                             "language": "de"})
    loaded = book.in_force("bpmonline", dt.date(2026, 1, 1))
    compared = [result for _, result in compare_packages(request, loaded, dt.date(2026, 1, 1))
                if result is not None]
    assert compared and all(line.description == "" for r in compared for line in r.lines)
    worded = compare_packages(request, loaded, dt.date(2026, 1, 1), texts=True)
    assert all(line.description for _, r in worded if r is not None for line in r.lines)


def test_a_built_result_that_does_not_add_up_is_refused():
    result = price_quote(parse_request({
        "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
        "license_value": "12000.00", "term_start": "2026-01-01", "as_of": "2026-01-01"}),
        BOOK, TODAY)
    fields = dict(result)
    fields["total"] = result.total + 1
    try:
        result_models.QuoteResult.built(**fields)
    except ValueError as exc:
        assert "total is not net plus tax" in str(exc)
    else:
        raise AssertionError("a result whose total does not add up was built")


@PROPERTY
@given(data=any_requests())
def test_an_offer_document_reads_back_from_its_snapshot_as_it_was_made(data):
    """``offer_document`` trusts its validated parts (the card is not checked again); the
    stored snapshot, read back with every check, is the same document byte for byte."""
    try:
        request = parse_request(data)
        result = price_quote(request, BOOK, TODAY)
    except QuoteInputError:
        return
    document = offer_document(request, result, BOOK.priced_with(result), number="Q-2026-000001",
                              contact=SellerContact(name="Anna Berg", email="anna@example.com"))
    snapshot = document.model_dump_json()
    assert OfferDocument.model_validate_json(snapshot).model_dump_json() == snapshot
