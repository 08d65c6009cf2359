"""The renewal run over 10,000 contracts, on SQLite and on PostgreSQL, against pricing
the same renewal requests in memory.

Measured: ``quote.lifecycle.create_renewal_offers`` over a database of 10,000 contracts
that all end within the next 90 days (1,000 customers in three languages; Basic,
Business and Premium; on-site and on-demand; 1 to 3 years; prepaid and annual): the
contracts read, a renewal request built and priced for each, and each offer stored
with its lines and snapshot, in transactions of 100. Baseline: ``price_quote`` over
the same 10,000 renewal requests, built beforehand, in memory, measured in the same
run right before and right after each backend's run (the mean of the two, so that
the shared machine's load drifting during the run weighs on both sides). Target:
the run costs at most 3 × pure pricing.

PostgreSQL is a throwaway server this benchmark starts itself (``initdb`` in a
temporary folder, as the ``postgres`` user via ``runuser`` when run as root, a free
port, fsync off) and always removes; SQLite is a file in a temporary folder.

    python -m bench renewals                      # or: python -m bench.renewals
    python -m bench.renewals --contracts 2000 --backend sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from bench._postgres import throwaway_postgres
from quote.core.catalog import load_rates
from quote.core.contract import anniversary, last_day
from quote.core.pricing import price_quote
from quote.lifecycle import create_renewal_offers, renewal_request
from quote.store import Contact, Contract, ContractEvent, Customer, Store, add_user
from quote.store.contracts import draw_contract_numbers
from quote.store.customers import company_key

CONTRACTS = 10_000
CUSTOMERS = 1_000
TODAY = dt.date(2026, 11, 1)
TARGET = 3.0
PACKAGES = [("business", "on_site"), ("business", "on_demand"), ("premium", "on_site"),
            ("basic", "on_site"), ("premium", "on_demand")]


# -- a database full of contracts ---------------------------------------------------


def fill(store: Store, count: int) -> int:
    """``count`` contracts ending within 90 days of TODAY; returns a sales user's id."""
    rng = random.Random(20261101)
    now = dt.datetime.now(dt.UTC)
    with store.session() as session:
        user = add_user(session, "bench@example.com", "Bench", "a long enough password")
        customers = min(CUSTOMERS, count)
        session.execute(insert(Customer), [
            {"id": i, "company": f"Customer {i} GmbH", "company_key": company_key(
                f"Customer {i} GmbH"), "country": "DE", "vat_id": None,
             "language": ("de", "en", "ru")[i % 3], "owner_id": user.id,
             "search": f"customer {i} gmbh\n\ncontact {i}\nc{i}@example.com",
             "created_at": now} for i in range(1, customers + 1)])
        session.execute(insert(Contact), [
            {"customer_id": i, "name": f"Contact {i}", "email": f"c{i}@example.com",
             "position": None, "is_primary": True} for i in range(1, customers + 1)])
        numbers = draw_contract_numbers(session, count)
        contracts = []
        for i, number in enumerate(numbers, start=1):
            years = 1 + i % 3
            end = TODAY + dt.timedelta(days=i % 88)
            start = anniversary(end + dt.timedelta(days=1), -years)
            package, deployment = PACKAGES[i % len(PACKAGES)]
            contracts.append({
                "id": i, "number": number, "customer_id": 1 + i % customers,
                "rate_card_id": "bpmonline", "rate_card_version": "2019.1",
                "package_id": package, "deployment": deployment, "currency": "EUR",
                "license_value": Decimal(rng.randrange(5_000, 200_000)) * 10,
                "environments": 1 + i % 3, "term_start": start, "term_years": years,
                "term_end": last_day(start, years),
                "billing": "annual" if i % 4 == 0 else "prepaid", "status": "active",
                "owner_id": user.id, "created_at": now})
        session.execute(insert(Contract), contracts)
        session.execute(insert(ContractEvent), [
            {"contract_id": c["id"], "kind": "imported", "effective_on": c["term_start"],
             "offer_id": None, "license_value_added": c["license_value"],
             "environments_added": c["environments"], "note": "bench", "user_id": user.id,
             "created_at": now} for c in contracts])
        return user.id


def requests(store: Store, book) -> list:
    with store.session(read_only=True) as session:
        contracts = session.scalars(select(Contract).order_by(Contract.id)).all()
    return [renewal_request(book, contract, today=TODAY) for contract in contracts]


# -- the measurement --------------------------------------------------------------------


def pricing_time(built: list, book) -> float:
    start = time.perf_counter()
    for request in built:
        price_quote(request, book, TODAY)
    return time.perf_counter() - start


def measure(url: str, count: int) -> dict:
    book = load_rates()
    store = Store(url)
    try:
        store.migrate()
        issuer = fill(store, count)
        built = requests(store, book)
        price_quote(built[0], book, TODAY)  # warm: catalogues, caches
        before = pricing_time(built, book)
        start = time.perf_counter()
        run = create_renewal_offers(store, book, today=TODAY, within_days=90,
                                    issuer_id=issuer)
        running = time.perf_counter() - start
        after = pricing_time(built, book)
        again = time.perf_counter()
        second = create_renewal_offers(store, book, today=TODAY, within_days=90,
                                       issuer_id=issuer)
        second_run = time.perf_counter() - again
        assert len(run.created) == count and not run.failed, (len(run.created), run.failed)
        assert not second.created and len(second.offered_before) == count
        return {"backend": store.dialect, "count": count, "pricing": (before + after) / 2,
                "before": before, "after": after, "run": running, "second_run": second_run}
    finally:
        store.dispose()


def report(result: dict) -> None:
    name, count = result["backend"], result["count"]
    pricing, running = result["pricing"], result["run"]
    ratio = running / pricing
    print(f"bench renewals ({name}): baseline: {count:,} renewal requests priced in memory "
          f"in {pricing:.1f} s, {count / pricing:,.0f} quotes/s (mean of {result['before']:.1f} "
          f"s before and {result['after']:.1f} s after the run)")
    print(f"bench renewals ({name}): renewal run: {count:,} offers issued in {running:.1f} s, "
          f"{count / running:,.0f} offers/s; a second run finds them all in "
          f"{result['second_run']:.1f} s and issues none")
    print(f"bench renewals ({name}): ratio {ratio:.2f} (run time / pricing time; target <= "
          f"{TARGET:.0f}: {'met' if ratio <= TARGET else 'NOT met'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.renewals", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=CONTRACTS,
                        help=f"contracts in the database (default {CONTRACTS:,})")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args([] if argv is None else argv)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            report(measure(f"sqlite:///{Path(folder) / 'bench.db'}", args.contracts))
    if args.backend in ("postgresql", "both"):
        with throwaway_postgres() as server:
            url = server.create_database("bench")
            report(measure(url, args.contracts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
