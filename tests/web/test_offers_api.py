"""The staff API: API tokens, issuing with Idempotency-Key, reading an offer and its PDF."""

from __future__ import annotations

import json

import pytest
from offer_helpers import CUSTOMER


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_sales_issue_an_offer_through_the_api(client, tokens, make_request):
    response = client.post("/api/v1/quotes",
                           json=make_request(discount_percent="5", customer=CUSTOMER),
                           headers=bearer(tokens["sales"]))
    assert response.status_code == 201
    offer = response.json
    assert offer["number"] == "Q-2026-000001"
    assert offer["status"] == "issued"
    assert offer["issued_on"] == "2026-01-15"
    assert offer["valid_until"] == "2026-02-14"
    assert offer["request"]["license_value"] == "12000.00"
    assert offer["result"]["discount"] == "120.00"
    assert offer["result"]["total"] == "2280.00"
    assert response.headers["Location"] == "/api/v1/quotes/Q-2026-000001"
    again = client.get("/api/v1/quotes/Q-2026-000001", headers=bearer(tokens["finance"]))
    assert again.json == offer


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer qt_wrong", "Basic abc",
                                    "bearer  "])
def test_a_missing_or_wrong_token_is_401(client, tokens, make_request, header):
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER), headers=headers)
    assert response.status_code == 401
    assert response.json["errors"][0]["message"]


def test_a_finance_token_cannot_issue(client, tokens, make_request):
    response = client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER),
                           headers=bearer(tokens["finance"]))
    assert response.status_code == 403
    assert response.json == {"errors": [{"field": "",
                                         "message": "your role may not use this endpoint"}]}


def test_a_disabled_users_token_stops_working(client, app, tokens, users, make_request):
    from quote.store import disable_user

    with app.extensions["quote.store"].session() as session:
        disable_user(session, users["sales"])
    response = client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER),
                           headers=bearer(tokens["sales"]))
    assert response.status_code == 401


def test_a_discount_above_the_card_limit_is_422_with_the_field(client, tokens, make_request):
    response = client.post("/api/v1/quotes",
                           json=make_request(discount_percent="50", customer=CUSTOMER),
                           headers=bearer(tokens["admin"]))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "discount_percent"


def test_the_same_idempotency_key_and_body_give_the_same_offer(client, tokens, make_request):
    headers = {**bearer(tokens["sales"]), "Idempotency-Key": "order-17"}
    body = json.dumps(make_request(customer=CUSTOMER))
    first = client.post("/api/v1/quotes", data=body, content_type="application/json",
                        headers=headers)
    second = client.post("/api/v1/quotes", data=body, content_type="application/json",
                         headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json == first.json
    assert second.headers["Idempotent-Replayed"] == "true"
    other_key = client.post("/api/v1/quotes", data=body, content_type="application/json",
                            headers={**headers, "Idempotency-Key": "order-18"})
    assert other_key.json["number"] == "Q-2026-000002"


def test_the_same_request_in_other_json_layout_is_the_same_body(client, tokens, make_request):
    headers = {**bearer(tokens["sales"]), "Idempotency-Key": "order-17"}
    data = make_request(customer=CUSTOMER)
    first = client.post("/api/v1/quotes", data=json.dumps(data),
                        content_type="application/json", headers=headers)
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=4)
    second = client.post("/api/v1/quotes", data=reordered, content_type="application/json",
                         headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["number"] == first.json["number"]


def test_the_same_idempotency_key_with_another_body_is_a_conflict(client, tokens, make_request):
    headers = {**bearer(tokens["sales"]), "Idempotency-Key": "order-17"}
    client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER), headers=headers)
    response = client.post("/api/v1/quotes",
                           json=make_request(license_value="13000.00", customer=CUSTOMER),
                           headers=headers)
    assert response.status_code == 409
    error = response.json["errors"][0]
    assert error["field"] == "Idempotency-Key"
    assert "was used before with another request body (offer Q-2026-000001)" in \
        error["message"]


def test_an_unknown_offer_is_404_and_sales_read_only_their_own(client, tokens, make_request):
    created = client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER),
                          headers=bearer(tokens["admin"])).json["number"]
    assert client.get("/api/v1/quotes/Q-2026-999999",
                      headers=bearer(tokens["sales"])).status_code == 404
    assert client.get(f"/api/v1/quotes/{created}",
                      headers=bearer(tokens["sales"])).status_code == 403


def test_the_pdf_of_an_offer_through_the_api(client, tokens, make_request):
    number = client.post("/api/v1/quotes", json=make_request(customer=CUSTOMER),
                         headers=bearer(tokens["sales"])).json["number"]
    response = client.get(f"/api/v1/quotes/{number}.pdf?lang=ru",
                          headers=bearer(tokens["finance"]))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert f'filename="offer-{number}-ru.pdf"' in response.headers["Content-Disposition"]
    bad = client.get(f"/api/v1/quotes/{number}.pdf?lang=fr", headers=bearer(tokens["sales"]))
    assert bad.status_code == 400
