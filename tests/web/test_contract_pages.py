"""Staff find a customer, open the running contract, offer more licenses on it from the
quote form filled in from the contract, and the accepted offer grows the contract."""

from __future__ import annotations

import re

from form_reading import form_fields
from offer_helpers import store_offer

CUSTOMER = {"company": "Muster GmbH", "contact": "Erika Mustermann",
            "email": "erika@example.de", "country": "DE"}


def _contract(app, users, sign_in, make_request, **request):
    """A contract C-000001 made by accepting a new 3-year offer; the signed-in client."""
    number = store_offer(app, make_request(term_years=3, customer=CUSTOMER, **request),
                         users["sales"]).offer.number
    client = sign_in("sales")
    client.post(f"/offers/{number}/accept")
    return client


def test_sales_find_the_customer_and_open_the_contract(app, users, sign_in, make_request):
    client = _contract(app, users, sign_in, make_request)
    found = client.get("/customers?q=muster").get_data(as_text=True)
    assert "Muster GmbH" in found
    customer = re.search(r'href="(/customers/\d+)"', found).group(1)
    page = client.get(customer).get_data(as_text=True)
    assert 'href="/contracts/C-000001"' in page and "Erika Mustermann" in page
    contract = client.get("/contracts/C-000001").get_data(as_text=True)
    assert 'data-status="active"' in contract
    assert "€12,000.00" in contract and "€2,400.00" in contract  # license, annual cost
    assert 'data-event="created"' in contract
    assert "No customer matches" in client.get("/customers?q=nobody").get_data(as_text=True)


def test_more_licenses_from_the_contract_page_grow_the_contract(app, users, sign_in,
                                                                 make_request):
    client = _contract(app, users, sign_in, make_request)
    form = client.get("/contracts/C-000001/top-up").get_data(as_text=True)
    fields = form_fields(form)
    assert fields["kind"] == "top_up" and fields["contract"] == "C-000001"
    assert fields["rate_card_version"] == "2019.1"
    assert fields["license_value"] == "12,000.00" and fields["term_years"] == "3"
    fields.update({"additions-0-date": "2026-07-01", "additions-0-license_value": "6,000.00"})
    issued = client.post("/offers/issue", data={**fields, "confirm": "1"})
    assert issued.status_code == 302, issued.get_data(as_text=True)
    top_up = re.search(r"(Q-\d{4}-\d{6})$", issued.location).group(1)
    page = client.get(f"/offers/{top_up}").get_data(as_text=True)
    assert "€3,004.93" in page  # 1,200.00 × 184/365 + 1,200.00 × 2
    client.post(f"/offers/{top_up}/accept")
    contract = client.get("/contracts/C-000001").get_data(as_text=True)
    assert "€18,000.00" in contract and "€3,600.00" in contract
    assert 'data-event="top_up"' in contract and top_up in contract


def test_an_ended_contract_offers_reinstatement(app, users, sign_in, make_request,
                                                 make_app):
    _contract(app, users, sign_in, make_request, term_start="2022-01-01", as_of="2022-01-01")
    page = sign_in("sales").get("/contracts/C-000001").get_data(as_text=True)
    assert 'data-status="ended"' in page and 'id="reinstate"' in page
    assert 'id="top-up"' not in page
    form = form_fields(sign_in("sales").get("/contracts/C-000001/reinstatement")
                       .get_data(as_text=True))
    assert form["kind"] == "reinstatement" and form["lapsed_end"] == "2024-12-31"


def test_finance_reads_contracts_but_offers_nothing(app, users, sign_in, make_request):
    _contract(app, users, sign_in, make_request)
    finance = sign_in("finance")
    page = finance.get("/contracts/C-000001").get_data(as_text=True)
    assert 'id="contract-actions"' not in page
    assert finance.get("/contracts/C-000001/top-up").status_code == 403
    assert sign_in("finance").get("/contracts/C-999999").status_code == 404


def test_more_for_a_running_contract_not_yet_in_the_system(app, users, sign_in, form_data):
    # a customer asks on the public form for +6,000.00 on 2026-07-01 to the contract it
    # has (12,000.00 from 2026-01-01 for three years, prepaid):
    # 1,200.00 × 184/365 + 1,200.00 × 2 = 3,004.93
    data = form_data(kind="top_up", term_years="3", **{
        "additions-0-date": "2026-07-01", "additions-0-license_value": "6,000.00",
        "customer-company": "Nordlicht AG", "customer-contact": "Nina Nord",
        "customer-email": "nina@nordlicht.example", "customer-country": "Germany"})
    requested = app.test_client().post("/request", data=data)
    assert requested.status_code == 303
    client = sign_in("sales")
    offer = client.get(requested.location).get_data(as_text=True)
    number = re.search(r"Offer (Q-\d{4}-\d{6})", offer).group(1)
    assert "€3,004.93" in offer
    accepted = client.post(f"/offers/{number}/accept", follow_redirects=True)
    page = accepted.get_data(as_text=True)
    assert f"Offer {number} accepted; contract C-000001 is up to date." in page
    assert '<dd id="offer-contract"><a href="/contracts/C-000001">C-000001</a></dd>' in page
    found = client.get("/customers?q=nordlicht").get_data(as_text=True)
    assert "Nordlicht AG" in found and "Nina Nord" in found
    contract = client.get("/contracts/C-000001").get_data(as_text=True)
    assert 'id="contract-license-value">€18,000.00<' in contract  # as it runs now
    assert 'data-event="created"' in contract and 'data-event="top_up"' in contract
    assert number in contract
