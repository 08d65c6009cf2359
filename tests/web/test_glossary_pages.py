"""The pages and the CSV export speak the glossary's words (docs/glossary.md): the
terms, none of their forbidden variants, dates in error messages as the page writes
dates, one period after a Russian date, and time zones by their city."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from glossary import forbidden_in, glossary

TERMS = glossary()
ENTRY = {"en": ("12,000.00", "Germany"), "de": ("12.000,00", "Deutschland"),
         "ru": ("12 000,00", "Германия")}


def words_of(response) -> str:
    """The page's text without markup, scripts and the data the scripts read."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).replace("\u00a0", " ").split())


@pytest.fixture
def priced_page(client, form_data):
    """Factory: the form priced in ``language`` (a German customer, from 2019-01-01)."""

    def page(language: str, **overrides) -> str:
        amount, country = ENTRY[language]
        client.get(f"/?lang={language}")
        data = form_data(entry_language=language, language=language, license_value=amount,
                         term_start="2019-01-01", **{"customer-country": country})
        data.update(overrides)
        return words_of(client.post("/", data=data))

    return page


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_the_priced_page_uses_the_terms_and_no_forbidden_variant(priced_page, language):
    text = priced_page(language)
    entries = TERMS[language]
    for concept in ("VAT", "deployment", "licenses on-site", "service hours", "total"):
        assert any(term.casefold() in text.casefold() for term in entries[concept].terms), (
            concept)
    assert forbidden_in(text, entries) == []


def test_a_russian_date_ends_a_sentence_with_one_period(priced_page):
    text = priced_page("ru")
    assert ("Цены действуют с 1 января 2019 г. (версия 2019.1). "
            "Срок с 1 января 2019 г. по 31 декабря 2019 г. ") in text
    assert "г.." not in text


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "muss innerhalb der Laufzeit liegen, 1. Januar 2019 bis 31. Dezember 2019"),
    ("en", "must lie within the term, 1 January 2019 to 31 December 2019"),
    ("ru", "должна быть в пределах срока договора, с 1 января 2019 г. по 31 декабря 2019 г."),
])
def test_a_date_in_an_error_message_is_written_as_the_page_writes_dates(priced_page,
                                                                        language, expected):
    text = priced_page(language, **{"additions-0-date": "2021-03-01",
                                    "additions-0-license_value": "1000"})
    assert expected in text
    assert "2019-01-01" not in text and "2019-12-31" not in text


def test_the_api_writes_an_error_s_dates_in_the_request_s_language(client, make_request):
    body = make_request(term_start="2019-01-01", as_of="2019-01-01",
                        additions=[{"date": "2021-03-01", "license_value": "1000.00"}])
    answer = client.post("/api/v1/quotes/preview", json=body,
                         headers={"Accept-Language": "de"}).get_json()
    assert {"field": "additions.0.date",
            "message": "muss innerhalb der Laufzeit liegen, 1. Januar 2019 bis 31. Dezember "
                       "2019"} in answer["errors"]


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_no_page_shows_a_zone_id(priced_page, language):
    assert "Europe/" not in priced_page(language)


@pytest.mark.parametrize(("locale", "delimiter"), [("de", ";"), ("en", ",")])
@pytest.mark.parametrize(("rows", "concepts"), [
    ("offers", ("VAT", "net amount", "total")),
    ("schedule", ("VAT", "net amount", "total")),
    ("lines", ()),  # an offer's lines add up to its net; no tax or total column
])
def test_the_csv_headers_use_the_terms(sign_in, locale, delimiter, rows, concepts):
    raw = sign_in("finance").get(f"/finance/offers?format=csv&rows={rows}&locale={locale}")
    header = next(csv.reader(io.StringIO(raw.get_data().decode("utf-8-sig")),
                             delimiter=delimiter))
    entries = TERMS[locale]
    for concept in concepts:
        assert any(cell.casefold() in {t.casefold() for t in entries[concept].terms}
                   for cell in header), concept
    assert forbidden_in(" | ".join(header), entries) == []
