"""A salesperson finds a customer, opens its running contract, offers more licenses on a
day in the middle of the contract year, sees the price and the billing schedule follow
the typing, issues the offer, and its PDF names the contract; and a contract from before
the service is entered by hand."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browser_helpers import assert_accessible, sign_in
from playwright.sync_api import expect
from pypdf import PdfReader

from quote import lifecycle

pytestmark = pytest.mark.browser



@pytest.fixture
def page(browser, live_server):
    """A salesperson's page (English), signed in; no script error may occur."""
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "sales@example.com")
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def running_contract(live_app) -> str:
    """Kontor Nord GmbH's contract: bpm'online Business on-site (2019.1, 20 %), 12,000.00,
    three years from 2025-07-01, prepaid: 2,400.00 a year. Returns its number."""
    store, book = live_app.extensions["quote.store"], live_app.extensions["quote.rates"]
    with store.session() as session:
        return lifecycle.create_contract(session, book, {
            "company": "Kontor Nord GmbH", "country": "DE", "language": "en",
            "contact_name": "Jana Kühn", "contact_email": "jana@kontor.example",
            "rate_card": "bpmonline", "card_version": "2019.1", "package": "business",
            "deployment": "on_site", "license_value": "12000.00", "term_start": "2025-07-01",
            "term_years": "3", "billing": "prepaid"}).number


def schedule_of(page) -> list[list[str]]:
    """The billing schedule as shown: contract year, period, due day, amount."""
    rows = page.locator("#schedule tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
            for i in range(rows.count())]


def test_more_licenses_mid_year_priced_live_issued_and_printed(page, live_server,
                                                                running_contract):
    number = running_contract
    page.goto(f"{live_server}/customers?lang=en")
    page.fill("#q", "kontor")
    page.get_by_role("button", name="Find").click()
    assert_accessible(page)  # the customers
    page.get_by_role("link", name="Kontor Nord GmbH").click()
    assert_accessible(page)  # a customer and its contracts
    page.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_have_text(f"Contract {number}")
    expect(page.locator("#contract-annual-cost")).to_have_text("€2,400.00")
    assert_accessible(page)
    page.get_by_role("link", name="More licenses or environments").click()

    expect(page.locator("#for-contract")).to_contain_text(number)
    expect(page.locator("#kind")).to_have_value("top_up")
    expect(page.locator("#license_value")).to_have_value("12,000.00")
    # contract year 1 runs 2025-07-01 to 2026-06-30 (365 days); from 2026-02-01 on 150 days
    # are left. +3,000.00: 20 % = 600.00 a year more: 600.00 × 150/365 = 246.58, then
    # 600.00 in each of years 2 and 3: 1,446.58 net; the customer is in Germany: 19 % VAT,
    # 274.85, total 1,721.43 (per year 246.58 + 46.85, 600.00 + 114.00, 600.00 + 114.00)
    page.fill("#additions-0-date", "2026-02-01")
    page.fill("#additions-0-license_value", "3,000.00")
    expect(page.locator("#total")).to_have_text("€1,721.43")
    expect(page.locator("#top-up-note")).to_contain_text("€3,000.00 a year")
    assert schedule_of(page) == [  # prepaid: every year is due on the addition's day
        ["1", "1 July 2025 to 30 June 2026", "1 February 2026", "€293.43"],
        ["2", "1 July 2026 to 30 June 2027", "1 February 2026", "€714.00"],
        ["3", "1 July 2027 to 30 June 2028", "1 February 2026", "€714.00"]]
    # +6,000.00 instead: 1,200.00 a year more: 1,200.00 × 150/365 = 493.15, + 2 × 1,200.00
    # = 2,893.15 net, 19 % VAT 549.70, total 3,442.85
    page.fill("#additions-0-license_value", "6,000.00")
    expect(page.locator("#total")).to_have_text("€3,442.85")
    expect(page.locator("#top-up-note")).to_contain_text("€3,600.00 a year")
    assert [row[3] for row in schedule_of(page)] == ["€586.85", "€1,428.00", "€1,428.00"]

    page.click("#issue-offer")
    expect(page.locator("#review-total")).to_have_text("€3,442.85")
    page.click("#confirm-issue")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Offer Q-2026-\d{6}$"))
    offer = page.locator("h1").inner_text().removeprefix("Offer ")
    expect(page.locator("#offer-total")).to_have_text("€3,442.85")
    expect(page.locator("#offer-contract")).to_have_text(number)

    with page.expect_download() as download:
        page.locator('a[data-pdf="en"]').click()
    pdf = Path(download.value.path()).read_bytes()
    text = re.sub("[\u00a0\u202f\u2009]", " ", "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert offer in text and "Kontor Nord GmbH" in text
    assert f"Contract {number}." in text
    assert "This offer extends a running contract: only the additions are charged." in text
    assert "2,893.15" in text and "586.85" in text  # the first year with its VAT


def test_a_contract_from_before_the_service_entered_by_hand(page, live_server):
    page.goto(f"{live_server}/customers?lang=en")
    page.click("#add-contract")
    expect(page.locator("h1")).to_have_text("Enter a running contract")
    page.fill("#company", "Hafen Logistik GmbH")
    page.select_option("#country", "DE")
    page.fill("#contact_name", "Ole Hansen")
    page.fill("#contact_email", "ole at hafen")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#card_version", "2019.1")
    page.select_option("#package", "premium")
    page.fill("#license_value", "50,000")
    page.fill("#term_start", "2025-10-01")
    page.fill("#term_years", "2")
    page.select_option("#billing", "annual")
    page.click("#enter-contract")
    expect(page.locator("#contact_email-error")).to_have_text("is not an e-mail address")
    expect(page.locator("#license_value")).to_have_value("50,000")  # kept as typed
    assert_accessible(page)  # the entry form with an error
    page.fill("#contact_email", "ole@hafen.example")
    page.click("#enter-contract")

    expect(page.locator("h1")).to_have_text(re.compile(r"^Contract C-\d{6}$"))
    expect(page.locator(".flash")).to_contain_text("of Hafen Logistik GmbH entered.")
    # Premium on-site: 25 % of 50,000.00 = 12,500.00 a year (above the 10,000.00 minimum)
    expect(page.locator("#contract-annual-cost")).to_have_text("€12,500.00")
    expect(page.locator("#history")).to_contain_text("Contract entered")

    page.get_by_role("link", name="Hafen Logistik GmbH").click()
    page.click("#add-contract")  # for this customer: its fields are not asked again
    expect(page.locator("#customer")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("#new-customer")).to_be_hidden()
    page.select_option("#customer", "")
    expect(page.locator("#new-customer")).to_be_visible()
