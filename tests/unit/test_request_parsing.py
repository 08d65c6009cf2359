"""The request's checks that skip a regular expression in the usual case decide exactly as
the expression does, for any text (the expressions are the ones the API's schema
publishes: ``quote.core.patterns``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from quote.core import request
from quote.core.patterns import EMAIL_PATTERN, TEXT_PATTERN
from quote.core.request import Customer

# Texts near the expressions' edges: ASCII, control characters, every white space the
# patterns name, other separators and non-ASCII digits, and any character at all.
EDGES = "@. -W0123456789\x00\x1f\x7f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029" \
    "\u202f\u205f\u3000\ufeff٣１é"
texts = st.one_of(st.text(st.sampled_from(EDGES), max_size=12), st.text(max_size=12),
                  st.emails().map(str))


@settings(max_examples=500, deadline=None)
@given(text=texts)
@example(text="Muster GmbH")
@example(text="ООО «Ромашка»")
@example(text="a\tb")
@example(text="Müller\u00a0AG")
@example(text="")
def test_a_text_is_printable_as_the_pattern_says(text):
    assert request._printable(text) == (re.fullmatch(TEXT_PATTERN, text) is not None)


@settings(max_examples=500, deadline=None)
@given(text=texts)
@example(text="erika@example.com")
@example(text="")
@example(text="a@b.c@d")
@example(text="a@b")
@example(text="a.b@c")
@example(text="a @b.c")
@example(text="a@b.c\u3000")
@example(text="a\x85@b.c")
@example(text="@.")
def test_an_email_is_plausible_as_the_pattern_says(text):
    assert request._email(text) == (re.fullmatch(EMAIL_PATTERN, text) is not None)


def _date_by_the_pattern(value: object) -> dt.date | str:
    """The date check as written before the shortcut: the expression, then the calendar."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return "calendar"
    else:
        return "form"
    return day if request.EARLIEST <= day <= request.LATEST else "bounds"


def _date_as_parsed(value: object) -> dt.date | str:
    try:
        return request._iso_date(value)
    except PydanticCustomError as exc:
        assert exc.type == "date_bounds"
        return "bounds"
    except ValueError as exc:
        return "calendar" if "calendar" in str(exc) else "form"


DATE_CHARACTERS = "0123456789-W+ T:Z.٣１"
dates_as_texts = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.dates().map(lambda day: day.strftime("%Y%m%d")),
    st.dates().map(lambda day: "{:04d}-W{:02d}-{:d}".format(*day.isocalendar())),
    st.text(st.sampled_from(DATE_CHARACTERS), min_size=8, max_size=12),
    st.from_regex(r"\A[0-9+\-]{4}-[0-9W٣]{2}-[0-9١]{2}.?\Z"),
)


@settings(max_examples=1000, deadline=None)
@given(value=dates_as_texts)
@example(value="2026-03-01")
@example(value="2026-02-30")
@example(value="1999-12-31")
@example(value="2026-W10-1")
@example(value="20260301xx")
@example(value="2026-03-01\n")
@example(value="+026-03-01")
@example(value="٢٠٢٦-03-01")
@example(value="2026-3-1")
@example(value="0999-01-01")
@example(value="2026-00-10")
@example(value="2026-01-32")
def test_a_date_is_read_as_the_pattern_and_the_calendar_say(value):
    assert _date_as_parsed(value) == _date_by_the_pattern(value)


@pytest.mark.parametrize("value", [dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12), 20260301,
                                   None])
def test_a_date_that_is_not_a_text_is_checked_as_before(value):
    assert _date_as_parsed(value) == _date_by_the_pattern(value)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(
    st.decimals(min_value=0, max_value=100, places=6, allow_nan=False).map(str),
    st.integers(0, 100), st.integers(0, 100).map(str),
    st.sampled_from(["7.5", "7.50", "19.0000", "19.00001", "100.0000", "0.0001", "0.00001"])))
def test_a_percentage_has_at_most_four_decimals_as_its_digits_say(value):
    try:
        number = request._percent(value)
    except ValueError as exc:
        assert str(exc) == "must have at most 4 decimals"
        assert -Decimal(str(value)).as_tuple().exponent > 4
    else:
        assert number == Decimal(str(value))
        assert -number.as_tuple().exponent <= 4


@pytest.mark.parametrize(("field", "text", "message"), [
    ("company", "Muster\x00 GmbH", "must not contain control characters"),
    ("contact", "Erika\x1b", "must not contain control characters"),
    ("country", "DE\x7f", "must not contain control characters"),
    ("vat_id", "DE\x01", "must not contain control characters"),
    ("email", "erika\x00@example.com", "must not contain control characters"),
    ("email", "erika example.com", "is not an e-mail address"),
    ("email", "erika@example", "is not an e-mail address"),
])
def test_a_customer_text_is_refused_with_its_reason(field, text, message):
    with pytest.raises(ValidationError) as refused:
        Customer.model_validate({field: text})
    ((error,),) = [refused.value.errors()]
    assert error["loc"] == (field,)
    assert error["msg"] == f"Value error, {message}"


def test_customer_texts_are_trimmed_but_the_email_and_vat_id_are_taken_as_sent():
    customer = Customer.model_validate({
        "company": "\u00a0Muster GmbH ", "contact": " Erika\u3000", "country": " DE ",
        "email": "erika@example.com", "vat_id": "DE123456789"})
    assert (customer.company, customer.contact, customer.country) == \
        ("Muster GmbH", "Erika", "DE")
    assert (customer.email, customer.vat_id) == ("erika@example.com", "DE123456789")
