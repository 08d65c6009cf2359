"""The JSON answers are written once per request with the least work: the same bytes as
Flask's own JSON provider writes, each rate limit counted with one increment (the
counters of ended windows swept without looking at the live ones), hooks not inspected
again, and no session in the API."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from flask.json.provider import DefaultJSONProvider
from limits.storage import MemoryStorage

from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.web.ratelimit import SweepingMemoryStorage

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


class CountingStorage:
    """The app's rate-limit storage, its calls counted by name."""

    def __init__(self, storage):
        self.storage = storage
        self.calls: Counter = Counter()

    def __getattr__(self, name):
        method = getattr(self.storage, name)

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted


def test_a_limited_request_costs_one_increment_and_one_read_of_its_window(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    storage = app.extensions["quote.rate_limits"].storage = CountingStorage(
        app.extensions["quote.rate_limits"].storage)
    response = app.test_client().post(PREVIEW, json=REQUESTS["English, one year"])
    assert response.headers["X-RateLimit-Remaining"] == "119"
    assert storage.calls == {"incr": 1, "get_expiry": 1}


def test_a_route_without_a_limit_does_not_touch_the_limits(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    storage = app.extensions["quote.rate_limits"].storage = CountingStorage(
        app.extensions["quote.rate_limits"].storage)
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response.headers
    assert storage.calls == {}


def test_without_headers_a_limited_request_costs_one_increment(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_HEADERS_ENABLED=False)
    storage = app.extensions["quote.rate_limits"].storage = CountingStorage(
        app.extensions["quote.rate_limits"].storage)
    response = app.test_client().post(PREVIEW, json=REQUESTS["English, one year"])
    assert "X-RateLimit-Remaining" not in response.headers
    assert storage.calls == {"incr": 1}


def test_the_refusal_says_how_long_to_wait(make_app):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PREVIEW="1 per minute").test_client()
    client.post(PREVIEW, json=REQUESTS["English, one year"])
    refused = client.post(PREVIEW, json=REQUESTS["English, one year"])
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Limit"] == "1"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(refused.headers["Retry-After"]) <= 61
    assert int(refused.headers["X-RateLimit-Reset"]) - time.time() <= 61


def test_the_storage_is_the_configured_one(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    assert type(app.extensions["quote.rate_limits"].storage) is MemoryStorage
    default = make_app(RATELIMIT_ENABLED=True)
    assert type(default.extensions["quote.rate_limits"].storage) is SweepingMemoryStorage


def test_the_default_storage_forgets_ended_windows_and_keeps_the_others():
    storage = SweepingMemoryStorage("quote-memory://")
    for n in range(100):
        storage.incr(f"LIMITER/192.0.2.{n}/api.preview/120/1/minute", 0.05)
    storage.incr("LIMITER/192.0.2.200/api.preview/120/1/minute", 60)
    storage.incr("renewed", 0.05)
    time.sleep(0.06)
    storage.incr("renewed", 60)  # its first window ended: a new one
    storage.sweep()
    assert sorted(storage.storage) == ["LIMITER/192.0.2.200/api.preview/120/1/minute",
                                       "renewed"]
    assert sorted(storage.expirations) == sorted(storage.storage)
    assert storage.get("renewed") == 1


def test_a_request_does_not_inspect_the_hooks_and_the_view_again(app, client, monkeypatch):
    import flask.app

    inspected = []
    original = flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction",
                        lambda func: inspected.append(func) or original(func))
    client.post(PREVIEW, json=REQUESTS["English, one year"])
    first = len(inspected)
    client.post(PREVIEW, json=REQUESTS["English, one year"])
    assert first > 0
    assert len(inspected) == first


def test_an_api_request_neither_reads_nor_writes_the_session_cookie(app, client):
    client.set_cookie("session", "not a signed session")
    response = client.post(PREVIEW, json=REQUESTS["English, one year"])
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers


def test_the_api_documentation_page_keeps_the_sign_in(sign_in):
    client = sign_in("sales")
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert 'id="signed-in-as"' in page
