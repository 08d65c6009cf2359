"""The quote form in a real browser: live preview, addition rows, language switch, no-JS."""

from __future__ import annotations

import re

import pytest
from browser_helpers import assert_accessible
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors


def test_typing_german_amounts_adding_a_row_and_switching_to_russian(page, live_server):
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")  # from Accept-Language
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12.000,50")
    expect(page.locator("#total")).to_have_text(f"2.400,10{NBSP}€")
    expect(page.locator('#comparison [data-package="premium"]')).to_have_text(
        f"10.000,00{NBSP}€")
    assert_accessible(page)  # the public form with a result

    rows = page.locator("#addition-rows [data-row]")
    expect(rows).to_have_count(1)  # blank rows beyond the first come on demand
    page.click("#add-row")
    expect(rows).to_have_count(2)
    page.fill("#additions-1-date", "2026-07-01")
    page.fill("#additions-1-license_value", "1.000")
    expect(page.locator("#total")).to_have_text(f"2.500,92{NBSP}€")
    expect(page.locator('#comparison [data-package="basic"]')).to_have_text(
        f"1.875,70{NBSP}€")

    page.click('nav.languages [data-lang="ru"]')
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#license_value")).to_have_value(f"12{NBSP}000,50")
    expect(page.locator("#additions-1-license_value")).to_have_value(f"1{NBSP}000")
    expect(page.locator("#total")).to_have_text(f"2{NBSP}500,92{NBSP}€")
    expect(page.get_by_role("heading", name="Сравнение всех пакетов")).to_be_visible()

    page.fill("#license_value", "24 000")
    expect(page.locator("#total")).to_have_text(f"4{NBSP}900,82{NBSP}€")
    expect(page.locator('#comparison [data-package="business"]')).to_have_text(
        f"4{NBSP}900,82{NBSP}€")


def test_an_error_appears_next_to_the_field_while_typing(page, live_server):
    page.goto(f"{live_server}/?lang=de")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "1,2,3")
    error = page.locator("#license_value-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("12.000,50")
    expect(page.locator("#license_value")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#license_value")).to_have_value("1,2,3")
    page.fill("#license_value", "1.500")
    expect(error).to_be_hidden()
    expect(page.locator("#total")).to_have_text(f"500,00{NBSP}€")
    page.fill("#license_value", "1,2,3")  # now the figures shown are stale
    expect(page.locator("#result")).to_have_class(re.compile(r"\bstale\b"))
    assert_accessible(page)  # the error and the stale figures


def test_removing_a_row_with_the_keyboard(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    rows = page.locator("#addition-rows [data-row]")
    page.get_by_role("button", name="Add a row").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    remove = rows.nth(1).get_by_role("button", name="Remove")
    remove.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)


def test_the_form_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server}/?lang=en")
    expect(page.locator("#add-row")).to_be_hidden()
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "premium")
    page.fill("#license_value", "100,000.00")
    page.fill("#term_start", "2026-01-01")
    page.fill("#additions-0-date", "2026-07-01")
    page.fill("#additions-0-environments", "1")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("#total")).to_have_text(re.compile(r"^€\d{2},\d{3}\.\d{2}$"))
    expect(page.locator('#comparison [data-package="basic"]')).to_be_visible()
    expect(page.locator("#additions-0-environments")).to_have_value("1")
    context.close()


def test_the_phone_layout_keeps_everything_reachable(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_server}/")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "12 000")
    expect(page.locator("#total")).to_have_text(f"2{NBSP}400,00{NBSP}€")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    expect(page.get_by_role("button", name="Рассчитать")).to_be_visible()
    assert_accessible(page)  # the form with a result at phone width
    context.close()


def test_choosing_a_card_offers_its_currencies_and_hides_what_it_does_not_ask(page,
                                                                             live_server):
    page.goto(f"{live_server}/")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    expect(page.locator("#currency option")).to_have_count(3)
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", "600.000")
    page.select_option("#currency", "RUB")
    expect(page.locator("#total")).to_have_text(f"120.000,00{NBSP}RUB")
    page.select_option("#rate_card", "maxence")
    expect(page.locator("#currency option")).to_have_count(1)
    expect(page.locator("#license_value")).to_be_hidden()
    expect(page.locator("#deployment")).to_be_hidden()
    expect(page.locator("#additions-0-license_value")).to_be_hidden()
    expect(page.locator("#total")).to_have_text(f"2.400,00{NBSP}€")
    expect(page.locator("#sla-examples")).to_contain_text("Freitag, 2. Januar 2026, 17:45")
