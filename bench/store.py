"""Store benchmark: issuing, the finance list and the PDF cache on a scratch SQLite file.

Baselines, measured in the same run on the same database: an empty writing
transaction (``SELECT 1`` in ``store.session()``) for issuing, an empty
reading one (``SELECT 1`` in ``store.session(read_only=True)``) for the reads;
each figure is printed with its ratio to its baseline.

    python -m bench store                 # SQLite in a temporary folder
    python -m bench.store postgresql+psycopg://user@host/db   # an EMPTY database
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from quote.core.catalog import load_rates
from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import OfferFilters, Store, export_rows, issue, list_offers, pdf_for

OFFERS = 500


def _draft(book, company: str):
    request = parse_request({
        "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
        "license_value": "12000.00", "term_start": "2026-01-01", "as_of": "2026-01-01",
        "additions": [{"date": "2026-07-01", "license_value": "6000.00"}],
        "customer": {"company": company}})
    loaded = book.in_force("bpmonline", dt.date(2026, 1, 1))
    return offer_document(request, price_quote(request, book, dt.date(2026, 1, 1)), loaded)


def _timed(function, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(url: str) -> None:
    store = Store(url)
    store.migrate()
    book = load_rates()
    drafts = [_draft(book, f"Customer {i % 50}") for i in range(10)]

    def empty(read_only: bool):
        def transaction():
            with store.session(read_only=read_only) as session:
                session.execute(text("SELECT 1"))
        return transaction

    empty_write, empty_read = _timed(empty(False), 50), _timed(empty(True), 50)
    print(f"bench store ({store.dialect}): baselines: empty writing transaction "
          f"{empty_write:.2f} ms, empty reading transaction {empty_read:.2f} ms")
    start = time.perf_counter()
    for i in range(OFFERS):
        with store.session() as session:
            offer = issue(session, drafts[i % len(drafts)]).offer
    issuing = time.perf_counter() - start
    per_offer = issuing / OFFERS * 1000
    print(f"bench store: issue {OFFERS} offers, one transaction each: {issuing:.2f} s "
          f"({per_offer:.2f} ms per offer, ratio {per_offer / empty_write:.1f} to the empty "
          "writing transaction)")

    def page():
        with store.session(read_only=True) as session:
            list_offers(session, OfferFilters(customer="customer 1"), sort="-total")

    def export():
        with store.session(read_only=True) as session:
            sum(1 for _ in export_rows(session))

    listing, exporting = _timed(page, 20), _timed(export, 5)
    print(f"bench store: finance list page of 50 with totals: {listing:.2f} ms "
          f"(ratio {listing / empty_read:.1f} to the empty reading transaction)")
    print(f"bench store: export of {OFFERS * 2} line rows: {exporting:.2f} ms "
          f"(ratio {exporting / empty_read:.1f})")
    pdf = b"%PDF" + b"x" * 200_000
    pdf_for(store, offer, "de", lambda document, language, acceptance: pdf)

    def cached():
        pdf_for(store, offer, "de", lambda document, language, acceptance: 1 / 0)

    reading = _timed(cached, 20)
    print(f"bench store: cached 200 kB PDF: {reading:.2f} ms "
          f"(ratio {reading / empty_read:.1f})")
    store.dispose()


def main(argv: list[str] | None = None) -> int:
    argv = [] if argv is None else argv
    if argv:
        run(argv[0])
        return 0
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
