"""Load and fault test: the API under gunicorn, on SQLite and on PostgreSQL, with a worker
killed midway.

For each database the benchmark starts ``gunicorn wsgi:app`` (4 sync workers,
a free port of 127.0.0.1, production settings, a random secret key, rate
limiting switched off so that no request is turned into a 429, ``TODAY`` fixed
at 2026-11-22), makes a sales user and an API token with the app's CLI, then:

1. baseline: ``GET /health`` a fixed number of times from the client threads;
2. the mix, the same number of requests from the same threads: anonymous
   previews, offers issued with an ``Idempotency-Key`` (some keys re-sent
   after their answer, some sent by two clients at once, a few re-sent with
   another request), and PDFs of issued offers. When half the requests are
   answered, one gunicorn worker is killed with SIGKILL; gunicorn starts a new
   one. A request whose connection breaks is sent again, the same request with
   the same key (at most 3 times);
3. checks: offer numbers gap-free (read from the store), every key maps to
   exactly one offer (answers and store agree), replays and races answered
   with the first answer's body byte for byte, every offer read back through
   ``GET /api/v1/quotes/<number>`` unchanged, answers only of the expected
   statuses (no 5xx, no 429), no error in the server log besides the kill.

It prints the answers by status, the connection errors, p50/p99 latency per
kind of request, the checks, and the throughput of the mix as a ratio against
the ``/health`` baseline of the same run. If a check fails it prints why and
no throughput figure, and exits with 1.

    python -m bench load                       # 500 requests, 8 clients, both databases
    python -m bench load --requests 300 --clients 4 --database sqlite
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench._gunicorn import (
    Answer,
    Gunicorn,
    app_environment,
    flask_cli,
    milliseconds,
    percentile,
    send,
    stop_on_sigterm,
)
from bench._postgres import PostgresError, throwaway_postgres

TODAY = "2026-11-22"
YEAR = 2026
WORKERS = 4
MAX_RETRIES = 3
MAX_REQUESTS = 5000
MAX_CLIENTS = 32
LANGUAGES = ("en", "de", "ru")
SALES_EMAIL = "load@example.com"
KINDS = ("preview", "issue", "replay", "race", "conflict", "pdf")
WEIGHTS = (50, 24, 8, 5, 3, 10)  # per cent of the operations; a race sends two requests
EXPECTED = {"health": {200}, "preview": {200}, "issue": {200, 201}, "replay": {200},
            "race": {200, 201}, "conflict": {409}, "pdf": {200}, "read back": {200}}


def quote_request(rng: random.Random, index: int, *, staff: bool) -> dict:
    """A valid bpm'online request; staff requests may carry a discount."""
    term_years = rng.randint(1, 3)
    package = rng.choice(("basic", "business", "premium"))
    deployment = rng.choice(("on_site", "on_demand"))
    # Basic on demand is included in the subscription: added licenses would add nothing
    # (the API refuses them), so that package gets none
    added = 0 if (package, deployment) == ("basic", "on_demand") else rng.randint(0, 3)
    additions = [{"date": f"2027-{month:02d}-{rng.randint(1, 28):02d}",
                  "license_value": f"{rng.randint(100, 20000)}.{rng.randint(0, 99):02d}"}
                 for month in sorted(rng.sample(range(2, 13), added))]
    request = {
        "rate_card": "bpmonline",
        "package": package,
        "deployment": deployment,
        "license_value": f"{rng.randint(1000, 400000)}.{rng.randint(0, 99):02d}",
        "term_start": "2027-01-01",
        "term_years": term_years,
        "environments": rng.randint(1, 3),
        "additions": additions,
        "language": rng.choice(LANGUAGES),
        "customer": {"company": f"Load Customer {index}", "contact": "Erika Mustermann",
                     "email": f"buyer{index}@example.com",
                     "country": rng.choice(("DE", "AT", "CH"))},
    }
    if staff and rng.random() < 0.5:
        request["discount_percent"] = str(rng.randint(1, 15))
    return request


