"""Accepting an offer creates or changes its contract in the same transaction: a new
contract (customer found or created), a co-termed top-up, a top-up as a separate term,
a renewal, a reinstatement; accepting twice is harmless.

bpm'online Business on-site (2019.1): 20 % of the license value, at least 500.00.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from contract_helpers import D, count, new_contract, reread
from request_samples import bpm_request

from quote.core.errors import QuoteInputError
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.lifecycle import (
    OfferDoesNotFit,
    accept_offer,
    cancel_contract,
    issue_offer,
    offer_draft,
    reinstatement_request,
    renewal_request,
    top_up_request,
)
from quote.store import (
    Contract,
    Customer,
    IllegalTransition,
    InvalidCustomer,
    Offer,
    accept,
    contract_history,
    contracts_due,
    find_by_number,
)
from quote.store import issue as store_issue

ACME = {"company": "Acme GmbH", "contact": "Ada Lovelace", "email": "ada@acme.example",
        "country": "Germany"}


def issue(store, book, request, today, issuer=None):
    with store.session() as session:
        return issue_offer(session, book, request, today=today, issuer_id=issuer).offer


def stored_as_before(store, book, request, today):
    """An offer stored the way offers were before a numbered offer had to name its
    customer (straight through the store, without the lifecycle's checks)."""
    with store.session() as session:
        return store_issue(session, offer_draft(book, request, price_quote(request, book,
                                                                           today),
                                                today=today)).offer


def accepted(store, offer, today, by=None, **options):
    with store.session() as session:
        return accept_offer(session, offer.id, by_user_id=by, today=today, **options)


def history(store, contract) -> list[tuple]:
    with store.session(read_only=True) as session:
        return [(e.kind, e.effective_on, e.license_value_added, e.environments_added,
                 e.offer.number if e.offer else None)
                for e in contract_history(session, contract)]


def test_accepting_a_new_offer_creates_the_contract_and_its_customer(store, book, sales):
    request = parse_request(bpm_request(term_years=3, environments=2, billing="annual",
                                        customer=ACME, language="de",
                                        additions=[{"date": "2026-07-01",
                                                    "license_value": "1000.00"}]))
    offer = issue(store, book, request, D(2026, 1, 1), issuer=sales)
    assert (offer.kind, offer.contract_id, offer.customer_id) == ("new", None, None)
    done = accepted(store, offer, D(2026, 1, 10), by=sales)
    contract = reread(store, "C-000001")
    assert (done.replayed, done.contract.number, done.event.kind) == (False, "C-000001",
                                                                      "created")
    # the contract as it runs after the offer: 12,000.00 + 1,000.00, two environments
    assert (contract.rate_card_id, contract.rate_card_version, contract.package_id,
            contract.deployment, contract.license_value, contract.environments,
            contract.term_start, contract.term_years, contract.term_end, contract.billing,
            contract.status, contract.owner_id) == (
        "bpmonline", "2019.1", "business", "on_site", Decimal("13000.00"), 2, D(2026, 1, 1), 3,
        D(2028, 12, 31), "annual", "active", sales)
    customer = contract.customer
    assert (customer.company, customer.country, customer.language, customer.owner_id) == (
        "Acme GmbH", "DE", "de", sales)  # "Germany" is DE
    assert [(c.name, c.email, c.is_primary) for c in customer.contacts] == [
        ("Ada Lovelace", "ada@acme.example", True)]
    assert history(store, contract) == [
        ("created", D(2026, 1, 1), Decimal("13000.00"), 2, offer.number)]
    with store.session(read_only=True) as session:
        row = find_by_number(session, offer.number)
        assert (row.status, row.contract_id, row.customer_id) == (
            "accepted", contract.id, customer.id)

    again = accepted(store, offer, D(2026, 1, 11), by=sales)
    assert again.replayed and again.contract.number == "C-000001"
    assert count(store, Contract) == 1 and count(store, Customer) == 1


def test_the_same_company_in_the_same_country_is_the_same_customer(store, book):
    known = new_contract(store, book, company="Müller GmbH", country="DE")
    same = issue(store, book, parse_request(bpm_request(customer={
        "company": "MÜLLER  GMBH", "contact": "Eva Müller", "email": "eva@mueller.example",
        "country": "de"})),
        D(2026, 1, 1))
    other = issue(store, book, parse_request(bpm_request(customer={
        "company": "Müller GmbH", "contact": "Info", "email": "info@mueller.example",
        "country": "AT"})),
        D(2026, 1, 1))
    assert accepted(store, same, D(2026, 1, 2)).contract.customer_id == known.customer_id
    assert accepted(store, other, D(2026, 1, 2)).contract.customer_id != known.customer_id
    assert count(store, Customer) == 2


def test_a_numbered_offer_names_its_customer(store, book):
    with pytest.raises(QuoteInputError) as refused:
        issue(store, book, parse_request(bpm_request(customer={"company": "Acme"})),
              D(2026, 1, 1))
    assert [e.field for e in refused.value.errors] == [
        "customer.contact", "customer.email", "customer.country"]
    assert count(store, Offer) == 0  # no number drawn


def test_a_new_contract_needs_a_customer_it_can_be_kept_for(store, book):
    offer = stored_as_before(store, book, parse_request(bpm_request(
        customer={"company": "Acme"})), D(2026, 1, 1))
    with pytest.raises(InvalidCustomer) as refused:
        accepted(store, offer, D(2026, 1, 2))
    assert [e.field for e in refused.value.errors] == ["country", "contacts.0.name",
                                                       "contacts.0.email"]
    with store.session(read_only=True) as session:
        assert find_by_number(session, offer.number).status == "issued"  # rolled back
    known = new_contract(store, book)
    done = accepted(store, offer, D(2026, 1, 2), customer_id=known.customer_id)
    assert done.contract.customer_id == known.customer_id and done.contract.number == "C-000002"


def test_a_co_termed_top_up_grows_the_contract(store, book, sales):
    # +1,000.00 on 2026-07-01, 3 years prepaid: 200.00 × 184/365 + 200.00 × 2 = 500.82
    contract = new_contract(store, book, term_years=3)
    request = top_up_request(book, contract, [
        {"date": "2026-07-01", "license_value": "1000.00", "environments": 1}],
        today=D(2026, 6, 1))
    offer = issue(store, book, request, D(2026, 6, 1), issuer=sales)
    # licenses 500.82; then +1 environment at 10 % × 2,600.00 = 260.00 a year:
    # 260.00 × 184/365 + 520.00 = 651.07
    assert [line.amount for line in offer.lines] == [Decimal("500.82"), Decimal("651.07")]
    done = accepted(store, offer, D(2026, 6, 2), by=sales)
    after = reread(store, "C-000001")
    assert done.contract.id == contract.id and done.event.kind == "top_up"
    assert (after.license_value, after.environments, after.term_end) == (
        Decimal("13000.00"), 2, D(2028, 12, 31))
    assert history(store, after)[1:] == [
        ("top_up", D(2026, 7, 1), Decimal("1000.00"), 1, offer.number)]


def test_a_top_up_as_a_separate_term_is_a_new_contract_of_the_same_customer(store, book):
    # +1,000.00 from 2026-07-01 as a contract of its own: 20 % = 200.00, minimum 500.00
    contract = new_contract(store, book, term_years=3)
    request = top_up_request(book, contract, [{"date": "2026-07-01", "license_value": "1000"}],
                             separate_term=True, today=D(2026, 6, 1))
    offer = issue(store, book, request, D(2026, 6, 1))
    assert offer.total == Decimal("500.00") and offer.contract_id == contract.id
    done = accepted(store, offer, D(2026, 6, 2))
    separate = reread(store, "C-000002")
    assert done.contract.number == "C-000002" and done.event.kind == "created"
    assert (separate.customer_id, separate.license_value, separate.environments,
            separate.term_start, separate.term_years, separate.term_end,
            separate.rate_card_version) == (
        contract.customer_id, Decimal("1000.00"), 1, D(2026, 7, 1), 1, D(2027, 6, 30), "2019.1")
    assert reread(store, "C-000001").license_value == Decimal("12000.00")  # unchanged
    assert history(store, separate) == [
        ("created", D(2026, 7, 1), Decimal("1000.00"), 1, offer.number)]


def test_a_top_up_of_a_contract_not_stored_yet_records_the_customer_and_the_contract(
        store, book, sales):
    # a customer new to the service: its running contract typed into the form (12,000.00,
    # three years from 2026-01-01, billed annually), +6,000.00 on 2026-07-01:
    # 1,200.00 × 184/365 = 604.93 to the end of contract year 1
    request = parse_request(bpm_request(kind="top_up", term_years=3, billing="annual",
                                        customer=ACME, additions=[
                                            {"date": "2026-07-01", "license_value": "6000"}]))
    offer = issue(store, book, request, D(2026, 6, 1), issuer=sales)
    assert (offer.total, offer.contract_id) == (Decimal("604.93"), None)
    done = accepted(store, offer, D(2026, 6, 2), by=sales)
    contract = reread(store, "C-000001")
    assert (done.contract.number, done.event.kind, done.replayed) == ("C-000001", "top_up",
                                                                      False)
    assert (contract.license_value, contract.environments, contract.term_start,
            contract.term_end, contract.billing, contract.rate_card_version,
            contract.owner_id) == (Decimal("18000.00"), 1, D(2026, 1, 1), D(2028, 12, 31),
                                   "annual", "2019.1", sales)
    assert (contract.customer.company, contract.customer.country,
            contract.customer.owner_id) == ("Acme GmbH", "DE", sales)
    assert history(store, contract) == [
        ("created", D(2026, 1, 1), Decimal("12000.00"), 1, None),
        ("top_up", D(2026, 7, 1), Decimal("6000.00"), 0, offer.number)]
    with store.session(read_only=True) as session:
        stored = find_by_number(session, offer.number)
        assert (stored.contract_id, stored.customer_id) == (contract.id, contract.customer_id)
    assert accepted(store, offer, D(2026, 6, 3)).replayed  # accepting twice changes nothing
    assert count(store, Contract) == 1


def test_a_top_up_of_a_contract_stored_meanwhile_grows_that_contract(store, book):
    request = parse_request(bpm_request(kind="top_up", term_years=3, customer={
        **ACME, "company": "Müller GmbH", "country": "DE"}, additions=[
            {"date": "2026-07-01", "license_value": "1000.00"}]))
    offer = issue(store, book, request, D(2026, 6, 1))
    known = new_contract(store, book, term_years=3)  # the same contract, entered by hand
    done = accepted(store, offer, D(2026, 6, 2))
    assert done.contract.id == known.id
    assert reread(store, "C-000001").license_value == Decimal("13000.00")
    assert count(store, Contract) == 1


def test_a_top_up_of_a_contract_not_stored_needs_its_customer(store, book):
    offer = stored_as_before(store, book, parse_request(bpm_request(kind="top_up", additions=[
        {"date": "2026-07-01", "license_value": "1000.00"}])), D(2026, 6, 1))
    with pytest.raises(InvalidCustomer):
        accepted(store, offer, D(2026, 6, 2))
    with store.session(read_only=True) as session:
        assert find_by_number(session, offer.number).status == "issued"  # rolled back
    assert count(store, Contract) == count(store, Customer) == 0


def test_a_top_up_priced_before_another_was_accepted_still_adds_up(store, book):
    contract = new_contract(store, book, term_years=3)
    first = issue(store, book, top_up_request(book, contract, [
        {"date": "2026-07-01", "license_value": "1000.00"}], today=D(2026, 6, 1)), D(2026, 6, 1))
    second = issue(store, book, top_up_request(book, contract, [
        {"date": "2026-08-01", "license_value": "6000.00"}], today=D(2026, 6, 1)), D(2026, 6, 1))
    accepted(store, first, D(2026, 6, 2))
    done = accepted(store, second, D(2026, 6, 3))
    assert reread(store, "C-000001").license_value == Decimal("19000.00")
    assert done.event.note == (f"offer {second.number}; priced on 12000.00 and 1 "
                               "environment(s), the contract had 13000.00 and 1: applied "
                               "additively")


def test_an_accepted_renewal_moves_the_term_and_the_contract_is_no_longer_due(store, book):
    contract = new_contract(store, book, term_start="2024-01-01", term_years=3)
    request = renewal_request(book, contract, years=2, billing="annual", today=D(2026, 11, 1))
    offer = issue(store, book, request, D(2026, 11, 1))
    twin = issue(store, book, request, D(2026, 11, 1))
    with store.session(read_only=True) as session:
        assert [c.number for c in contracts_due(session, D(2026, 11, 1), 90)] == ["C-000001"]
    done = accepted(store, offer, D(2026, 11, 5))
    after = reread(store, "C-000001")
    assert done.event.kind == "renewal"
    assert (after.term_start, after.term_years, after.term_end, after.billing,
            after.rate_card_version) == (D(2027, 1, 1), 2, D(2028, 12, 31), "annual", "2019.1")
    assert history(store, after)[1:] == [
        ("renewal", D(2027, 1, 1), Decimal("0.00"), 0, offer.number)]
    with store.session(read_only=True) as session:
        assert contracts_due(session, D(2026, 11, 1), 90) == []
    with pytest.raises(OfferDoesNotFit, match="starts on 2027-01-01, but contract C-000001 "
                                              "runs to 2028-12-31"):
        accepted(store, twin, D(2026, 11, 6))


def test_an_accepted_reinstatement_makes_a_cancelled_contract_active_again(store, book):
    contract = new_contract(store, book, term_start="2024-01-01", term_years=1)
    with store.session() as session:
        cancel_contract(session, contract, today=D(2024, 12, 31))
    request = reinstatement_request(book, reread(store, "C-000001"), start=D(2025, 4, 1),
                                    years=1, today=D(2025, 3, 20))
    offer = issue(store, book, request, D(2025, 3, 20))
    assert offer.total == Decimal("3110.14")
    accepted(store, offer, D(2025, 3, 21))
    after = reread(store, "C-000001")
    assert (after.status, after.term_start, after.term_end) == (
        "active", D(2025, 4, 1), D(2026, 3, 31))
    assert [kind for kind, *_ in history(store, after)] == [
        "created", "cancelled", "reinstatement"]


def test_an_offer_accepted_without_its_contract_change_gets_it_once(store, book):
    offer = issue(store, book, parse_request(bpm_request(customer=ACME)), D(2026, 1, 1))
    with store.session() as session:
        accept(session, offer.id, today=D(2026, 1, 2))  # as the offer page does
    first = accepted(store, offer, D(2026, 1, 3))
    second = accepted(store, offer, D(2026, 1, 4))
    assert (first.replayed, second.replayed) == (False, True)
    assert count(store, Contract) == 1


def test_an_expired_offer_cannot_be_accepted_and_changes_nothing(store, book):
    offer = issue(store, book, parse_request(bpm_request(customer=ACME)), D(2026, 1, 1))
    with pytest.raises(IllegalTransition, match="is expired and cannot be accepted"):
        accepted(store, offer, D(2026, 2, 1))
    assert count(store, Contract) == count(store, Customer) == 0
