"""The renewal run: which contracts are due, one renewal offer each, never a second one
for the same contract and term, even when two runs overlap."""

from __future__ import annotations

import threading
from decimal import Decimal

from contract_helpers import D, count, new_contract

from quote.core.catalog import load_rates
from quote.lifecycle import accept_offer, cancel_contract, create_renewal_offers, due_for_renewal
from quote.store import Offer, Store, find_by_number, withdraw

TODAY = D(2026, 11, 1)


def contracts(store, book):
    """C-000001 ends 2026-12-31 (3 years), C-000002 2027-01-30 (the 90th day), C-000003
    2027-01-31 (the 91st), C-000004 2026-10-31 (ended yesterday), C-000005 2026-11-30 but
    cancelled; C-000006 2027-01-14, 2 environments, billed annually."""
    new_contract(store, book, term_start="2024-01-01", term_years=3)
    new_contract(store, book, term_start="2026-01-31", term_years=1, package="premium",
                 license_value="40000.00")
    new_contract(store, book, term_start="2026-02-01", term_years=1, package="basic")
    new_contract(store, book, term_start="2025-11-01", term_years=1, deployment="on_demand")
    cancelled = new_contract(store, book, term_start="2025-12-01", term_years=1,
                             package="premium", deployment="on_demand",
                             license_value="70000.00")
    with store.session() as session:
        cancel_contract(session, cancelled, today=D(2026, 5, 1))
    new_contract(store, book, term_start="2026-01-15", term_years=1, company="Acme",
                 country="AT", contact_email="ann@acme.example", environments=2,
                 billing="annual", language="en")


def test_due_contracts_are_the_active_ones_ending_within_the_days(store, book):
    contracts(store, book)
    with store.session(read_only=True) as session:
        due = due_for_renewal(session, book, today=TODAY, within_days=90)
    # annual costs: 2,400.00; Premium 25 % of 40,000.00 = 10,000.00; Acme 2,400.00 + one
    # extra environment 240.00
    assert [(d.contract.number, d.contract.term_end, d.annual_cost, d.renewal_offer)
            for d in due] == [
        ("C-000001", D(2026, 12, 31), Decimal("2400.00"), None),
        ("C-000006", D(2027, 1, 14), Decimal("2640.00"), None),
        ("C-000002", D(2027, 1, 30), Decimal("10000.00"), None)]


def test_the_run_offers_each_due_contract_once_and_a_second_run_offers_nothing(store, book,
                                                                              sales):
    contracts(store, book)
    seen = []
    run = create_renewal_offers(store, book, today=TODAY, within_days=90, issuer_id=sales,
                                valid_days=30, progress=lambda done, total:
                                seen.append((done, total)), batch=2)
    assert run.due == 3 and run.failed == [] and run.offered_before == []
    assert run.created == [("C-000001", "Q-2026-000001"), ("C-000006", "Q-2026-000002"),
                           ("C-000002", "Q-2026-000003")]
    assert seen == [(2, 3), (3, 3)]
    with store.session(read_only=True) as session:
        first = find_by_number(session, "Q-2026-000001")
        acme = find_by_number(session, "Q-2026-000002")
        document = first.document
        assert (first.kind, first.contract_id, first.issuer_id, first.term_start,
                first.valid_until, first.language) == (
            "renewal", 1, sales, D(2027, 1, 1), D(2026, 12, 1), "de")
        assert (acme.customer_company, acme.language, acme.customer_id) == ("Acme", "en", 2)
    # C-000001: 3 years prepaid from 2027-01-01, the figures of docs/pricing.md rule 8
    assert document.request.term_years == 3 and document.result.total == Decimal("7047.25")
    # Acme: one year, billed annually: 2,400.00 + 240.00, no uplift, no discount
    assert acme.total == Decimal("2640.00")

    again = create_renewal_offers(store, book, today=TODAY, within_days=90, issuer_id=sales)
    assert again.created == [] and again.offered_before == run.created
    assert count(store, Offer) == 3


def test_a_withdrawn_or_expired_offer_does_not_count_an_accepted_one_does(store, book, sales):
    contracts(store, book)
    create_renewal_offers(store, book, today=TODAY, within_days=90, issuer_id=sales)
    with store.session() as session:
        withdraw(session, find_by_number(session, "Q-2026-000002"), today=TODAY)
        accept_offer(session, find_by_number(session, "Q-2026-000003").id, by_user_id=sales,
                     today=TODAY)
    run = create_renewal_offers(store, book, today=TODAY, within_days=90, issuer_id=sales)
    # C-000002 was renewed: it runs to 2028-01-30 now and is not due
    assert run.due == 2
    assert run.created == [("C-000006", "Q-2026-000004")]
    assert run.offered_before == [("C-000001", "Q-2026-000001")]
    # a month on, Q-2026-000001 and Q-2026-000004 have expired (valid until 2026-12-01):
    # offered again, and C-000003 (ends 2027-01-31) is due now
    later = create_renewal_offers(store, book, today=D(2026, 12, 2), within_days=90,
                                  issuer_id=sales)
    assert later.created == [("C-000001", "Q-2026-000005"), ("C-000006", "Q-2026-000006"),
                             ("C-000003", "Q-2026-000007")]
    assert later.offered_before == []


def test_two_runs_at_the_same_time_make_one_offer_per_contract(store, store_url, book, sales):
    for day in range(1, 13):
        new_contract(store, book, term_start=f"2026-01-{day:02d}", term_years=1,
                     company=f"Customer {day}", contact_email=f"c{day}@example.com")
    runs, failures = [], []

    def run() -> None:
        other = Store(store_url)
        try:
            runs.append(create_renewal_offers(other, book, today=TODAY, within_days=90,
                                              issuer_id=sales, batch=3))
        except Exception as exc:  # reported below
            failures.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    created = sorted(c for r in runs for c, _ in r.created)
    assert created == [f"C-{n:06d}" for n in range(1, 13)]
    assert count(store, Offer) == 12


def test_a_contract_the_core_cannot_price_is_reported_and_the_others_go_on(
        store, book, rates_dir, tmp_path, sales):
    new_contract(store, book, term_start="2024-01-01", term_years=3)
    new_contract(store, book, term_start="2025-12-01", term_years=1, rate_card="otrs",
                 card_version="",
                 package="basic", deployment="on_demand", license_value="0")
    only_bpm = tmp_path / "rates"
    only_bpm.mkdir()
    (only_bpm / "bpmonline.toml").write_bytes((rates_dir / "bpmonline.toml")
                                              .read_bytes())
    run = create_renewal_offers(store, load_rates(only_bpm), today=TODAY, within_days=90,
                                issuer_id=sales)
    assert run.created == [("C-000001", "Q-2026-000001")]
    assert run.failed == [("C-000002", "rate_card: unknown rate card; choose one of "
                                       "bpmonline")]
