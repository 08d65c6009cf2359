"""Who may do what: every role reaches its pages and gets 403 elsewhere; anonymous visitors
are sent to the sign-in page (pages) or get 401 (API)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from offer_helpers import CUSTOMER_FIELDS, store_offer

from quote.store import find_by_number


@pytest.fixture
def offers(app, users, make_request):
    """An offer issued by sales, one by admin, and a customer's self-service request."""
    customer = {"company": "ACME", "email": "buyer@acme.example", "country": "DE"}
    by_sales = store_offer(app, make_request(customer=customer), users["sales"]).offer.number
    by_admin = store_offer(app, make_request(customer=customer), users["admin"]).offer.number
    requested = store_offer(app, make_request(customer=customer), None,
                            public=True).offer.number
    return {"sales": by_sales, "admin": by_admin, "customer": requested}


# (role, method, url, expected status); {sales}/{admin}/{customer}: their offers' numbers
ACCESS = [
    # the offer page
    ("sales", "GET", "/offers/{sales}", 200),
    ("sales", "GET", "/offers/{customer}", 200),
    ("sales", "GET", "/offers/{admin}", 403),
    ("finance", "GET", "/offers/{sales}", 200),
    ("finance", "GET", "/offers/{admin}", 200),
    ("admin", "GET", "/offers/{sales}", 200),
    ("sales", "GET", "/offers/Q-2026-999999", 404),
    # actions on offers: sales and admin, not finance
    ("sales", "GET", "/offers/{sales}/revise", 200),
    ("admin", "GET", "/offers/{sales}/revise", 200),
    ("finance", "GET", "/offers/{sales}/revise", 403),
    ("finance", "POST", "/offers/{sales}/accept", 403),
    ("finance", "GET", "/offers/{sales}/accept", 403),
    ("sales", "GET", "/offers/{sales}/accept", 200),
    ("sales", "GET", "/offers/{sales}/withdraw", 200),
    ("finance", "POST", "/offers/{sales}/withdraw", 403),
    ("sales", "POST", "/offers/{admin}/withdraw", 403),
    ("sales", "POST", "/offers/{sales}/accept", 422),  # without the person who accepted
    ("admin", "POST", "/offers/{sales}/withdraw", 303),
    ("finance", "POST", "/offers/issue", 403),
    # sending an offer to the customer: sales (their own and self-service) and admin
    ("sales", "POST", "/offers/{sales}/send", 303),
    ("sales", "POST", "/offers/{customer}/send", 303),
    ("sales", "POST", "/offers/{admin}/send", 403),
    ("admin", "POST", "/offers/{sales}/send", 303),
    ("finance", "POST", "/offers/{sales}/send", 403),
    # finance pages: finance only
    ("finance", "GET", "/finance/offers", 200),
    ("finance", "GET", "/finance/offers?format=csv&locale=de", 200),
    ("sales", "GET", "/finance/offers", 403),
    ("sales", "GET", "/finance/offers?format=csv&locale=en", 403),
    ("admin", "GET", "/finance/offers", 403),
    # user management: admin only
    ("admin", "GET", "/admin/users", 200),
    ("sales", "GET", "/admin/users", 403),
    ("finance", "GET", "/admin/users", 403),
    ("sales", "POST", "/admin/users", 403),
    ("finance", "POST", "/admin/users/1/disable", 403),
    # each role's start page
    ("sales", "GET", "/staff/", 302),
    ("finance", "GET", "/staff/", 302),
    ("admin", "GET", "/staff/", 302),
]


@pytest.mark.parametrize(("role", "method", "url", "expected"), ACCESS)
def test_each_role_reaches_what_it_should(sign_in, offers, role, method, url, expected):
    client = sign_in(role)
    response = client.open(url.format(**offers), method=method)
    assert response.status_code == expected


STAFF_PAGES = [
    ("GET", "/offers/{sales}"), ("GET", "/offers/{sales}/offer-en.pdf"),
    ("GET", "/offers/{sales}/revise"), ("POST", "/offers/{sales}/accept"),
    ("POST", "/offers/{sales}/send"),
    ("POST", "/offers/issue"), ("GET", "/finance/offers"), ("GET", "/admin/users"),
    ("POST", "/admin/users"), ("GET", "/staff/"),
]


@pytest.mark.parametrize(("method", "url"), STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, offers, method, url):
    response = client.open(url.format(**offers), method=method)
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")


@pytest.mark.parametrize(("method", "url"), [
    ("POST", "/api/v1/quotes"), ("GET", "/api/v1/quotes/{sales}"),
    ("GET", "/api/v1/quotes/{sales}.pdf"),
])
def test_the_staff_api_answers_anonymous_requests_with_401(client, offers, method, url):
    response = client.open(url.format(**offers), method=method, json={})
    assert response.status_code == 401
    assert response.is_json
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_accepted_offer_is_accepted_for_everyone(sign_in, app, offers):
    sign_in("sales").post(f"/offers/{offers['sales']}/accept", data={"name": "Ann Buyer"})
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert find_by_number(session, offers["sales"]).status == "accepted"


# Sign-in


def test_signing_in_with_the_right_password_shows_who_is_signed_in(sign_in):
    page = sign_in("sales").get("/").get_data(as_text=True)
    assert "Signed in as Sales Person (Sales)" in page
    assert 'id="issue-offer"' in page


