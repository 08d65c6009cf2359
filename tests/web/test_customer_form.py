"""The public form in the customer's words; staff keep the words of the rate cards."""

from __future__ import annotations

import re

import pytest
from form_reading import error_of, label_of, text_of

NBSP = "\u00a0"

CUSTOMER_WORDS = {
    "en": {"product": "Product", "deployment": "Your licenses",
           "environments": "Number of environments", "years": "Term (years)",
           "request": "Request this offer"},
    "de": {"product": "Produkt", "deployment": "Ihre Lizenzen",
           "environments": "Anzahl der Umgebungen", "years": "Laufzeit (Jahre)",
           "request": "Dieses Angebot anfordern"},
    "ru": {"product": "Продукт", "deployment": "Ваши лицензии",
           "environments": "Количество сред", "years": "Срок (лет)",
           "request": "Запросить это предложение"},
}
JARGON = {"en": ["Rate card", "Deployment", "Environments in all", ">Years<"],
          "de": ["Preisliste", "Bereitstellung", "Umgebungen insgesamt", ">Jahre<"],
          "ru": ["Прайс-лист", "Вариант поставки", "Вариант размещения", "Всего сред", ">Лет<"]}


def header_of(page: str) -> str:
    return page[page.index("<header"):page.index("</header>")]


def footer_of(page: str) -> str:
    return page[page.index("<footer"):page.index("</footer>")]


def button(page: str, value: str) -> str:
    match = re.search(rf'<button type="submit" name="action" value="{value}"[^>]*>', page)
    assert match, f"no {value} button"
    return match.group(0)


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_a_customer_reads_products_licenses_and_the_term_not_rate_cards(client, language):
    page = text_of(client.get(f"/?lang={language}"))
    words = CUSTOMER_WORDS[language]
    assert label_of(page, "rate_card") == words["product"]
    assert label_of(page, "deployment") == words["deployment"]
    assert label_of(page, "environments") == words["environments"]
    assert label_of(page, "term_years") == words["years"]
    for jargon in JARGON[language]:
        assert jargon not in page, jargon


def test_the_products_are_grouped_by_their_vendor(client):
    page = text_of(client.get("/?lang=de"))
    select = page[page.index('id="rate_card"'):]
    select = select[:select.index("</select>")]
    assert '<optgroup label="bpm&#39;online (Terrasoft)">' in select
    assert '<option selected value="bpmonline">bpm&#39;online Supportpakete</option>' in select
    assert '<optgroup label="OTRS Group">' in select


def test_staff_keep_the_words_of_the_rate_cards(sign_in):
    page = text_of(sign_in("sales").get("/?lang=en"))
    assert label_of(page, "rate_card") == "Rate card"
    assert label_of(page, "deployment") == "Deployment"
    assert label_of(page, "environments") == "Environments in all"
    assert label_of(page, "term_years") == "Term (years)"
    assert "<optgroup" not in page


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_requesting_the_offer_is_the_primary_action_and_calculating_secondary(client,
                                                                             language):
    page = text_of(client.get(f"/?lang={language}"))
    assert 'class="primary"' in button(page, "request")
    assert 'class="secondary"' in button(page, "price")
    assert page.index('value="price"') < page.index('value="request"')  # Enter calculates
    assert CUSTOMER_WORDS[language]["request"] in page


def test_staff_sign_in_and_the_api_are_in_the_footer_only(client):
    page = text_of(client.get("/?lang=en"))
    assert "/sign-in" not in header_of(page) and "/api/docs" not in header_of(page)
    assert 'href="/sign-in"' in footer_of(page) and "Staff sign-in" in footer_of(page)
    assert "API documentation" in footer_of(page)


def test_the_addition_date_pickers_offer_the_days_of_the_term(client, form_data):
    page = text_of(client.get("/?lang=en"))  # the term starts today (2026-01-15), 1 year
    assert re.search(r'<input[^>]*id="additions-0-date"[^>]*max="2027-01-14"[^>]*min="2026-01-15"',
                     page)
    data = form_data(term_start="2026-03-01", term_years="2")
    page = text_of(client.post("/", data=data))
    for row in range(3):  # two contract years to the day before 1 March 2028
        assert re.search(rf'<input[^>]*id="additions-{row}-date"[^>]*max="2028-02-29"'
                         rf'[^>]*min="2026-03-01"', page)


@pytest.mark.parametrize("date", ["2026-02-28", "2028-03-01"])
def test_the_server_refuses_an_addition_outside_the_term(client, form_data, date):
    data = form_data(term_start="2026-03-01", term_years="2",
                     **{"additions-0-date": date, "additions-0-license_value": "1,000.00"})
    response = client.post("/", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert "within the term" in error_of(page, "additions-0-date")
    assert 'id="total"' not in page


def test_remove_buttons_name_their_addition(client):
    page = text_of(client.get("/?lang=de"))
    for number in (1, 2, 3):
        assert re.search(rf'<button type="button" class="secondary remove-row" data-remove-row '
                         rf'hidden\s+aria-label="Erweiterung {number} entfernen">'
                         rf'Entfernen</button>', page)


@pytest.mark.parametrize(("language", "line"), [
    ("en", "Additional licenses worth €1,000.00 from 1 July 2026"),
    ("de", f"Zusätzliche Lizenzen im Wert von 1.000,00{NBSP}€ ab 1. Juli 2026"),
    ("ru", f"Дополнительные лицензии на сумму 1{NBSP}000,00{NBSP}€ с 1 июля 2026\u202fг."),
])
def test_the_result_states_the_added_license_value(client, form_data, language, line):
    client.get(f"/?lang={language}")
    data = form_data(entry_language="en", **{"additions-0-date": "2026-07-01",
                                             "additions-0-license_value": "1,000.00"})
    page = text_of(client.post("/", data=data))
    assert f'<span class="description">{line}</span>' in page


def test_the_summary_bar_carries_the_total_without_javascript(client, form_data):
    page = text_of(client.get("/?lang=en"))
    assert re.search(r'<div class="summary-bar" id="summary-bar" hidden>', page)
    page = text_of(client.post("/", data=form_data(**{"customer-country": "Germany"})))
    assert re.search(r'id="total">€2,856.00<', page)
    assert re.search(r'id="summary-label">Total</span>\s*<strong id="summary-amount">'
                     r'€2,856.00</strong>', page)


def test_the_offered_package_comes_first_in_the_comparison(client, form_data):
    page = text_of(client.post("/", data=form_data(package="premium")))
    comparison = page[page.index('id="comparison"'):]
    packages = re.findall(r'data-package="([a-z]+)"', comparison[:comparison.index("</tr>",
                                                                   comparison.index("<tbody"))])
    assert packages == ["premium", "basic", "business"]
