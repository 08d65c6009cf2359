"""The form prices every kind of offer: a new contract, more for a running contract (billed
annually or prepaid, co-termed or on its own), a renewal and a reinstatement; a revision
keeps every field of the request it revises."""

from __future__ import annotations

import re
from decimal import Decimal

from form_reading import form_fields
from offer_helpers import store_offer

from quote.store import find_by_number

TOP_UP = {"kind": "top_up", "term_years": 3, "as_of": "2026-01-15",
          "additions": [{"date": "2026-07-01", "license_value": "6000.00"}]}


def top_up_form(form_data, **overrides):
    data = form_data(kind="top_up", term_years="3", **{
        "additions-0-date": "2026-07-01", "additions-0-license_value": "6,000.00"})
    data.update(overrides)
    return data


def test_a_top_up_shows_its_billing_schedule_and_the_moves(client, form_data):
    page = client.post("/", data=top_up_form(form_data)).get_data(as_text=True)
    assert 'id="top-up-note"' in page
    assert "€3,004.93" in page  # 1,200.00 × 184/365 + 1,200.00 × 2
    assert "Afterwards the contract costs €3,600.00 a year." in page
    schedule = page[page.index('id="schedule"'):]
    assert schedule.index("€604.93") < schedule.index("€1,200.00")
    assert "Moving the whole contract to another package" in page
    assert "+€16,026.30" in page and "−€2,253.70" in page
    assert "All packages compared" not in page


def test_an_annual_top_up_runs_to_the_year_s_end_and_names_the_new_annual_cost(client,
                                                                            form_data):
    page = client.post("/", data=top_up_form(form_data, billing="annual")).get_data(
        as_text=True)
    assert 'id="total">€604.93<' in page
    assert "From the next contract year on, the contract costs €3,600.00 a year." in page


def test_both_ways_of_pricing_a_top_up_are_shown_side_by_side(client, form_data):
    data = top_up_form(form_data, **{"additions-0-license_value": "1,000.00"})
    page = client.post("/", data=data).get_data(as_text=True)
    table = page[page.index('id="alternatives"'):page.index("</table>",
                                                             page.index('id="alternatives"'))]
    assert "€500.82" in table and "€500.00" in table
    separate = client.post("/", data={**data, "separate_term": "y"}).get_data(as_text=True)
    assert 'id="total">€500.00<' in separate


def test_customers_may_ask_for_more_but_not_for_renewals(client, form_data):
    page = client.get("/").get_data(as_text=True)
    assert 'value="top_up"' in page and 'value="renewal"' not in page
    response = client.post("/", data=form_data(kind="renewal", term_start="2027-01-01",
                                               term_years="3"))
    assert "Price escalation" not in response.get_data(as_text=True)  # read as a new one


def test_sales_price_a_renewal_and_a_reinstatement(sign_in, form_data):
    client = sign_in("sales")
    renewal = client.post("/", data=form_data(kind="renewal", term_start="2027-01-01",
                                              term_years="3")).get_data(as_text=True)
    assert "Price escalation, contract year 3" in renewal and "€7,047.25" in renewal
    reinstated = client.post("/", data=form_data(
        kind="reinstatement", term_start="2025-04-01", lapsed_start="2024-01-01",
        lapsed_end="2024-12-31")).get_data(as_text=True)
    assert "Reinstatement fee" in reinstated and "€3,110.14" in reinstated
    missing = client.post("/", data=form_data(kind="reinstatement"))
    assert missing.status_code == 422
    assert 'id="lapsed_start-error"' in missing.get_data(as_text=True)


CUSTOMER = {"company": "Muster GmbH", "contact": "Erika Mustermann",
            "email": "erika@example.de", "country": "DE"}


def test_accepting_an_offer_makes_the_contract(sign_in, app, users, make_request):
    number = store_offer(app, make_request(term_years=3, customer=CUSTOMER),
                         users["sales"]).offer.number
    client = sign_in("sales")
    page = client.post(f"/offers/{number}/accept", follow_redirects=True).get_data(
        as_text=True)
    assert f"Offer {number} accepted; contract C-000001 is up to date." in page


