"""Web benchmark: the quote preview endpoint against a trivial Flask endpoint.

Both run under the same gunicorn settings (2 sync workers, loopback, access log
off) at the same time and are loaded in turns by the same bounded client: a few
threads, each request on a new connection from a new loopback address. The
headline is the workers' CPU time per answered request, read from ``/proc`` for
every worker before and after each round; requests per second are printed
beside it. The ratio says how much of a request's cost is the preview (rate
limiting, validation, the core, serialization) rather than the server and Flask
themselves; target: preview at least 0.7× trivial, that is a preview costing at
most 1/0.7 of a trivial request's CPU.

Why CPU per request and not requests per second: the client runs on the same
cores (it writes each request on a raw socket, which costs it about a third of
what the trivial endpoint costs a worker; Python's ``http.client`` cost as
much), and on a shared machine other jobs take the cores too; a worker then
waits for a core most of the time, so requests per second measure the share of
the machine the workers got. The CPU a worker spends per request counts only
its own work (though a busy machine still makes it dearer: cold caches).

Steady state: a server is loaded only once all its workers have imported the
app (a gunicorn hook marks it), and then until every worker has answered
``WARM_REQUESTS`` requests (a first preview loads the card's texts, builds
validators and URL builders); the rounds follow, the two servers in turns (one
round starts with the preview, the next with the trivial endpoint), and the
median of the rounds' ratios is reported with their minimum and maximum.

The app runs with its production defaults (no ``QUOTE_*`` setting but a random
secret key and a scratch database), so the rate limiter is on with its default
limits and storage. Each request comes from its own loopback address
(127.0.0.0/8 is all loopback), as requests from many clients do: the limiter
counts every one of them and none is refused. Every answer is checked: a 429
or any other status than 200 means the run measured something else, so the
benchmark then prints no figure and exits 1; so does a worker replaced during
the run.

    python -m bench web [--rounds 5] [--seconds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench._gunicorn import app_environment, children, free_port, stop_on_sigterm

ROOT = Path(__file__).resolve().parents[1]
THREADS = 4
WORKERS = 2
WARM_REQUESTS = 200  # per worker, before any round
ROUNDS = 5
ROUND_SECONDS = 2.0  # per server and round
TARGET = 0.7

PREVIEW_BODY = json.dumps({
    "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
    "license_value": "120000.00", "term_start": "2026-01-01", "term_years": 3,
    "environments": 3, "language": "de",
    "additions": [{"date": "2026-07-01", "license_value": "30000"},
                  {"date": "2027-03-15", "environments": 1}],
    # a German customer: 19 % by the seller's tax rules (only staff may set a rate)
    "customer": {"company": "Muster GmbH", "country": "DE"},
}).encode()

TRIVIAL_APP = textwrap.dedent("""
    from flask import Flask

    app = Flask(__name__)


    @app.post("/ping")
    def ping():
        return {"ok": True}
""")

HOOKS = textwrap.dedent("""
    import pathlib

    FOLDER = pathlib.Path({folder!r})


    def post_worker_init(worker):  # the worker has imported the app: it takes requests now
        worker.answered = 0
        (FOLDER / f"ready-{{worker.pid}}").touch()


    def post_request(worker, req, environ, resp):
        worker.answered += 1
        if worker.answered == {warm}:  # warmed up
            (FOLDER / f"warm-{{worker.pid}}").touch()
