"""A running contract entered by hand at /contracts/new: for a new customer or one chosen
from the list, with the contract import's checks, every error at its field in one pass
and nothing stored while anything is wrong; sales and admin only, and a salesperson only
for the customers they look after or nobody does."""

from __future__ import annotations

import re

import pytest
from form_reading import form_fields

from quote.store import Contract, Customer, add_user
from quote.store.customers import get_customer

# bpm'online Business on-site (2019.1): 20 % of 12,000.00 = 2,400.00 a year
ENTRY = {
    "customer": "", "company": "Kontor Nord GmbH", "country": "DE", "vat_id": "de 123 456 789",
    "language": "de", "contact_name": "Jana Kühn", "contact_email": "jana@kontor.example",
    "rate_card": "bpmonline", "card_version": "2019.1", "package": "business",
    "deployment": "on_site", "currency": "EUR", "license_value": "12,000.00",
    "environments": "", "term_start": "2025-07-01", "term_years": "3", "billing": "prepaid",
}


def entry(**changes) -> dict:
    return {**ENTRY, **changes}


def stored(app, model) -> list:
    with app.extensions["quote.store"].session(read_only=True) as session:
        return session.query(model).all()


def errors_at(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error" role="alert">([^<]*)<', page)
    assert found, f"no error shown at {field}"
    return found.group(1)


def test_sales_enter_a_contract_for_a_new_customer_who_becomes_theirs(app, sign_in, users):
    client = sign_in("sales")
    response = client.post("/contracts/new", data=entry())
    assert response.status_code == 303 and response.location == "/contracts/C-000001"
    page = client.get(response.location).get_data(as_text=True)
    assert "Contract C-000001 of Kontor Nord GmbH entered." in page
    assert "€12,000.00" in page and 'id="contract-annual-cost">€2,400.00<' in page
    assert 'data-event="created"' in page and "Contract entered" in page
    [contract] = stored(app, Contract)
    [customer] = stored(app, Customer)
    sales_id = contract.owner_id
    assert (contract.rate_card_version, contract.environments, contract.term_end.isoformat(),
            contract.currency) == ("2019.1", 1, "2028-06-30", "EUR")
    assert (customer.company, customer.country, customer.vat_id, customer.language,
            customer.owner_id) == ("Kontor Nord GmbH", "DE", "DE123456789", "de", sales_id)
    assert sales_id is not None


def test_amounts_are_typed_the_page_s_way(sign_in):
    client = sign_in("sales")
    response = client.post("/contracts/new?lang=de", data=entry(license_value="12.000,50"))
    assert response.status_code == 303
    assert "12.000,50" in client.get(response.location).get_data(as_text=True)


BAD_FIELDS = [
    ("company", "", "is required"),
    ("country", "", "is required"),
    ("vat_id", "DE 1234567890 1234567890", "must be at most 20 characters without spaces"),
    ("language", "fr", "must be one of en, de, ru"),
    ("contact_name", "", "is required"),
    ("contact_email", "jana at kontor", "is not an e-mail address"),
    ("rate_card", "gold-card", "unknown rate card; choose one of bpmonline, maxence, "
                               "open-xchange, otrs"),
    ("card_version", "2099.9", "bpmonline has no version 2099.9; it has 2019.1"),
    ("package", "gold", "unknown package; this rate card offers basic, business, premium"),
    ("deployment", "cloud", "must be one of on_site, on_demand"),
    ("currency", "CHF", "must be one of EUR, RUB, USD"),
    ("license_value", "-5", "must not be negative"),
    ("license_value", "12,000.001", "EUR amounts have at most 2 decimals"),
    ("license_value", "", "is required"),
    ("environments", "21", "at most 20 environments"),
    ("environments", "two", "must be a whole number of at least 1"),
    ("term_start", "2026-02-30", "is not a date of the calendar"),
    ("term_years", "6", "must be between 1 and 5 years for this rate card"),
    ("billing", "monthly", "must be one of prepaid, annual"),
    ("customer", "the first one", "Choose a customer from the list."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS,
                         ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_FIELDS)])
