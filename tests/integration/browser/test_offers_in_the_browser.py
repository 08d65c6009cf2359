"""A salesperson reviews and issues an offer with a discount; finance finds it, downloads
its PDF and the CSV export. Without JavaScript, going back from the review issues nothing
and the confirmation issues once; the offer then leads "My offers"."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browser_helpers import assert_accessible, sign_in
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser




def test_sales_issue_and_finance_finds_downloads_and_exports(browser, live_server):
    sales = browser.new_context(locale="en-GB")
    page = sales.new_page()
    page.goto(f"{live_server}/sign-in?lang=en")
    assert_accessible(page)
    sign_in(page, live_server, "sales@example.com")
    page.goto(f"{live_server}/?lang=en")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12,000")
    page.fill("#discount_percent", "5")
    page.fill("#customer-company", "Browser Test GmbH")
    page.fill("#customer-contact", "Heidi Muster")
    page.fill("#customer-email", "heidi@example.ch")
    page.fill("#customer-country", "Switzerland")  # outside the EU: no VAT
    expect(page.locator("#total")).to_have_text("€2,280.00")
    assert_accessible(page)  # the staff form
    page.click("#issue-offer")
    expect(page.locator("h1")).to_have_text("Review the offer")
    expect(page.locator("#review-total")).to_have_text("€2,280.00")
    assert_accessible(page)
    page.click("#confirm-issue")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Offer Q-2026-\d{6}$"))
    number = page.locator("h1").inner_text().removeprefix("Offer ")
    expect(page.locator("#offer-status")).to_have_text("Issued")
    expect(page.locator("#offer-total")).to_have_text("€2,280.00")
    assert_accessible(page)
    page.get_by_role("link", name="My offers").click()
    expect(page.locator(f'#offers tr[data-number="{number}"]')).to_be_visible()
    assert_accessible(page)
    sales.close()

    finance = browser.new_context(locale="en-GB", accept_downloads=True)
    page = finance.new_page()
    sign_in(page, live_server, "finance@example.com")
    page.goto(f"{live_server}/finance/offers?lang=en")
    page.fill("#customer", "browser test")
    page.get_by_role("button", name="Filter").click()
    row = page.locator(f'tr[data-number="{number}"]')
    expect(row).to_be_visible()
    assert_accessible(page)  # the finance list

    with page.expect_download() as pdf_download:
        row.locator('a[data-pdf="en"]').click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert number in text
    assert pdf_download.value.suggested_filename == f"offer-{number}-en.pdf"

    with page.expect_download() as csv_download:
        page.click("#csv-de")
    data = Path(csv_download.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    lines = [r for r in rows if r[0] == number]
    assert {line[5] for line in lines} == {"Browser Test GmbH"}
    # 2,400.00 of support, 5 % off (120.00): the lines add up to the net, 2,280.00
    assert [(line[9], line[11]) for line in lines] == [("support", "2400,00"),
                                                      ("discount", "-120,00")]
    finance.close()


def fill_in_an_offer(page, live_server, company: str) -> None:
    page.goto(f"{live_server}/?lang=en")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12,000")
    page.fill("#customer-company", company)
    page.fill("#customer-contact", "Anna Berg")
    page.fill("#customer-email", "anna@example.ch")
    page.fill("#customer-country", "CH")


def test_without_javascript_the_review_issues_only_when_confirmed(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "sales@example.com")
    fill_in_an_offer(page, live_server, "No Script AG")
    page.get_by_role("button", name="Issue offer").click()
    expect(page.locator("h1")).to_have_text("Review the offer")
    expect(page.locator("#review-customer")).to_have_text(
        "No Script AG, Anna Berg, anna@example.ch, CH")
    expect(page.locator("#review-valid-until")).to_have_text("14 February 2026")
    page.go_back()  # the salesperson changes their mind
    page.goto(f"{live_server}/offers?q=no+script")
    expect(page.locator("#match-count")).to_have_text("Matching offers: 0")

    fill_in_an_offer(page, live_server, "No Script AG")
    page.get_by_role("button", name="Issue offer").click()
    page.get_by_role("button", name="Back to the form").click()
    expect(page.locator("#customer-company")).to_have_value("No Script AG")
    page.get_by_role("button", name="Issue offer").click()
    page.get_by_role("button", name="Confirm and issue the offer").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Offer Q-2026-\d{6}$"))
    number = page.locator("h1").inner_text().removeprefix("Offer ")
    page.get_by_role("link", name="My offers").click()
    page.fill("#q", "no script")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#offers tbody tr")).to_have_count(1)  # one offer, the confirmed
    expect(page.locator(f'#offers tr[data-number="{number}"]')).to_be_visible()
    context.close()