def plan(requests: int, seed: int) -> list[str]:
    """The kinds of operations, in order, so that they send ``requests`` requests."""
    rng = random.Random(seed)
    kinds, count = [], 0
    while count < requests:
        kind = "issue" if count < 8 else rng.choices(KINDS, WEIGHTS)[0]
        if kind == "race" and count + 2 > requests:
            kind = "preview"
        kinds.append(kind)
        count += 2 if kind == "race" else 1
    return kinds


@dataclass
class Issued:
    """What the clients know of one idempotency key."""

    key: str
    request: dict
    number: str
    answer: bytes  # the body of the first answer received for the key


@dataclass
class Tally:
    """Everything the clients saw, guarded by ``lock``."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    attempts: int = 0
    broken: Counter = field(default_factory=Counter)  # connection errors by kind
    recovered: int = 0  # requests answered after a broken connection
    given_up: int = 0
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    answered: int = 0
    keys: dict[str, Issued] = field(default_factory=dict)
    done_keys: list[str] = field(default_factory=list)
    replays_checked: int = 0
    races_checked: int = 0
    conflicts_checked: int = 0
    pdfs: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def problem(self, category: str, text: str) -> None:
        """``category``: status (unexpected or none), idempotency, answer (ill-formed)."""
        with self.lock:
            self.problems[category].append(text)


class Client:
    """Sends requests for one benchmark phase; retries a request whose connection broke."""

    def __init__(self, port: int, token: str, tally: Tally, halfway: threading.Event,
                 half: int):
        self.port, self.token, self.tally = port, token, tally
        self.halfway, self.half = halfway, half

    def call(self, kind: str, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[Answer | None, int]:
        """(the answer or None after MAX_RETRIES broken connections, how many broke)."""
        tally, start, broken = self.tally, time.perf_counter(), 0
        for attempt in range(1 + MAX_RETRIES):
            with tally.lock:
                tally.attempts += 1
            try:
                answer = send(self.port, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                broken += 1
                with tally.lock:
                    tally.broken[kind] += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            with tally.lock:
                tally.statuses[kind][answer.status] += 1
                tally.latencies[kind].append(time.perf_counter() - start)
                tally.recovered += 1 if broken else 0
            self.count_done()
            if answer.status not in EXPECTED[kind]:
                tally.problem("status", f"{kind} {method} {path}: unexpected {answer.status} "
                              f"{answer.body[:300]!r}")
            return answer, broken
        with tally.lock:
            tally.given_up += 1
        self.count_done()
        tally.problem("status", f"{kind} {method} {path}: connection broke {broken} times, gave up")
        return None, broken

    def count_done(self) -> None:
        """One more request done; at half of them, the worker is killed."""
        with self.tally.lock:
            self.tally.answered += 1
            if self.tally.answered == self.half:
                self.halfway.set()

    def staff_headers(self, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    # the operations

    def health(self, rng: random.Random, index: int) -> None:
        self.call("health", "GET", "/health")

    def preview(self, rng: random.Random, index: int) -> None:
        body = json.dumps(quote_request(rng, index, staff=False)).encode()
        answer, _ = self.call("preview", "POST", "/api/v1/quotes/preview", body,
                              {"Content-Type": "application/json"})
        if answer is not None and answer.status == 200 and b'"total"' not in answer.body:
            self.tally.problem("answer", f"preview without a total: {answer.body[:200]!r}")

    def issue(self, rng: random.Random, index: int) -> None:
        key = f"load-{index:05d}-{secrets.token_hex(4)}"
        request = quote_request(rng, index, staff=True)
        answer, broken = self.call("issue", "POST", "/api/v1/quotes",
                                   json.dumps(request).encode(), self.staff_headers(key))
        if answer is None or answer.status not in (200, 201):
            return
        if answer.status == 200 and not broken:
            self.tally.problem("idempotency", f"issue {key}: a new key was answered as a replay")
        self.remember(key, request, answer)

    def replay(self, rng: random.Random, index: int) -> None:
        earlier = self.earlier(rng)
        if earlier is None:
            return self.issue(rng, index)
        # the same request, half of the time written differently (key order, white space)
        body = (json.dumps(earlier.request) if rng.random() < 0.5
                else json.dumps(earlier.request, sort_keys=True, indent=1)).encode()
        answer, _ = self.call("replay", "POST", "/api/v1/quotes", body,
                              self.staff_headers(earlier.key))
        if answer is None or answer.status != 200:
            return None
        with self.tally.lock:
            self.tally.replays_checked += 1
        if answer.headers.get("idempotent-replayed") != "true":
            self.tally.problem("idempotency",
                               f"replay {earlier.key}: no Idempotent-Replayed header")
        if answer.body != earlier.answer:
            self.tally.problem("idempotency",
                               f"replay {earlier.key}: body differs from the first answer "
                               f"({earlier.number}): {answer.body[:200]!r}")
        return None

    def race(self, rng: random.Random, index: int) -> None:
        """The same new key and request from two connections at once."""
        key = f"race-{index:05d}-{secrets.token_hex(4)}"
        request = quote_request(rng, index, staff=True)
        body = json.dumps(request).encode()
        barrier = threading.Barrier(2)
        answers: list[tuple[Answer | None, int]] = [(None, 0), (None, 0)]

        def one(slot: int) -> None:
            barrier.wait(timeout=10)
            answers[slot] = self.call("race", "POST", "/api/v1/quotes", body,
                                      self.staff_headers(key))

        other = threading.Thread(target=one, args=(1,), daemon=True)
        other.start()
        one(0)
        other.join()
        got = [(answer, broken) for answer, broken in answers
               if answer is not None and answer.status in (200, 201)]
        if len(got) != 2:
            return
        with self.tally.lock:
            self.tally.races_checked += 1
        statuses = sorted(answer.status for answer, _ in got)
        if statuses != [200, 201] and not any(broken for _, broken in got):
            self.tally.problem("idempotency",
                               f"race {key}: answered {statuses}, expected one 201 and one 200")
        if got[0][0].body != got[1][0].body:
            self.tally.problem("idempotency",
                               f"race {key}: the two answers differ: {got[0][0].body[:120]!r} "
                               f"against {got[1][0].body[:120]!r}")
        self.remember(key, request, got[0][0])

    def conflict(self, rng: random.Random, index: int) -> None:
        """An earlier key with another request: 409, naming the first offer."""
        earlier = self.earlier(rng)
        if earlier is None:
            return self.issue(rng, index)
        request = {**earlier.request, "license_value": "777777.77"}
        answer, _ = self.call("conflict", "POST", "/api/v1/quotes", json.dumps(request).encode(),
                              self.staff_headers(earlier.key))
        if answer is None or answer.status != 409:
            return None
        with self.tally.lock:
            self.tally.conflicts_checked += 1
        errors = json.loads(answer.body).get("errors", [])
        if not errors or errors[0].get("field") != "Idempotency-Key" \
                or earlier.number not in errors[0].get("message", ""):
            self.tally.problem("answer", f"conflict {earlier.key}: 409 without the key's field and "
                               f"offer {earlier.number}: {answer.body[:200]!r}")
        return None

    def pdf(self, rng: random.Random, index: int) -> None:
        """A PDF of an issued offer: half of the time one of the last five, half of the time
        in the offer's own language (no ``lang``), so that some come from the PDF cache."""
        with self.tally.lock:
            keys = self.tally.done_keys[-5:] if rng.random() < 0.5 else self.tally.done_keys
            chosen = self.tally.keys[rng.choice(keys)] if keys else None
        if chosen is None:
            return self.issue(rng, index)
        number = chosen.number
        if rng.random() < 0.5:
            language, query = chosen.request["language"], ""
        else:
            language = rng.choice(LANGUAGES)
            query = f"?lang={language}"
        answer, _ = self.call("pdf", "GET", f"/api/v1/quotes/{number}.pdf{query}",
                              headers=self.staff_headers())
        if answer is None or answer.status != 200:
            return None
        if answer.headers.get("content-type") != "application/pdf" \
                or not answer.body.startswith(b"%PDF-"):
            self.tally.problem("answer",
                               f"pdf {number} {language}: not a PDF: {answer.body[:100]!r}")
            return None
        with self.tally.lock:
            self.tally.pdfs[number, language].add(hashlib.sha256(answer.body).hexdigest())
        return None

    # shared state

    def remember(self, key: str, request: dict, answer: Answer) -> None:
        number = json.loads(answer.body)["number"]
        with self.tally.lock:
            if key not in self.tally.keys:
                self.tally.keys[key] = Issued(key, request, number, answer.body)
                self.tally.done_keys.append(key)

    def earlier(self, rng: random.Random) -> Issued | None:
        with self.tally.lock:
            if not self.tally.done_keys:
                return None
            return self.tally.keys[rng.choice(self.tally.done_keys)]


