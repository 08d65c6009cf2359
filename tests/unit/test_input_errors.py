"""Every bad input is refused with a QuoteInputError naming the field, never priced."""

from __future__ import annotations

import pytest

from quote.core.errors import QuoteInputError
from quote.core.request import parse_request

from .helpers import bpm, priced, refused_fields


@pytest.mark.parametrize(
    "value",
    ["-1", "-0.01", "NaN", "nan", "Infinity", "-Infinity", "1e3", "12,000.50", "12 000", "",
     "  ", "1.", ".", "+5", "0x10", "١٢٣", 12.5, 12.0, True, None, [], {},
     "1000000000000", "999999999999.01", "10.001", "1" + "0" * 400,
     # only plain decimals: no sign, no spaces, no leading zeros or dot
     "-0", "-0.00", ".5", " 12", "12 ", "0012", "00.5", "12\n", "\u00a012"],
)
def test_bad_license_values(book, value):
    assert refused_fields(book, bpm(license_value=value)) == ["license_value"]


def test_a_json_integer_is_an_exact_amount(book):
    assert priced(book, bpm(license_value=12000)).total == priced(book, bpm()).total


@pytest.mark.parametrize("value", ["0", "0.00", 0])
def test_zero_is_zero(book, value):
    # Basic on-demand is included in the subscription: nothing to pay whatever the value
    result = priced(book, bpm(package="basic", deployment="on_demand", license_value=value))
    assert str(result.lines[0].amount) == "0.00"
    assert str(result.total) == "0.00"


def test_the_largest_license_value(book):
    assert priced(book, bpm(license_value="999999999999.00")).subtotal == \
        priced(book, bpm(license_value=999999999999)).subtotal


@pytest.mark.parametrize("text", [" bpmonline", "bpmonline ", "BPMONLINE"])
def test_ids_are_taken_as_they_are(book, text):
    assert refused_fields(book, bpm(rate_card=text)) == ["rate_card"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rate_card": "nosuchcard"}, "rate_card"),
        ({"rate_card": ""}, "rate_card"),
        ({"package": "gold"}, "package"),
        ({"package": 1}, "package"),
        ({"deployment": "cloud"}, "deployment"),
        ({"language": "fr"}, "language"),
        ({"term_start": "2026-02-30"}, "term_start"),
        ({"term_start": "2026-13-01"}, "term_start"),
        ({"term_start": "26-1-1"}, "term_start"),
        ({"term_start": "2026-1-1"}, "term_start"),
        ({"term_start": "2026-01-01T00:00"}, "term_start"),
        ({"term_start": "2026-01-0\u0661"}, "term_start"),
        ({"term_start": " 2026-01-01"}, "term_start"),
        ({"term_start": "1999-12-31"}, "term_start"),
        ({"term_start": "2100-01-01"}, "term_start"),
        ({"term_start": 20260101}, "term_start"),
        ({"term_years": 0}, "term_years"),
        ({"term_years": 11}, "term_years"),
        ({"term_years": 6}, "term_years"),  # bpm'online: at most 5 years
        ({"term_years": True}, "term_years"),
        ({"term_years": "2"}, "term_years"),
        ({"term_years": 2.0}, "term_years"),
        ({"environments": 0}, "environments"),
        ({"environments": 101}, "environments"),
        ({"environments": True}, "environments"),
        ({"discount_percent": "-1"}, "discount_percent"),
        ({"discount_percent": "100.5"}, "discount_percent"),
        ({"discount_percent": "1.00001"}, "discount_percent"),
        ({"tax_percent": "101"}, "tax_percent"),
        ({"tax_percent": 19.5}, "tax_percent"),
        ({"existing_contract": "maybe"}, "existing_contract"),
        ({"points": 0}, "points"),
        ({"as_of": "2018-12-31"}, "rate_card"),  # before the card's first version
        ({"as_of": "yesterday"}, "as_of"),
        ({"customer": {"company": "x" * 201}}, "customer.company"),
        ({"customer": {"contact": "Ann\x00"}}, "customer.contact"),
        ({"customer": {"company": "ACME\nGmbH"}}, "customer.company"),
        ({"customer": {"email": "not an address"}}, "customer.email"),
        ({"customer": {"email": " ann@example.com"}}, "customer.email"),
        ({"customer": {"email": "ann@example.com\t"}}, "customer.email"),
        ({"customer": {"company": " " * 201}}, "customer.company"),  # as sent
        ({"customer": {"company": "ACME\t"}}, "customer.company"),
        ({"customer": {"fax": "123"}}, "customer.fax"),
        ({"customer": "ACME"}, "customer"),
        ({"colour": "blue"}, "colour"),
        ({"additions": "2026-03-01"}, "additions"),
        ({"additions": [1]}, "additions.0"),
        ({"additions": [{"date": "2026-03-01"}]}, "additions.0"),  # adds nothing
        ({"additions": [{"date": "2026-03-01", "license_value": "0"}]}, "additions.0"),
        ({"additions": [{"date": "2026-03-01", "license_value": "-5"}]},
         "additions.0.license_value"),
        ({"additions": [{"date": "2026-03-01", "license_value": "10.001"}]},
         "additions.0.license_value"),
        ({"additions": [{"date": "2026-03-01", "environments": -1}]},
         "additions.0.environments"),
        ({"additions": [{"date": "2026-02-30", "license_value": "5"}]}, "additions.0.date"),
        ({"additions": [{"date": "2025-12-31", "license_value": "5"}]}, "additions.0.date"),
        ({"additions": [{"date": "2027-01-01", "license_value": "5"}]}, "additions.0.date"),
        ({"additions": [{"date": "2026-03-01", "license_value": "5", "note": "x"}]},
         "additions.0.note"),
        ({"additions": [{"date": "2026-03-01", "license_value": "5"}] * 101}, "additions"),
    ],
)
def test_bad_fields_are_named(book, overrides, field):
    assert refused_fields(book, bpm(**overrides)) == [field]


