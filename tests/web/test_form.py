"""The quote form at /: prices without JavaScript, errors next to the field, input kept."""

from __future__ import annotations

import re

import pytest
from form_reading import error_of, text_of, value_of


def total_of(page: str) -> str:
    match = re.search(r'id="total">([^<]*)<', page)
    assert match, "no total on the page"
    return match.group(1)


def test_the_form_labels_every_input(client):
    page = text_of(client.get("/"))
    for field_id in re.findall(r'<input[^>]*id="([^"]+)"', page):
        if field_id in ("csrf_token", "entry_language"):
            continue
        assert f'for="{field_id}"' in page, field_id
        assert f'aria-describedby="{field_id}-error' in page, field_id


def test_submitting_prices_the_quote_and_compares_the_packages(client, form_data):
    page = text_of(client.post("/", data=form_data(**{"customer-country": "Germany"})))
    assert total_of(page) == "€2,856.00"  # 2,400.00 and 19 % VAT of a German customer
    comparison = page[page.index('id="comparison"'):]
    for package, total in (("basic", "€2,142.00"), ("business", "€2,856.00"),
                           ("premium", "€11,900.00")):
        assert re.search(rf'data-package="{package}">{re.escape(total)}<', comparison)
    assert "Service hours" in comparison


def test_a_german_page_reads_german_numbers_and_formats_in_german(client, form_data):
    client.get("/?lang=de")
    data = form_data(entry_language="de", license_value="12.000,50",
                     **{"additions-1-date": "2026-07-01", "additions-1-license_value": "1.000"})
    page = text_of(client.post("/", data=data))
    assert total_of(page) == "2.500,92\u00a0€"
    assert "Gesamt" in page or "Summe" in page
    assert value_of(page, "license_value") == "12.000,50"


def test_empty_addition_rows_are_ignored(client, form_data):
    page = text_of(client.post("/", data=form_data()))
    assert total_of(page) == "€2,400.00"
    assert page.count('data-line="addition"') == 0


def test_an_error_appears_next_to_its_field_and_the_input_is_kept(client, form_data):
    data = form_data(license_value="12.000", **{"customer-company": "Muster GmbH"})
    response = client.post("/", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert error_of(page, "license_value") == (
        "“12.000” in “License value” can be read two ways: did you mean 12,000 or 12?")
    assert 'aria-invalid="true"' in page
    assert value_of(page, "license_value") == "12.000"
    assert value_of(page, "customer-company") == "Muster GmbH"
    assert 'id="total"' not in page


def test_core_errors_land_on_the_addition_row_they_name(client, form_data):
    data = form_data(**{"additions-2-date": "2027-06-01", "additions-2-license_value": "500"})
    page = text_of(client.post("/", data=data))
    assert "must lie within the term" in error_of(page, "additions-2-date")
    assert value_of(page, "additions-2-license_value") == "500"


def test_core_errors_are_translated(client, form_data):
    client.get("/?lang=ru")
    data = form_data(entry_language="ru", license_value="12 000", rate_card="maxence",
                     package="basic", term_years="2")
    page = text_of(client.post("/", data=data))
    message = error_of(page, "term_years")
    assert message and "must" not in message
    assert re.search("[а-я]", message)


def test_a_german_page_asks_which_reading_of_an_ambiguous_entry_was_meant(client,
                                                                         form_data):
    client.get("/?lang=de")
    page = text_of(client.post("/", data=form_data(entry_language="de",
                                                   license_value="12,000")))
    assert error_of(page, "license_value") == (
        "„12,000“ im Feld „Lizenzwert“ ist mehrdeutig: meinen Sie 12.000 oder 12?")
    assert value_of(page, "license_value") == "12,000"


def test_a_german_page_reads_a_decimal_point_that_can_be_nothing_else(client, form_data):
    client.get("/?lang=de")
    page = text_of(client.post("/", data=form_data(entry_language="de",
                                                   license_value="12000.50")))
    assert value_of(page, "license_value") == "12.000,50"
    assert total_of(page) == "2.400,10\u00a0€"


def test_switching_language_keeps_the_input_and_reformats_amounts(client, form_data):
    client.get("/?lang=de")
    data = form_data(entry_language="de", license_value="12.000,50", switch="1")
    page = text_of(client.post("/?lang=ru", data=data))
    assert '<html lang="ru">' in page
    assert value_of(page, "license_value") == "12\u00a0000,50"
    assert total_of(page).endswith("€")


def test_the_language_is_remembered_in_the_session(client):
    client.get("/?lang=de")
    assert '<html lang="de">' in text_of(client.get("/"))


def test_accept_language_chooses_the_first_page(client):
    page = text_of(client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}))
    assert '<html lang="ru">' in page
    assert "Расчёт" in page or "Рассчитать" in page


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_the_language_switcher_is_on_every_page(client, language):
    page = text_of(client.get(f"/sign-in?lang={language}"))
    for code in ("en", "de", "ru"):
        assert f'href="?lang={code}"' in page


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_on_the_form_the_language_switch_sends_the_form_along(client, language):
    page = text_of(client.get(f"/?lang={language}"))
    for code in ("en", "de", "ru"):
        assert re.search(rf'<button type="submit" form="quote-form" name="switch" value="1"'
                         rf'[^>]*formaction="/\?lang={code}"', page)


@pytest.mark.parametrize("role", ["finance", None])
def test_no_discount_field_for_customers_and_finance(sign_in, role):
    assert 'id="discount_percent"' not in text_of(sign_in(role).get("/"))


