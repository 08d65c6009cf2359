"""What the API's lists and hand entry rest on, on SQLite and PostgreSQL: customers and
contracts as a salesperson sees them (their own and nobody's), contracts by their status
on a day, a contract entered twice, and a top-up issued through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_helpers import count, new_contract

from quote.lifecycle import EXISTS_ALREADY, InvalidContract, cancel_contract
from quote.store import (
    Contact,
    Contract,
    Customer,
    add_user,
    create_api_token,
    find_contract,
    list_contracts,
    list_customers,
)

D = dt.date


def _numbers(page) -> list[str]:
    return [c.number for c in page.contracts]


def test_a_salesperson_sees_their_own_and_nobodys(store, book, sales):
    with store.session() as session:
        other = add_user(session, "ben@example.com", "Ben", "a long enough password").id
    new_contract(store, book, owner_email="anna@example.com")                      # C-000001
    new_contract(store, book, company="Nobody AG", contact_email="n@nobody.example")  # -2
    new_contract(store, book, company="Ben KG", owner_email="ben@example.com")    # C-000003
    with store.session(read_only=True) as session:
        mine = list_customers(session, owner_or_none=sales)
        assert [c.company for c in mine.customers] == ["Müller GmbH", "Nobody AG"]
        assert mine.count == 2
        assert list_customers(session, "ben", owner_or_none=sales).count == 0
        assert list_customers(session).count == 3
        assert _numbers(list_contracts(session, owner_or_none=sales)) == ["C-000001",
                                                                          "C-000002"]
        assert _numbers(list_contracts(session, owner_or_none=other)) == ["C-000002",
                                                                          "C-000003"]


def test_contracts_by_their_status_on_a_day(store, book):
    new_contract(store, book)                                                        # 2026-28
    new_contract(store, book, company="Alt AG", contact_email="a@alt.example",
                 term_start="2022-01-01")                                            # to 2024
    new_contract(store, book, company="Weg AG", contact_email="w@weg.example")
    with store.session() as session:
        cancel_contract(session, find_contract(session, "C-000003"), today=D(2026, 3, 1))
    with store.session(read_only=True) as session:
        def status(name, day):
            return _numbers(list_contracts(session, status=name, today=day))

        assert status("active", D(2026, 11, 22)) == ["C-000001"]
        assert status("ended", D(2026, 11, 22)) == ["C-000002"]
        assert status("cancelled", D(2026, 11, 22)) == ["C-000003"]
        assert status("ended", D(2029, 1, 1)) == ["C-000001", "C-000002"]  # the day after
        assert status("active", D(2028, 12, 31)) == ["C-000001"]
        customer = find_contract(session, "C-000002").customer_id
        assert _numbers(list_contracts(session, customer_id=customer, status="ended",
                                       today=D(2026, 1, 1))) == ["C-000002"]
        with pytest.raises(ValueError):
            list_contracts(session, status="finished", today=D(2026, 1, 1))


def test_a_contract_entered_twice_is_refused_and_nothing_is_written(store, book):
    new_contract(store, book)
    with pytest.raises(InvalidContract) as refused:
        new_contract(store, book, contact_name="Eva Müller",
                     contact_email="eva@mueller.example")
    (error,) = refused.value.errors
    assert (error.field, error.template, error.params) == ("", EXISTS_ALREADY,
                                                          {"number": "C-000001"})
    assert (count(store, Contract), count(store, Customer), count(store, Contact)) == (1, 1, 1)
    new_contract(store, book, term_start="2026-02-01")  # another term start: another one
    assert count(store, Contract) == 2


def test_a_top_up_issued_through_the_api_is_linked_and_replayed(app, store, book):
    """The contract (Business 12,000.00, three years from 2026-01-01) topped up by
    6,000.00 on 2026-07-01, priced on 2026-11-22: 1,200.00 × 184/365 + 2 × 1,200.00."""
    new_contract(store, book, owner_email="")
    with store.session() as session:
        user = add_user(session, "anna@example.com", "Anna Berg", "a long enough password")
        token = create_api_token(session, user, "tests").token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"}
    body = {"additions": [{"date": "2026-07-01", "license_value": "6000.00"}]}
    first = client.post("/api/v1/contracts/C-000001/top-up", json=body, headers=headers)
    again = client.post("/api/v1/contracts/C-000001/top-up", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200), first.json
    assert first.json["result"]["subtotal"] == "3004.93"
    assert again.json["number"] == first.json["number"]
    shown = client.get("/api/v1/contracts/C-000001", headers=headers).json
    assert [(o["number"], o["kind"]) for o in shown["offers"]] == [
        (first.json["number"], "top_up")]
