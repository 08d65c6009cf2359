"""The JSON API of customers and contracts: sales see and act on their own customers (and
those nobody looks after), finance reads all, admin manages all; a top-up is priced from
the contract as it runs, on the card version it was sold on, and its offer stays linked
to the contract."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from quote import lifecycle, resources
from quote.store import Customer, find_contract, find_user

API = "/api/v1"
MUELLER = {"company": "Müller GmbH", "country": "DE", "vat_id": "de 123 456 789",
           "language": "de",
           "contacts": [{"name": "Hans Müller", "email": "hans@mueller.example"}]}
# Business on-site 12,000.00 (20 %: 2,400.00 a year), three years from 2026-01-01
CONTRACT = {"rate_card": "bpmonline", "card_version": "2019.1", "package": "business",
            "deployment": "on_site", "license_value": "12000.00",
            "term_start": "2026-01-01", "term_years": 3}
MORE = {"additions": [{"date": "2026-07-01", "license_value": "6000.00"}]}


@pytest.fixture
def call(client, tokens):
    """Factory: a request to the API with the token of ``role``."""

    def send(method: str, path: str, role: str, **options):
        headers = {"Authorization": f"Bearer {tokens[role]}", **options.pop("headers", {})}
        return client.open(f"{API}{path}", method=method, headers=headers, **options)

    return send


@pytest.fixture
def contract(call):
    """Factory: a customer of ``role`` (sales: looked after by them) with a contract; its
    number."""

    def make(role: str = "sales", company: str = "Müller GmbH", **changes) -> str:
        customer = call("POST", "/customers", role, json={**MUELLER, "company": company})
        assert customer.status_code == 201, customer.json
        made = call("POST", "/contracts", role,
                    json={**CONTRACT, "customer": customer.json["id"], **changes})
        assert made.status_code == 201, made.json
        return made.json["number"]

    return make


# Customers

def test_sales_create_a_customer_they_look_after(call):
    created = call("POST", "/customers", "sales", json=MUELLER)
    assert created.status_code == 201
    customer = created.json
    assert created.headers["Location"] == f"{API}/customers/{customer['id']}"
    assert customer["vat_id"] == "DE123456789" and customer["owner"] == "sales@example.com"
    assert customer["primary_contact"] == {"name": "Hans Müller",
                                           "email": "hans@mueller.example", "primary": True}
    found = call("GET", "/customers?q=MÜLLER", "sales").json
    assert [c["company"] for c in found["customers"]] == ["Müller GmbH"]
    assert (found["count"], found["page"], found["pages"]) == (1, 1, 1)


def test_the_same_company_in_the_same_country_is_a_conflict_naming_it(call):
    first = call("POST", "/customers", "sales", json=MUELLER).json
    again = call("POST", "/customers", "sales", json={**MUELLER, "company": "MÜLLER   gmbh"})
    assert again.status_code == 409
    assert again.json["errors"] == [{"field": "company", "message": (
        f"Müller GmbH (DE) is a customer already: customer {first['id']}")}]
    elsewhere = call("POST", "/customers", "sales", json={**MUELLER, "country": "AT"})
    assert elsewhere.status_code == 201


@pytest.mark.parametrize(("change", "field"), [
    ({"country": "de"}, "country"),
    ({"country": "XX"}, "country"),
    ({"company": "   "}, "company"),
    ({"vat_id": "DE 123 456 789 012 345 6789"}, "vat_id"),  # 21 without the spaces
    ({"contacts": []}, "contacts"),
    ({"contacts": [{"name": "Hans", "email": "hans@mueller"}]}, "contacts.0.email"),
    ({"language": "fr"}, "language"),
    ({"owner": "sales@example.com"}, "owner"),
])
def test_a_bad_customer_is_refused_at_its_field(call, change, field):
    refused = call("POST", "/customers", "admin", json={**MUELLER, **change})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == [field]
    assert call("GET", "/customers", "admin").json["count"] == 0


def test_sales_do_not_see_another_salespersons_customer(app, call, contract):
    number = contract("admin")  # nobody looks after it: every salesperson sees it
    customer = call("GET", f"/contracts/{number}", "sales").json["customer"]
    with app.extensions["quote.store"].session() as session:
        other = find_user(session, "admin@example.com")
        session.get(Customer, customer).owner_id = other.id
    for path in (f"/customers/{customer}", f"/contracts/{number}",
                 f"/contracts?customer={customer}"):
        assert call("GET", path, "sales").status_code == 404, path
        assert call("GET", path, "finance").status_code == 200, path
    assert call("GET", "/customers", "sales").json["customers"] == []
    assert call("GET", "/contracts", "sales").json["contracts"] == []
    preview = call("POST", f"/contracts/{number}/top-up/preview", "sales", json=MORE)
    assert preview.status_code == 404
    assert preview.json["errors"][0]["message"] == f"There is no contract {number}."
    again = call("POST", "/customers", "sales", json=MUELLER)
    assert again.status_code == 409
    assert again.json["errors"][0]["message"] == ("Müller GmbH (DE) is a customer already, "
                                                  "looked after by someone else")


def test_finance_reads_but_neither_creates_nor_issues(call, contract):
    number = contract()
    assert call("POST", "/customers", "finance", json=MUELLER).status_code == 403
    assert call("POST", "/contracts", "finance",
                json={**CONTRACT, "customer": 1}).status_code == 403
    assert call("POST", f"/contracts/{number}/top-up", "finance", json=MORE).status_code == 403
    assert call("POST", f"/contracts/{number}/renewal", "finance", json={}).status_code == 403
    assert call("POST", f"/contracts/{number}/top-up/preview", "finance",
                json=MORE).status_code == 200
    discount = call("POST", f"/contracts/{number}/top-up/preview", "finance",
                    json={**MORE, "discount_percent": "5"})
    assert discount.status_code == 403
    assert discount.json["errors"][0]["field"] == "discount_percent"
    assert call("GET", "/contracts", "finance").json["count"] == 1


def test_without_a_token_nothing_is_answered(client, contract):
    contract()
    for method, path in (("GET", "/customers"), ("GET", "/contracts/C-000001"),
                         ("POST", "/contracts/C-000001/top-up/preview")):
        assert client.open(f"{API}{path}", method=method, json=MORE).status_code == 401


# Contracts

def test_a_contract_entered_by_hand_reads_with_its_history_and_annual_cost(call):
    created = call("POST", "/contracts", "sales", json={
        **CONTRACT, "company": "Acme GmbH", "country": "DE", "contact_name": "Ada Lovelace",
        "contact_email": "ada@acme.example", "environments": 2, "billing": "annual"})
    assert created.status_code == 201, created.json
    number = created.json["number"]
    assert created.headers["Location"] == f"{API}/contracts/{number}"
    shown = call("GET", f"/contracts/{number}", "admin").json
    assert shown["term"] == {"start": "2026-01-01", "end": "2028-12-31", "years": 3}
    # 20 % of 12,000.00 = 2,400.00, the second environment 10 % of it: 240.00
    assert shown["annual_cost"] == "2640.00"
    assert shown["status"] == "active" and shown["billing"] == "annual"
    assert shown["owner"] == "sales@example.com"
    assert shown["history"] == [{"kind": "created", "effective_on": "2026-01-01",
                                 "license_value_added": "12000.00", "environments_added": 2,
                                 "note": "entered by hand"}]
    customer = call("GET", f"/customers/{shown['customer']}", "sales").json
    assert customer["owner"] == "sales@example.com"
    assert [c["number"] for c in customer["contracts"]] == [number]
    twice = call("POST", "/contracts", "sales", json={**CONTRACT,
                                                      "customer": shown["customer"]})
    assert twice.status_code == 409
    assert number in twice.json["errors"][0]["message"]
    in_dollars = call("POST", "/contracts", "sales", json={
        **CONTRACT, "customer": shown["customer"], "currency": "USD",
        "term_start": "2026-02-01"})
    assert in_dollars.status_code == 201, in_dollars.json
    assert (in_dollars.json["currency"], in_dollars.json["license_value"]) == ("USD",
                                                                              "12000.00")


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"package": "gold"}, 422, "package"),
    ({"card_version": "2099.9"}, 422, "card_version"),
    ({"term_years": 6}, 422, "term_years"),
    ({"license_value": "12000.005"}, 422, "license_value"),
    ({"license_value": "12.000,00"}, 422, "license_value"),
    ({"term_start": "2026-02-30"}, 422, "term_start"),
    ({"currency": "GBP"}, 422, "currency"),
    ({"currency": "usd"}, 422, "currency"),
    ({"company": "Acme GmbH"}, 422, "company"),  # not with a customer's id
    ({"customer": 999}, 404, "customer"),
    ({"owner_email": "nobody@example.com"}, 403, "owner_email"),  # sales name themselves
])
def test_a_bad_contract_is_refused_at_its_field(call, contract, change, status, field):
    contract()
    refused = call("POST", "/contracts", "sales",
                   json={**CONTRACT, "customer": 1, "term_start": "2026-03-01", **change})
    assert refused.status_code == status, refused.json
    assert [e["field"] for e in refused.json["errors"]] == [field]
    assert call("GET", "/contracts", "admin").json["count"] == 1


def test_an_admin_names_the_owner_and_an_unknown_one_is_not_found(call):
    body = {**CONTRACT, "company": "Acme GmbH", "country": "DE", "contact_name": "Ada",
            "contact_email": "ada@acme.example"}
    unknown = call("POST", "/contracts", "admin", json={**body, "owner_email": "x@y.example"})
    assert unknown.status_code == 404
    assert unknown.json["errors"][0]["field"] == "owner_email"
    made = call("POST", "/contracts", "admin", json={**body,
                                                     "owner_email": "sales@example.com"})
    assert made.status_code == 201 and made.json["owner"] == "sales@example.com"


def test_contracts_are_listed_by_status_and_customer(call, contract, make_app):
    running = contract()
    ended = contract(company="Alt AG", term_start="2022-01-01")
    listed = call("GET", "/contracts?status=ended", "sales").json
    assert [c["number"] for c in listed["contracts"]] == [ended]
    assert listed["contracts"][0]["status"] == "ended"
    active = call("GET", "/contracts?status=active&per_page=1", "sales").json
    assert [c["number"] for c in active["contracts"]] == [running]
    assert (active["count"], active["pages"]) == (1, 1)
    assert call("GET", "/contracts?status=finished", "sales").status_code == 400
    assert call("GET", "/contracts?page=0", "sales").json["errors"][0]["field"] == "page"


# Offers from a contract

def test_a_top_up_is_priced_on_the_contracts_own_card_version(make_app, users, tokens,
                                                               tmp_path):
    """Sold on 2019.1 (Business on-site 20 %); 2026.1 (25 %) is in force from 2026-06-01.
    +6,000.00 on 2026-07-01, priced on 2026-11-22: 2,400.00 → 3,600.00 a year, 1,200.00 ×
    184/365 (604.93) for the rest of contract year 1 and 1,200.00 for years 2 and 3."""
    app = make_app(RATES_DIR=str(_two_versions(tmp_path)), TODAY="2026-11-22")
    client = app.test_client()
    sales = {"Authorization": f"Bearer {tokens['sales']}"}
    customer = client.post(f"{API}/customers", json=MUELLER, headers=sales).json
    client.post(f"{API}/contracts", json={**CONTRACT, "customer": customer["id"]},
                headers=sales)
    priced = client.post(f"{API}/contracts/C-000001/top-up/preview", json=MORE, headers=sales)
    assert priced.status_code == 200, priced.json
    result = priced.json
    assert result["rate_card"]["version"] == "2019.1"
    assert result["kind"] == "top_up" and result["language"] == "de"
    assert result["subtotal"] == "3004.93" and result["annual_cost"] == "3600.00"
    # German VAT for a customer in Germany, by the tax rules: 19 % of 3,004.93
    assert (result["tax"], result["total"]) == ("570.94", "3575.87")
    assert [(e["year"], e["amount"], e["due"]) for e in result["schedule"]] == [
        (1, "604.93", "2026-07-01"), (2, "1200.00", "2026-07-01"),
        (3, "1200.00", "2026-07-01")]
    annual = client.post(f"{API}/contracts", headers=sales, json={
        **CONTRACT, "customer": customer["id"], "billing": "annual",
        "deployment": "on_demand", "license_value": "16000.00"})
    assert annual.status_code == 201, annual.json
    # on-demand 10 %: 1,600.00 → 2,200.00 a year; billed annually, the top-up runs to the
    # end of contract year 1: 600.00 × 184/365
    to_year_end = client.post(f"{API}/contracts/C-000002/top-up/preview", json=MORE,
                              headers=sales).json
    assert to_year_end["subtotal"] == "302.47" and to_year_end["annual_cost"] == "2200.00"
    assert [(e["year"], e["amount"]) for e in to_year_end["schedule"]] == [(1, "302.47")]


def _two_versions(folder):
    """bpm'online as shipped (2019.1) and a 2026.1 from 2026-06-01 with Business on-site at
    25 %."""
    rates = folder / "rates"
    rates.mkdir()
    shipped = resources.rates_dir() / "bpmonline.toml"
    shutil.copy(shipped, rates / "bpmonline-2019.toml")
    text = shipped.read_text(encoding="utf-8")
    business = 'on_site = { kind = "percent", percent = "20", minimum = { EUR = "500.00"'
    assert text.count(business) == 1
    (rates / "bpmonline-2026.toml").write_text(
        text.replace('version = "2019.1"', 'version = "2026.1"')
        .replace("effective_from = 2019-01-01", "effective_from = 2026-06-01")
        .replace(business, business.replace('"20"', '"25"')), encoding="utf-8")
    return rates


def test_the_issued_top_up_is_linked_to_the_contract_and_stays_a_top_up(call, contract):
    number = contract()
    issued = call("POST", f"/contracts/{number}/top-up", "sales", json=MORE)
    assert issued.status_code == 201, issued.json
    offer = issued.json
    assert issued.headers["Location"] == f"{API}/quotes/{offer['number']}"
    assert offer["request"]["kind"] == "top_up" and offer["request"]["contract"] == number
    assert offer["request"]["license_value"] == "12000.00"
    assert offer["request"]["customer"]["company"] == "Müller GmbH"
    # at TODAY 2026-01-15: 1,200.00 × 184/365 + 2 × 1,200.00 = 3,004.93; German VAT 19 %
    # for a customer in Germany: 570.94
    assert (offer["result"]["total"], offer["result"]["tax"]) == ("3575.87", "570.94")
    shown = call("GET", f"/contracts/{number}", "sales").json
    assert shown["offers"] == [{"number": offer["number"], "kind": "top_up",
                                "status": "issued", "issued_on": "2026-01-15",
                                "total": "3575.87", "currency": "EUR"}]
    assert call("GET", f"/quotes/{offer['number']}", "sales").json["request"]["kind"] == \
        "top_up"


def test_issuing_is_idempotent_per_key_and_contract(call, contract):
    number = contract()
    key = {"Idempotency-Key": "top-up-1"}
    first = call("POST", f"/contracts/{number}/top-up", "sales", json=MORE, headers=key)
    again = call("POST", f"/contracts/{number}/top-up", "sales", json=MORE, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["number"] == first.json["number"]
    other = call("POST", f"/contracts/{number}/top-up", "sales", headers=key,
                 json={"additions": [{"date": "2026-08-01", "environments": 1}]})
    assert other.status_code == 409
    assert other.json["errors"][0]["field"] == "Idempotency-Key"
    assert len(call("GET", f"/contracts/{number}", "sales").json["offers"]) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"additions": [{"date": "2025-12-31", "license_value": "100"}]}, "additions.0.date"),
    ({"additions": []}, "additions"),
    ({"additions": [{"date": "2026-07-01"}]}, "additions.0"),
    ({"additions": [{"date": "2026-07-01", "environments": 20}]}, "additions.0.environments"),
    ({**MORE, "discount_percent": "16"}, "discount_percent"),
    ({**MORE, "tax_percent": "7"}, "tax_reason"),  # a rate other than the rules' says why
    ({**MORE, "tax_reason": "agreed"}, "tax_reason"),  # and a reason comes with a rate
    ({**MORE, "term_start": "2026-01-01"}, "term_start"),
])
def test_a_bad_top_up_is_refused_at_its_field(call, contract, body, field):
    number = contract()
    refused = call("POST", f"/contracts/{number}/top-up/preview", "sales", json=body)
    assert refused.status_code == 422, refused.json
    assert [e["field"] for e in refused.json["errors"]] == [field]


def test_a_top_up_after_the_end_offers_reinstatement(call, contract):
    running = contract()
    late = call("POST", f"/contracts/{running}/top-up/preview", "sales",
                json={"additions": [{"date": "2029-01-01", "license_value": "100"}]})
    assert late.status_code == 422
    assert late.json["errors"] == [{"field": "additions.0.date", "message": (
        "the contract ended on 31 December 2028: a top-up is no longer possible; price a "
        "reinstatement instead")}]
    ended = contract(company="Alt AG", term_start="2022-01-01")
    refused = call("POST", f"/contracts/{ended}/top-up/preview?lang=de", "sales", json=MORE)
    assert refused.status_code == 409
    assert refused.json["errors"][0]["field"] == ""
    assert "31. Dezember 2024" in refused.json["errors"][0]["message"]
    # its reinstatement from 2026-02-01 for a year: 2,400.00 × 396/365 back-support for
    # 2025-01-01 to 2026-01-31 (2,603.84), 20 % fee (520.77), the new year 2,400.00
    reinstated = call("POST", f"/contracts/{ended}/reinstatement/preview", "sales",
                      json={"start": "2026-02-01", "years": 1})
    assert reinstated.status_code == 200, reinstated.json
    assert [(line["code"], line["amount"]) for line in reinstated.json["lines"]] == [
        ("back_support", "2603.84"), ("reinstatement_fee", "520.77"), ("support", "2400.00")]
    assert reinstated.json["schedule"][0] == {
        "start": "2025-01-01", "end": "2026-01-31", "due": "2026-02-01", "amount": "3124.61",
        "discount": "0.00", "net": "3124.61", "tax": "593.68", "total": "3718.29"}
    running_one = call("POST", f"/contracts/{running}/reinstatement/preview", "sales", json={})
    assert running_one.status_code == 409  # it has not lapsed: start (today) leaves no gap


def test_a_cancelled_contract_is_neither_topped_up_nor_renewed(app, call, contract):
    number = contract()
    with app.extensions["quote.store"].session() as session:
        lifecycle.cancel_contract(session, find_contract(session, number),
                                  today=dt.date(2026, 1, 15))
    for path, body in (("top-up/preview", MORE), ("top-up", MORE), ("renewal/preview", {})):
        refused = call("POST", f"/contracts/{number}/{path}", "sales", json=body)
        assert refused.status_code == 409, path
        assert "cancelled" in refused.json["errors"][0]["message"]
    assert call("GET", "/contracts?status=cancelled", "sales").json["count"] == 1


def test_the_renewal_is_previewed_and_issued(call, contract):
    """12,000.00 for three years to 2028-12-31, renewed from 2029-01-01 for two years, billed
    annually: support 2 × 2,400.00 and the card's 3 % uplift in year 2 (72.00): 4,872.00."""
    number = contract()
    preview = call("POST", f"/contracts/{number}/renewal/preview", "sales",
                   json={"years": 2, "billing": "annual"})
    assert preview.status_code == 200, preview.json
    assert preview.json["term"] == {"start": "2029-01-01", "end": "2030-12-31", "years": 2}
    assert [(line["code"], line["amount"]) for line in preview.json["lines"]] == [
        ("support", "4800.00"), ("uplift", "72.00")]
    assert [e["amount"] for e in preview.json["schedule"]] == ["2400.00", "2472.00"]
    issued = call("POST", f"/contracts/{number}/renewal", "sales",
                  json={"years": 2, "billing": "annual"})
    assert issued.status_code == 201
    assert issued.json["result"]["total"] == preview.json["total"]
    assert issued.json["request"]["kind"] == "renewal"
    too_long = call("POST", f"/contracts/{number}/renewal/preview", "sales", json={"years": 6})
    assert too_long.status_code == 422
    assert too_long.json["errors"][0]["field"] == "years"
