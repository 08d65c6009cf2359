"""What an offer PDF says about example values, currencies, cards without a license
value, and the service-level terms (channels, commitments, example deadlines)."""

from __future__ import annotations

import json

import pytest
from pdf_reading import read, text_of

from quote.core.offer import OfferDocument
from quote.pdf import render_offer


def squeezed(pdf: bytes) -> str:
    return "".join(text_of(read(pdf)).split())


def test_the_german_premium_offer_marks_the_invented_environment_line(make_offer):
    # 25 % of 100,000.00 = 25,000.00 (the vendor's); each further environment 10 % of it,
    # 2,500.00, which is not in the vendor's table
    offer = make_offer({"rate_card": "bpmonline", "package": "premium",
                        "deployment": "on_site", "license_value": "100000.00",
                        "term_start": "2026-01-01", "environments": 2,
                        "as_of": "2026-01-01"}, language="de")
    text = squeezed(render_offer(offer, "de"))
    assert "1zusätzlicheUmgebung" in text
    assert "2.500,00€Beispielpreis" in text  # the amount, marked
    assert "25.000,00€Beispielpreis" not in text  # the vendor's own figure is not
    assert "Beispielpreis“beruhenaufBeispielwertenderPreisliste" in text


def test_a_russian_customer_is_offered_roubles(make_offer):
    offer = make_offer({"rate_card": "bpmonline", "package": "business",
                        "deployment": "on_site", "license_value": "600000.00",
                        "currency": "RUB", "term_start": "2026-01-01",
                        "as_of": "2026-01-01"}, language="ru")
    text = squeezed(render_offer(offer, "ru"))
    assert "120000,00₽" in text  # 20 % of 600,000.00 RUB
    assert "ВалютаRUB" in text
    assert "€" not in text


def test_a_card_without_a_license_value_prints_none(make_offer):
    offer = make_offer({"rate_card": "maxence", "package": "basic", "deployment": "on_site",
                        "term_start": "2026-01-01", "points": 50, "as_of": "2026-01-01"})
    text = text_of(read(render_offer(offer, "en")))
    assert "License value" not in text
    assert "on-site licenses" not in text and "Deployment" not in text
    flat = "".join(text.split())
    assert "OTRSSupportBasicsupport,1year" in flat
    assert "49points×€95.00+1point×€90.00(graduated" in flat
    assert "€4,745.00exampleprice" in flat


def test_the_open_xchange_offer_states_the_commitments_and_example_deadlines(make_offer):
    offer = make_offer({"rate_card": "open-xchange", "package": "standard",
                        "deployment": "on_site", "license_value": "50000.00",
                        "currency": "USD", "term_start": "2026-03-02",
                        "as_of": "2026-01-01"})
    text = squeezed(render_offer(offer, "en"))
    assert "Allformalcommunicationis inEnglish.".replace(" ", "") in text
    assert "Plannedmaintenanceisannouncedatleast3businessdaysahead" in text
    assert "Anoutageisaresponseslowerthan30secondsfor15minutesormoreonWeb-Mail/HTTP," \
           "SMTP,IMAP,POP3." in text
    assert "Phone(emergencynumbersinGermany,theUK,theUSAandJapan):Severity1–High," \
           "Severity2–Mediumonly" in text
    assert "OXCloudoperations:" in text
    # Friday 6 March 2026, 17:45 Berlin: 2 h 15 min on Friday is too much for Standard's
    # severity 1 (2 hours): 2 hours from 17:45 ends at 19:45 the same evening
    assert "Severity1–High:arequestonFriday,6March2026,17:45isansweredbyFriday,6March2026," \
           "19:45." in text
    assert "Berlintime,UTC+1inwinter,UTC+2insummer" in text
    assert "US$10,000.00" in text  # 20 % of 50,000.00 USD


def test_an_offer_issued_before_renders(make_offer):
    offer = make_offer({"rate_card": "bpmonline", "package": "business",
                        "deployment": "on_site", "license_value": "12000.00",
                        "term_start": "2026-01-01", "as_of": "2026-01-01"},
                       number="Q-2025-000001")
    stored = json.loads(offer.model_dump_json())
    card = stored["card"]
    card["currency"] = card.pop("currencies")[0]
    card["example_prices"] = False
    for key in ("calendar", "channels", "example"):
        card.pop(key, None)
    for package in card["packages"]:
        package["service_hours"]["utc_offset"] = "UTC+03:00"
        for deployment in ("on_site", "on_demand"):
            price = package[deployment]
            price.pop("example", None)
            if "minimum" in price:
                price["minimum"] = price["minimum"].get("EUR", "0")
        package["environments"].pop("example")
        package["environments"]["extra"].pop("example")
    old = OfferDocument.model_validate(stored)
    text = squeezed(render_offer(old, "en"))
    assert "€2,400.00" in text and "Moscowtime,UTC+3" in text


@pytest.mark.parametrize("language", ["de", "ru"])
def test_deadlines_and_commitments_in_every_language(make_offer, language):
    offer = make_offer({"rate_card": "open-xchange", "package": "premium",
                        "deployment": "on_site", "license_value": "50000.00",
                        "term_start": "2026-03-02", "as_of": "2026-01-01"})
    text = squeezed(render_offer(offer, language))
    expected = {"de": ("Ortszeit Berlin", "Die gesamte formelle Kommunikation"),
                "ru": ("часовой пояс «Берлин»", "Вся официальная переписка")}[language]
    for words in expected:
        assert words.replace(" ", "") in text
