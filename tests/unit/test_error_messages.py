"""Input errors read in the language of whoever sees them."""

import pytest

from quote.core.errors import QuoteInputError
from quote.core.request import parse_request
from quote.i18n import translations


def errors_of(data: dict) -> dict[str, str]:
    with pytest.raises(QuoteInputError) as caught:
        parse_request(data)
    german = translations("de").gettext
    return {e.field: e.translated(german) for e in caught.value.errors}


def test_bounds_checked_by_the_schema_are_translated(make_request):
    assert errors_of(make_request(term_years=11)) == {"term_years": "darf höchstens 10 sein"}


def test_missing_and_unknown_fields_are_translated(make_request):
    data = make_request(colour="blue")
    del data["package"]
    assert errors_of(data) == {
        "package": "ist erforderlich",
        "colour": "ist kein Feld einer Angebotsanfrage",
    }


def test_our_own_validators_messages_are_translated(make_request):
    assert errors_of(make_request(license_value="-5")) == {
        "license_value": "darf nicht negativ sein"
    }
    assert errors_of(make_request(term_start="2026-02-30")) == {
        "term_start": "ist kein Kalenderdatum"
    }


def test_english_messages_keep_their_parameters(make_request):
    with pytest.raises(QuoteInputError) as caught:
        parse_request(make_request(deployment="cloud"))
    assert [e.as_dict() for e in caught.value.errors] == [
        {"field": "deployment", "message": "must be one of 'on_site' or 'on_demand'"}
    ]
