"""The quote form at desktop and phone widths: nothing wider than the screen, the total in
sight while typing, the comparison scrolling in its own box, buttons on one line, date
pickers within the term."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"de": "de-DE", "ru": "ru-RU", "en": "en-GB"}


@pytest.fixture
def open_page(browser):
    """Factory: a page of the given size and language, failing on any script error."""
    contexts, errors = [], []

    def make(size: str, language: str):
        context = browser.new_context(viewport=SIZES[size], locale=LOCALES[language])
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], errors


def price_business(page, server: str, language: str, license_value: str) -> None:
    page.goto(f"{server}/?lang={language}")
    page.select_option("#rate_card", "bpmonline")
    page.select_option("#package", "business")
    page.fill("#term_start", "2026-01-01")
    page.fill("#license_value", license_value)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def inner_width(page) -> int:
    return page.evaluate("window.innerWidth")


LICENSE = {"de": "12.000,50", "ru": f"12{NBSP}000,50", "en": "12,000.50"}
TOTAL = {"de": f"2.400,10{NBSP}€", "ru": f"2{NBSP}400,10{NBSP}€", "en": "€2,400.10"}


@pytest.mark.parametrize("language", ["de", "ru"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_nothing_is_wider_than_the_screen(open_page, live_server, size, language):
    page = open_page(size, language)
    page.goto(f"{live_server}/?lang={language}")
    assert page_width(page) <= inner_width(page)  # the empty form
    price_business(page, live_server, language, LICENSE[language])
    expect(page.locator("#total")).to_have_text(TOTAL[language])
    assert page_width(page) <= inner_width(page)  # the form with its result
    page.locator("#comparison").scroll_into_view_if_needed()
    assert page_width(page) <= inner_width(page)  # and the comparison
    box = page.locator("#comparison").locator("xpath=..").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= inner_width(page)


# The widest option of every select shown, against the room its box leaves for text (the
# arrow takes about 20 px): a select narrower than its options cuts them off.
CUT_OFF_SELECTS = """() => {
    const pen = document.createElement("canvas").getContext("2d");
    return [...document.querySelectorAll("select")].filter(s => s.offsetParent).filter(s => {
        const style = getComputedStyle(s);
        pen.font = style.font;
        const widest = Math.max(...[...s.options].map(o => pen.measureText(o.text).width));
        return widest > s.clientWidth - parseFloat(style.paddingLeft)
                        - parseFloat(style.paddingRight) - 20;
    }).map(s => s.id);
}"""


@pytest.mark.parametrize("language", ["en", "de", "ru"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_no_choice_is_cut_off(open_page, live_server, size, language):
    page = open_page(size, language)
    page.goto(f"{live_server}/?lang={language}")
    assert page.evaluate(CUT_OFF_SELECTS) == []


def test_on_a_phone_the_comparison_scrolls_in_its_box_and_shows_the_offered_package(
        open_page, live_server):
    page = open_page("phone", "de")
    price_business(page, live_server, "de", "12.000,50")
    page.select_option("#package", "premium")
    expect(page.locator('#comparison [data-package="premium"]')).to_have_text(
        f"10.000,00{NBSP}€")
    wrapper = page.locator("#comparison").locator("xpath=..")
    assert wrapper.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls...
    expect(page.locator("#comparison-hint")).to_be_visible()  # ...and says so
    expect(page.locator("#comparison-hint")).to_contain_text("seitlich")
    offered = page.locator("#comparison th.selected")
    expect(offered).to_contain_text("Premium")
    expect(offered).to_contain_text("angeboten")
    frame, cell = wrapper.bounding_box(), offered.bounding_box()
    assert frame["x"] <= cell["x"] and cell["x"] + cell["width"] <= frame["x"] + frame["width"]
    wrapper.evaluate("box => { box.scrollLeft = box.scrollWidth; }")  # the others come
    basic = page.locator('#comparison [data-package="basic"]')
    cell = basic.bounding_box()
    assert cell["x"] + cell["width"] <= frame["x"] + frame["width"] + 1


def test_on_a_desktop_the_comparison_needs_no_hint(open_page, live_server):
    page = open_page("desktop", "en")
    price_business(page, live_server, "en", "12,000.50")
    expect(page.locator("#total")).to_have_text("€2,400.10")
    expect(page.locator("#comparison-hint")).to_be_hidden()
    expect(page.locator("#summary-bar")).to_be_hidden()


def test_on_a_phone_the_total_stays_in_sight_and_follows_the_live_price(open_page,
                                                                       live_server):
    page = open_page("phone", "de")
    page.goto(f"{live_server}/?lang=de")
    bar = page.locator("#summary-bar")
    expect(bar).to_be_hidden()  # nothing priced yet
    price_business(page, live_server, "de", "12.000,50")
    expect(page.locator("#total")).to_have_text(f"2.400,10{NBSP}€")
    expect(page.locator("#summary-amount")).to_have_text(f"2.400,10{NBSP}€")
    expect(page.locator("#summary-label")).to_have_text("Gesamtbetrag ohne USt.")
    expect(page.locator("#license_value")).to_be_in_viewport()
    expect(bar).to_be_in_viewport()  # while the field being typed in is in view too
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= PHONE["height"]

    page.fill("#license_value", "24.000")
    expect(page.locator("#summary-amount")).to_have_text(f"4.800,00{NBSP}€")
    page.fill("#customer-country", "Deutschland")
    expect(page.locator("#summary-amount")).to_have_text(f"5.712,00{NBSP}€")  # 19 % VAT
    expect(page.locator("#summary-label")).to_have_text("Gesamtbetrag")

    page.click("#summary-details")
    expect(page.locator("#result")).to_be_in_viewport()


ONE_LINE = """button => {
    const style = getComputedStyle(button);
    const inside = button.clientHeight - parseFloat(style.paddingTop)
                   - parseFloat(style.paddingBottom);
    return Math.abs(inside - parseFloat(style.lineHeight)) < 1;
}"""


@pytest.mark.parametrize("language", ["de", "ru"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_request_button_is_primary_and_on_one_line(open_page, live_server, size,
                                                       language):
    page = open_page(size, language)
    page.goto(f"{live_server}/?lang={language}")
    request = page.locator("#request-offer")
    expect(request).to_have_class("primary")
    expect(request).to_have_text({"de": "Dieses Angebot anfordern",
                                  "ru": "Запросить это предложение"}[language])
    assert request.evaluate(ONE_LINE)
    box = request.bounding_box()
    assert box["x"] + box["width"] <= inner_width(page)
    expect(page.locator(".actions button[value=\"price\"]")).to_have_class("secondary")


def test_the_addition_dates_are_limited_to_the_term(open_page, live_server):
    page = open_page("phone", "en")
    page.goto(f"{live_server}/?lang=en")
    date = page.locator("#additions-0-date")
    page.fill("#term_start", "2026-03-01")
    page.fill("#term_years", "2")
    expect(date).to_have_attribute("min", "2026-03-01")
    expect(date).to_have_attribute("max", "2028-02-29")  # the day before 1 March 2028
    page.fill("#term_years", "1")
    expect(date).to_have_attribute("max", "2027-02-28")
    page.fill("#term_start", "2028-02-29")
    expect(date).to_have_attribute("max", "2029-02-27")  # anniversary on 28 February
    page.click("#add-row")
    expect(page.locator("#additions-1-date")).to_have_attribute("min", "2028-02-29")
    expect(page.locator("#additions-1-date")).to_have_attribute("max", "2029-02-27")


def test_remove_buttons_name_their_addition_after_renumbering(open_page, live_server):
    page = open_page("desktop", "de")
    page.goto(f"{live_server}/?lang=de")
    page.click("#add-row")
    page.click("#add-row")
    rows = page.locator("#addition-rows [data-row]")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("button", name="Erweiterung 3 entfernen")).to_be_visible()
    page.get_by_role("button", name="Erweiterung 1 entfernen").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_role("button", name="Erweiterung 2 entfernen")).to_be_visible()
    expect(page.get_by_role("button", name="Erweiterung 3 entfernen")).to_have_count(0)


def test_the_page_states_the_added_license_value(open_page, live_server):
    page = open_page("phone", "ru")
    price_business(page, live_server, "ru", f"12{NBSP}000,50")
    page.fill("#additions-0-date", "2026-07-01")
    page.fill("#additions-0-license_value", "1000")
    expect(page.locator('#result [data-line="addition"] .description')).to_have_text(
        f"Дополнительные лицензии на сумму 1{NBSP}000,00{NBSP}€ с 1 июля 2026\u202fг.")
