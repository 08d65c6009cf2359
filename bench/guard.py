"""Do the PDF endpoints make the service unavailable? ``GET /health`` idle and under PDF load.

The app runs under gunicorn (4 sync workers, a free port of 127.0.0.1) with
the PRODUCTION defaults: only a random ``QUOTE_SECRET_KEY`` and a scratch
SQLite database are set, every other ``QUOTE_*`` variable of the shell is
dropped, so the rate limiter is on with its default limits and memory storage
(whatever limits the app has today; the benchmark depends on none of them).

1. idle: a fixed number of ``GET /health`` probes, one every 0.25 s, each on
   its own connection (as a load balancer's health check does); p50 and p99;
2. loaded: 12 anonymous clients send ``POST /api/v1/quotes/preview.pdf`` as
   fast as they are answered (after a 429 a client pauses 0.1 s so that the
   clients' own CPU does not crowd the server's two cores): some requests are
   identical, most differ, a quarter carry 60 to 100 additions. After 3 s of
   this the same probes run again. The clients stop when the probes are done
   (or after ``--max-seconds``, or ``--max-requests`` PDF requests).

Printed: p50 and p99 of both probe runs and the ratio loaded ÷ idle against
the target of at most 2 (said, not asserted), how many probes took longer than
5 s, how the PDF clients were answered (200, 429, 422, other, connection
errors; 429s are expected here and are not work), and the server log's errors
(worker timeouts included). Exits non-zero only if the
benchmark could not run (a probe failed when idle, or gunicorn did not start).

    python -m bench guard
    python -m bench guard --probes 20 --clients 6
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench._gunicorn import (
    BIN,
    ROOT,
    Gunicorn,
    app_environment,
    milliseconds,
    percentile,
    send,
    stop_on_sigterm,
)

WORKERS = 4
PROBE_INTERVAL = 0.25
PROBE_TIMEOUT = 30.0
HEALTH_CHECK_TIMEOUT = 5.0  # a common load-balancer health-check timeout
RAMP_UP = 3.0
TARGET = 2.0
LANGUAGES = ("en", "de", "ru")
IDENTICAL = json.dumps({
    "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
    "license_value": "48250.00", "term_start": "2027-01-01", "term_years": 3,
    "environments": 2, "language": "de",
    "additions": [{"date": "2027-06-01", "license_value": "7500.00"},
                  {"date": "2028-02-15", "environments": 1}],
    "customer": {"company": "Same Request GmbH", "country": "DE"},  # 19 % VAT
}).encode()


def pdf_request(rng: random.Random) -> bytes:
    """A preview PDF request: 20 % identical, 25 % with 60 to 100 additions, the rest varied."""
    draw = rng.random()
    if draw < 0.2:
        return IDENTICAL
    start = dt.date(2027, 1, 1)
    if draw < 0.45:
        count = rng.randint(60, 100)
        additions = [{"date": (start + dt.timedelta(days=5 + 18 * i)).isoformat(),
                      "license_value": f"{rng.randint(100, 5000)}.00"} for i in range(count)]
        years = 5
    else:
        additions = [{"date": f"2027-{month:02d}-10",
                      "license_value": f"{rng.randint(100, 20000)}.{rng.randint(0, 99):02d}"}
                     for month in sorted(rng.sample(range(2, 13), rng.randint(0, 3)))]
        years = rng.randint(1, 3)
    return json.dumps({
        "rate_card": "bpmonline", "package": rng.choice(("basic", "business", "premium")),
        "deployment": rng.choice(("on_site", "on_demand")),
        "license_value": f"{rng.randint(1000, 400000)}.{rng.randint(0, 99):02d}",
        "term_start": start.isoformat(), "term_years": years,
        "environments": rng.randint(1, 3), "additions": additions,
        "language": rng.choice(LANGUAGES),
        "customer": {"company": f"Hammer {rng.randint(1, 10**6)}", "country": "DE"},
    }).encode()


def probe(port: int, count: int) -> tuple[list[float], int]:
    """``count`` health probes, one started every PROBE_INTERVAL seconds, each on its own
    connection and thread; (latencies of the 200 answers, failed probes)."""
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()

    def one() -> None:
        try:
            answer = send(port, "GET", "/health", timeout=PROBE_TIMEOUT)
        except (OSError, http.client.HTTPException):
            answer = None
        with lock:
            if answer is not None and answer.status == 200:
                latencies.append(answer.seconds)
            else:
                failed[0] += 1

    threads = []
    start = time.monotonic()
    for index in range(count):
        time.sleep(max(0.0, start + index * PROBE_INTERVAL - time.monotonic()))
        thread = threading.Thread(target=one, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(PROBE_TIMEOUT + 5)
    return latencies, failed[0]


class Hammer:
    """Anonymous clients sending preview PDF requests until told to stop."""

    def __init__(self, port: int, clients: int, max_requests: int, seed: int):
        self.port, self.clients, self.max_requests, self.seed = port, clients, max_requests, seed
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.broken = 0
        self.sent = 0
        self.latencies: list[float] = []
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True)
                        for n in range(clients)]

    def client(self, number: int) -> None:
        rng = random.Random(self.seed * 100 + number)
        headers = {"Content-Type": "application/json"}
        while not self.stop.is_set():
            with self.lock:
                if self.sent >= self.max_requests:
                    return
                self.sent += 1
            try:
                answer = send(self.port, "POST", "/api/v1/quotes/preview.pdf",
                              pdf_request(rng), headers, timeout=120)
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.broken += 1
                time.sleep(0.1)
                continue
            with self.lock:
                self.statuses[answer.status] += 1
                if answer.status == 200:
                    self.latencies.append(answer.seconds)
            if answer.status == 429:
                time.sleep(0.1)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self, timeout: float) -> int:
        """Stop the clients; wait up to ``timeout`` s for their last answers. Returns how many
        were still waiting."""
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return sum(thread.is_alive() for thread in self.threads)


def limit_settings(env: dict[str, str]) -> dict[str, str]:
    """The app's rate-limit settings as the server will see them (``LIMIT_*``, ``RATELIMIT_*``)."""
    code = ("import json; from wsgi import app; print(json.dumps({k: str(v) for k, v in "
            "sorted(app.config.items()) if k.startswith(('LIMIT_', 'RATELIMIT_'))}))")
    done = subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False,
                          start_new_session=True)
    if done.returncode != 0:
        raise RuntimeError(f"the app did not start:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(latencies: list[float]) -> str:
    return (f"p50 {milliseconds(percentile(latencies, 0.5))}, "
            f"p99 {milliseconds(percentile(latencies, 0.99))}, "
            f"max {milliseconds(max(latencies))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench guard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probes", type=int, default=40,
                        help="health probes per run (default 40, 10..200)")
    parser.add_argument("--clients", type=int, default=12,
                        help="clients requesting preview PDFs (default 12, 1..32)")
    parser.add_argument("--max-seconds", type=float, default=90.0,
                        help="cap on the loaded phase (default 90)")
    parser.add_argument("--max-requests", type=int, default=3000,
                        help="cap on the PDF requests (default 3000)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (more than 1: gunicorn's gthread workers)")
    args = parser.parse_args([] if argv is None else argv)
    if not 10 <= args.probes <= 200 or not 1 <= args.clients <= 32 \
            or not 5 <= args.max_seconds <= 170 or not 1 <= args.max_requests <= 20000:
        parser.error("--probes 10..200, --clients 1..32, --max-seconds 5..170, "
                     "--max-requests 1..20000")
    stop_on_sigterm()
    try:
        with tempfile.TemporaryDirectory(prefix="quote-bench-guard-") as folder:
            return run(args, Path(folder))
    except KeyboardInterrupt:
        print("bench guard: interrupted; server stopped")
        return 130


def run(args, folder: Path) -> int:
    label = "bench guard"
    env = app_environment(f"sqlite:///{folder / 'quote.db'}", SECRET_KEY=secrets.token_hex(32))
    limits = limit_settings(env)  # also migrates the scratch database once
    kind = (f"gthread workers × {args.threads} threads" if args.threads > 1
            else "sync workers")
    print(f"{label}: gunicorn wsgi:app, {WORKERS} {kind} on 127.0.0.1, production "
          "defaults (no QUOTE_* setting but the secret key and a scratch SQLite database)")
    print(f"{label}: the app's limits: "
          + ", ".join(f"{key}={value}" for key, value in limits.items()))
    server = Gunicorn(env, folder / "gunicorn.log", workers=WORKERS, threads=args.threads)
    try:
        server.start()
        for _ in range(5):
            send(server.port, "GET", "/health")
        idle, idle_failed = probe(server.port, args.probes)
        if idle_failed or not idle:
            print(f"{label}: FAILED: {idle_failed} of {args.probes} idle probes failed")
            return 1
        print(f"{label}: idle   GET /health × {args.probes} (one every {PROBE_INTERVAL} s): "
              f"{summary(idle)}")

        hammer = Hammer(server.port, args.clients, args.max_requests, args.seed)
        started = time.monotonic()
        hammer.start()
        loaded: list[float] = []
        loaded_failed = 0
        prober_done = threading.Event()

        def run_probes() -> None:
            nonlocal loaded, loaded_failed
            time.sleep(RAMP_UP)
            loaded, loaded_failed = probe(server.port, args.probes)
            prober_done.set()

        prober = threading.Thread(target=run_probes, daemon=True)
        prober.start()
        prober_done.wait(args.max_seconds)
        still_waiting = hammer.finish(timeout=60)
        seconds = time.monotonic() - started
    finally:
        server.stop()

    answered = sum(hammer.statuses.values())
    others = {status: count for status, count in hammer.statuses.items()
              if status not in (200, 422, 429)}
    print(f"{label}: {args.clients} clients sent {hammer.sent} POST /api/v1/quotes/preview.pdf "
          f"in {seconds:.1f} s: 200 × {hammer.statuses[200]}, 429 × {hammer.statuses[429]}, "
          f"422 × {hammer.statuses[422]}"
          + (f", other {dict(sorted(others.items()))}" if others else "")
          + f", connection errors × {hammer.broken}"
          + (f", {still_waiting} still unanswered when stopped" if still_waiting else ""))
    if hammer.latencies:
        print(f"{label}: PDF answers (200): {summary(hammer.latencies)}; "
              f"{hammer.statuses[200] / seconds:.1f} PDFs/s; 429s are expected here "
              "and are not counted as work")
    elif answered == 0:
        print(f"{label}: no PDF request was answered")
    problems = server.log_problems()
    print(f"{label}: server log: "
          + (f"{len(problems)} error lines, e.g. {problems[0][:160]}" if problems
             else "no errors, no worker timeouts"))
    if not prober_done.is_set() or not loaded:
        why = (f"all {loaded_failed} probes failed" if prober_done.is_set()
               else f"the probes did not finish within {args.max_seconds:.0f} s")
        print(f"{label}: loaded GET /health: {why}; the service was unavailable for "
              "health checks")
        print(f"{label}: target (p50 and p99 at most {TARGET:.0f}× idle): NOT met")
        return 0
    print(f"{label}: loaded GET /health × {args.probes} (same schedule, while the clients "
          f"hammer): {summary(loaded)}"
          + (f", {loaded_failed} probes failed" if loaded_failed else ""))
    slow = sum(1 for latency in loaded if latency > HEALTH_CHECK_TIMEOUT) + loaded_failed
    print(f"{label}: {slow} of {args.probes} loaded probes took longer than "
          f"{HEALTH_CHECK_TIMEOUT:.0f} s (a common load-balancer health-check timeout) or failed")
    ratio50 = percentile(loaded, 0.5) / percentile(idle, 0.5)
    ratio99 = percentile(loaded, 0.99) / percentile(idle, 0.99)
    met = ratio99 <= TARGET and ratio50 <= TARGET and not loaded_failed
    print(f"{label}: ratio loaded ÷ idle: p50 {ratio50:,.1f}×, p99 {ratio99:,.1f}×; "
          f"target (p50 and p99 at most {TARGET:.0f}× idle): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