def test_a_bad_field_is_refused_at_the_field_and_nothing_is_stored(app, sign_in, field, value,
                                                                   message):
    response = sign_in("sales").post("/contracts/new", data=entry(**{field: value}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in errors_at(page, field)
    assert stored(app, Contract) == stored(app, Customer) == []
    fields = form_fields(page, "contract-form")
    kept = "contact_name" if field != "contact_name" else "company"
    assert fields[kept] == ENTRY[kept]  # what was typed stays


def test_every_error_is_shown_at_its_field_in_one_pass(app, sign_in):
    page = sign_in("sales").post("/contracts/new", data=entry(
        company="", contact_email="jana", environments="21")).get_data(as_text=True)
    assert errors_at(page, "company") == "is required"
    assert errors_at(page, "contact_email") == "is not an e-mail address"
    assert errors_at(page, "environments") == "at most 20 environments"
    assert stored(app, Contract) == []


def test_a_mistyped_amount_does_not_hide_the_other_errors(app, sign_in):
    page = sign_in("sales").post("/contracts/new", data=entry(
        license_value="12.000", environments="21", contact_name="")).get_data(as_text=True)
    assert errors_at(page, "license_value") == (
        "“12.000” in “License value” can be read two ways: did you mean 12,000 or 12?")
    assert errors_at(page, "environments") == "at most 20 environments"
    assert errors_at(page, "contact_name") == "is required"
    assert stored(app, Contract) == []


def test_a_card_without_a_license_value_asks_for_none(app, sign_in):
    # OTRS Professional: a flat subscription, no license value
    response = sign_in("sales").post("/contracts/new", data=entry(
        rate_card="otrs", card_version="", package="professional", license_value=""))
    assert response.status_code == 303
    [contract] = stored(app, Contract)
    assert (contract.rate_card_id, contract.license_value) == ("otrs", 0)


def test_messages_are_in_the_page_s_language(sign_in):
    page = sign_in("sales").post("/contracts/new?lang=de", data=entry(
        contact_email="jana", license_value="12.000,00")).get_data(as_text=True)
    assert errors_at(page, "contact_email") == "ist keine E-Mail-Adresse"


def test_a_contract_entered_twice_is_refused_the_second_time(app, sign_in):
    client = sign_in("sales")
    assert client.post("/contracts/new", data=entry()).status_code == 303
    again = client.post("/contracts/new", data=entry())
    assert again.status_code == 422
    assert ("contract C-000001 of this customer exists already"
            in again.get_data(as_text=True))
    assert len(stored(app, Contract)) == 1


def test_a_contract_for_a_customer_chosen_from_the_list(app, sign_in):
    client = sign_in("sales")
    client.post("/contracts/new", data=entry())
    [customer] = stored(app, Customer)
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f'href="/contracts/new?customer={customer.id}"' in page
    form = form_fields(client.get(f"/contracts/new?customer={customer.id}")
                       .get_data(as_text=True), "contract-form")
    assert form["customer"] == str(customer.id)
    response = client.post("/contracts/new", data=entry(
        customer=str(customer.id), company="", contact_email="", package="premium"))
    assert response.status_code == 303 and response.location == "/contracts/C-000002"
    assert {c.customer_id for c in stored(app, Contract)} == {customer.id}


@pytest.fixture
def bo(app):
    """Another salesperson, bo@example.com, and a customer he looks after."""
    with app.extensions["quote.store"].session() as session:
        user = add_user(session, "bo@example.com", "Bo Berg", "correct horse battery",
                        role="sales")
    client = app.test_client()
    client.post("/sign-in", data={"email": "bo@example.com", "password":
                                  "correct horse battery"})
    assert client.post("/contracts/new", data=entry()).status_code == 303
    [customer] = stored(app, Customer)
    assert customer.owner_id == user.id
    return customer


def test_sales_cannot_add_a_contract_to_another_salesperson_s_customer(app, sign_in, bo):
    client = sign_in("sales")
    page = client.get("/contracts/new").get_data(as_text=True)
    assert "Kontor Nord GmbH" not in page  # not offered
    assert client.get(f"/contracts/new?customer={bo.id}").status_code == 404
    chosen = client.post("/contracts/new", data=entry(customer=str(bo.id), package="premium"))
    assert chosen.status_code == 403
    typed = client.post("/contracts/new", data=entry(package="premium"))
    assert typed.status_code == 422
    assert errors_at(typed.get_data(as_text=True), "company") == (
        "Kontor Nord GmbH (DE) is looked after by someone else: they or an administrator "
        "can add its contracts")
    assert len(stored(app, Contract)) == 1


def test_admin_adds_contracts_to_any_customer_and_names_who_looks_after_them(app, sign_in,
                                                                             bo, users):
    client = sign_in("admin")
    page = client.get("/contracts/new").get_data(as_text=True)
    assert "Kontor Nord GmbH (DE)" in page and 'id="owner_email"' in page
    response = client.post("/contracts/new", data=entry(
        customer=str(bo.id), package="premium", owner_email=users["sales"]))
    assert response.status_code == 303
    contract = next(c for c in stored(app, Contract) if c.package_id == "premium")
    with app.extensions["quote.store"].session(read_only=True) as session:
        assert get_customer(session, bo.id).owner_id == bo.owner_id  # the customer stays his
    assert contract.owner_id != bo.owner_id


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_finance_may_not_enter_contracts(sign_in, method):
    client = sign_in("finance")
    response = client.open("/contracts/new", method=method, data=entry())
    assert response.status_code == 403
    assert 'id="add-contract"' not in client.get("/customers").get_data(as_text=True)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/contracts/new")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_the_form_needs_its_csrf_token(make_app, users):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in).group(1)
    client.post("/sign-in", data={"email": users["sales"], "password":
                                  "correct horse battery", "csrf_token": token})
    assert client.post("/contracts/new", data=entry()).status_code == 400
    assert stored(app, Contract) == []
    page = client.get("/contracts/new").get_data(as_text=True)
    fields = form_fields(page, "contract-form")
    response = client.post("/contracts/new", data=entry(csrf_token=fields["csrf_token"]))
    assert response.status_code == 303


def test_the_customer_list_offers_to_add_a_contract(sign_in):
    page = sign_in("sales").get("/customers").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/contracts/new" id="add-contract">Add a contract</a>', page)
