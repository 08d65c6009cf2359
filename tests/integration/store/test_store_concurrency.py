"""Several processes issuing at once get unique, gap-free, increasing numbers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

from sqlalchemy import select
from store_helpers import issue_many

from quote.store import Offer

PROCESSES = 4
PER_PROCESS = 25


def test_concurrent_issuing_gives_unique_gap_free_increasing_numbers(store, store_url,
                                                                     make_draft):
    context = multiprocessing.get_context("spawn")
    ready, start, results = context.Queue(), context.Event(), context.Queue()
    workers = [context.Process(target=issue_many,
                               args=(store_url, make_draft().model_dump_json(), PER_PROCESS,
                                     7, ready, start, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for _ in workers:  # all at the starting line
        ready.get(timeout=120)
    began = time.perf_counter()
    start.set()
    reported = dict(results.get(timeout=120) for _ in workers)
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    assert sorted(len(issued) for issued in reported.values()) == [PER_PROCESS] * PROCESSES
    with store.session(read_only=True) as session:
        rows = session.execute(select(Offer.id, Offer.number, Offer.issued_at)
                               .order_by(Offer.id)).all()
    year = rows[0].issued_at.year
    total = PROCESSES * PER_PROCESS
    assert len(rows) == total
    assert len({row.number for row in rows}) == total
    # in issue order (ids and times), the numbers count 1, 2, 3, ... without a gap
    assert [row.number for row in rows] == [f"Q-{year}-{n:06d}" for n in range(1, total + 1)]
    assert [row.issued_at for row in rows] == sorted(row.issued_at for row in rows)
    assert all(row.issued_at.tzinfo == dt.UTC for row in rows)
    # each process saw its own numbers increase, and the processes took turns
    numbers = {pid: [number for _, number, _ in issued] for pid, issued in reported.items()}
    assert all(mine == sorted(mine) for mine in numbers.values())
    first = [row.number for row in rows[:PER_PROCESS]]
    owners = {pid for pid, mine in numbers.items() if set(mine) & set(first)}
    print(f"{store.dialect}: {total} offers from {PROCESSES} processes in {elapsed:.2f} s; "
          f"{len(owners)} processes among the first {PER_PROCESS} numbers")
