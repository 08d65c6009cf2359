"""Issuing from the form takes two steps: "Issue offer" shows a review (the figures, the
customer, the language, the validity) and only its confirmation issues. Going back, a
form posted without the confirmation, changed figures and a missing CSRF token issue
nothing."""

from __future__ import annotations

import re

import pytest
from form_reading import form_fields
from offer_helpers import store_offer
from sqlalchemy import func, select

from quote import resources
from quote.store import Offer, find_by_number, set_phone
from quote.web.app import ConfigError

CUSTOMER = {"customer-company": "ACME GmbH", "customer-contact": "Anna Berg",
            "customer-email": "anna@acme.example", "customer-country": "DE"}


def issued_count(app) -> int:
    with app.extensions["quote.store"].session(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(Offer))


def test_issue_offer_shows_the_review_and_issues_nothing(sign_in, app, form_data):
    response = sign_in("sales").post("/offers/review", data=form_data(
        discount_percent="5", language="de", **CUSTOMER))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Review the offer</h1>" in page
    assert 'id="review-total">€2,713.20<' in page  # 2,400.00 less 5 %, plus 19 % German VAT
    assert 'id="review-customer">ACME GmbH, Anna Berg, anna@acme.example, DE<' in page
    assert 'data-language="de">Deutsch<' in page
    assert 'id="review-valid-until">14 February 2026<' in page  # 15 January + 30 days
    assert "payable within 30 days of invoice" in page
    assert issued_count(app) == 0


def test_confirming_the_review_issues_the_offer_as_reviewed(sign_in, app, form_data):
    client = sign_in("sales")
    review = client.post("/offers/review", data=form_data(discount_percent="5", **CUSTOMER))
    fields = form_fields(review.get_data(as_text=True), "review-form")
    assert fields["customer-company"] == "ACME GmbH" and len(fields["reviewed"]) == 64
    response = client.post("/offers/issue", data={**fields, "confirm": "1"})
    assert response.status_code == 302
    assert response.location == "/offers/Q-2026-000001"
    with app.extensions["quote.store"].session(read_only=True) as session:
        offer = find_by_number(session, "Q-2026-000001")
        assert offer.total == offer.document.result.total
        assert str(offer.total) == "2713.20"  # 2,280.00 net plus 19 % German VAT
        assert offer.customer_contact == "Anna Berg"
    assert issued_count(app) == 1


def test_the_form_posted_without_confirmation_is_only_reviewed(sign_in, app, form_data):
    response = sign_in("sales").post("/offers/issue", data=form_data(**CUSTOMER))
    assert response.status_code == 200
    assert "<h1>Review the offer</h1>" in response.get_data(as_text=True)
    assert issued_count(app) == 0


def test_figures_that_changed_since_the_review_are_reviewed_again(sign_in, app, form_data):
    client = sign_in("sales")
    fields = form_fields(client.post("/offers/review", data=form_data(**CUSTOMER))
                         .get_data(as_text=True), "review-form")
    fields["reviewed"] = "0" * 64  # what another price list would have shown
    response = client.post("/offers/issue", data={**fields, "confirm": "1"})
    assert response.status_code == 200
    assert "The figures have changed since the review" in response.get_data(as_text=True)
    assert issued_count(app) == 0


def test_back_to_the_form_keeps_what_was_entered(sign_in, app, users, form_data,
                                                 make_request):
    old = store_offer(app, make_request(), users["sales"]).offer.number
    client = sign_in("sales")
    fields = form_fields(client.post("/offers/review", data=form_data(
        revises=old, license_value="20,000.00", **CUSTOMER)).get_data(as_text=True),
        "review-form")
    back = client.post("/", data={**fields, "action": "price"}).get_data(as_text=True)
    again = form_fields(back)
    assert again["license_value"] == "20,000.00"
    assert again["customer-company"] == "ACME GmbH"
    assert again["revises"] == old  # still a revision
    assert issued_count(app) == 1  # only the old offer


def test_a_review_of_a_wrong_form_shows_the_form_with_its_errors(sign_in, app, form_data):
    response = sign_in("sales").post("/offers/review", data=form_data(license_value="abc"))
    assert response.status_code == 422
    assert 'id="license_value-error">' in response.get_data(as_text=True)
    assert issued_count(app) == 0


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_the_confirmation_needs_the_csrf_token(make_app, users, form_data):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.post("/sign-in", data={"email": users["sales"], "password": "correct horse battery",
                                  "csrf_token": _token(client.get("/sign-in")
                                                       .get_data(as_text=True))})
    token = _token(client.get("/").get_data(as_text=True))
    assert client.post("/offers/review", data=form_data(**CUSTOMER)).status_code == 400
    review = client.post("/offers/review", data=form_data(csrf_token=token, **CUSTOMER))
    fields = form_fields(review.get_data(as_text=True), "review-form")
    assert fields["csrf_token"]
    without = {name: value for name, value in fields.items() if name != "csrf_token"}
    assert client.post("/offers/issue", data={**without, "confirm": "1"}).status_code == 400
    assert issued_count(app) == 0
    assert client.post("/offers/issue", data={**fields, "confirm": "1"}).status_code == 302
    assert issued_count(app) == 1


def test_calculate_and_issue_look_different(sign_in, client):
    page = sign_in("sales").get("/").get_data(as_text=True)
    calculate = re.search(r'<button type="submit" name="action" value="price" class="(\w+)"',
                          page).group(1)
    issue = re.search(r'id="issue-offer" class="(\w+)"', page).group(1)
    assert (calculate, issue) == ("secondary", "primary")
    public = client.get("/").get_data(as_text=True)  # customers: requesting leads
    assert re.search(r'value="price" class="secondary"', public)
    assert re.search(r'id="request-offer" class="primary"', public)
    css = (resources.static_dir() / "web" / "quote.css").read_text(encoding="utf-8")
    assert "button.primary {" in css and "button.secondary {" in css


def test_the_issued_offer_keeps_the_salesperson_and_the_configured_payment_terms(
        make_app, users, form_data):
    app = make_app(PAYMENT_TERMS_DAYS=14)
    with app.extensions["quote.store"].session() as session:
        set_phone(session, users["sales"], "+49 30 555-12")
    client = app.test_client()
    client.post("/sign-in", data={"email": users["sales"], "password": "correct horse battery"})
    response = client.post("/offers/issue", data=form_data(confirm="1", **CUSTOMER))
    assert response.status_code == 302
    with app.extensions["quote.store"].session(read_only=True) as session:
        document = find_by_number(session, "Q-2026-000001").document
    assert (document.contact.name, document.contact.email, document.contact.phone) == (
        "Sales Person", "sales@example.com", "+49 30 555-12")
    assert document.payment_days == 14


def test_payment_terms_outside_a_year_are_refused_at_start(make_app):
    for days in (-1, 366, "thirty", True):
        with pytest.raises(ConfigError, match="QUOTE_PAYMENT_TERMS_DAYS"):
            make_app(PAYMENT_TERMS_DAYS=days)
    assert make_app(PAYMENT_TERMS_DAYS="45").config["PAYMENT_TERMS_DAYS"] == 45
