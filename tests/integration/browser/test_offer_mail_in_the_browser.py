"""A customer requests an offer in German in the browser, receives it by e-mail (read from
the test's SMTP server), opens the link from the mail, and later asks for the lost link
again; or accepts the offer there, and the salesperson sees the acceptance in the
pipeline and by e-mail."""

from __future__ import annotations

import re
import threading
import time

import pytest
from browser_helpers import PASSWORD, assert_accessible, sign_in
from playwright.sync_api import expect
from smtp_server import free_port
from werkzeug.serving import make_server

from quote import create_app
from quote.store import add_user

SALES_DESK = "sales-desk@example.com"

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(smtp_server, tmp_path):
    """The app on a free loopback port, sending to the test's SMTP server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app({"ENV": "development", "TODAY": "2026-01-15",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'quote.db'}",
                      "PUBLIC_URL": url, "MAIL_SALES_ADDRESS": SALES_DESK,
                      **smtp_server.settings()})
    with app.extensions["quote.store"].session() as session:
        add_user(session, "sales@example.com", "Sam Sales", PASSWORD, role="sales")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["quote.store"].dispose()


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "no mail arrived"
        time.sleep(0.1)


def request_in_german(page, mail_server) -> None:
    """The public form in German, filled in by a German customer and sent."""
    page.goto(f"{mail_server}/?lang=de")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12.000,00")
    page.select_option("#language", "de")
    page.fill("#customer-company", "Müller & Söhne GmbH")
    page.fill("#customer-contact", "Erika Mustermann")
    page.fill("#customer-email", "erika@example.de")
    page.fill("#customer-country", "Deutschland")
    page.click("#request-offer")


def test_a_customer_gets_the_offer_by_mail_and_the_lost_link_again(browser, mail_server,
                                                                  smtp_server):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    request_in_german(page, mail_server)
    expect(page.locator("#mail-status")).to_have_attribute("data-mail", "sent")
    expect(page.locator("#mail-status")).to_contain_text("erika@example.de")

    (mail,) = smtp_server.to("erika@example.de")
    assert mail["Subject"] == "Ihr Angebot Q-2026-000001"
    text = mail.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(mail_server)}/q/[A-Za-z0-9_-]+", text).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Angebot Q-2026-000001")
    expect(page.locator("#offer-total")).to_have_text("2.856,00\xa0€")  # 2.400,00 and 19 % VAT
    assert_accessible(page)  # the customer's page of the offer

    page.goto(f"{mail_server}/lost-link")
    assert_accessible(page)
    page.fill("#email", "erika@example.de")
    page.click("#send-link")
    expect(page.locator("#link-asked")).to_be_visible()
    wait_for(lambda: len(smtp_server.to("erika@example.de")) == 2)
    again = smtp_server.to("erika@example.de")[1]
    assert again["Subject"] == "Ihr Link zum Angebot Q-2026-000001"
    new_link = re.search(rf"{re.escape(mail_server)}/q/[A-Za-z0-9_-]+",
                         again.get_body(("plain",)).get_content()).group(0)
    assert new_link != link
    for opened in (new_link, link):  # the earlier link keeps working
        page.goto(opened)
        expect(page.locator("h1")).to_have_text("Angebot Q-2026-000001")
    context.close()


def test_a_customer_accepts_the_mailed_offer_and_sales_see_it_in_the_pipeline(
        browser, mail_server, smtp_server):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    request_in_german(page, mail_server)
    expect(page.locator("#mail-status")).to_have_attribute("data-mail", "sent")
    (mail,) = smtp_server.to("erika@example.de")
    link = re.search(rf"{re.escape(mail_server)}/q/[A-Za-z0-9_-]+",
                     mail.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    page.fill("#accept-name", "Erika Mustermann")
    page.fill("#accept-position", "Geschäftsführerin")
    page.check("#accept-conditions")
    page.click("#accept-offer")
    expect(page.locator("#offer-status")).to_have_text("Angenommen")
    context.close()

    wait_for(lambda: len(smtp_server.to(SALES_DESK)) == 2)  # the request, the acceptance
    notice = smtp_server.to(SALES_DESK)[1]
    assert notice["Subject"] == "Offer Q-2026-000001 accepted by Müller & Söhne GmbH"

    sales = browser.new_context(locale="en-GB")
    page = sales.new_page()
    sign_in(page, mail_server, "sales@example.com")
    page.goto(f"{mail_server}/offers/inbox?lang=en")
    row = page.locator('tr[data-number="Q-2026-000001"]')
    expect(row).to_contain_text("Accepted")
    assert_accessible(page)  # the inbox
    row.get_by_role("link", name="Q-2026-000001").click()
    expect(page.locator("#offer-answer")).to_contain_text(
        "Accepted by Erika Mustermann (Geschäftsführerin)")
    sales.close()
