"""A customer requests an offer in German, opens its link and accepts it in a browser
without JavaScript; the salesperson sees who accepted on the offer page."""

from __future__ import annotations

import re

import pytest
from browser_helpers import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser



def test_a_customer_accepts_without_javascript_and_sales_see_it(browser, live_server):
    customer = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = customer.new_page()
    page.goto(f"{live_server}/?lang=de")
    page.select_option("#rate_card", "bpmonline")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12.000")
    page.fill("#customer-company", "Annahme GmbH")
    page.fill("#customer-contact", "Erika Mustermann")
    page.fill("#customer-email", "erika@annahme.example")
    page.fill("#customer-country", "DE")
    page.click("#request-offer")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Angebot Q-2026-\d{6}$"))
    number = page.locator("h1").inner_text().removeprefix("Angebot ")

    page.click("#accept-offer")  # nothing filled in: the errors are at the fields
    expect(page.locator("#accept-name-error")).to_have_text("ist erforderlich")
    expect(page.locator("#accept-conditions-error")).to_be_visible()
    page.fill("#accept-name", "Erika Mustermann")
    page.fill("#accept-position", "Einkaufsleiterin")
    page.fill("#accept-purchase_order", "B-2026-17")
    page.check("#accept-conditions")
    page.click("#accept-offer")
    expect(page.locator("#offer-status")).to_have_text("Angenommen")
    expect(page.locator("#offer-answer")).to_contain_text(
        "Angenommen von Erika Mustermann (Einkaufsleiterin)")
    expect(page.locator("#accept-form")).to_have_count(0)
    customer.close()

    sales = browser.new_context(locale="en-GB")
    page = sales.new_page()
    sign_in(page, live_server, "sales@example.com")
    page.goto(f"{live_server}/offers/{number}?lang=en")
    expect(page.locator("#offer-answer")).to_contain_text(
        "Accepted by Erika Mustermann (Einkaufsleiterin)")
    expect(page.locator("#answer-record")).to_contain_text("127.0.0.1")
    expect(page.locator("#offer-answer")).to_contain_text("Purchase order number: B-2026-17")
    sales.close()
