"""Price lists per currency, example values marked per figure, and cards in the old form."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from quote import resources
from quote.cli import main
from quote.core.catalog import load_rates, parse_card
from quote.core.errors import QuoteInputError
from quote.core.offer import OfferDocument

from .helpers import bpm, priced, refused_fields

# -- currencies ------------------------------------------------------------------------


def test_bpmonline_has_three_price_lists_and_euros_by_default(book):
    card = book.latest("bpmonline").card
    assert card.currencies == ["EUR", "RUB", "USD"]
    assert priced(book, bpm()).currency == "EUR"


@pytest.mark.parametrize(("currency", "package", "license_value", "fee", "minimum_applied"), [
    # each list's minimum is stated in that list, never converted
    ("EUR", "business", "2000.00", "500.00", True),  # 20 % = 400.00 < 500.00
    ("RUB", "business", "2000.00", "45000.00", True),  # 400.00 < 45,000.00
    ("RUB", "business", "300000.00", "60000.00", False),  # 20 % of 300,000.00
    ("USD", "business", "2000.00", "550.00", True),
    ("USD", "premium", "48000.00", "12000.00", False),  # 25 % > 11,000.00
    ("RUB", "premium", "48000.00", "900000.00", True),
])
def test_each_price_list_in_its_own_currency(book, currency, package, license_value, fee,
                                             minimum_applied):
    result = priced(book, bpm(currency=currency, package=package, license_value=license_value))
    (line,) = result.lines
    assert result.currency == currency
    assert line.amount == Decimal(fee)
    assert line.explanation.minimum_applied is minimum_applied
    # the EUR minimums and every percentage are the vendor's; the RUB and USD minimums are
    # example values, so a line that rests on one says so
    assert line.example is (minimum_applied and currency != "EUR")


@pytest.mark.parametrize(("language", "currency", "text"), [
    ("ru", "RUB", "45\u00a0000,00\u00a0₽"),
    ("de", "RUB", "45.000,00\u00a0RUB"),
    ("en", "USD", "US$550.00"),
    ("de", "USD", "550,00\u00a0$"),
])
def test_babel_writes_each_currency(book, language, currency, text):
    result = priced(book, bpm(currency=currency, license_value="2000.00", language=language))
    assert text in result.lines[0].detail
    assert format_currency(result.total, currency, locale={"en": "en_GB", "de": "de_DE",
                                                           "ru": "ru_RU"}[language]) == text


def test_a_currency_the_card_has_no_list_in_is_refused(book):
    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(currency="GBP"))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("currency", "this rate card prices in EUR, RUB, USD")]
    assert refused_fields(book, bpm(currency="eur")) == ["currency"]
    assert refused_fields(book, bpm(rate_card="otrs", package="basic",
                                    currency="USD")) == ["currency"]


@pytest.fixture
def yen_book(tmp_path):
    """bpm'online with a yen list instead of the dollar one (the yen has no minor unit)."""
    folder = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), folder)
    card = folder / "bpmonline.toml"
    text = (card.read_text(encoding="utf-8")
            .replace('currencies = ["EUR", "RUB", "USD"]', 'currencies = ["EUR", "RUB", "JPY"]')
            .replace('USD = "550.00"', 'JPY = "80000"').replace('USD = "11000.00"',
                                                              'JPY = "1600000"')
            .replace('"minimum.USD"', '"minimum.JPY"'))
    card.write_text(text, encoding="utf-8")
    return load_rates(folder)


def test_rounding_follows_each_currencys_minor_unit(yen_book):
    # 15 % × 1,000.30 EUR = 150.045 -> 150.05; 15 % × 1,003 JPY = 150.45 -> 150 (no minor unit)
    assert priced(yen_book, bpm(package="basic", license_value="1000.30")).total == \
        Decimal("150.05")
    yen = priced(yen_book, bpm(package="basic", currency="JPY", license_value="1003"))
    assert yen.total == Decimal("150") and str(yen.total) == "150"
    # 15 % × 1,010 JPY = 151.5 -> 152 (half-up)
    assert priced(yen_book, bpm(package="basic", currency="JPY",
                                license_value="1010")).total == Decimal("152")
    assert refused_fields(yen_book, bpm(package="basic", currency="JPY",
                                        license_value="1000.5")) == ["license_value"]


