"""Typing into the quote form, at a desk and on a phone: no error while a number is still
being typed, one message and a stale marker for a wrong one, the summary after sending,
and without JavaScript a language switch and a rate card change that lose nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Everything the page shows as an error or says in its status region, as it happens.
WATCH = """() => {
  window.shown = [];
  const seen = {};
  const note = () => {
    document.querySelectorAll(".error, #form-status").forEach((p) => {
      const text = p.hidden ? "" : p.textContent.trim();
      if (text !== (seen[p.id] || "")) {
        seen[p.id] = text;
        if (text) { window.shown.push(p.id + ": " + text); }
      }
    });
  };
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true,
    attributes: true, characterData: true});
}"""


def open_page(browser, screen: str, javascript: bool = True):
    context = browser.new_context(viewport=SCREENS[screen], locale="de-DE",
                                  java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a form sent with errors is answered 422, which the console reports; nothing else
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "status of 422" not in m.text else None)
    return context, page, errors


@pytest.fixture(params=list(SCREENS))
def page(request, browser):
    context, page, errors = open_page(browser, request.param)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture(params=list(SCREENS))
def page_without_script(request, browser):
    context, page, _ = open_page(browser, request.param, javascript=False)
    yield page
    context.close()


def priced_form(page, server: str) -> None:
    page.goto(f"{server}/?lang=de")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")


def test_typing_an_amount_slowly_shows_no_error(page, live_server):
    priced_form(page, live_server)
    page.evaluate(WATCH)
    # a pause after every key longer than the form waits before it checks
    page.locator("#license_value").press_sequentially("12.000,50", delay=1000)
    expect(page.locator("#total")).to_have_text(f"2.400,10{NBSP}€")
    page.keyboard.press("Tab")
    expect(page.locator("#form-status")).to_have_text(
        f"Preis aktualisiert. Gesamtbetrag: 2.400,10{NBSP}€.")
    assert page.evaluate("window.shown") == [
        f"form-status: Preis aktualisiert. Gesamtbetrag: 2.400,10{NBSP}€."]
    expect(page.locator("#stale-note")).to_be_hidden()


def test_a_negative_amount_shows_one_message_and_marks_the_figures_stale(page, live_server):
    priced_form(page, live_server)
    page.fill("#license_value", "12.000,50")
    expect(page.locator("#total")).to_have_text(f"2.400,10{NBSP}€")
    page.evaluate(WATCH)
    page.fill("#license_value", "-5")
    message = "„Lizenzwert“ darf nicht negativ sein."
    expect(page.locator("#license_value-error")).to_have_text(message)
    expect(page.locator(".error:not([hidden])")).to_have_count(1)
    stale = page.locator("#stale-note")
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("Zahlen für die vorherige Eingabe")
    expect(page.locator("#result")).to_have_class("result stale")
    status = ("1 Eingabe muss korrigiert werden, bevor der Preis erscheint: " + message + " "
              + stale.text_content())
    expect(page.locator("#form-status")).to_have_text(status)
    page.keyboard.press("Tab")  # leaving the field checks again: nothing new is said
    expect(page.locator("#license_value")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(300)
    assert page.evaluate("window.shown") == [f"license_value-error: {message}",
                                             f"form-status: {status}"]
    assert page.locator("[role=alert]").count() == 0

    page.fill("#license_value", "12.000")
    expect(page.locator("#total")).to_have_text(f"2.400,00{NBSP}€")
    expect(stale).to_be_hidden()


def test_after_sending_with_errors_the_summary_has_the_focus_and_leads_to_the_field(
        page, live_server):
    priced_form(page, live_server)
    page.fill("#license_value", "-5")
    page.get_by_role("button", name="Berechnen").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("1 Eingabe muss korrigiert werden")
    summary.get_by_role("link", name="„Lizenzwert“ darf nicht negativ sein.").click()
    expect(page.locator("#license_value")).to_be_focused()


def test_without_javascript_the_summary_has_the_focus(page_without_script, live_server):
    page = page_without_script
    priced_form(page, live_server)
    page.fill("#license_value", "12,000")
    page.get_by_role("button", name="Berechnen").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        "„12,000“ im Feld „Lizenzwert“ ist mehrdeutig: meinen Sie 12.000 oder 12?")
    expect(page.locator("#license_value")).to_have_value("12,000")


def test_without_javascript_switching_the_language_keeps_the_inputs(page_without_script,
                                                                    live_server):
    page = page_without_script
    priced_form(page, live_server)
    page.fill("#license_value", "12.000,50")
    page.fill("#additions-0-date", "2026-07-01")
    page.fill("#additions-0-license_value", "1.000")
    page.fill("#customer-company", "Muster GmbH")
    page.locator("#license_value").press("Enter")  # Enter calculates, it switches nothing
    expect(page.locator("#total")).to_have_text(f"2.500,92{NBSP}€")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.locator('nav.languages [data-lang="ru"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#license_value")).to_have_value(f"12{NBSP}000,50")
    expect(page.locator("#additions-0-license_value")).to_have_value(f"1{NBSP}000")
    expect(page.locator("#additions-0-date")).to_have_value("2026-07-01")
    expect(page.locator("#customer-company")).to_have_value("Muster GmbH")
    expect(page.locator("#package")).to_have_value("business")
    expect(page.locator("#total")).to_have_text(f"2{NBSP}500,92{NBSP}€")
    page.locator('nav.languages [data-lang="en"]').click()  # and back, as often as wished
    expect(page.locator("#license_value")).to_have_value("12,000.50")


def test_without_javascript_a_new_rate_card_shows_its_packages(page_without_script,
                                                               live_server):
    page = page_without_script
    priced_form(page, live_server)
    page.select_option("#rate_card", "otrs")
    page.get_by_role("button", name="Paketliste aktualisieren").click()
    expect(page.locator("#package option")).to_have_text(
        ["Quick-Start-Paket", "Basic-Subscription", "Professional-Subscription",
         "Enterprise-Subscription"])
    expect(page.locator("#rate_card")).to_have_value("otrs")
    expect(page.locator(".error:not([hidden])")).to_have_count(0)

    # sent with the old card's package: the page shows the new card's and says so
    page.select_option("#rate_card", "bpmonline")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.locator("#form-notice")).to_have_text(
        "Die Paketliste zeigt jetzt die Pakete aus „bpm'online Supportpakete“. "
        "Wählen Sie eines und berechnen Sie dann erneut.")
    expect(page.locator("#form-notice")).to_be_focused()
    expect(page.locator("#package option")).to_have_count(3)
    page.select_option("#package", "business")
    page.fill("#license_value", "12.000,50")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.locator("#total")).to_have_text(f"2.400,10{NBSP}€")