@pytest.mark.parametrize("role", ["sales", "admin"])
def test_discount_field_for_sales_and_admin(sign_in, form_data, role):
    staff = sign_in(role)
    page = text_of(staff.post("/", data=form_data(discount_percent="5")))
    assert 'id="discount_percent"' in page
    assert total_of(page) == "€2,280.00"


def test_a_form_without_csrf_token_is_refused(make_app, form_data):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/", data=form_data())
    assert response.status_code == 400
    assert 'id="total"' not in text_of(response)


def test_a_form_with_its_csrf_token_is_accepted(make_app, form_data):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      text_of(client.get("/"))).group(1)
    response = client.post("/", data=form_data(csrf_token=token))
    assert response.status_code == 200
    assert total_of(text_of(response)) == "€2,400.00"


def test_the_live_preview_answers_with_the_result_or_the_problems(client, form_data):
    answer = client.post("/preview", data=form_data()).json
    assert answer["problems"] == {}
    assert 'id="total">€2,400.00<' in answer["html"]
    wrong = client.post("/preview", data=form_data(term_start="2026-02-30")).json
    assert list(wrong["problems"]) == ["term_start"]
    assert wrong["html"] == ""


def test_download_pdf_from_the_form(client, form_data):
    response = client.post("/", data=form_data(action="pdf", language="ru"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "offer-draft-ru.pdf" in response.headers["Content-Disposition"]


def test_points_field_shows_only_for_cards_that_sell_points(client, form_data):
    page = text_of(client.post("/", data=form_data(rate_card="maxence", package="basic",
                                                   points="50")))
    assert re.search(r'data-points-field>', page)
    assert total_of(page)
    plain = text_of(client.get("/"))
    assert "data-points-field hidden" in plain


def test_the_api_docs_page_lists_endpoints_and_schemas(client):
    page = text_of(client.get("/api/v1/docs"))
    assert "/api/v1/quotes/preview" in page
    assert 'id="schema-QuoteRequest"' in page
    assert "<script" not in page.split("</footer>")[0].split("<main")[1]


def test_a_form_sent_with_errors_opens_with_a_summary_that_links_to_the_fields(client,
                                                                              form_data):
    response = client.post("/", data=form_data(license_value="-5", term_years="two"))
    page = text_of(response)
    assert response.status_code == 422
    assert ('<div class="problems" id="error-summary" tabindex="-1" autofocus '
            'aria-labelledby="error-summary-title">') in page
    summary = page[page.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert "2 entries need correcting before the price can be shown:" in summary
    assert ('<a href="#license_value" data-field-link="license_value">“License value” must '
            'not be negative.</a>') in summary
    assert ('<a href="#term_years" data-field-link="term_years">“Term (years)” takes a whole '
            'number such as 2.</a>') in summary


def test_the_summary_names_the_field_and_row_of_the_core_s_errors(client, form_data):
    data = form_data(**{"additions-2-date": "2027-06-01", "additions-2-license_value": "500"})
    page = text_of(client.post("/", data=data))
    assert re.search(r'<a href="#additions-2-date"[^>]*>Addition 3: Date: must lie within '
                     r'the term', page)


def test_errors_on_the_form_are_not_each_an_alert(client, form_data):
    page = text_of(client.post("/", data=form_data(license_value="-5")))
    assert 'role="alert"' not in page
    assert page.count('role="status"') == 1  # the form's one status region


def test_the_preview_says_the_form_s_state_once_and_what_is_still_being_typed(client,
                                                                               form_data):
    typed = client.post("/preview", data=form_data(license_value="12.")).get_json()
    assert typed["unfinished"] == ["license_value"]
    assert typed["status"] == ("1 entry needs correcting before the price can be shown: "
                               "“License value” is not a number. Write it like 12,000.50.")
    negative = client.post("/preview", data=form_data(license_value="-5")).get_json()
    assert negative["unfinished"] == []
    priced = client.post("/preview", data=form_data()).get_json()
    assert priced["status"] == "Price updated. Total: €2,400.00."


def test_without_script_a_new_rate_card_shows_its_packages_and_says_so(client, form_data):
    # the package list still showed bpmonline's packages when the card was changed
    response = client.post("/", data=form_data(rate_card="otrs", package="business",
                                               license_value=""))
    page = text_of(response)
    assert response.status_code == 200
    assert ('<p class="note" id="form-notice" tabindex="-1" autofocus>The package list now '
            'shows the packages of “OTRS subscriptions”. Choose one, then calculate again.</p>'
            ) in page
    start = page.index('id="package"')
    packages = page[start:page.index("</select>", start)]
    assert re.findall(r'value="([^"]+)"', packages) == ["quick_start", "basic", "professional",
                                                         "enterprise"]
    assert '<option selected value="quick_start">' in packages
    assert 'id="total"' not in page


def test_without_script_the_update_button_shows_the_card_s_packages_without_errors(
        client, form_data):
    response = client.post("/", data=form_data(rate_card="maxence", package="basic",
                                               license_value="", action="card"))
    assert response.status_code == 200
    assert 'class="error" id="license_value-error" hidden' in text_of(response)


def test_the_update_button_is_offered_only_without_script(client):
    page = text_of(client.get("/?lang=en"))
    block = page[page.index("<noscript>"):page.index("</noscript>")]
    assert 'name="action" value="card"' in block
    assert "Update the package list" in block
