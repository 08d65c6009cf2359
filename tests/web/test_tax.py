"""The tax through the pages and the API: set by the seller's rules from the customer's
country and VAT ID, overridden only by staff with a reason; a numbered offer names its
customer, a preview does not need to."""

from __future__ import annotations

import re

from offer_helpers import CUSTOMER, CUSTOMER_FIELDS

from quote.store import find_by_number

GERMAN_FIELDS = {"customer-company": "Muster GmbH", "customer-contact": "Erika Mustermann",
                 "customer-email": "erika@example.de", "customer-country": "Deutschland"}


def page_of(response) -> str:
    return response.get_data(as_text=True)


def errors_at(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error"(?: role="alert")?>([^<]*)<', page)
    return match.group(1) if match else ""


def no_offer_stored(app) -> bool:
    with app.extensions["quote.store"].session(read_only=True) as session:
        return find_by_number(session, "Q-2026-000001") is None


# The public form and API take no tax rate


def test_the_public_form_has_no_tax_field_but_a_vat_id(client):
    page = page_of(client.get("/"))
    assert 'name="tax_percent"' not in page and 'name="tax_reason"' not in page
    assert 'name="customer-vat_id"' in page


def test_a_customer_s_tax_follows_from_the_country(client, form_data):
    page = page_of(client.post("/", data=form_data(**GERMAN_FIELDS)))
    assert "VAT 19% (Germany)" in page
    assert 'id="total">€2,856.00<' in page  # 2,400.00 + 19 %


def test_a_business_elsewhere_in_the_eu_with_its_vat_id_pays_no_vat(client, form_data):
    page = page_of(client.post("/", data=form_data(**{
        **GERMAN_FIELDS, "customer-country": "Österreich",
        "customer-vat_id": "atu 1234-5678"})))  # written the way people type it
    assert "VAT 0% (reverse charge)" in page
    assert 'id="tax-note">Reverse charge: the customer owes the VAT' in page
    assert 'id="total">€2,400.00<' in page
    assert 'value="ATU12345678"' in page


def test_a_vat_id_of_another_country_is_refused_at_the_field(client, form_data):
    response = client.post("/", data=form_data(**{**GERMAN_FIELDS,
                                                  "customer-vat_id": "ATU12345678"}))
    assert response.status_code == 422
    assert errors_at(page_of(response), "customer-vat_id") == (
        "is a VAT ID from AT, but the customer&#39;s country is DE")


def test_without_a_country_the_preview_is_the_price_before_tax(client, form_data):
    page = page_of(client.post("/", data=form_data()))
    assert "VAT: follows from the customer&#39;s country" in page
    assert "Total before VAT" in page and 'id="total">€2,400.00<' in page


def test_a_tax_rate_posted_by_a_customer_is_refused(client, form_data, app):
    for url in ("/", "/request"):
        response = client.post(url, data=form_data(tax_percent="0", **CUSTOMER_FIELDS))
        assert response.status_code == 422
        assert "only our sales team can set another rate" in page_of(response)
    assert no_offer_stored(app)


def test_the_public_api_refuses_a_tax_rate_naming_the_field(client, make_request):
    response = client.post("/api/v1/quotes/preview", json=make_request(tax_percent="0"))
    assert response.status_code == 403
    assert response.json["errors"][0]["field"] == "tax_percent"
    response = client.post("/api/v1/quotes/preview", json=make_request(
        customer={"country": "AT", "vat_id": "ATU12345678", "company": "Alpen GmbH"}))
    assert response.status_code == 200
    assert response.json["tax_basis"]["rule"] == "reverse_charge"
    assert response.json["total"] == "2400.00"


# Staff override the rate, with a reason


def test_sales_override_the_rate_with_a_reason_shown_on_the_offer(sign_in, form_data, app):
    client = sign_in("sales")
    assert 'name="tax_reason"' in page_of(client.get("/"))
    response = client.post("/offers/issue", data=form_data(
        confirm="1", tax_percent="7", tax_reason="reduced rate confirmed by the tax office",
        **GERMAN_FIELDS))
    assert response.status_code == 302
    page = page_of(client.get(response.location))
    assert "VAT 7% (set by our sales team)" in page
    assert 'id="tax-reason">reduced rate confirmed by the tax office<' in page
    assert "€2,568.00" in page  # 2,400.00 + 7 %
    with app.extensions["quote.store"].session(read_only=True) as session:
        stored = find_by_number(session, "Q-2026-000001").document
    assert stored.request.tax_reason == "reduced rate confirmed by the tax office"
    assert stored.result.tax_basis.rule == "override"
    assert stored.result.tax_basis.reason == "reduced rate confirmed by the tax office"


def test_an_override_without_a_reason_is_refused_at_the_field(sign_in, form_data, app):
    response = sign_in("sales").post("/offers/issue", data=form_data(tax_percent="7", confirm="1",
                                                                     **GERMAN_FIELDS))
    assert response.status_code == 422
    assert errors_at(page_of(response), "tax_reason").startswith("is required with tax_percent")
    assert no_offer_stored(app)


def test_the_customer_s_link_does_not_show_staff_s_reason(client, sign_in, form_data):
    sales = sign_in("sales")
    number = sales.post("/offers/issue", data=form_data(
        confirm="1", tax_percent="7", tax_reason="internal: agreed with finance", **GERMAN_FIELDS)
    ).location.rsplit("/", 1)[1]
    assert "internal: agreed with finance" in page_of(sales.get(f"/offers/{number}"))
    request = client.post("/request", data=form_data(**GERMAN_FIELDS))
    public = page_of(client.get(request.headers["Location"]))
    assert 'id="tax-reason"' not in public and "VAT 19% (Germany)" in public


def test_the_staff_api_overrides_with_a_reason_only(client, tokens, make_request, app):
    auth = {"Authorization": f"Bearer {tokens['sales']}"}
    refused = client.post("/api/v1/quotes", headers=auth,
                          json=make_request(tax_percent="7", customer=CUSTOMER))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["tax_reason"]
    assert no_offer_stored(app)
    issued = client.post("/api/v1/quotes", headers=auth, json=make_request(
        tax_percent="7", tax_reason="reduced rate", customer=CUSTOMER))
    assert issued.status_code == 201
    assert issued.json["result"]["tax"] == "168.00"
    assert issued.json["result"]["tax_basis"]["reason"] == "reduced rate"


# A numbered offer names its customer; a preview needs none of it


def test_a_self_service_request_without_customer_draws_no_number(client, form_data, app):
    response = client.post("/request", data=form_data(**{"customer-country": "DE"}))
    assert response.status_code == 422
    page = page_of(response)
    for field in ("company", "contact", "email"):
        assert errors_at(page, f"customer-{field}") == "is required for a numbered offer"
    assert errors_at(page, "customer-country") == ""
    assert no_offer_stored(app)
    assert client.post("/", data=form_data()).status_code == 200  # the preview works
    assert client.post("/request", data=form_data(**CUSTOMER_FIELDS)).status_code == 303
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert find_by_number(session, "Q-2026-000001") is not None  # the first number


def test_a_numbered_offer_needs_a_country_we_know(sign_in, form_data, app):
    response = sign_in("sales").post("/offers/issue", data=form_data(
        confirm="1", **{**GERMAN_FIELDS, "customer-country": "Narnia"}))
    assert response.status_code == 422
    assert errors_at(page_of(response), "customer-country").startswith(
        "is not a country we know")
    assert no_offer_stored(app)


def test_the_api_issues_no_offer_without_its_customer(client, tokens, make_request, app):
    auth = {"Authorization": f"Bearer {tokens['sales']}"}
    response = client.post("/api/v1/quotes", headers=auth,
                           json=make_request(customer={"company": "Muster GmbH"}))
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [
        "customer.contact", "customer.email", "customer.country"]
    assert no_offer_stored(app)
    assert client.post("/api/v1/quotes/preview", json=make_request()).status_code == 200