# -- example values, per figure --------------------------------------------------------


def test_the_invented_environment_line_of_a_premium_offer_is_an_example(book):
    result = priced(book, bpm(package="premium", license_value="40000.00", environments=2,
                              language="de"))
    support, environment = result.lines
    assert (support.amount, environment.amount) == (Decimal("10000.00"), Decimal("1000.00"))
    assert not support.example  # 25 %, at the vendor's minimum of 10,000.00 EUR
    assert environment.example  # the environments add-on is not in the vendor's table


def test_lines_on_flat_example_prices_and_renewal_terms_are_examples(book):
    assert priced(book, bpm(rate_card="otrs", package="basic")).lines[0].example
    renewal = priced(book, bpm(kind="renewal", term_years=3, term_start="2027-01-01",
                               as_of="2026-12-01"))
    assert [(line.code, line.example) for line in renewal.lines] == [
        ("support", False), ("uplift", True), ("uplift", True), ("prepayment_discount", True)]


def test_rates_check_lists_the_example_values(capsys):
    assert main(["rates", "check"]) == 0
    out = capsys.readouterr().out
    for card in ("bpmonline", "maxence", "open-xchange", "otrs"):
        assert f": {card} " in out
    assert "example value: packages.premium.environments.extra.percent" in out
    assert "example value: packages.business.on_site.minimum.RUB" in out
    assert "packages.business.on_site.minimum.EUR" not in out
    assert "example value: points.tier_pricing" in out


