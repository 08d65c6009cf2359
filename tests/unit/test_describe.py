"""Lines in words: texts from the core catalogue, numbers and dates by Babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import get_args

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_percent

from quote.core.describe import LINE_KINDS, describe_line, describer
from quote.core.result import LineCode

from .helpers import bpm, priced


def eur(amount: str, locale: str) -> str:
    return format_currency(Decimal(amount), "EUR", locale=locale)


def test_babel_formats_euros_per_language():
    assert eur("2400.00", "de_DE") == "2.400,00\xa0€"
    assert eur("2400.00", "en_GB") == "€2,400.00"
    # Russian groups with a (narrow) no-break space: take Babel's own output
    assert eur("2400.00", "ru_RU").endswith("400,00\xa0€")


def test_support_line_in_german(book):
    result = priced(book, bpm(language="de"))
    line = result.lines[0]
    pct = format_percent(Decimal("0.20"), locale="de_DE")
    assert line.description == "Support Business, On-Site-Lizenzen, 1 Jahr"
    assert line.detail == (f"{pct} von {eur('12000.00', 'de_DE')} = {eur('2400.00', 'de_DE')}; "
                           f"{eur('2400.00', 'de_DE')} pro Jahr × 1 Jahr")
    assert "2.400,00\xa0€" in line.detail


def test_minimum_in_russian(book):
    result = priced(book, bpm(language="ru", license_value="2000.00", term_years=2))
    line = result.lines[0]
    assert line.description == "Поддержка «Бизнес», лицензии on-site, 2 года"
    assert f"применяется минимум {eur('500.00', 'ru_RU')}" in line.detail
    assert line.detail.endswith(f"{eur('500.00', 'ru_RU')} в год × 2 года")


@pytest.mark.parametrize(("years", "words"), [(1, "1 год"), (2, "2 года"), (5, "5 лет")])
def test_russian_plural_forms_of_years(book, years, words):
    line = priced(book, bpm(language="ru", term_years=years)).lines[0]
    assert line.description.endswith(words)


def test_addition_in_russian(book):
    result = priced(book, bpm(language="ru", additions=[
        {"date": "2026-07-01", "license_value": "1000.00", "environments": 2}]))
    addition, environments = result.lines[1:]
    day = format_date(addition.date, format="long", locale="ru_RU")
    assert addition.description == (f"Дополнительные лицензии на сумму {eur('1000.00', 'ru_RU')} "
                                    f"с {day}")
    assert environments.description == f"2 дополнительные среды с {day}"
    assert addition.detail == (
        f"Годовая стоимость {eur('2400.00', 'ru_RU')} → {eur('2600.00', 'ru_RU')}: "
        f"разница {eur('200.00', 'ru_RU')} × 184 из 365 дн. (год договора 1)")


ADDED_LICENSES = {
    "de": "Zusätzliche Lizenzen im Wert von 12.000,00\xa0€ ab 1. März 2027",
    "en": "Additional licenses worth €12,000.00 from 1 March 2027",
    "ru": "Дополнительные лицензии на сумму 12\xa0000,00\xa0€ с 1 марта 2027\u202fг.",
}


@pytest.mark.parametrize("language", ["de", "en", "ru"])
def test_an_addition_of_licenses_states_their_value_and_date(book, language):
    result = priced(book, bpm(language=language, term_years=2, additions=[
        {"date": "2027-03-01", "license_value": "12000.00"}]))
    (addition,) = [line for line in result.lines if line.code == "addition"]
    assert addition.explanation.added_license_value == Decimal("12000.00")
    assert addition.description == ADDED_LICENSES[language]


@pytest.mark.parametrize("language", ["de", "en", "ru"])
def test_the_addition_line_reads_the_same_in_every_language_later(book, language):
    """The page and the PDF describe a line again in the language they show."""
    result = priced(book, bpm(language="en", term_years=2, additions=[
        {"date": "2027-03-01", "license_value": "12000.00"}]))
    loaded = book.in_force("bpmonline", result.as_of)
    (addition,) = [line for line in result.lines if line.code == "addition"]
    description, _ = describe_line(addition, loaded.card, loaded.card.package("business"),
                                   "on_site", 2, language)
    assert description == ADDED_LICENSES[language]


def test_an_addition_stored_without_its_value_is_named_by_its_date(book):
    """Offers issued before the added value was recorded keep their old line text."""
    result = priced(book, bpm(language="de", term_years=2, additions=[
        {"date": "2027-03-01", "license_value": "12000.00"}]))
    loaded = book.in_force("bpmonline", result.as_of)
    (addition,) = [line for line in result.lines if line.code == "addition"]
    stored = addition.model_copy(update={"explanation": addition.explanation.model_copy(
        update={"added_license_value": None})})
    description, _ = describe_line(stored, loaded.card, loaded.card.package("business"),
                                   "on_site", 2, "de")
    assert description == "Zusätzliche Lizenzen ab 1. März 2027"


def test_describe_line_in_another_language(book):
    result = priced(book, bpm(environments=3))  # priced in English
    loaded = book.in_force("bpmonline", result.as_of)
    package = loaded.card.package("business")
    line = result.lines[1]
    assert line.description == "2 extra environments"
    description, detail = describe_line(line, loaded.card, package, "on_site", 1, "de")
    assert description == "2 zusätzliche Umgebungen"
    pct = format_percent(Decimal("0.10"), locale="de_DE")
    assert detail == ("2 Umgebungen über die im Paket enthaltenen (1) hinaus, "
                      f"je {eur('240.00', 'de_DE')} "
                      f"({pct} der Jahresgebühr {eur('2400.00', 'de_DE')}) pro Jahr × 1 Jahr")
    description, _ = describe_line(line, loaded.card, package, "on_site", 1, "ru")
    assert description == "2 дополнительные среды"


def test_points_in_german(book):
    # graduated: 49 points at 95.00, the fiftieth at 90.00
    result = priced(book, bpm(rate_card="maxence", package="basic", points=50, language="de"))
    line = result.lines[1]
    assert line.description == "Support-Punktekonto: 50 Punkte"
    assert line.detail == (f"49 Punkte × {eur('95.00', 'de_DE')} + 1 Punkt × "
                           f"{eur('90.00', 'de_DE')} (gestaffelt: jeder Punkt zum Preis seiner "
                           "Stufe)")


YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_service_hours_read_as_runs_of_days_in_each_language(book):
    from quote.core.describe import service_hours_text
    from quote.core.rates import ServiceHours

    card = book.in_force("bpmonline", dt.date(2026, 1, 1)).card
    business = card.package("business").service_hours
    assert service_hours_text(business, "en", *YEAR_2026) == \
        "Mon–Sun, 09:00–18:00 (Moscow time, UTC+3)"
    assert service_hours_text(business, "de", *YEAR_2026, card.calendar) == (
        "Mo.–So., 09:00–18:00 Uhr (Ortszeit Moskau, UTC+3); an gesetzlichen Feiertagen "
        "geschlossen (Russland)")
    premium = card.package("premium").service_hours
    assert service_hours_text(premium, "ru", *YEAR_2026, card.calendar) == \
        "круглосуточно, 7 дней в неделю (часовой пояс «Москва», UTC+3)"
    gaps = ServiceHours(days=["mon", "tue", "wed", "fri"], start=dt.time(8), end=dt.time(17),
                        time_zone="Europe/Berlin")
    assert service_hours_text(gaps, "en", *YEAR_2026) == \
        "Mon–Wed, Fri, 08:00–17:00 (Berlin time, UTC+1 in winter, UTC+2 in summer)"


@pytest.mark.parametrize(("language", "moscow", "berlin"), [
    ("en", "Moscow time, UTC+3", "Berlin time, UTC+1 in winter, UTC+2 in summer"),
    ("de", "Ortszeit Moskau, UTC+3", "Ortszeit Berlin, UTC+1 im Winter, UTC+2 im Sommer"),
    ("ru", "часовой пояс «Москва», UTC+3",
     "часовой пояс «Берлин», UTC+1 зимой, UTC+2 летом"),
])
def test_time_zones_in_words_with_the_offsets_of_the_dates_concerned(language, moscow, berlin):
    from quote.core.describe import zone_text

    assert zone_text("Europe/Moscow", language, *YEAR_2026) == moscow
    assert zone_text("Europe/Berlin", language, *YEAR_2026) == berlin
    # a term entirely in winter, or in summer, sees one offset only
    assert zone_text("Europe/Berlin", "en", dt.date(2026, 11, 1), dt.date(2027, 2, 28)) == \
        "Berlin time, UTC+1"
    assert zone_text("Europe/Berlin", "en", dt.date(2026, 4, 1), dt.date(2026, 9, 30)) == \
        "Berlin time, UTC+2"


def test_a_zone_whose_offset_changed_says_when():
    from quote.core.describe import zone_text

    # Moscow kept UTC+4 from 27 March 2011 and went back to UTC+3 on 26 October 2014
    assert zone_text("Europe/Moscow", "en", dt.date(2012, 1, 1), dt.date(2015, 12, 31)) == \
        "Moscow time, UTC+4, UTC+3 from 26 October 2014"


def test_every_line_code_and_the_discount_have_a_kind_in_words():
    assert set(LINE_KINDS) == set(get_args(LineCode)) | {"discount"}
    assert [describer("de", "EUR").line_kind(code) for code in LINE_KINDS] == [
        "Support", "Zusätzliche Umgebungen", "Zusätzliche Lizenzen", "Supportpunkte",
        "Preisanpassung", "Vorauszahlungsrabatt", "Nachzahlung", "Wiederaufnahmegebühr",
        "Rabatt"]
    assert describer("ru", "EUR").line_kind("addition") == "Дополнительные лицензии"
    assert describer("en", "EUR").discount(Decimal("5")) == "Discount 5%"