""")


def cpu_seconds(pid: int) -> float:
    """The CPU time process ``pid`` has used (user and system, all its threads): the
    scheduler's nanosecond count of each thread where the kernel keeps it, else the clock
    ticks of ``/proc/<pid>/stat``."""
    try:
        return sum(int((task / "schedstat").read_text().split()[0])
                   for task in Path(f"/proc/{pid}/task").iterdir()) / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _addresses(index: int):
    """Loopback source addresses of client ``index``: 127.<index+1>.x.y, each used once."""
    for third in range(256):
        for fourth in range(1, 255):
            yield f"127.{index + 1}.{third}.{fourth}"


@dataclass
class Round:
    requests: int
    seconds: float
    worker_cpu: float  # seconds, all workers together
    client_cpu: float  # seconds, this process

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_per_request(self) -> float:
        return self.worker_cpu / self.requests


class Server:
    """``app`` under gunicorn, its workers, and a client that loads it."""

    def __init__(self, name: str, app: str, cwd: Path, env: dict, path: str, body: bytes):
        self.name, self.app, self.cwd, self.env = name, app, cwd, env
        self.port = free_port()
        self.request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                        "Connection: close\r\n\r\n").encode() + body
        self.sources = [_addresses(index) for index in range(THREADS)]
        self.marks = Path(tempfile.mkdtemp(prefix="bench-web-"))
        self.process: subprocess.Popen | None = None
        self.workers: list[int] = []
        self.failed: Counter = Counter()

    def start(self) -> None:
        """gunicorn serving the app, once all its workers have imported it (a worker imports
        the app after it is forked, and on a loaded machine that takes seconds: requests
        sent before would measure the start, not the requests)."""
        hook = self.marks / "hooks.py"
        hook.write_text(HOOKS.format(folder=str(self.marks), warm=WARM_REQUESTS),
                        encoding="utf-8")
        command = [str(Path(sys.executable).parent / "gunicorn"), self.app, "--bind",
                   f"127.0.0.1:{self.port}", "--workers", str(WORKERS), "--worker-class",
                   "sync", "--log-level", "warning", "--config", str(hook)]
        self.process = subprocess.Popen(command, cwd=self.cwd, env=self.env,
                                        start_new_session=True)
        self._wait_for("ready-*", "import the app", lambda: time.sleep(0.1))
        self.workers = children(self.process.pid)

    def warm_up(self) -> None:
        """Load the server until every worker has answered ``WARM_REQUESTS`` requests."""
        self._wait_for("warm-*", f"answer {WARM_REQUESTS} requests each",
                       lambda: self.load(0.5))

    def _wait_for(self, marks: str, what: str, meanwhile) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 120
        while len(list(self.marks.glob(marks))) < WORKERS:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.app} exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                raise SystemExit(f"bench web: the workers of {self.app} did not {what} "
                                 "within 120 s")
            meanwhile()

    def load(self, seconds: float) -> Round:
        """One round of ``seconds``: THREADS clients, each request on a new connection from
        a new loopback address (gunicorn's sync workers close the connection after every
        answer anyway); failed requests are added to ``failed``."""
        done = [0] * THREADS
        failed = [Counter() for _ in range(THREADS)]
        before = {pid: cpu_seconds(pid) for pid in self.workers}
        client_before = _own_cpu()
        start = time.monotonic()
        stop = start + seconds

        def client(index: int) -> None:
            sources = self.sources[index]
            while time.monotonic() < stop:
                status = _send(self.port, self.request, next(sources))
                if status == 200:
                    done[index] += 1
                else:
                    failed[index][status] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        client_cpu = _own_cpu() - client_before
        if children(self.process.pid) != self.workers:
            failed[0]["worker replaced"] += 1
            worker_cpu = 0.0
        else:
            worker_cpu = sum(cpu_seconds(pid) - before[pid] for pid in self.workers)
        self.failed += sum(failed, Counter())
        return Round(sum(done), elapsed, worker_cpu, client_cpu)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session
                self.process.wait(timeout=10)
        shutil.rmtree(self.marks, ignore_errors=True)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _send(port: int, request: bytes, source: str) -> int | str:
    """The status of one request sent from ``source``, its whole answer read (the worker
    closes the connection after it); "connection error" or "incomplete answer" otherwise."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10,
                                      source_address=(source, 0)) as connection:
            connection.sendall(request)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
    except OSError:
        return "connection error"
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not lines[0].startswith(b"HTTP/1.") or len(lines[0]) < 12:
        return "incomplete answer"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return "incomplete answer"
    return int(lines[0][9:12])


