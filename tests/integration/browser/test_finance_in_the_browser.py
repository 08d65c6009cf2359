"""Finance reads the list of offers on a phone: the page never scrolls sideways (the list
and the totals scroll inside their own frames), and offer numbers and dates stay on one
line."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_helpers import sign_in
from playwright.sync_api import expect

from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import issue, revise

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def offers(live_app) -> list[str]:
    """Offers in three currencies with large amounts and long names, one of them revised;
    returns the numbers of the offers listed."""
    store, book = live_app.extensions["quote.store"], live_app.extensions["quote.rates"]

    def draft(currency: str, license_value: str, company: str):
        request = parse_request({
            "rate_card": "bpmonline", "package": "premium", "deployment": "on_site",
            "license_value": license_value, "term_start": "2026-01-01", "currency": currency,
            "customer": {"company": company, "contact": "Jana Kühn",
                         "email": "jana@example.ch", "country": "CH"}})
        result = price_quote(request, book, dt.date(2026, 1, 15))
        return offer_document(request, result, book.priced_with(result))

    company = "Versicherungsgesellschaft Norddeutschland Aktiengesellschaft"
    noon = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    numbers = []
    with store.session() as session:
        for currency, value in (("EUR", "9000000.00"), ("RUB", "900000000.00"),
                                ("USD", "9000000.00")):
            numbers.append(issue(session, draft(currency, value, company), now=noon
                                 ).offer.number)
        first = issue(session, draft("EUR", "12000.00", "Kontor GmbH"), now=noon).offer
        numbers += [first.number, revise(session, first, draft("EUR", "15000.00", "Kontor GmbH"),
                                         now=noon).offer.number]
    return numbers


@pytest.mark.parametrize("language", ["de", "ru", "en"])
def test_the_finance_list_fits_a_phone(browser, live_server, offers, language):
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    sign_in(page, live_server, "finance@example.com")
    page.goto(f"{live_server}/finance/offers?lang={language}")
    expect(page.locator("#totals tbody tr")).to_have_count(3)
    for number in offers:
        expect(page.locator(f'#offers tr[data-number="{number}"]')).to_have_count(1)

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= page.evaluate("window.innerWidth") == 390
    # the tables are wider than the phone, and scroll inside their frames
    for table in ("#totals", "#offers"):
        frame = page.locator(f".scroll:has({table})")
        assert frame.evaluate("e => e.scrollWidth > e.clientWidth") is True
        assert frame.evaluate("e => e.getBoundingClientRect().right") <= 390
    # a number, an issue date: each on one line
    row = page.locator(f'#offers tr[data-number="{offers[0]}"]')
    assert row.locator("td").nth(0).locator("a").evaluate(
        "e => e.getClientRects().length") == 1
    assert row.locator("td").nth(1).locator("time").evaluate(
        "e => e.getClientRects().length") == 1
    context.close()
