"""The JSON API: previews equal the core's result, and every bad input is a clear 4xx."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from quote.core.pricing import price_quote
from quote.core.request import parse_request

PREVIEW = "/api/v1/quotes/preview"


def test_preview_is_the_core_result_exactly(client, taxed_book, make_request):
    body = make_request(license_value="12000.50", customer={"country": "Deutschland"},
                        additions=[{"date": "2026-07-01", "license_value": "3000"}])
    response = client.post(PREVIEW, json=body)
    assert response.status_code == 200
    expected = price_quote(parse_request(body), taxed_book, dt.date(2026, 1, 15))
    assert expected.tax_percent == Decimal("19")  # a German customer of a German seller
    assert response.json == expected.model_dump(mode="json", exclude_none=True)
    assert response.json["currency"] == "EUR"
    assert response.json["total"] == str(expected.total)


def test_amounts_are_decimal_strings_and_integers_are_accepted(client, make_request):
    response = client.post(PREVIEW, json=make_request(license_value=12000))
    assert response.status_code == 200
    assert response.json["lines"][0]["amount"] == "2400.00"


def test_a_json_fraction_is_refused(client, make_request):
    response = client.post(PREVIEW, json=make_request(license_value=12000.5))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "license_value"


@pytest.mark.parametrize("number", ["12000.0", "1.2e4", "12000E0"])
def test_a_whole_json_number_is_an_integer_however_written(client, make_request, number):
    # JSON Schema counts 12000.0 an integer, so the server does too
    body = json.dumps(make_request(term_years=2)).replace(
        '"12000.00"', number).replace('"term_years": 2', '"term_years": 2.0')
    response = client.post(PREVIEW, data=body, content_type="application/json")
    assert response.status_code == 200, response.json
    assert response.json["lines"][0]["explanation"]["base"] == "12000"
    assert response.json["term"]["years"] == 2


BAD_INPUTS = [
    ({"rate_card": "nope"}, "rate_card"),
    ({"package": "gold"}, "package"),
    ({"deployment": "cloud"}, "deployment"),
    ({"license_value": "-1"}, "license_value"),
    ({"license_value": "12,000"}, "license_value"),
    ({"license_value": "1e5"}, "license_value"),
    ({"license_value": "NaN"}, "license_value"),
    ({"license_value": "1000000000000"}, "license_value"),
    ({"license_value": "12000.005"}, "license_value"),
    ({"license_value": None}, "license_value"),
    ({"term_start": "2026-02-30"}, "term_start"),
    ({"term_start": "01.02.2026"}, "term_start"),
    ({"term_start": "1999-12-31"}, "term_start"),
    ({"term_years": 0}, "term_years"),
    ({"term_years": 11}, "term_years"),
    ({"term_years": "2"}, "term_years"),
    ({"term_years": 2.5}, "term_years"),
    ({"environments": 0}, "environments"),
    ({"environments": 101}, "environments"),
    ({"environments": 99}, "environments"),
    ({"additions": [{"date": "2027-01-01", "license_value": "1"}]}, "additions.0.date"),
    ({"additions": [{"date": "2026-03-01"}]}, "additions.0"),
    ({"additions": [{"date": "2026-03-01", "license_value": "1.001"}]},
     "additions.0.license_value"),
    ({"additions": [{"date": "2026-03-01", "environments": -1}]}, "additions.0.environments"),
    ({"additions": [{"date": "2026-03-01", "license_value": "1", "colour": "red"}]},
     "additions.0.colour"),
    ({"additions": [{"date": "2026-03-01", "license_value": "1"}] * 101}, "additions"),
    ({"existing_contract": True}, "additions"),
    ({"points": 10}, "points"),
    ({"customer": {"vat_id": "DE12345"}}, "customer.vat_id"),
    ({"customer": {"vat_id": "DE123456789", "country": "AT"}}, "customer.vat_id"),
    ({"language": "fr"}, "language"),
    ({"customer": {"email": "not an address"}}, "customer.email"),
    ({"customer": {"company": "x" * 201}}, "customer.company"),
    ({"customer": {"company": "a\u0000b"}}, "customer.company"),
    ({"as_of": "2000-01-01"}, "rate_card"),
    ({"surprise": 1}, "surprise"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUTS)
def test_every_bad_input_is_refused_naming_its_field(client, make_request, overrides, field):
    response = client.post(PREVIEW, json=make_request(**overrides))
    assert response.status_code == 422, response.json
    fields = [error["field"] for error in response.json["errors"]]
    assert field in fields
    assert all(error["message"] for error in response.json["errors"])


@pytest.mark.parametrize("body", ["[]", '"text"', "5", "null"])
def test_a_body_that_is_not_an_object_is_refused(client, body):
    response = client.post(PREVIEW, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "", "message":
                                         "the request must be a JSON object"}]}


def test_points_beyond_the_account_bounds(client, make_request):
    body = make_request(rate_card="maxence", package="basic", points=0)
    assert client.post(PREVIEW, json=body).json["errors"][0]["field"] == "points"


def test_errors_speak_the_requested_language(client, make_request):
    response = client.post(PREVIEW + "?lang=de", json=make_request(term_years=11))
    assert response.status_code == 422
    message = response.json["errors"][0]["message"]
    assert response.json["errors"][0]["field"] == "term_years"
    assert "must" not in message


def test_malformed_json_is_400(client):
    response = client.post(PREVIEW, data='{"rate_card": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json["errors"][0]["message"].startswith("the body is not valid JSON")


def test_json_constants_such_as_nan_are_malformed(client):
    response = client.post(PREVIEW, data='{"license_value": NaN}',
                           content_type="application/json")
    assert response.status_code == 400


def test_another_content_type_is_415(client, make_request):
    response = client.post(PREVIEW, data={"rate_card": "bpmonline"})
    assert response.status_code == 415
    assert "application/json" in response.json["errors"][0]["message"]


def test_json_with_a_charset_or_in_capitals_is_json(client, make_request):
    for content_type in ("application/json; charset=utf-8", "Application/JSON"):
        response = client.post(PREVIEW, data=json.dumps(make_request()),
                               content_type=content_type)
        assert response.status_code == 200, content_type


def test_an_unknown_or_repeated_lang_is_400(client, make_request):
    for query in ("?lang=fr", "?lang=de&lang=en"):
        response = client.post(PREVIEW + query, json=make_request())
        assert response.status_code == 400
        assert response.json["errors"][0]["field"] == "lang"


def test_a_body_over_64_kib_is_413(client):
    response = client.post(PREVIEW, data=b"[" + b" " * (64 * 1024) + b"]",
                           content_type="application/json")
    assert response.status_code == 413
    assert response.json["errors"][0]["field"] == ""


def test_unknown_route_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json and response.json["errors"][0]["message"]


def test_wrong_method_is_json_405(client):
    response = client.get(PREVIEW)
    assert response.status_code == 405
    assert response.is_json
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("role", [None, "finance"])
def test_a_discount_is_forbidden_without_a_sales_token(client, tokens, make_request, role):
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    for path in (PREVIEW, "/api/v1/quotes/compare", "/api/v1/quotes/preview.pdf"):
        response = client.post(path, json=make_request(discount_percent="5"), headers=headers)
        assert response.status_code == 403
        assert response.json["errors"] == [{"field": "discount_percent",
                                            "message": "a discount can only be given by staff"}]
    assert client.post(PREVIEW, json=make_request(discount_percent="0.00")).status_code == 200


def test_a_sales_token_allows_a_discount_within_the_card_limit(client, tokens, make_request):
    auth = {"Authorization": f"Bearer {tokens['sales']}"}
    response = client.post(PREVIEW, json=make_request(discount_percent="5"), headers=auth)
    assert response.status_code == 200
    assert response.json["discount"] == "120.00"
    too_much = client.post(PREVIEW, json=make_request(discount_percent="50"), headers=auth)
    assert too_much.json["errors"][0]["field"] == "discount_percent"


def test_rate_cards_in_force_in_the_requested_language(client):
    response = client.get("/api/v1/rate-cards", headers={"Accept-Language": "ru"})
    assert response.status_code == 200
    assert response.json["language"] == "ru"
    ids = [card["id"] for card in response.json["rate_cards"]]
    assert ids == ["bpmonline", "maxence", "open-xchange", "otrs"]


def test_one_rate_card_with_packages_prices_and_service_levels(client):
    response = client.get("/api/v1/rate-cards/bpmonline?lang=de")
    card = response.json
    assert response.status_code == 200
    assert card["language"] == "de"
    business = next(p for p in card["packages"] if p["id"] == "business")
    assert business["on_site"] == {"kind": "percent", "percent": "20", "minimum": "500.00",
                                   "text": business["on_site"]["text"], "examples": []}
    assert "500,00" in business["on_site"]["text"]
    assert business["response_times"][0]["response"]["text"]
    assert business["service_hours"]["text"]
    assert card["currencies"] == ["EUR", "RUB", "USD"] and card["currency"] == "EUR"


def test_an_unknown_rate_card_is_404(client):
    response = client.get("/api/v1/rate-cards/nope")
    assert response.status_code == 404
    assert response.is_json


def test_compare_prices_every_package(client, make_request):
    response = client.post("/api/v1/quotes/compare", json=make_request())
    assert response.status_code == 200
    totals = {e["package"]["id"]: e.get("total") for e in response.json["packages"]}
    assert totals == {"basic": "1800.00", "business": "2400.00", "premium": "10000.00"}
    assert response.json["selected"] == "business"


def test_preview_pdf_is_an_offer_draft(client, make_request):
    response = client.post("/api/v1/quotes/preview.pdf", json=make_request(language="de"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert 'filename="offer-draft-de.pdf"' in response.headers["Content-Disposition"]


def test_preview_pdf_refuses_bad_input_like_the_preview(client, make_request):
    response = client.post("/api/v1/quotes/preview.pdf", json=make_request(term_years=0))
    assert response.status_code == 422
