"""The JSON answers are written once per request with the least work: the same bytes as
Flask's own JSON provider writes, and each rate limit checked once."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.json.provider import DefaultJSONProvider

from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.web.extensions import limiter

PREVIEW = "/api/v1/quotes/preview"
REQUESTS = {
    "German, with additions": {
        "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
        "license_value": "120000.00", "term_start": "2026-01-01", "term_years": 3,
        "environments": 3, "language": "de",
        "additions": [{"date": "2026-07-01", "license_value": "30000"},
                      {"date": "2027-03-15", "environments": 1}],
        "customer": {"company": "Muster GmbH", "country": "DE"}},
    "Russian, Cyrillic texts": {
        "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
        "license_value": "48250.00", "term_start": "2026-03-01", "term_years": 2,
        "language": "ru", "additions": [{"date": "2026-09-15", "license_value": "7500.00"}],
        "customer": {"company": "ООО «Ромашка»", "country": "RU"}},
    "English, one year": {
        "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
        "license_value": "12000.50", "term_start": "2026-01-15", "language": "en"},
}


@pytest.mark.parametrize("body", REQUESTS.values(), ids=REQUESTS.keys())
def test_a_preview_is_the_bytes_flask_s_own_json_provider_writes(app, client, taxed_book,
                                                                 body):
    response = client.post(PREVIEW, json=body)
    assert response.status_code == 200
    result = price_quote(parse_request(body), taxed_book, dt.date(2026, 1, 15))
    with app.app_context():
        expected = DefaultJSONProvider(app).response(
            result.model_dump(mode="json", exclude_none=True))
    assert response.data == expected.get_data()
    assert response.content_type == expected.content_type == "application/json"


def test_an_error_answer_is_the_bytes_flask_s_own_json_provider_writes(app, client):
    response = client.post(PREVIEW, json={**REQUESTS["English, one year"], "term_years": 0})
    assert response.status_code == 422
    with app.app_context():
        expected = DefaultJSONProvider(app).response(response.json)
    assert response.data == expected.get_data()


def test_in_debug_mode_the_answer_stays_indented_as_flask_writes_it(make_app):
    app = make_app(DEBUG=True)
    response = app.test_client().post(PREVIEW, json=REQUESTS["English, one year"])
    assert response.data.startswith(b'{\n  "annual_cost": ')


def test_a_preview_counts_once_against_its_limit(make_app):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PREVIEW="3 per minute").test_client()
    remaining = [client.post(PREVIEW, json=REQUESTS["English, one year"],
                             environ_base={"REMOTE_ADDR": "192.0.2.7"})
                 .headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = client.post(PREVIEW, json=REQUESTS["English, one year"],
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert refused.status_code == 429


def test_route_limits_are_checked_by_their_routes_only(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    assert limiter._check_request_limit not in app.before_request_funcs[None]


def test_a_configured_default_limit_still_applies_to_every_route(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    try:
        assert limiter._check_request_limit in app.before_request_funcs[None]
        client = app.test_client()
        statuses = [client.get("/health").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])  # the limiter is shared by every app