def test_an_offer_without_its_customer_cannot_make_a_contract(sign_in, app, users,
                                                              make_request):
    number = store_offer(app, make_request(), users["sales"]).offer.number
    page = sign_in("sales").post(f"/offers/{number}/accept", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert f"Offer {number} cannot be accepted:" in text
    assert 'data-status="issued"' in text  # nothing half-done


def test_revising_a_top_up_keeps_it_a_top_up(sign_in, app, users, make_request):
    first = store_offer(app, make_request(term_years=3, customer=CUSTOMER),
                        users["sales"]).offer.number
    client = sign_in("sales")
    client.post(f"/offers/{first}/accept")
    old = store_offer(app, make_request(**TOP_UP, billing="annual", contract="C-000001",
                                        customer=CUSTOMER), users["sales"]).offer
    fields = form_fields(client.get(f"/offers/{old.number}/revise").get_data(as_text=True))
    assert fields["kind"] == "top_up" and fields["billing"] == "annual"
    assert fields["contract"] == "C-000001"
    response = client.post("/offers/issue", data={**fields, "confirm": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    new = re.search(r"(Q-\d{4}-\d{6})$", response.location).group(1)
    with app.extensions["quote.store"].session(read_only=True) as session:
        revised = find_by_number(session, new).document
    kept = {"kind", "existing_contract", "billing", "separate_term", "contract", "lapsed",
            "rate_card_version", "rate_card", "package", "deployment", "license_value",
            "term_start", "term_years", "environments", "additions", "points",
            "discount_percent", "tax_percent", "tax_reason", "language", "customer"}
    was = old.document.request.model_dump()
    now = revised.request.model_dump()
    assert {k: now[k] for k in kept} == {k: was[k] for k in kept}
    assert [line.code for line in revised.result.lines] == ["addition"]
    assert revised.result.net == old.document.result.net == Decimal("604.93")
    # a German customer of a German seller: 19 % of 604.93 = 114.9367 -> 114.94
    assert revised.result.total == old.document.result.total == Decimal("719.87")


def test_the_compare_endpoint_answers_a_top_up_with_moves(client, make_request):
    response = client.post("/api/v1/quotes/compare", json=make_request(**TOP_UP))
    assert response.status_code == 200
    body = response.json
    assert body["basis"] == "moves" and body["moved_from"] == "2026-07-01"
    moves = {entry["package"]["id"]: entry for entry in body["packages"]}
    assert moves["premium"]["move"] == "16026.30" and "total" not in moves["premium"]
    assert moves["basic"]["move"] == "-2253.70"
    assert moves["business"]["annual_cost"] == "3600.00"


def test_a_request_pinned_to_a_card_version_is_shown_and_printed_with_that_version(
        make_app, make_request, tmp_path):
    import shutil

    from quote import resources

    newer = (resources.rates_dir() / "bpmonline.toml").read_text(encoding="utf-8")
    newer = newer.replace('version = "2019.1"', 'version = "2026.1"').replace(
        "effective_from = 2019-01-01", "effective_from = 2026-01-01").replace(
        'percent = "20", minimum = { EUR', 'percent = "22", minimum = { EUR')
    shutil.copyfile(resources.rates_dir() / "bpmonline.toml", tmp_path / "bpmonline.toml")
    (tmp_path / "bpmonline-2026.toml").write_text(newer, encoding="utf-8")
    client = make_app(RATES_DIR=str(tmp_path)).test_client()
    current = client.post("/api/v1/quotes/preview", json=make_request(as_of="2026-01-15"))
    assert current.json["total"] == "2640.00"  # 22 % of 12,000.00
    pinned = client.post("/api/v1/quotes/compare",
                         json=make_request(as_of="2026-01-15", rate_card_version="2019.1"))
    business = next(e for e in pinned.json["packages"] if e["package"]["id"] == "business")
    assert business["total"] == "2400.00"  # 20 % on the version the contract was sold on
    pdf = client.post("/api/v1/quotes/preview.pdf",
                      json=make_request(as_of="2026-01-15", rate_card_version="2019.1"))
    assert pdf.status_code == 200
