"""PDFs cost far more than any other answer, so they are protected on their own: limits
per address and for everyone together (only real renders count, staff are exempt), a
render time limit, a cache of identical previews, and a bound on anonymous additions."""

from __future__ import annotations

import pytest

from quote.store import create_api_token, find_user

PREVIEW_PDF = "/api/v1/quotes/preview.pdf"


def _additions(count: int) -> list[dict]:
    return [{"date": f"2026-{month:02d}-{day:02d}", "license_value": "100"}
            for month, day in ((m, d) for m in range(2, 13) for d in (1, 15))][:count]


@pytest.fixture
def limited(make_app):
    """Factory: an app whose PDF limits are the given ones (other limits generous)."""

    def make(per_client: str = "100 per minute", everyone: str = "100 per minute", **config):
        return make_app(RATELIMIT_ENABLED=True, LIMIT_PREVIEW="1000 per minute",
                        LIMIT_PDF=per_client, LIMIT_PDF_GLOBAL=everyone, **config)

    return make


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_address_may_render_only_so_many_pdfs(limited, make_request):
    client = _from(limited(per_client="2 per minute"), "198.51.100.1")
    for years in (1, 2):
        assert client.post(PREVIEW_PDF, json=make_request(term_years=years)).status_code == 200
    refused = client.post(PREVIEW_PDF, json=make_request(term_years=3))
    assert refused.status_code == 429
    assert refused.json["errors"][0]["message"].startswith("Too many PDFs from your address")
    assert "Retry-After" in refused.headers
    assert client.post("/api/v1/quotes/preview", json=make_request()).status_code == 200


def test_all_anonymous_callers_together_may_render_only_so_many(limited, make_request):
    app = limited(everyone="2 per minute")
    for number, years in ((1, 1), (2, 2)):
        response = _from(app, f"198.51.100.{number}").post(
            PREVIEW_PDF, json=make_request(term_years=years))
        assert response.status_code == 200
    refused = _from(app, "198.51.100.3").post(PREVIEW_PDF, json=make_request(term_years=3))
    assert refused.status_code == 429
    assert refused.json["errors"][0]["message"].startswith("Too many PDFs are being made")


def test_staff_with_an_api_token_are_not_limited(limited, make_request, users):
    app = limited(per_client="1 per minute", everyone="1 per minute")
    with app.extensions["quote.store"].session() as session:
        token = create_api_token(session, find_user(session, users["sales"])).token
    client = _from(app, "198.51.100.1")
    for years in (1, 2):
        response = client.post(PREVIEW_PDF, json=make_request(term_years=years),
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200


def test_the_form_s_pdf_button_is_limited_but_its_previews_are_not(limited, form_data):
    client = _from(limited(per_client="1 per minute"), "198.51.100.1")
    assert client.post("/", data=form_data(action="pdf")).mimetype == "application/pdf"
    assert client.post("/", data=form_data(action="pdf", term_years="2")).status_code == 429
    assert client.post("/", data=form_data()).status_code == 200


def test_an_identical_preview_is_answered_from_the_cache(app, client, make_request):
    cache = app.extensions["quote.preview_pdfs"]
    first = client.post(PREVIEW_PDF, json=make_request())
    again = client.post(PREVIEW_PDF, json=dict(reversed(make_request().items())))
    assert first.data == again.data
    assert len(cache._pdfs) == 1
    client.post(PREVIEW_PDF, json=make_request(language="de"))
    assert len(cache._pdfs) == 2


def test_a_render_that_takes_too_long_is_stopped_with_503(make_app, make_request, form_data):
    app = make_app(PDF_RENDER_TIMEOUT=0.001)
    client = app.test_client()
    response = client.post(PREVIEW_PDF, json=make_request(additions=_additions(20)))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "took too long" in response.json["errors"][0]["message"]
    page = client.post("/", data=form_data(action="pdf"))
    assert page.status_code == 503
    assert "took too long" in page.get_data(as_text=True)
    assert client.post("/api/v1/quotes/preview", json=make_request()).status_code == 200


def test_anonymous_requests_carry_a_bounded_number_of_additions(client, make_request, tokens):
    many = make_request(additions=_additions(21))
    refused = client.post("/api/v1/quotes/preview", json=many)
    assert refused.status_code == 403
    assert refused.json["errors"][0]["field"] == "additions"
    assert "at most 20 additions" in refused.json["errors"][0]["message"]
    assert client.post("/api/v1/quotes/preview",
                       json=make_request(additions=_additions(20))).status_code == 200
    staff = client.post("/api/v1/quotes/preview", json=many,
                        headers={"Authorization": f"Bearer {tokens['sales']}"})
    assert staff.status_code == 200


def test_the_anonymous_form_refuses_more_additions_than_the_bound(client, form_data):
    data = form_data()
    for row, addition in enumerate(_additions(21)):
        data[f"additions-{row}-date"] = addition["date"]
        data[f"additions-{row}-license_value"] = addition["license_value"]
    response = client.post("/", data=data)
    assert response.status_code == 422
    assert "at most 20 additions" in response.get_data(as_text=True)


def test_renders_take_a_slot_and_a_busy_host_answers_503_at_once(make_app, make_request,
                                                                  tmp_path, tokens):
    app = make_app(PDF_RENDER_SLOTS=1, PDF_SLOT_WAIT_STAFF=0.2)
    slots = app.extensions["quote.render_slots"]
    client = app.test_client()
    with slots.slot(wait=0):  # another worker renders
        busy = client.post(PREVIEW_PDF, json=make_request())
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "5"
        assert "Many PDFs are being made" in busy.json["errors"][0]["message"]
        staff = client.post(PREVIEW_PDF, json=make_request(),
                            headers={"Authorization": f"Bearer {tokens['sales']}"})
        assert staff.status_code == 503  # waited 0.2 s for the slot
    for years in (1, 2):  # the slot is free again, and given back after each render
        assert client.post(PREVIEW_PDF, json=make_request(term_years=years)).status_code == 200


def test_a_busy_host_refuses_an_anonymous_draft_before_reading_it(make_app, form_data):
    app = make_app(PDF_RENDER_SLOTS=1)
    client = app.test_client()
    with app.extensions["quote.render_slots"].slot(wait=0):
        # not even the body is read: an unreadable one gets the same 503
        assert client.post(PREVIEW_PDF, data="not json").status_code == 503
        assert client.post("/", data=form_data(action="pdf")).status_code == 503
        assert client.post("/", data=form_data()).status_code == 200  # previews go on


def test_counting_requests_starts_no_thread(make_app, make_request, monkeypatch):
    """The default limit storage purges in the request's thread; limits' plain memory://
    starts a timer thread after nearly every request."""
    import threading
    import time

    started = []
    original = threading.Thread.start

    def counted(thread, *args, **kwargs):
        started.append(thread)
        return original(thread, *args, **kwargs)

    client = make_app(RATELIMIT_ENABLED=True).test_client()
    client.post("/api/v1/quotes/preview", json=make_request())
    monkeypatch.setattr(threading.Thread, "start", counted)
    for _ in range(10):
        assert client.post("/api/v1/quotes/preview", json=make_request()).status_code == 200
        time.sleep(0.02)  # longer than the plain storage's 10 ms timer
    assert started == []
