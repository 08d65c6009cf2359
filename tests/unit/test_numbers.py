"""Money and whole numbers are written exactly as Babel writes them, in every language and
for every currency the rate cards use (and a few with other minor units)."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal, Inexact, Rounded, localcontext

import pytest
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from quote.core import numbers
from quote.core.catalog import load_rates
from quote.core.describe import LOCALES, locale_of

CURRENCIES = sorted({loaded.card.currency for versions in load_rates().versions.values()
                     for loaded in versions} | {"EUR", "RUB", "USD", "JPY", "BHD", "CHF"})
LANGUAGES = sorted(LOCALES)

amounts = st.one_of(
    st.integers(-10**15, 10**15).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.decimals(min_value=Decimal("-999999999999.9999"), max_value=Decimal("999999999999.9999"),
                places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0"), Decimal("0.00"), Decimal("-0.01"), Decimal("0.005"),
                     Decimal("0.015"), Decimal("1000"), Decimal("999.995"),
                     Decimal("1234567.891")]),
)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, currency=st.sampled_from(CURRENCIES),
       language=st.sampled_from(LANGUAGES))
def test_money_is_written_as_babel_writes_it(amount, currency, language):
    locale = locale_of(language)
    assert numbers.money(amount, currency, locale) == format_currency(amount, currency,
                                                                      locale=locale)


@settings(max_examples=200, deadline=None)
@given(value=st.integers(-10**12, 10**12), language=st.sampled_from(LANGUAGES))
def test_whole_numbers_are_written_as_babel_writes_them(value, language):
    locale = locale_of(language)
    assert numbers.whole(value, locale) == format_decimal(value, locale=locale,
                                                          decimal_quantization=False)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "€12,000.50"), ("de", "12.000,50\u00a0€"), ("ru", "12\u00a0000,50\u00a0€")])
def test_a_known_amount_in_each_language(language, text):
    assert numbers.money(Decimal("12000.50"), "EUR", locale_of(language)) == text


percentages = st.one_of(
    st.integers(0, 100),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=4, allow_nan=False,
                allow_infinity=False),
    st.sampled_from(["19", "7.5", "7.50", "0", "0.0001", "100.0000", "12.25"]).map(Decimal),
)


@settings(max_examples=200, deadline=None)
@given(value=percentages, language=st.sampled_from(LANGUAGES))
def test_percentages_are_written_as_babel_writes_them(value, language):
    locale = locale_of(language)
    expected = format_percent(Decimal(value) / 100, locale=locale, decimal_quantization=False)
    assert numbers.percent(Decimal(value), locale) == expected



# Amounts as the core writes them: rounded line amounts, ties of the half-even rounding
# Babel writes with, the signed zero, the largest license value, exact pro-rata shares.
TABLE_AMOUNTS = [Decimal(text) for text in (
    "0", "0.00", "-0.00", "-0", "0.01", "-0.01", "0.005", "0.015", "0.025", "-0.005",
    "0.5", "1.5", "2.5", "-2.5", "9.995", "99.99", "999.99", "999.995", "1000", "1000.00",
    "1234.5", "12000.50", "-12000.50", "48250.00", "7500.00", "3200.50", "999999.999",
    "1000000", "1234567.891", "999999999999", "999999999999.99", "-999999999999.99",
    "2343.835616438356164383561644", "1.0E+3", "1E+2", "123.4500", "0.0001",
    # each count of whole digits, the groups cut by slices up to nine digits
    "-0.004", "999.994", "9999.99", "-9999.99", "99999.995", "999999.99", "-999999.995",
    "9999999.99", "99999999.99", "999999999.99", "-999999999.995", "1000000000",
    "12345678901.23", "-12345678901.23", "1E+11", "5E-3",
)]


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_table_of_amounts_is_written_as_babel_writes_it(currency, language):
    locale = locale_of(language)
    write = numbers.money_writer(currency, locale)
    for amount in TABLE_AMOUNTS:
        assert write(amount) == format_currency(amount, currency, locale=locale), amount


@settings(max_examples=100, deadline=None)
@given(value=percentages, language=st.sampled_from(LANGUAGES))
def test_a_locale_s_percent_writer_writes_as_babel_writes(value, language):
    locale = locale_of(language)
    expected = format_percent(Decimal(value) / 100, locale=locale, decimal_quantization=False)
    assert numbers.percent_writer(locale)(Decimal(value)) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_written_the_same_whatever_the_thread_s_decimal_context(language):
    """An amount already rounded to its minor unit is written as it stands, any other one
    is rounded in a context of its own: the thread's rounding, precision and traps change
    no text."""
    locale = locale_of(language)
    write = numbers.money_writer("EUR", locale)
    expected = [format_currency(amount, "EUR", locale=locale) for amount in TABLE_AMOUNTS]
    with localcontext(prec=4, rounding=ROUND_UP, traps=[Inexact, Rounded]):
        assert [write(amount) for amount in TABLE_AMOUNTS] == expected
