"""Store benchmark: issuing, the finance list and the PDF cache on a scratch SQLite file.

    python -m bench.store                 # SQLite in a temporary folder
    python -m bench.store postgresql+psycopg://user@host/db   # an EMPTY database
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

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
    start = time.perf_counter()
    for i in range(OFFERS):
        with store.session() as session:
            offer = issue(session, drafts[i % len(drafts)]).offer
    issuing = time.perf_counter() - start
    print(f"bench store ({store.dialect}): issue {OFFERS} offers, one transaction each: "
          f"{issuing:.2f} s ({issuing / OFFERS * 1000:.2f} ms per offer)")

    def page():
        with store.session(read_only=True) as session:
            list_offers(session, OfferFilters(customer="customer 1"), sort="-total")

    def export():
        with store.session(read_only=True) as session:
            sum(1 for _ in export_rows(session))

    print(f"bench store: finance list page of 50 with totals: {_timed(page, 20):.2f} ms")
    print(f"bench store: export of {OFFERS * 2} line rows: {_timed(export, 5):.2f} ms")
    pdf = b"%PDF" + b"x" * 200_000
    pdf_for(store, offer, "de", lambda document, language: pdf)

    def cached():
        pdf_for(store, offer, "de", lambda document, language: 1 / 0)

    print(f"bench store: cached 200 kB PDF: {_timed(cached, 20):.2f} ms")
    store.dispose()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        run(argv[0])
        return 0
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
