"""Issuing offers from the form, the offer page and its actions, and customers' links."""

from __future__ import annotations

import re

import pytest
from offer_helpers import CUSTOMER, CUSTOMER_FIELDS, store_offer

from quote.store import find_by_number


def number_in(location: str) -> str:
    return re.search(r"/offers/(Q-\d{4}-\d{6})$", location).group(1)


def test_sales_issue_an_offer_and_see_its_page(sign_in, form_data):
    client = sign_in("sales")
    response = client.post("/offers/issue", data=form_data(confirm="1", **CUSTOMER_FIELDS))
    assert response.status_code == 302
    number = number_in(response.location)
    assert number == "Q-2026-000001"
    page = client.get(response.location).get_data(as_text=True)
    assert f"Offer {number}" in page
    assert 'data-status="issued"' in page
    assert "€2,400.00" in page
    for language in ("de", "en", "ru"):
        assert f'href="/offers/{number}/offer-{language}.pdf"' in page
    assert "Mark as accepted" in page and "Withdraw" in page


def test_a_form_with_errors_issues_nothing(sign_in, form_data, app):
    response = sign_in("sales").post("/offers/issue",
                                     data=form_data(license_value="abc", confirm="1"))
    assert response.status_code == 422
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert find_by_number(session, "Q-2026-000001") is None


def test_finance_sees_the_offer_but_no_actions(sign_in, app, users, make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    page = sign_in("finance").get(f"/offers/{number}").get_data(as_text=True)
    assert "Mark as accepted" not in page and "Withdraw" not in page
    assert 'id="issue-offer"' not in sign_in("finance").get("/").get_data(as_text=True)


def test_withdrawing_and_then_accepting_says_why_not(sign_in, app, users, make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    client = sign_in("sales")
    client.post(f"/offers/{number}/withdraw")
    response = client.post(f"/offers/{number}/accept", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"Offer {number} is Withdrawn and cannot be accepted." in page
    assert 'data-status="withdrawn"' in page


def test_revising_issues_a_new_offer_that_replaces_the_old(sign_in, app, users, make_request,
                                                           form_data):
    old = store_offer(app, make_request(license_value="12000.00", customer=CUSTOMER),
                      users["sales"]).offer.number
    client = sign_in("sales")
    form = client.get(f"/offers/{old}/revise").get_data(as_text=True)
    assert f'name="revises" value="{old}"' in form
    assert 'value="12,000.00"' in form  # prefilled
    response = client.post("/offers/issue", data=form_data(revises=old, confirm="1",
                                                           license_value="20,000.00",
                                                           **CUSTOMER_FIELDS))
    new = number_in(response.location)
    assert new != old
    page = client.get(f"/offers/{new}").get_data(as_text=True)
    assert f'href="/offers/{old}">{old}</a>' in page
    old_page = client.get(f"/offers/{old}").get_data(as_text=True)
    assert 'data-status="superseded"' in old_page
    with app.extensions["quote.store"].session(read_only=True) as session:  # the stored relation
        assert find_by_number(session, new).replaces_id == find_by_number(session, old).id


def test_a_customer_requests_an_offer_and_gets_a_link_once(client, form_data, app):
    response = client.post("/request", data=form_data(**CUSTOMER_FIELDS))
    assert response.status_code == 303  # a reload of the confirmation requests nothing
    assert response.headers["Location"].startswith("/q/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'id="public-link">([^<]+)<', page).group(1)
    path = link.removeprefix("http://localhost")
    assert path.startswith("/q/")
    assert "shown only once" in page
    again = client.get(path).get_data(as_text=True)
    assert "Offer Q-2026-000001" in again
    assert "shown only once" not in again and "public-link" not in again
    assert "Mark as accepted" not in again
    for language in ("de", "en", "ru"):
        assert f'href="{path}/offer-{language}.pdf"' in again
    with app.extensions["quote.store"].session(read_only=True) as session:
        offer = find_by_number(session, "Q-2026-000001")
    assert offer.issuer_id is None and offer.discount == 0


@pytest.mark.parametrize("role", ["sales", "finance"])
def test_the_public_request_button_is_for_customers_only(sign_in, role):
    assert 'id="request-offer"' in sign_in(None).get("/").get_data(as_text=True)
    assert 'id="request-offer"' not in sign_in(role).get("/").get_data(as_text=True)


def test_the_pdf_of_a_link_is_the_offers_pdf_and_cached(client, app, make_request):
    issued = store_offer(app, make_request(), None, public=True)
    response = client.get(f"/q/{issued.token}/offer-de.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f"offer-{issued.offer.number}-de.pdf" in response.headers["Content-Disposition"]
    assert client.get(f"/q/{issued.token}/offer-de.pdf").data == response.data
    assert client.get(f"/q/{issued.token}/offer-xx.pdf").status_code == 404


def test_pages_of_an_offer_speak_the_visitors_language(sign_in, app, users, make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    page = sign_in("sales").get(f"/offers/{number}?lang=de").get_data(as_text=True)
    assert f"Angebot {number}" in page
    assert "2.400,00" in page