@pytest.mark.parametrize("field", ["rate_card", "package", "deployment", "license_value",
                                   "term_start"])
def test_required_fields(book, field):
    data = bpm()
    del data[field]
    assert refused_fields(book, data) == [field]


@pytest.mark.parametrize("body", [None, [], "request", 12, [bpm()]])
def test_a_body_that_is_not_an_object(book, body):
    assert refused_fields(book, body) == [""]


def test_several_errors_are_reported_together(book):
    fields = refused_fields(book, bpm(license_value="-1", deployment="cloud", colour="x"))
    assert sorted(fields) == ["colour", "deployment", "license_value"]


def test_errors_carry_an_english_message_and_a_dict():
    with pytest.raises(QuoteInputError) as caught:
        parse_request(bpm(license_value="1e3"))
    (error,) = caught.value.errors
    assert error.as_dict() == {
        "field": "license_value",
        "message": 'must be a plain decimal number with a dot for decimals, such as "1200.50"',
    }


def test_an_error_of_the_card_is_translated(book):
    from quote.i18n import translations

    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(additions=[{"date": "2027-01-01", "license_value": "5"}]))
    (error,) = caught.value.errors
    assert error.message == "must lie within the term, 2026-01-01 to 2026-12-31"
    assert error.translated(translations("de").gettext) == (
        "muss innerhalb der Laufzeit liegen, 2026-01-01 bis 2026-12-31")


def test_an_error_s_dates_are_written_by_whoever_shows_it(book):
    """The core keeps dates as dates; the page passes its way of writing them."""
    from quote.core.describe import day
    from quote.i18n import translations

    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(additions=[{"date": "2027-01-01", "license_value": "5"}]))
    (error,) = caught.value.errors
    assert error.translated(translations("de").gettext, lambda d: day(d, "de")) == (
        "muss innerhalb der Laufzeit liegen, 1. Januar 2026 bis 31. Dezember 2026")
    assert error.translated(translations("ru").gettext, lambda d: day(d, "ru")) == (
        "должна быть в пределах срока договора, с 1 января 2026\u202fг. по 31 декабря 2026\u202fг.")


def test_a_date_outside_the_years_names_the_bounds_as_dates():
    from quote.core.describe import day
    from quote.i18n import translations

    with pytest.raises(QuoteInputError) as caught:
        parse_request(bpm(term_start="1999-12-31"))
    (error,) = caught.value.errors
    assert (error.field, error.message) == (
        "term_start", "must lie between 2000-01-01 and 2099-12-31")
    assert error.translated(translations("de").gettext, lambda d: day(d, "de")) == (
        "muss zwischen dem 1. Januar 2000 und dem 31. Dezember 2099 liegen")
