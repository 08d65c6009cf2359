"""Customers and contacts: checked fields, one primary contact, found by any part of a
name in any case on both backends, listed by pages."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quote.store import (
    InvalidCustomer,
    NewContact,
    add_contact,
    add_customer,
    country_code,
    find_customers,
    list_customers,
    matching_customer,
    normalize_vat_id,
)


def add(session, company, country="DE", *contacts, **options):
    contacts = contacts or (NewContact("Ada Lovelace", "ada@example.com"),)
    return add_customer(session, company=company, country=country, contacts=contacts,
                        **options)


@pytest.fixture
def customers(store):
    with store.session() as session:
        add(session, "Müller GmbH", "DE", NewContact("Hans Weiß", "hans@mueller.example"),
            NewContact("Eva Roth", "eva@mueller.example", "Einkauf", primary=True),
            vat_id="de 123 456 789", language="de")
        add(session, "ООО «Ромашка»", "RU", NewContact("Иван Петров", "ivan@romashka.example"),
            language="ru")
        add(session, "100% Software", "AT", NewContact("Ann Lee", "ann@hundred.example"))
        add(session, "Acme Inc", "US", NewContact("Wile E. Coyote", "wile@acme.example"))


@pytest.mark.parametrize(("text", "expected"), [
    ("müller", ["Müller GmbH"]),
    ("MÜLLER", ["Müller GmbH"]),
    ("weiss", ["Müller GmbH"]),  # case-folded: ß is ss
    ("roth", ["Müller GmbH"]),  # a contact's name
    ("ROMASHKA.EXAMPLE", ["ООО «Ромашка»"]),  # a contact's e-mail
    ("ромашка", ["ООО «Ромашка»"]),
    ("иван", ["ООО «Ромашка»"]),
    ("DE123", ["Müller GmbH"]),  # the VAT ID
    ("100%", ["100% Software"]),  # % is literal
    ("0_s", []),  # so is _
    ("e", ["100% Software", "Acme Inc", "Müller GmbH", "ООО «Ромашка»"]),
    ("nobody", []),
])
def test_customers_are_found_by_any_part_of_their_names_in_any_case(store, customers, text,
                                                                    expected):
    with store.session(read_only=True) as session:
        found = find_customers(session, text)
    assert [c.company for c in found.customers] == expected
    assert found.count == len(expected)


def test_customers_are_listed_by_name_in_pages(store, customers):
    with store.session(read_only=True) as session:
        first = list_customers(session, per_page=3)
        second = list_customers(session, page=2, per_page=3)
    assert (first.count, first.pages) == (4, 2)
    assert [c.company for c in first.customers + second.customers] == [
        "100% Software", "Acme Inc", "Müller GmbH", "ООО «Ромашка»"]


def test_fields_are_normalised_and_checked(store, customers):
    with store.session(read_only=True) as session:
        mueller = matching_customer(session, "  müller   GMBH ", "de")
        assert (mueller.company, mueller.country, mueller.vat_id, mueller.language) == (
            "Müller GmbH", "DE", "DE123456789", "de")
        assert [(c.name, c.position, c.is_primary) for c in mueller.contacts] == [
            ("Hans Weiß", None, False), ("Eva Roth", "Einkauf", True)]
        assert mueller.primary_contact.email == "eva@mueller.example"
        assert matching_customer(session, "Müller GmbH", "AT") is None
    assert normalize_vat_id(" atu 1234 5678 ") == "ATU12345678" and normalize_vat_id(" ") is None
    assert country_code("de") == "DE" and country_code("Germany") is None
    assert [country_code(name, by_name=True) for name in ("Germany", "Deutschland",
                                                          "германия", "Österreich")] == [
        "DE", "DE", "DE", "AT"]
    assert country_code("EU") is None and country_code("ZZ") is None
    with store.session() as session, pytest.raises(InvalidCustomer) as refused:
        add_customer(session, company=" ", country="XX", vat_id="x" * 21, language="fr",
                     contacts=[NewContact("", "no-address"), NewContact("B", "b@example.com",
                                                                        primary=True),
                               NewContact("C", "c@example.com", primary=True)])
    assert [e.field for e in refused.value.errors] == [
        "company", "country", "vat_id", "language", "contacts.0.name", "contacts.0.email",
        "contacts"]
    with store.session() as session, pytest.raises(InvalidCustomer) as refused:
        add_customer(session, company="Lonely", country="DE")
    assert refused.value.errors[0].message == "a customer needs at least one contact"


def test_one_contact_is_the_primary_one(store, customers):
    with store.session() as session:
        acme = matching_customer(session, "Acme Inc", "US")
        add_contact(session, acme, NewContact("Road Runner", "beep@acme.example", primary=True))
        assert [(c.name, c.is_primary) for c in acme.contacts] == [
            ("Wile E. Coyote", False), ("Road Runner", True)]
        assert [c.company for c in find_customers(session, "runner").customers] == ["Acme Inc"]
    with store.session() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE contacts SET is_primary = :yes"), {"yes": True})