def test_rates_show_in_german_marks_examples_and_speaks_german(capsys):
    assert main(["rates", "show", "open-xchange", "--lang", "de", "--as-of",
                 "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Severity 1 – Hoch: Eine Störung katastrophalen Ausmaßes" in out
    assert "Betrieb der OX Cloud: Vorfälle, die einen vollständigen Ausfall darstellen" in out
    assert "Die gesamte formelle Kommunikation erfolgt auf Englisch." in out
    assert "Geplante Wartungen werden mindestens 3 Arbeitstage im Voraus angekündigt" in out
    assert ("Notfallwartungen werden innerhalb von 4 Stunden vor dem geplanten Zeitpunkt "
            "mitgeteilt.") in out
    assert ("Als Ausfall gilt eine Antwortzeit von mehr als 30 Sekunden über 15 Minuten oder "
            "länger bei Web-Mail / HTTP, SMTP, IMAP, POP3.") in out
    assert "mindestens im Abstand von 1 Stunde ein Update" in out
    assert "mindestens 15 Arbeitstage im Voraus abgestimmt" in out
    assert "nur Severity 1 – Hoch, Severity 2 – Mittel" in out  # the phone
    assert "Reaktion 30 Minuten (Beispielwert)" in out
    assert "25\u00a0% (Beispielpreis), mindestens 10.000,00\u00a0€ (Beispielpreis)" in out
    assert "Servicezeiten: Mo.–Fr., 09:00–17:00 Uhr (Ortszeit Berlin, UTC+1 im Winter, " \
           "UTC+2 im Sommer)" in out
    assert "response" not in out and "example" not in out  # no English left


# -- cards in the old form ---------------------------------------------------------------

LEGACY = '''
id = "legacy"
version = "1"
effective_from = 2020-01-01
vendor = "Old Vendor"
currency = "EUR"
example_prices = true
[name]
en = "Old"
de = "Alt"
ru = "Old"
[[priorities]]
id = "1"
name = { en = "P1", de = "P1", ru = "P1" }
definition = { en = "d", de = "d", ru = "d" }
[[packages]]
id = "basic"
name = { en = "Basic", de = "Basic", ru = "Basic" }
on_site = { kind = "percent", percent = "10", minimum = "100.00" }
on_demand = { kind = "included" }
response_times = { "1" = "4h" }
services = []
[packages.environments]
included = 1
extra = { kind = "fixed", price = "50.00" }
[packages.service_hours]
days = ["mon", "tue", "wed", "thu", "fri"]
from = "09:00"
to = "17:00"
time_zone = "Europe/Berlin"
utc_offset = "UTC+01:00"
[points]
name = { en = "Points", de = "Punkte", ru = "Баллы" }
tiers = [{ from = 1, price = "95.00" }, { from = 50, price = "90.00" }]
'''.encode()


def test_a_card_in_the_old_form_is_read_as_it_was_meant():
    loaded, problems = parse_card(LEGACY, "legacy.toml")
    assert problems == []
    card = loaded.card
    assert card.currencies == ["EUR"]
    assert card.points.tier_pricing == "volume"  # what points were sold as
    price = card.package("basic").on_site
    assert price.is_example("percent") and price.is_example("minimum", "EUR")
    assert card.package("basic").environments.extra.is_example("price")
    assert card.points.tiers[0].is_example("price")
    notes = " ".join(loaded.notes)
    assert "currencies" in notes and "example_prices" in notes and "utc_offset" in notes


def _without_new_fields(value):
    """A card dump as it was written before: no example marks but the two tables' flags,
    no calendar, channels or commitments."""
    if isinstance(value, list):
        return [_without_new_fields(item) for item in value]
    if not isinstance(value, dict):
        return value
    dropped = {"calendar", "channels", "commitments", "license_value", "scoped_definitions",
               "update_intervals", "holidays"}
    kept = {key: _without_new_fields(item) for key, item in value.items()
            if key not in dropped and not (key == "example" and not isinstance(item, bool))}
    return kept


def test_an_offer_stored_before_keeps_rendering(book):
    # an issued offer stores its card as JSON; one stored before currencies, per-figure
    # examples and time zones has the old fields
    result = priced(book, bpm())
    loaded = book.latest("bpmonline")
    document = OfferDocument(number="Q-2025-000001", issued_on=result.as_of,
                             valid_until=result.as_of, language="en",
                             request=bpm(), result=result, card=loaded.card,
                             card_sha256=loaded.sha256)
    stored = json.loads(document.model_dump_json())
    card = _without_new_fields(stored["card"])
    stored["card"] = card
    card["currency"] = card.pop("currencies")[0]
    card["example_prices"] = False
    for package in card["packages"]:
        package["service_hours"]["utc_offset"] = "UTC+03:00"
        for deployment in ("on_site", "on_demand"):
            price = package[deployment]
            if "minimum" in price:
                price["minimum"] = price["minimum"].get("EUR", "0")
    for line in stored["result"]["lines"]:
        del line["example"]
    old = OfferDocument.model_validate(stored)
    assert old.card.currency == "EUR"
    assert old.card.package("business").on_site.minimum.of("EUR") == Decimal("500.00")
    assert [p.total for _, p in old.comparison()] == [Decimal("1800.00"), Decimal("2400.00"),
                                                     Decimal("10000.00")]


def test_amounts_have_at_most_the_currencys_decimals(book):
    """An amount written with the currency's decimals, fewer, or none passes; one with more
    is refused with its field, the license value's and an addition's alike."""
    for written in ("12000.50", "12000.5", "12000", "12000.0"):
        assert priced(book, bpm(license_value=written,
                                additions=[{"date": "2026-06-01",
                                            "license_value": written}])).total
    assert refused_fields(book, bpm(license_value="12000.505")) == ["license_value"]
    assert refused_fields(book, bpm(additions=[{"date": "2026-06-01",
                                                "license_value": "1000.125"}])) == [
        "additions.0.license_value"]