def _spread(values: list[float], digits: int = 2) -> str:
    return (f"median {statistics.median(values):.{digits}f} (min {min(values):.{digits}f}, "
            f"max {max(values):.{digits}f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"rounds per server, taken in turns (default {ROUNDS})")
    parser.add_argument("--seconds", type=float, default=ROUND_SECONDS,
                        help=f"seconds of load per server and round (default {ROUND_SECONDS:g})")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    with tempfile.TemporaryDirectory() as folder:
        env = app_environment(f"sqlite:///{Path(folder) / 'quote.db'}",
                              SECRET_KEY=os.urandom(32).hex())
        shown = ("import wsgi; c = wsgi.app.config; "
                 "print(c['RATELIMIT_ENABLED'], c['RATELIMIT_STORAGE_URI'], c['LIMIT_PREVIEW'])")
        limits = subprocess.run([sys.executable, "-c", shown], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
        print(f"bench web: gunicorn {WORKERS} sync workers per server, {THREADS} client "
              f"threads, {args.rounds} rounds of {args.seconds:g} s per server in turns after "
              f"{WARM_REQUESTS} requests per worker, loopback; production defaults: rate "
              f"limiting {'on' if limits[0] == 'True' else 'OFF'} ({limits[1]}, previews "
              f"{limits[2].strip()} per address), every request from its own address")
        Path(folder, "trivial.py").write_text(TRIVIAL_APP, encoding="utf-8")
        preview = Server("preview", "wsgi:app", ROOT, env, "/api/v1/quotes/preview",
                         PREVIEW_BODY)
        trivial = Server("trivial", "trivial:app", Path(folder), env, "/ping", b"{}")
        rounds: dict[str, list[Round]] = {"preview": [], "trivial": []}
        try:
            for server in (preview, trivial):
                server.start()
                server.warm_up()
            load_before = os.getloadavg()[0]
            for number in range(args.rounds):
                for server in (preview, trivial) if number % 2 == 0 else (trivial, preview):
                    rounds[server.name].append(server.load(args.seconds))
            load_after = os.getloadavg()[0]
        finally:
            preview.stop()
            trivial.stop()
    if preview.failed or trivial.failed:
        for server in (preview, trivial):
            if server.failed:
                print(f"  {server.name}: failed requests {dict(server.failed)}")
        print("bench web: FAILED, so no figure (refused or failed requests, or a replaced "
              "worker, are not the work measured)")
        return 1
    cpu_ratios = [t.cpu_per_request / p.cpu_per_request
                  for p, t in zip(rounds["preview"], rounds["trivial"], strict=True)]
    rate_ratios = [p.per_second / t.per_second
                   for p, t in zip(rounds["preview"], rounds["trivial"], strict=True)]
    print(f"  load average {load_before:.1f} before the rounds, {load_after:.1f} after them "
          "(this run's own load included)")
    print("  round   trivial: CPU/request   requests/s   preview: CPU/request   requests/s"
          "   ratio: CPU   requests/s")
    for number, (p, t, by_cpu, by_rate) in enumerate(
            zip(rounds["preview"], rounds["trivial"], cpu_ratios, rate_ratios, strict=True), 1):
        print(f"  {number:5d}   {1000 * t.cpu_per_request:15.3f} ms {t.per_second:12,.0f}"
              f"   {1000 * p.cpu_per_request:15.3f} ms {p.per_second:12,.0f}"
              f"   {by_cpu:10.2f}   {by_rate:10.2f}")
    for name, label in (("trivial", "POST /ping (trivial Flask JSON endpoint, baseline):"),
                        ("preview", "POST /api/v1/quotes/preview (3 years, 2 additions):")):
        taken = rounds[name]
        print(f"  {label:52s} {_spread([1000 * r.cpu_per_request for r in taken], 3)} ms of "
              f"a worker's CPU per request; {statistics.median(r.per_second for r in taken):,.0f}"
              f" requests/s; the client's CPU "
              f"{1000 * statistics.median(r.client_cpu / r.requests for r in taken):.3f} ms "
              "per request")
    ratio = statistics.median(cpu_ratios)
    print(f"  ratio trivial ÷ preview CPU per request {_spread(cpu_ratios)} (target at least "
          f"{TARGET:.1f}: {'met' if ratio >= TARGET else 'NOT met'})")
    print(f"  requests/s preview ÷ trivial {_spread(rate_ratios)} (the share of the cores the "
          "workers got: shared with the client and other jobs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
