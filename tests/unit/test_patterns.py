"""The request's validators and its JSON Schema accept exactly the same texts.

The schema is checked with jsonschema_rs (the engine schemathesis validates with), so
these tests also hold the expressions to what another regex engine reads in them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from quote.core.patterns import PLAIN_NUMBER_PATTERN, decimal_pattern
from quote.core.request import Amount, Customer, IsoDate, PercentText, json_number

NUMBER_LIKE = st.one_of(
    st.text(alphabet="0123456789.-+ eE\t\n\u00a0\u0661", max_size=16),
    st.from_regex(r"\A-?0*[0-9]{0,13}(\.[0-9]{0,6})?\Z"),
    st.decimals(min_value=0, max_value=10**13, places=3).map(str),
    st.integers(min_value=-5, max_value=10**13),
)


def agree(annotation, value) -> tuple[bool, bool]:
    """(the core accepts ``value``, the JSON schema of ``annotation`` accepts it)"""
    adapter = TypeAdapter(annotation)
    try:
        adapter.validate_python(value)
        accepted = True
    except ValidationError:
        accepted = False
    schema = jsonschema_rs.validator_for(adapter.json_schema(), validate_formats=True)
    return accepted, schema.is_valid(value)


@settings(max_examples=300)
@given(NUMBER_LIKE)
def test_amounts(value):
    accepted, valid = agree(Amount, value)
    assert accepted == valid


@settings(max_examples=300)
@given(NUMBER_LIKE)
def test_percentages(value):
    accepted, valid = agree(PercentText, value)
    assert accepted == valid


@pytest.mark.parametrize("value", ["0", "0.5", "12000.50", "999999999999", "999999999999.000",
                                   999999999999, 0])
def test_amounts_that_are_taken(value):
    assert agree(Amount, value) == (True, True)


@pytest.mark.parametrize("value", [".5", "5.", " 12", "12 ", "-0", "+1", "0012", "00",
                                   "1e3", "12,5", "999999999999.01", "1000000000000", 12.5,
                                   -1, True, None, "12\n"])
def test_amounts_that_are_refused(value):
    assert agree(Amount, value) == (False, False)


@settings(max_examples=300)
@given(st.one_of(st.dates().map(str), st.text(alphabet="0123456789-T: ", max_size=12)))
def test_dates(value):
    accepted, valid = agree(IsoDate, value)
    assert accepted == valid


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(
    lambda text: text.center(12, " "))


@settings(max_examples=300)
@given(st.fixed_dictionaries({}, optional={
    "company": st.one_of(TEXTS, st.text(min_size=195, max_size=205)),
    "email": st.one_of(TEXTS, st.from_regex(r"\A[a-z \t.@\u00a0\u2028]{0,12}\Z")),
    "country": TEXTS,
}))
def test_customer_texts(customer):
    accepted, valid = agree(Customer, customer)
    assert accepted == valid


def _reference(text: str, maximum: Decimal, decimals: int | None) -> bool:
    if not re.fullmatch(PLAIN_NUMBER_PATTERN, text):
        return False
    places = len(text.partition(".")[2])
    return (decimals is None or places <= decimals) and Decimal(text) <= maximum


@settings(max_examples=300)
@given(maximum=st.decimals(min_value=0, max_value=10**6, places=3),
       decimals=st.none() | st.integers(0, 4),
       text=st.one_of(st.from_regex(r"\A[0-9]{1,8}(\.[0-9]{1,6})?\Z"),
                      st.decimals(min_value=0, max_value=10**6, places=4).map(str)))
def test_decimal_patterns_bound_digit_by_digit(maximum, decimals, text):
    pattern = decimal_pattern(maximum, decimals)
    assert (re.fullmatch(pattern, text) is not None) == _reference(text, maximum, decimals)
    # the maximum itself, and just above it
    at = format(maximum, "f")
    assert re.fullmatch(pattern, at) is not None or decimals is not None
    above = format(maximum + Decimal("0.0001"), "f")
    assert re.fullmatch(pattern, above) is None


@pytest.mark.parametrize(("text", "number"), [("12000.0", 12000), ("1.2e4", 12000),
                                              ("-0.0", 0), ("1E+2", 100)])
def test_whole_json_numbers_are_integers(text, number):
    assert json_number(text) == number and isinstance(json_number(text), int)


@pytest.mark.parametrize("text", ["12000.5", "1e-3", "1e400", "1e30"])
def test_other_json_numbers_are_floats(text):
    assert isinstance(json_number(text), float)