def test_a_wrong_password_is_refused_in_the_pages_language(client, users):
    response = client.post("/sign-in?lang=de", data={"email": users["sales"],
                                                      "password": "wrong password!"})
    assert response.status_code == 401
    assert "E-Mail-Adresse oder das Passwort ist falsch" in response.get_data(as_text=True)


def test_a_disabled_user_cannot_sign_in(client, app, users):
    from quote.store import disable_user

    with app.extensions["quote.store"].session() as session:
        disable_user(session, users["sales"])
    response = client.post("/sign-in", data={"email": users["sales"],
                                             "password": "correct horse battery"})
    assert response.status_code == 401


def test_sign_in_goes_back_to_the_page_asked_for_but_never_elsewhere(client, users):
    data = {"email": users["finance"], "password": "correct horse battery"}
    assert client.post("/sign-in?next=/finance/offers", data=data).location == "/finance/offers"
    client.post("/sign-out")
    elsewhere = client.post("/sign-in?next=//evil.example/", data=data)
    assert elsewhere.location == "/finance/offers"  # finance's home, not the other site


@pytest.mark.parametrize("target", [
    "/\r\nX:1", "/\nSet-Cookie:x=1", "/\\evil.example", "https://evil.example/",
    "/\t/evil.example", "/a b", "javascript:alert(1)", "/" + "a" * 3000])
def test_a_next_parameter_that_is_not_a_plain_local_path_is_ignored(client, users, target):
    data = {"email": users["finance"], "password": "correct horse battery"}
    response = client.post(f"/sign-in?next={quote(target, safe='')}", data=data)
    assert response.status_code == 302
    assert response.location == "/finance/offers"


def test_a_next_parameter_with_a_query_is_kept(client, users):
    data = {"email": users["finance"], "password": "correct horse battery"}
    response = client.post("/sign-in", query_string={"next": "/finance/offers?status=issued"},
                           data=data)
    assert response.location == "/finance/offers?status=issued"


def test_signing_out_ends_the_session(sign_in):
    client = sign_in("finance")
    assert client.get("/finance/offers").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert client.get("/finance/offers").status_code == 302


def test_session_protection_is_strong_and_cookies_are_safe(make_app):
    from quote.web.auth import login_manager

    app = make_app(TESTING=False, ENV="production", SECRET_KEY="s" * 32)
    assert login_manager.session_protection == "strong"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


# CSRF


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_sign_in_without_csrf_token_is_refused(make_app, users):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/sign-in", data={"email": users["sales"],
                                             "password": "correct horse battery"})
    assert response.status_code == 400
    token = _token(client.get("/sign-in").get_data(as_text=True))
    signed_in = client.post("/sign-in", data={"email": users["sales"], "csrf_token": token,
                                              "password": "correct horse battery"})
    assert signed_in.status_code == 302


def test_issuing_and_user_admin_without_csrf_token_are_refused(make_app, users, form_data):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = _token(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"email": users["admin"], "csrf_token": token,
                                  "password": "correct horse battery"})
    assert client.post("/offers/issue", data=form_data()).status_code == 400
    assert client.post("/admin/users/1/disable").status_code == 400
    assert client.post("/sign-out").status_code == 400


# Discounts


def test_sales_may_give_a_discount_within_the_card_limit(sign_in, form_data):
    client = sign_in("sales")
    response = client.post("/offers/issue", data=form_data(discount_percent="5", confirm="1",
                                                           **CUSTOMER_FIELDS))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "€2,280.00" in page  # 2400.00 less 5 %


def test_a_discount_above_the_card_limit_is_refused_at_the_field(sign_in, form_data):
    response = sign_in("sales").post("/offers/issue",
                                     data=form_data(discount_percent="50", confirm="1"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="discount_percent-error">[^<]+', page)


def test_a_customer_cannot_request_a_discount(client, form_data):
    response = client.post("/request", data=form_data(discount_percent="5"))
    assert response.status_code == 422
    assert "A discount can only be given by staff." in response.get_data(as_text=True)


# Public links and rate limits


def test_an_unknown_link_is_404(client):
    assert client.get("/q/no-such-token").status_code == 404
    assert client.get("/q/no-such-token/offer-de.pdf").status_code == 404


def test_public_links_are_rate_limited_with_a_clear_message(make_app):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PUBLIC_LINK="2 per minute").test_client()
    assert [client.get("/q/unknown").status_code for _ in range(2)] == [404, 404]
    limited = client.get("/q/unknown")
    assert limited.status_code == 429
    assert "Too many requests" in limited.get_data(as_text=True)
    assert "Retry-After" in limited.headers


def test_previews_are_rate_limited_in_the_api_too(make_app, make_request):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PREVIEW="1 per minute").test_client()
    assert client.post("/api/v1/quotes/preview", json=make_request()).status_code == 200
    limited = client.post("/api/v1/quotes/preview", json=make_request())
    assert limited.status_code == 429
    assert limited.json["errors"][0]["message"].startswith("Too many requests")


def test_the_sign_in_page_is_rate_limited(make_app, users):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_SIGN_IN="2 per minute").test_client()
    data = {"email": users["sales"], "password": "wrong password!"}
    assert [client.post("/sign-in", data=data).status_code for _ in range(3)] == [401, 401, 429]


def test_public_requests_are_rate_limited(make_app, form_data):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PUBLIC_REQUEST="1 per hour").test_client()
    assert client.post("/request", data=form_data(**CUSTOMER_FIELDS)).status_code == 303
    assert client.post("/request", data=form_data(**CUSTOMER_FIELDS)).status_code == 429
