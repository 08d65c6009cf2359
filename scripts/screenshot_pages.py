"""Screenshots of the pages for docs/samples/ (called by scripts/render-samples).

Serves the app on a free loopback port with a scratch SQLite database in the folder
given first (the day fixed at 2026-01-15, a salesperson and a finance clerk), issues two
offers through the pages in headless Debian Chromium, and writes, into the folder given
second: the public form with a result at desktop and phone width, the offer page and
the finance list. Screenshots show the browser's window (not the whole page) at a
modest size, reduced to 256 colours, so that each PNG stays small.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from quote import create_app
from quote.store import add_user

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "sample password"  # only in the scratch database
DESKTOP = {"width": 1200, "height": 860}
PHONE = {"width": 390, "height": 844}


def serve(database: Path):
    app = create_app({"ENV": "development", "TODAY": "2026-01-15",
                      "DATABASE_URL": f"sqlite:///{database}"})
    with app.extensions["quote.store"].session() as session:
        add_user(session, "anna@example.com", "Anna Berg", PASSWORD, role="sales",
                 phone="+49 30 1234567-12")
        add_user(session, "finn@example.com", "Finn Koch", PASSWORD, role="finance")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def shoot(page, path: Path, top=None) -> None:
    """The window, scrolled to the top of the page (or of the element ``top``), with no
    field focused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if top is None:
        page.evaluate("window.scrollTo(0, 0)")
    else:
        page.locator(top).evaluate("element => element.scrollIntoView()")
    page.screenshot(path=path)
    Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)
    print(f"wrote {path}")


def fill_form(page, server: str, license_value: str) -> None:
    page.goto(f"{server}/?lang=en")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", license_value)


def sign_in(page, server: str, email: str) -> None:
    page.goto(f"{server}/sign-in?lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in-as")).to_be_visible()


def main(scratch: Path, samples: Path) -> None:
    os.environ["QUOTE_INSTANCE_PATH"] = str(scratch)  # mail files and the like: not here
    server, url = serve(scratch / "samples.db")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=DESKTOP, locale="en-GB")
        fill_form(page, url, "12,000")
        page.fill("#additions-0-date", "2026-07-01")
        page.fill("#additions-0-license_value", "3,000")
        expect(page.locator("#total")).to_have_text("€2,702.47")
        shoot(page, samples / "page-form-desktop.png")

        phone = browser.new_page(viewport=PHONE, locale="de-DE", is_mobile=True,
                                 has_touch=True)
        phone.goto(f"{url}/?lang=de")
        phone.select_option("#rate_card", "bpmonline")
        phone.select_option("#package", "business")
        phone.fill("#term_start", "2026-01-01")
        phone.fill("#license_value", "12.000")
        expect(phone.locator("#total")).to_have_text("2.400,00\u00a0€")
        shoot(phone, samples / "page-form-phone.png", top="#result")

        sign_in(page, url, "anna@example.com")
        for company, country, value in (("Nordlicht Software GmbH", "DE", "24,000"),
                                        ("Alpenblick AG", "CH", "12,000")):
            fill_form(page, url, value)
            page.fill("#customer-company", company)
            page.fill("#customer-contact", "Erika Mustermann")
            page.fill("#customer-email", "erika@example.com")
            page.fill("#customer-country", country)
            page.click("#issue-offer")
            page.click("#confirm-issue")
            expect(page.locator("#offer-status")).to_have_text("Issued")
        shoot(page, samples / "page-offer.png")

        clerk = browser.new_page(viewport={"width": 1200, "height": 800}, locale="en-GB")
        sign_in(clerk, url, "finn@example.com")
        clerk.goto(f"{url}/finance/offers?lang=en")
        expect(clerk.locator("#offers tbody tr")).to_have_count(2)
        shoot(clerk, samples / "page-finance.png")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
