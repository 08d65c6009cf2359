"""The pricing core builds its results without pydantic's validation (``built()``, see
``quote.core.result``): that must give exactly what validating every model gives, for
any request, in every language."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
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


def _models(cls):
    yield cls
    for subclass in cls.__subclasses__():
        yield from _models(subclass)


@contextlib.contextmanager
def validating():
    """Every result model validated as pydantic validates input (the slow, checked way),
    also those whose ``built`` is written out for them."""
    with contextlib.ExitStack() as patches:
        for model in _models(result_models._Out):
            patches.enter_context(mock.patch.object(model, "built", classmethod(_validated)))
        yield


def test_every_result_model_is_validated_while_validating():
    day = dt.date(2026, 3, 1)
    with validating():
        for model in _models(result_models._Out):
            assert model.built.__func__ is _validated
        # validated: the text "1" becomes the number (``built`` would keep the text)
        period = result_models.Period.built(year="1", start=day, end=day, days=1,
                                            year_days=365)
        assert period.year == 1


def test_a_written_out_built_keeps_the_fields_order_and_what_was_given():
    """``built`` written out for a model (``_maker``) gives the model validation gives, its
    fields in their order, the fields given as its set fields."""
    day = dt.date(2026, 3, 1)
    fields = {"start": day, "end": day, "due": day, "amount": Decimal("1.00"),
              "discount": Decimal("0.00"), "net": Decimal("1.00"), "tax": Decimal("0.19"),
              "total": Decimal("1.19")}
    built = result_models.ScheduleEntry.built(**fields)
    checked = result_models.ScheduleEntry(**fields)
    assert list(built.__dict__) == list(checked.__dict__) == list(
        result_models.ScheduleEntry.model_fields)
    assert built == checked and built.model_dump_json() == checked.model_dump_json()
    assert built.model_fields_set == checked.model_fields_set == set(fields)
    line = result_models.Line.built(code="points", description="", amount=Decimal("5.00"),
                                    explanation=result_models.Explanation.built(
                                        kind="points", quantity=1, unit_price=Decimal("5.00")),
                                    date=None)
    assert line.model_fields_set == {"code", "description", "amount", "explanation", "date"}
    assert (line.detail, line.example) == ("", False)
    try:
        result_models.Period.built(year=1, start=day, end=day, days=1)
    except TypeError as exc:
        assert "year_days" in str(exc)
    else:
        raise AssertionError("a period without its year's days was built")


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
