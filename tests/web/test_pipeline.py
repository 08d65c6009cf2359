"""The sales pipeline's pages: "My offers" (an admin's: all offers), searched, filtered and
ordered by what runs out first, and the inbox of self-service requests, emptied by
opening a request or marking it seen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from offer_helpers import CUSTOMER_FIELDS

from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import (
    NewContact,
    add_customer,
    add_user,
    find_by_number,
    find_user,
    issue,
    withdraw,
)

PASSWORD = "correct horse battery"


def store_of(app):
    return app.extensions["quote.store"]


@pytest.fixture
def offer_of(app, make_request):
    """Factory: an offer issued on 10 January 2026 by ``email`` (None: a customer's own
    request), valid ``days`` days; returns its number."""

    def make(email: str | None, *, days: int = 30, company: str = "ACME GmbH") -> str:
        book = app.extensions["quote.rates"]
        request = parse_request(make_request(customer={"company": company}))
        result = price_quote(request, book, dt.date(2026, 1, 1))
        draft = offer_document(request, result, book.priced_with(result), valid_days=days)
        with store_of(app).session() as session:
            issuer = find_user(session, email).id if email else None
            return issue(session, draft, issuer_id=issuer, public=email is None,
                         now=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)).offer.number

    return make


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<tr data-number="(Q-\d{4}-\d{6})"', page)


def test_sales_see_their_own_offers_and_admin_sees_all(sign_in, users, offer_of):
    mine = offer_of(users["sales"], company="Mine AG")
    theirs = offer_of(users["admin"], company="Theirs AG")
    page = sign_in("sales").get("/offers").get_data(as_text=True)
    assert "<h1>My offers</h1>" in page
    assert numbers_in(page) == [mine]
    everything = sign_in("admin").get("/offers").get_data(as_text=True)
    assert "<h1>All offers</h1>" in everything
    assert sorted(numbers_in(everything)) == sorted([mine, theirs])
    assert sign_in("finance").get("/offers").status_code == 403
    assert sign_in(None).get("/offers").location.startswith("/sign-in?next=")


def test_open_offers_that_run_out_soonest_come_first(sign_in, app, users, offer_of):
    late = offer_of(users["sales"], days=40, company="Late AG")     # to 19 February
    soon = offer_of(users["sales"], days=10, company="Soon AG")     # to 20 January
    gone = offer_of(users["sales"], days=40, company="Gone AG")
    with store_of(app).session() as session:
        withdraw(session, find_by_number(session, gone))
    page = sign_in("sales").get("/offers").get_data(as_text=True)
    assert numbers_in(page) == [soon, late, gone]
    assert "5 days left" in page and "35 days left" in page  # seen on 15 January


def test_searching_by_number_or_customer_and_filtering_by_status(sign_in, app, users,
                                                                 offer_of):
    acme = offer_of(users["sales"], company="ACME GmbH")
    mueller = offer_of(users["sales"], company="Müller AG")
    with store_of(app).session() as session:
        withdraw(session, find_by_number(session, acme))
    client = sign_in("sales")
    assert numbers_in(client.get("/offers?q=müller").get_data(as_text=True)) == [mueller]
    by_number = client.get(f"/offers?q={acme[-6:]}").get_data(as_text=True)
    assert numbers_in(by_number) == [acme]
    withdrawn = client.get("/offers?status=withdrawn").get_data(as_text=True)
    assert numbers_in(withdrawn) == [acme]
    assert "Matching offers: 1<" in withdrawn
    assert numbers_in(client.get("/offers?q=nobody").get_data(as_text=True)) == []
    unknown = client.get("/offers?status=bogus&page=x").get_data(as_text=True)
    assert sorted(numbers_in(unknown)) == sorted([acme, mueller])  # ignored, not a 500


def test_the_list_pages(sign_in, app, users, offer_of):
    app.config["PIPELINE_PER_PAGE"] = 2
    for _ in range(3):
        offer_of(users["sales"])
    client = sign_in("sales")
    first = client.get("/offers").get_data(as_text=True)
    assert len(numbers_in(first)) == 2 and "Page 1 of 2" in first
    assert len(numbers_in(client.get("/offers?page=2").get_data(as_text=True))) == 1


@pytest.fixture
def colleague(app):
    """A second salesperson, who owns the customer Müller AG (Germany)."""
    with store_of(app).session() as session:
        other = add_user(session, "other@example.com", "Other Sales", PASSWORD, role="sales")
        add_customer(session, company="Müller AG", country="DE", owner_id=other.id,
                     contacts=[NewContact("Jörg Müller", "joerg@mueller.example")])
    return "other@example.com"


def request_offer(client, form_data, company: str, country: str) -> str:
    """A customer's request on the public form; returns the offer's number."""
    response = client.post("/request", data=form_data(**{
        **CUSTOMER_FIELDS, "customer-company": company, "customer-country": country}))
    page = client.get(response.location).get_data(as_text=True)
    return re.search(r"Offer (Q-\d{4}-\d{6})", page).group(1)


def test_requests_go_to_the_known_customer_s_owner_else_to_every_salesperson(
        sign_in, app, client, form_data, colleague):
    owned = request_offer(client, form_data, "MÜLLER AG", "Germany")
    unknown = request_offer(client, form_data, "Fresh Ltd", "GB")
    other = sign_in(None)
    other.post("/sign-in", data={"email": colleague, "password": PASSWORD})
    assert numbers_in(other.get("/offers/inbox").get_data(as_text=True)) == [owned, unknown]
    sales = sign_in("sales")
    page = sales.get("/offers/inbox").get_data(as_text=True)
    assert numbers_in(page) == [unknown]
    assert re.search(r'id="inbox-count"[^>]*>1<', page)
    admin = sign_in("admin").get("/offers/inbox").get_data(as_text=True)
    assert numbers_in(admin) == [owned, unknown]
    assert re.search(r'id="inbox-count"[^>]*>2<', admin)
    assert sign_in("finance").get("/offers/inbox").status_code == 403
    assert 'id="inbox-count"' not in sign_in("finance").get("/").get_data(as_text=True)


def test_opening_a_request_takes_it_out_of_every_inbox(sign_in, app, client, form_data):
    requested = request_offer(client, form_data, "Fresh Ltd", "GB")
    sign_in("finance").get(f"/offers/{requested}")  # finance reading it is no follow-up
    admin = sign_in("admin")
    assert numbers_in(admin.get("/offers/inbox").get_data(as_text=True)) == [requested]
    sales = sign_in("sales")
    assert sales.get(f"/offers/{requested}").status_code == 200
    assert numbers_in(admin.get("/offers/inbox").get_data(as_text=True)) == []
    assert "No requests are waiting." in sales.get("/offers/inbox").get_data(as_text=True)
    with store_of(app).session(read_only=True) as session:
        seen = find_by_number(session, requested)
        assert seen.seen_by.email == "sales@example.com"


def test_marking_a_request_seen_without_opening_it(sign_in, client, form_data, users,
                                                   offer_of):
    requested = request_offer(client, form_data, "Fresh Ltd", "GB")
    sales = sign_in("sales")
    response = sales.post(f"/offers/{requested}/seen", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"Request {requested} is marked as seen." in page
    assert numbers_in(page) == []
    staff_offer = offer_of(users["sales"])
    assert sales.post(f"/offers/{staff_offer}/seen").status_code == 404  # not a request


def test_marking_seen_needs_the_csrf_token(make_app, users, form_data):
    app = make_app(WTF_CSRF_ENABLED=True)
    customer = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      customer.get("/").get_data(as_text=True)).group(1)
    requested = request_offer(customer, lambda **f: form_data(csrf_token=token, **f),
                              "Fresh Ltd", "GB")
    sales = app.test_client()
    sign_in_page = sales.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      sign_in_page).group(1)
    sales.post("/sign-in", data={"email": users["sales"], "password": PASSWORD,
                                 "csrf_token": token})
    assert sales.post(f"/offers/{requested}/seen").status_code == 400
    inbox = sales.get("/offers/inbox").get_data(as_text=True)
    assert numbers_in(inbox) == [requested]


def test_the_navigation_leads_to_the_pipeline(sign_in):
    page = sign_in("sales").get("/").get_data(as_text=True)
    assert 'id="nav-offers">My offers</a>' in page
    assert 'href="/offers/inbox" id="nav-inbox"' in page
    assert 'id="nav-offers">All offers</a>' in sign_in("admin").get("/").get_data(as_text=True)
    assert 'id="nav-offers"' not in sign_in("finance").get("/").get_data(as_text=True)
    german = sign_in("sales").get("/offers?lang=de").get_data(as_text=True)
    assert "<h1>Meine Angebote</h1>" in german and "Anfragen" in german
