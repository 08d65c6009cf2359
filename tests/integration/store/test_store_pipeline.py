"""The sales pipeline in the store, on SQLite and PostgreSQL: a salesperson's offers
searched, filtered and ordered by what runs out first; the inbox of self-service requests
routed to the customer's owner and emptied by looking; the issuer's contact kept in the
snapshot as issued."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import at

from quote.core.offer import SellerContact
from quote.core.request import parse_request
from quote.lifecycle import issue_offer
from quote.store import (
    BatchDraft,
    NewContact,
    OfferFilters,
    accept,
    add_customer,
    add_user,
    find_by_number,
    inbox_count,
    issue,
    issue_many,
    list_inbox,
    list_offers,
    mark_seen,
    revise,
    set_phone,
)

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def people(store):
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada Sales", "a long password!",
                       phone="+49 30 555-1")
        bob = add_user(session, "bob@example.com", "Bob Sales", "a long password!")
        return {"ada": ada.id, "bob": bob.id}


@pytest.fixture
def pipeline(store, people, make_draft):
    """Ada's four offers (two open, one expired, one accepted) and one of Bob's."""
    plan = {  # name: (issuer, issued at, days valid, customer)
        "a": ("ada", "2026-05-01T09:00", 60, "Acme GmbH"),         # open to 30 June
        "b": ("ada", "2026-05-20T09:00", 20, "Müller AG"),         # open to 9 June
        "c": ("ada", "2026-03-01T09:00", 30, "Beta Ltd"),          # expired on 31 March
        "d": ("ada", "2026-05-25T09:00", 30, "Gamma KG"),          # accepted
        "e": ("bob", "2026-05-10T09:00", 30, "Delta SA"),          # Bob's, open to 9 June
    }
    numbers = {}
    with store.session() as session:
        for name, (who, moment, days, company) in plan.items():
            offer = issue(session, make_draft(days, customer={"company": company}),
                          issuer_id=people[who], now=at(moment)).offer
            numbers[name] = offer.number
        accept(session, find_by_number(session, numbers["d"]), today=dt.date(2026, 5, 26))
    return numbers


def listed(store, sort="expiring", **filters) -> list[str]:
    with store.session(read_only=True) as session:
        page = list_offers(session, OfferFilters(**filters), sort=sort, today=TODAY)
        return [offer.number for offer in page.offers]


def test_a_salesperson_lists_their_own_offers_open_ones_running_out_first(store, people,
                                                                         pipeline):
    n = pipeline
    # open: b (9 June) before a (30 June); then the rest newest first: d, c
    assert listed(store, issuer_id=people["ada"]) == [n["b"], n["a"], n["d"], n["c"]]
    assert n["e"] not in listed(store, issuer_id=people["ada"])


def test_everyone_s_offers_in_the_same_order(store, pipeline):
    n = pipeline
    # b and e both run out on 9 June: the newer (b, 20 May) first
    assert listed(store) == [n["b"], n["e"], n["a"], n["d"], n["c"]]


def test_searching_by_customer_or_number_and_filtering_by_status(store, people, pipeline):
    n = pipeline
    ada = people["ada"]
    assert listed(store, issuer_id=ada, search="MÜLLER") == [n["b"]]
    assert listed(store, issuer_id=ada, search=n["c"][-6:]) == [n["c"]]
    assert listed(store, issuer_id=ada, search=n["a"].lower()) == [n["a"]]
    assert listed(store, issuer_id=ada, search="delta") == []  # Bob's customer
    assert listed(store, issuer_id=ada, status="issued") == [n["b"], n["a"]]
    assert listed(store, issuer_id=ada, status="expired") == [n["c"]]
    assert listed(store, issuer_id=ada, status="accepted") == [n["d"]]
    assert listed(store, issuer_id=ada, search="%") == []  # a literal percent sign


@pytest.fixture
def requests(store, book, people):
    """Three self-service requests: from Bob's customer (named by country name), from a
    customer nobody owns, and from a company not known yet."""
    with store.session() as session:
        add_customer(session, company="Müller AG", country="DE", owner_id=people["bob"],
                     contacts=[NewContact("Jörg Müller", "joerg@mueller.example")])
        add_customer(session, company="Nobody GmbH", country="AT",
                     contacts=[NewContact("Nina", "nina@nobody.example")])
    numbers = {}
    customers = {"owned": ("müller  ag", "Deutschland"), "unowned": ("Nobody GmbH", "AT"),
                 "unknown": ("Fresh Ltd", "GB")}
    for hour, (name, (company, country)) in enumerate(customers.items(), start=8):
        request = parse_request({
            "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
            "license_value": "12000.00", "term_start": "2026-07-01",
            "customer": {"company": company, "country": country, "contact": "Pat Doe",
                         "email": "pat@example.com"}})
        with store.session() as session:
            issued = issue_offer(session, book, request, today=TODAY, public=True,
                                 now=at(f"2026-06-01T{hour:02}:00"))
            numbers[name] = issued.offer.number
    return numbers


def inbox_of(store, user_id) -> list[str]:
    with store.session(read_only=True) as session:
        return [offer.number for offer in list_inbox(session, user_id).offers]


def test_a_request_goes_to_the_owner_of_a_known_customer_else_to_every_salesperson(
        store, people, requests):
    r = requests
    assert inbox_of(store, people["bob"]) == [r["owned"], r["unowned"], r["unknown"]]
    assert inbox_of(store, people["ada"]) == [r["unowned"], r["unknown"]]  # not Bob's
    assert inbox_of(store, None) == [r["owned"], r["unowned"], r["unknown"]]  # admin
    with store.session(read_only=True) as session:
        assert inbox_count(session, people["ada"]) == 2
        assert inbox_count(session, people["bob"]) == 3
        assert find_by_number(session, r["unknown"]).customer_id is None


def test_a_request_looked_at_once_leaves_every_inbox(store, people, pipeline, requests):
    r = requests
    with store.session() as session:
        assert mark_seen(session, find_by_number(session, r["unowned"]), people["ada"],
                         now=at("2026-06-01T12:00"))
        assert not mark_seen(session, find_by_number(session, r["unowned"]).id,
                             people["bob"])  # the first look counts
        assert not mark_seen(session, find_by_number(session, pipeline["a"]).id,
                             people["ada"])  # a staff offer is no request
    assert inbox_of(store, people["bob"]) == [r["owned"], r["unknown"]]
    assert inbox_of(store, people["ada"]) == [r["unknown"]]
    with store.session(read_only=True) as session:
        seen = find_by_number(session, r["unowned"])
        assert seen.seen_by_id == people["ada"]
        assert seen.seen_at == at("2026-06-01T12:00")
        assert find_by_number(session, pipeline["a"]).seen_at is None


def test_an_offer_keeps_its_issuer_s_contact_and_the_offer_it_replaces(store, people,
                                                                       make_draft):
    with store.session() as session:
        first = issue(session, make_draft(), issuer_id=people["ada"],
                      now=at("2026-05-01T09:00")).offer
        first_number = first.number
        assert first.document.contact == SellerContact(
            name="Ada Sales", email="ada@example.com", phone="+49 30 555-1")
        assert first.document.replaces is None
    with store.session() as session:
        set_phone(session, "ada@example.com", "+49 30 555-99")
        second = revise(session, find_by_number(session, first_number), make_draft(),
                        issuer_id=people["ada"], now=at("2026-05-02T09:00")).offer
        second_number = second.number
    with store.session(read_only=True) as session:  # read back from the stored snapshots
        old = find_by_number(session, first_number).document
        new = find_by_number(session, second_number).document
    assert old.contact.phone == "+49 30 555-1"  # as issued, not as the user is now
    assert new.contact.phone == "+49 30 555-99"
    assert new.replaces == first_number


def test_self_service_offers_name_no_person_and_batches_name_their_issuers(store, people,
                                                                          make_draft):
    with store.session() as session:
        requested = issue(session, make_draft(), public=True).offer.number
        batch = issue_many(session, [BatchDraft(make_draft(), issuer_id=people["bob"]),
                                     BatchDraft(make_draft())], issuer_id=people["ada"])
    with store.session(read_only=True) as session:
        assert find_by_number(session, requested).document.contact is None
        by_bob, by_ada = (find_by_number(session, number).document for _, number in batch)
    assert (by_bob.contact.name, by_bob.contact.phone) == ("Bob Sales", "")
    assert (by_ada.contact.name, by_ada.contact.phone) == ("Ada Sales", "+49 30 555-1")
