"""Numbers typed in the form are read in the page's language, and never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quote.web.i18n import AmountEntryError, format_amount_for_entry, parse_local_amount

SAME_AMOUNT = [
    ("de", "12.000,50"),
    ("de", "12000,50"),
    ("en", "12,000.50"),
    ("en", "12000.50"),
    ("ru", "12 000,50"),
    ("ru", "12\u00a0000,50"),
    ("ru", "12\u202f000,50"),
    ("ru", "12000,50"),
    ("de", "  12.000,50 "),
]


@pytest.mark.parametrize(("language", "text"), SAME_AMOUNT)
def test_each_language_writes_the_same_amount_its_own_way(language, text):
    assert parse_local_amount(text, language) == Decimal("12000.50")


@pytest.mark.parametrize(("language", "text", "value"), [
    ("de", "1.000.000", Decimal("1000000")),
    ("en", "1,000,000", Decimal("1000000")),
    ("ru", "1 000 000", Decimal("1000000")),
    ("de", "19", Decimal("19")),
    ("de", "7,5", Decimal("7.5")),
    ("en", "0", Decimal("0")),
])
def test_whole_and_decimal_numbers(language, text, value):
    assert parse_local_amount(text, language) == value


def test_in_english_a_dot_is_always_the_decimal_point():
    """"12.000" is twelve with three decimals in English (the core refuses it for EUR)."""
    value = parse_local_amount("12.000", "en")
    assert value == Decimal("12.000")
    assert value.as_tuple().exponent == -3


@pytest.mark.parametrize(("language", "text"), [
    ("de", "1.5"),          # a thousands dot in the wrong place: 15? 1,5? refused
    ("de", "12000.50"),     # an English number on a German page
    ("de", "12.00"),
    ("en", "1,5"),
    ("en", "12.000,50"),
    ("ru", "12.000,50"),    # Russian groups with spaces, not dots
    ("ru", "12000.50"),
    ("ru", "12 00,50"),
    ("en", "1,2,3"),
    ("de", "1,2,3"),
])
def test_ambiguous_or_foreign_entries_are_refused(language, text):
    with pytest.raises(AmountEntryError):
        parse_local_amount(text, language)


@pytest.mark.parametrize("text", ["-5", "1e5", "abc", "12€", ",5", "5,", "∞", "١٢"])
def test_what_is_not_a_plain_number_is_refused(text):
    for language in ("en", "de", "ru"):
        with pytest.raises(AmountEntryError):
            parse_local_amount(text, language)


def test_an_empty_entry_is_no_amount():
    assert parse_local_amount("   ", "de") is None


def test_a_refusal_shows_how_to_write_the_amount():
    with pytest.raises(AmountEntryError) as caught:
        parse_local_amount("1.5", "de")
    assert "12.000,50" in str(caught.value)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "12,000.50"), ("de", "12.000,50"), ("ru", "12\u00a0000,50")])
def test_amounts_are_written_back_in_the_page_language(language, text):
    assert format_amount_for_entry(Decimal("12000.50"), language) == text


@pytest.mark.parametrize(("text", "language"), [
    ("1" * 13, "en"), ("1" * 29, "de"), ("1" * 400, "ru"), ("1.000.000.000.000", "de")])
def test_an_amount_beyond_the_largest_is_refused_before_it_is_formatted(text, language):
    with pytest.raises(AmountEntryError, match="at most 999999999999"):
        parse_local_amount(text, language)


@pytest.mark.parametrize("text", ["0.00001", "0." + "0" * 28 + "1"])
def test_an_amount_with_more_than_four_decimals_is_refused(text):
    with pytest.raises(AmountEntryError, match="at most 4 decimals"):
        parse_local_amount(text, "en")


def test_the_largest_amount_is_read():
    assert parse_local_amount("999,999,999,999", "en") == Decimal("999999999999")
    assert parse_local_amount("0,0001", "de") == Decimal("0.0001")
