"""A customer's answer to an offer, on SQLite and PostgreSQL: only an issued offer that has
not expired can be accepted or declined; the acceptance records who, when, from which
address and which document, and makes the contract in the same transaction; answering
twice changes nothing; cached PDFs made before an acceptance are not served after it.

bpm'online Business on-site (2019.1): 20 % of 12,000.00 = 2,400.00 a year. Offers are
issued on 2026-01-15 and valid for 30 days, to 2026-02-14.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from request_samples import bpm_request
from sqlalchemy import func, select

from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.lifecycle import accept_offer, decline_offer, issue_offer, offer_draft
from quote.store import (
    Contract,
    DocumentChanged,
    IllegalTransition,
    InvalidResponse,
    Offer,
    OfferResponse,
    Respondent,
    add_user,
    event_of_offer,
    find_by_number,
    offer_rows,
    pdf_for,
    response_of,
    withdraw,
)
from quote.store import issue as store_issue

TODAY = dt.date(2026, 1, 15)
NOON = dt.datetime(2026, 1, 16, 12, 0, tzinfo=dt.UTC)
ACME = {"company": "Acme GmbH", "contact": "Ada Lovelace", "email": "ada@acme.example",
        "country": "DE"}
ADA = Respondent(name="Ada Lovelace", position="CTO", purchase_order="PO-4711",
                 remote_addr="203.0.113.7")


def issued(store, book, **request) -> Offer:
    with store.session() as session:
        return issue_offer(session, book, parse_request(bpm_request(customer=ACME, **request)),
                           today=TODAY, public=True).offer


def accept(store, offer, person=ADA, by=None, today=TODAY):
    with store.session() as session:
        return accept_offer(session, offer.id, by_user_id=by, today=today, now=NOON,
                            person=person)


def decline(store, offer, person, today=TODAY):
    with store.session() as session:
        return decline_offer(session, offer.id, person=person, today=today, now=NOON)


def answers(store) -> int:
    with store.session(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(OfferResponse))


def status(store, offer) -> str:
    with store.session(read_only=True) as session:
        return find_by_number(session, offer.number).status


def test_the_acceptance_records_who_when_where_and_which_document(store, book):
    offer = issued(store, book)
    accepted = accept(store, offer)
    with store.session(read_only=True) as session:
        row = find_by_number(session, offer.number)
        response = response_of(session, row)
        expected_hash = hashlib.sha256(row.document_json.encode("utf-8")).hexdigest()
    assert row.status == "accepted"
    assert (response.kind, response.name, response.position, response.purchase_order) == (
        "accepted", "Ada Lovelace", "CTO", "PO-4711")
    assert response.created_at == NOON
    assert response.remote_addr == "203.0.113.7"
    assert response.document_sha256 == expected_hash == row.document_sha256
    assert response.user_id is None  # the customer, through the link
    assert accepted.response.id == response.id and not accepted.replayed


def test_the_customers_acceptance_makes_the_contract_in_the_same_transaction(store, book):
    offer = issued(store, book, term_years=3)
    accepted = accept(store, offer)
    assert accepted.contract.number == "C-000001" and accepted.contract_problem is None
    with store.session(read_only=True) as session:
        contract = session.scalars(select(Contract)).one()
        assert (contract.license_value, contract.term_years) == (Decimal("12000.00"), 3)
        assert event_of_offer(session, find_by_number(session, offer.number)).kind == "created"


def test_staff_accepting_for_the_customer_record_themselves_and_the_person(store, book):
    with store.session() as session:
        anna = add_user(session, "anna@example.com", "Anna Berg", "a long enough password")
    offer = issued(store, book)
    accept(store, offer, Respondent(name="Ada Lovelace"), by=anna.id)  # no position needed
    with store.session(read_only=True) as session:
        response = response_of(session, offer.id)
        assert (response.name, response.position, response.user_id) == (
            "Ada Lovelace", "", anna.id)
        assert response.on_behalf and response.user.display_name == "Anna Berg"


def test_accepting_twice_changes_nothing_and_returns_the_first_acceptance(store, book):
    offer = issued(store, book)
    first = accept(store, offer)
    again = accept(store, offer, Respondent(name="Someone Else", position="CEO"))
    assert again.replayed and again.response.id == first.response.id
    assert again.contract.number == first.contract.number == "C-000001"
    assert again.response.name == "Ada Lovelace"
    assert answers(store) == 1


def _expired(store, book):
    offer = issued(store, book)
    return offer, dt.date(2026, 2, 15)  # the day after its last valid day


@pytest.mark.parametrize("how", ["expired", "withdrawn", "superseded", "declined"])
def test_only_an_issued_offer_that_has_not_expired_can_be_accepted(store, book, how):
    offer = issued(store, book)
    today = TODAY
    if how == "expired":
        today = dt.date(2026, 2, 15)  # the day after its last valid day, 2026-02-14
    elif how == "withdrawn":
        with store.session() as session:
            withdraw(session, offer.id, today=TODAY)
    elif how == "superseded":
        with store.session() as session:
            issue_offer(session, book, parse_request(bpm_request(customer=ACME)),
                        today=TODAY, revises=session.get(Offer, offer.id))
    else:
        decline(store, offer, Respondent(name="Ada Lovelace", reason="too expensive"))
    with pytest.raises(IllegalTransition) as refused:
        accept(store, offer, today=today)
    assert (refused.value.status, refused.value.action) == (how, "accepted")
    assert status(store, offer) == ("issued" if how == "expired" else how)
    with store.session(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 0
        kinds = session.scalars(select(OfferResponse.kind)).all()
    assert kinds == (["declined"] if how == "declined" else [])


@pytest.mark.parametrize(("person", "fields"), [
    (Respondent(name="", position="CTO"), ["name"]),
    (Respondent(name="Ada", position="  "), ["position"]),
    (Respondent(name="A" * 201, position="CTO", purchase_order="P" * 101),
     ["name", "purchase_order"]),
    (Respondent(name="Ada\x07", position="CTO"), ["name"]),
])
def test_a_customers_acceptance_needs_a_name_and_a_position(store, book, person, fields):
    offer = issued(store, book)
    with pytest.raises(InvalidResponse) as refused:
        accept(store, offer, person)
    assert [error.field for error in refused.value.errors] == fields
    assert status(store, offer) == "issued" and answers(store) == 0  # nothing half-written


def test_an_acceptance_of_another_document_is_refused(store, book):
    offer = issued(store, book)
    with pytest.raises(DocumentChanged):
        accept(store, offer, Respondent(name="Ada", position="CTO", document_sha256="0" * 64))
    assert status(store, offer) == "issued" and answers(store) == 0


def test_a_customers_acceptance_is_kept_when_its_contract_cannot_be_made(store, book):
    request = parse_request(bpm_request())  # no company, country or e-mail
    with store.session() as session:  # stored as offers were before they had to name one
        offer = store_issue(session, offer_draft(book, request, price_quote(
            request, book, TODAY), today=TODAY), public=True).offer
    accepted = accept(store, offer)
    assert accepted.contract is None and accepted.contract_problem is not None
    assert "company" in str(accepted.contract_problem)
    assert status(store, offer) == "accepted" and answers(store) == 1
    with store.session(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 0


def test_declining_records_the_reason_once(store, book):
    offer = issued(store, book)
    first = decline(store, offer, Respondent(name="Ada Lovelace", reason="Too expensive.",
                                             remote_addr="198.51.100.4"))
    again = decline(store, offer, Respondent(name="Bob", reason="Other reason."))
    assert again.replayed and again.response.id == first.response.id
    assert (first.response.kind, first.response.reason, first.response.remote_addr) == (
        "declined", "Too expensive.", "198.51.100.4")
    assert status(store, offer) == "declined" and answers(store) == 1
    with pytest.raises(InvalidResponse):
        decline(store, issued(store, book), Respondent(name="Ada", reason=""))


def test_an_accepted_offer_cannot_be_declined(store, book):
    offer = issued(store, book)
    accept(store, offer)
    with pytest.raises(IllegalTransition):
        decline(store, offer, Respondent(name="Ada", reason="changed my mind"))
    assert status(store, offer) == "accepted"


def test_a_declined_offer_may_be_revised_and_stays_declined(store, book):
    offer = issued(store, book)
    decline(store, offer, Respondent(name="Ada", reason="Too expensive."))
    with store.session() as session:
        revision = issue_offer(session, book, parse_request(bpm_request(
            customer=ACME, discount_percent="5")), today=TODAY, issuer_id=None,
            revises=session.get(Offer, offer.id)).offer
    assert status(store, offer) == "declined"
    with store.session(read_only=True) as session:
        assert find_by_number(session, revision.number).replaces_id == offer.id


def test_a_pdf_cached_before_the_acceptance_is_not_served_after_it(store, book):
    offer = issued(store, book)
    renders = []

    def render(document, language, acceptance):
        made = f"%PDF {language} {acceptance.name if acceptance else 'open'}".encode()
        renders.append(made)
        return made

    assert pdf_for(store, offer, "de", render) == b"%PDF de open"
    assert pdf_for(store, offer, "de", render) == b"%PDF de open"  # cached
    accept(store, offer)
    assert pdf_for(store, offer, "de", render) == b"%PDF de Ada Lovelace"
    assert pdf_for(store, offer, "de", render) == b"%PDF de Ada Lovelace"  # cached
    assert renders == [b"%PDF de open", b"%PDF de Ada Lovelace"]


def test_an_open_pdf_stored_after_the_acceptance_is_never_served_as_accepted(store, book):
    """A render that began before the acceptance and is stored after it."""
    offer = issued(store, book)

    def slow_render(document, language, acceptance):
        accept(store, offer)  # the customer accepts while the open PDF renders
        return b"%PDF open"

    assert pdf_for(store, offer, "en", slow_render) == b"%PDF open"  # the asker's own
    accepted = pdf_for(store, offer, "en", lambda d, lang, a: f"%PDF {a.name}".encode())
    assert accepted == b"%PDF Ada Lovelace"


def test_the_finance_export_carries_the_acceptance(store, book):
    accepted, open_offer = issued(store, book), issued(store, book)
    accept(store, accepted)
    with store.session(read_only=True) as session:
        rows = {row.number: row for row in offer_rows(session, today=TODAY)}
    row = rows[accepted.number]
    assert (row.status, row.accepted_on, row.accepted_by, row.accepted_position,
            row.purchase_order) == ("accepted", dt.date(2026, 1, 16), "Ada Lovelace", "CTO",
                                    "PO-4711")
    other = rows[open_offer.number]
    assert (other.accepted_on, other.accepted_by, other.purchase_order) == (None, "", "")