def run_phase(client: Client, kinds: list[str], clients: int, seed: int) -> float:
    """Run the operations ``kinds`` from ``clients`` threads; returns the seconds taken."""
    queue = iter(enumerate(kinds))
    queue_lock = threading.Lock()
    stop = threading.Event()

    def worker(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while not stop.is_set():
            with queue_lock:
                item = next(queue, None)
            if item is None:
                return
            index, kind = item
            getattr(client, kind)(rng, index)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    finally:
        stop.set()
    return time.perf_counter() - start


@dataclass
class Kill:
    pid: int | None = None
    busy: bool = False  # it was in the middle of a request when it was killed
    replaced_by: list[int] = field(default_factory=list)
    replaced_after: float | None = None


def kill_a_worker(server: Gunicorn, halfway: threading.Event, done: threading.Event,
                  kill: Kill) -> None:
    """When half the requests are answered, SIGKILL one worker, one in the middle of a
    request if there is one within 3 s."""
    while not halfway.wait(0.1):
        if done.is_set():
            return
    before = server.worker_pids()
    if not before:
        return
    # a worker that has held the same client connection for 0.1 s is in the middle of a
    # request (rendering, waiting for the database), not just writing its answer
    deadline = time.monotonic() + 3
    earlier = server.connections()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = server.connections()
        busy = [pid for pid, held in now.items() if held & earlier.get(pid, set())]
        if busy:
            kill.pid, kill.busy = busy[0], True
            break
        earlier = now
    else:
        kill.pid = before[0]
    os.kill(kill.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    while time.monotonic() - killed_at < 60:
        pids = server.worker_pids()
        new = sorted(set(pids) - set(before))
        if new and kill.pid not in pids:
            kill.replaced_by = new
            kill.replaced_after = time.monotonic() - killed_at
            return
        time.sleep(0.05)


def check_store(url: str, tally: Tally) -> list[tuple[bool, str]]:
    """Offer numbers, keys and offers as stored, against what the clients were told."""
    from sqlalchemy import func, select

    from quote.store import Store
    from quote.store.models import IdempotencyKey, Offer, OfferCounter

    store = Store(url)
    try:
        with store.session(read_only=True) as session:
            numbers = list(session.scalars(select(Offer.number).order_by(Offer.number)))
            counter = session.scalar(select(OfferCounter.value).where(OfferCounter.year == YEAR))
            rows = session.execute(select(IdempotencyKey.key, Offer.number)
                                   .join(Offer, Offer.id == IdempotencyKey.offer_id)).all()
            offers_with_keys = session.scalar(
                select(func.count(func.distinct(IdempotencyKey.offer_id))))
    finally:
        store.dispose()
    checks = []
    expected = [f"Q-{YEAR}-{n:06d}" for n in range(1, len(numbers) + 1)]
    gap_free = numbers == expected and counter == len(numbers)
    checks.append((gap_free,
                   f"offer numbers Q-{YEAR}-000001..{numbers[-1] if numbers else '-'} without "
                   f"a gap (store: {len(numbers)} offers, counter {counter})"
                   if gap_free else
                   f"offer numbers NOT gap-free: {len(numbers)} offers, counter {counter}, "
                   f"missing {sorted(set(expected) - set(numbers))[:10]}, unexpected "
                   f"{sorted(set(numbers) - set(expected))[:10]}"))
    stored = dict(rows)
    told = {key: issued.number for key, issued in tally.keys.items()}
    one_each = (stored == told and len(rows) == len(numbers) == offers_with_keys
                and len(set(told.values())) == len(told))
    disagree = sorted(key for key in stored.keys() | told.keys()
                      if stored.get(key) != told.get(key))
    checks.append((one_each,
                   f"every idempotency key maps to exactly one offer ({len(told)} keys, "
                   f"{len(numbers)} offers; the answers and the store agree)"
                   if one_each else
                   f"keys and offers do NOT match one to one: {len(told)} keys answered, "
                   f"{len(rows)} stored for {offers_with_keys} offers, {len(numbers)} offers; "
                   f"disagreeing keys {disagree[:5]}"))
    return checks


def read_back(client: Client, tally: Tally, clients: int) -> tuple[bool, str]:
    """Every issued offer through ``GET /api/v1/quotes/<number>``, against its first answer."""
    issued = list(tally.keys.values())
    differ: list[str] = []
    queue = iter(issued)
    queue_lock = threading.Lock()

    def worker() -> None:
        while True:
            with queue_lock:
                item = next(queue, None)
            if item is None:
                return
            answer, _ = client.call("read back", "GET", f"/api/v1/quotes/{item.number}",
                                    headers=client.staff_headers())
            if answer is not None and answer.body != item.answer:
                with queue_lock:
                    differ.append(item.number)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(clients, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if differ:
        return False, f"{len(differ)} offers read back differ from their first answer: " \
                      f"{sorted(differ)[:5]}"
    return True, (f"all {len(issued)} offers read back through GET /api/v1/quotes/<number> "
                  "equal their first answer byte for byte")


def prepare(url: str) -> tuple[dict[str, str], str]:
    """The server's environment and a sales user's API token, both made with the app's CLI
    (whose first run also migrates the empty database); (environment, token)."""
    env = app_environment(url, SECRET_KEY=secrets.token_hex(32), ENV="production",
                          RATELIMIT_ENABLED="false", TODAY=TODAY)
    password = secrets.token_urlsafe(18)
    flask_cli(env, "users", "add", SALES_EMAIL, "--role", "sales", "--name", "Load Test",
              "--password-stdin", stdin=password + "\n")
    token = flask_cli(env, "users", "token", SALES_EMAIL, "--name", "bench load").strip()
    # migrated once above; the workers start without migrating, as docs/offers.md advises
    env["QUOTE_DATABASE_AUTO_MIGRATE"] = "false"
    return env, token


@dataclass
class Phase:
    tally: Tally
    client: Client
    requests: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def baseline(server: Gunicorn, token: str, args) -> Phase:
    """``GET /health``, the same count from the same clients as the mix."""
    tally = Tally()
    client = Client(server.port, token, tally, threading.Event(), 0)
    send(server.port, "GET", "/health")
    seconds = run_phase(client, ["health"] * args.requests, args.clients, args.seed)
    return Phase(tally, client, args.requests, seconds)


def mix(server: Gunicorn, token: str, args, kill: Kill) -> Phase:
    """The mix, with a worker killed when half of it is answered."""
    kinds = plan(args.requests, args.seed)
    tally, halfway, done = Tally(), threading.Event(), threading.Event()
    client = Client(server.port, token, tally, halfway, args.requests // 2)
    killer = threading.Thread(target=kill_a_worker, args=(server, halfway, done, kill),
                              daemon=True)
    killer.start()
    try:
        seconds = run_phase(client, kinds, args.clients, args.seed)
    finally:
        done.set()
    killer.join(65)
    return Phase(tally, client, sum(2 if kind == "race" else 1 for kind in kinds), seconds)


def print_mix(label: str, phase: Phase, kill: Kill, clients: int) -> None:
    tally = phase.tally
    print(f"{label}: mix: {phase.requests} requests ({tally.attempts} HTTP attempts with "
          f"retries) from {clients} clients in {phase.seconds:.1f} s")
    if kill.pid is None:
        print(f"{label}: NO worker was killed")
    else:
        serving = ("in the middle of a request" if kill.busy
                   else "(no worker was seen in the middle of a request)")
        print(f"{label}: when half the requests were answered, worker {kill.pid} was killed "
              f"with SIGKILL {serving}; "
              + (f"gunicorn forked worker {', '.join(map(str, kill.replaced_by))} in its "
                 f"place {kill.replaced_after:.1f} s later" if kill.replaced_by
                 else "it was NOT replaced within 60 s"))
    print(f"{label}: answers by status:")
    for kind in KINDS:
        if tally.statuses[kind]:
            counts = ", ".join(f"{status} × {count}"
                               for status, count in sorted(tally.statuses[kind].items()))
            print(f"    {kind:<10} {counts}")
    broken = sum(tally.broken.values())
    by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.broken.items()))
    print(f"{label}: connection errors: {broken}" + (f" ({by_kind})" if broken else "")
          + f"; {tally.recovered} requests answered on a retry, {tally.given_up} given up"
          + ("" if broken else " (the kill broke no connection this time: no retry was "
             "needed)"))
    print(f"{label}: latency per kind (from the first attempt to the answer):")
    print(f"    {'kind':<10} {'count':>6} {'p50':>10} {'p99':>10}")
    for kind in KINDS:
        values = tally.latencies[kind]
        if values:
            print(f"    {kind:<10} {len(values):>6} {milliseconds(percentile(values, 0.5)):>10} "
                  f"{milliseconds(percentile(values, 0.99)):>10}")


def checks(url: str, server: Gunicorn, base: Phase, phase: Phase, kill: Kill,
           clients: int) -> list[tuple[bool, str]]:
    tally = phase.tally
    found = check_store(url, tally)
    found.append(read_back(phase.client, tally, clients))
    found.append((not tally.problems["idempotency"],
                  f"{tally.replays_checked} replays and {tally.races_checked} races answered "
                  "with the first answer's body byte for byte (same number, same snapshot)"))
    statuses = sum((*tally.statuses.values(), base.tally.statuses["health"]), Counter())
    unexpected = tally.problems["status"] + base.tally.problems["status"]
    found.append((not unexpected,
                  "only expected statuses (no 5xx, no 429), no request given up"
                  if not unexpected else
                  f"{len(unexpected)} unexpected answers or requests given up "
                  f"(5xx: {sum(c for s, c in statuses.items() if s >= 500)}, "
                  f"429: {statuses[429]})"))
    found.append((not tally.problems["answer"],
                  "every answer well-formed: previews with totals, PDFs that are PDFs, "
                  f"{tally.conflicts_checked} re-used keys with another request refused "
                  "with 409 naming the first offer"))
    replaced = server.wait_for_workers(30)
    found.append((kill.pid is not None and bool(kill.replaced_by) and replaced,
                  f"a worker was killed and replaced; {WORKERS} workers at the end"))
    log_problems = server.log_problems(expected=("was sent SIGKILL",))
    found.append((not log_problems,
                  "no error in the server log besides the killed worker"
                  if not log_problems else
                  f"{len(log_problems)} error lines in the server log, first: "
                  f"{log_problems[0][:200]}"))
    return found


def run_database(name: str, url: str, folder: Path, args) -> bool:
    """The whole test on one database; whether every check passed."""
    label = f"bench load [{name}]"
    env, token = prepare(url)
    server = Gunicorn(env, folder / f"gunicorn-{name}.log", workers=WORKERS)
    kill = Kill()
    try:
        server.start()
        base = baseline(server, token, args)
        print(f"{label}: baseline GET /health: {base.requests} requests in "
              f"{base.seconds:.2f} s, {base.per_second:,.0f} requests/s, p50 "
              f"{milliseconds(percentile(base.tally.latencies['health'], 0.5))}, answers "
              f"{dict(sorted(base.tally.statuses['health'].items()))}")
        phase = mix(server, token, args, kill)
        print_mix(label, phase, kill, args.clients)
        found = checks(url, server, base, phase, kill, args.clients)
    finally:
        server.stop()
    print(f"{label}: checks:")
    for passed, text in found:
        print(f"    {'ok  ' if passed else 'FAIL'} {text}")
    problems = [text for texts in phase.tally.problems.values() for text in texts]
    for text in problems[:10]:
        print(f"    problem: {text}")
    if len(problems) > 10:
        print(f"    ... and {len(problems) - 10} more problems")
    several = sum(1 for hashes in phase.tally.pdfs.values() if len(hashes) > 1)
    print(f"{label}: note: {sum(phase.tally.statuses['pdf'].values())} PDF downloads of "
          f"{len(phase.tally.pdfs)} (offer, language) pairs; {several} pairs came as more "
          "than one distinct file"
          + (" (first downloads at the same time each rendered; renders differ in /ID)"
             if several else ""))
    if not all(passed for passed, _ in found):
        print(f"{label}: FAILED, so no throughput figure (failed or unexpected answers "
              "would be counted as work)")
        return False
    ratio = phase.per_second / base.per_second
    print(f"{label}: throughput: mix {phase.per_second:,.1f} requests/s ÷ baseline GET "
          f"/health {base.per_second:,.0f} requests/s = ratio {ratio:.4f} (the mix "
          "includes the killed worker's restart)")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500,
                        help=f"requests per phase and database (default 500, at most "
                             f"{MAX_REQUESTS})")
    parser.add_argument("--clients", type=int, default=8,
                        help=f"client threads (default 8, at most {MAX_CLIENTS})")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=20261122, help="of the request mix")
    args = parser.parse_args([] if argv is None else argv)
    if not 20 <= args.requests <= MAX_REQUESTS or not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--requests must be 20..{MAX_REQUESTS}, --clients 1..{MAX_CLIENTS}")
    stop_on_sigterm()
    print(f"bench load: gunicorn wsgi:app, {WORKERS} sync workers on 127.0.0.1, "
          f"{args.requests} requests from {args.clients} client threads per phase; "
          "QUOTE_ENV=production, QUOTE_TODAY=" + TODAY)
    print("bench load: rate limiting is OFF (QUOTE_RATELIMIT_ENABLED=false), so that no "
          "request of the mix is turned into a 429; every 429 or 5xx fails the run")
    failed = False
    started = time.monotonic()
    try:
        with (tempfile.TemporaryDirectory(prefix="quote-bench-load-") as folder,
              ExitStack() as stack):
            if args.database in ("sqlite", "both"):
                failed |= not run_database(
                    "sqlite", f"sqlite:///{Path(folder) / 'quote.db'}", Path(folder), args)
            if args.database in ("postgresql", "both"):
                try:
                    server = stack.enter_context(throwaway_postgres())
                except PostgresError as exc:
                    print(f"bench load [postgresql]: FAILED: {exc}")
                    return 1
                failed |= not run_database(
                    "postgresql", server.create_database("quote"), Path(folder), args)
    except KeyboardInterrupt:
        print("bench load: interrupted; servers stopped")
        return 130
    print(f"bench load: {'FAILED' if failed else 'passed'} in "
          f"{time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
