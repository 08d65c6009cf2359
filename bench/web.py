"""Web benchmark: the quote preview endpoint against a trivial Flask endpoint.

Both run under the same gunicorn settings (2 sync workers, loopback, access log
off) and are loaded by the same bounded client: a few threads sending requests
for a fixed number of seconds, once every worker of the server has imported
its app (a gunicorn hook marks it). The ratio says how much of a request's cost is
the preview (rate limiting, validation, the core, serialization) rather than
the server and Flask themselves; target: preview at least 0.7× trivial.

The app runs with its production defaults (no ``QUOTE_*`` setting but a random
secret key and a scratch database), so the rate limiter is on with its default
limits and storage. Each request comes from its own loopback address
(127.0.0.0/8 is all loopback), as requests from many clients do: the limiter
counts every one of them and none is refused. Every answer is checked: a 429
or any other status than 200 means the run measured something else, so the
benchmark then prints no figure and exits 1.

    python -m bench web            # or: .venv/bin/python bench/web.py
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

from bench._gunicorn import app_environment

ROOT = Path(__file__).resolve().parents[1]
DURATION = float(os.environ.get("BENCH_SECONDS", "8"))  # per server, at most 10
THREADS = 4
WORKERS = 2
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


READY_HOOK = textwrap.dedent("""
    import pathlib


    def post_worker_init(worker):  # the worker has imported the app: it takes requests now
        pathlib.Path({folder!r}, f"ready-{{worker.pid}}").touch()
""")


def _start(app: str, port: int, cwd: Path, env: dict) -> subprocess.Popen:
    """gunicorn serving ``app``, once all its workers have imported it (a worker imports the
    app after it is forked, and on a loaded machine that takes seconds: requests sent
    before would measure the start, not the requests)."""
    ready = Path(tempfile.mkdtemp(prefix="bench-web-"))
    hook = ready / "hook.py"
    hook.write_text(READY_HOOK.format(folder=str(ready)), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "gunicorn"), app, "--bind",
               f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
               "--log-level", "warning", "--config", str(hook)]
    process = subprocess.Popen(command, cwd=cwd, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {app} exited with {process.returncode}")
        if len(list(ready.glob("ready-*"))) >= WORKERS:
            shutil.rmtree(ready, ignore_errors=True)
            return process
        time.sleep(0.1)
    process.terminate()
    shutil.rmtree(ready, ignore_errors=True)
    raise SystemExit(f"gunicorn {app} did not start")


def _addresses(index: int):
    """Loopback source addresses of client ``index``: 127.<index+1>.x.y, each used once."""
    for third in range(256):
        for fourth in range(1, 255):
            yield f"127.{index + 1}.{third}.{fourth}"


def _load(port: int, path: str, body: bytes, seconds: float) -> tuple[int, Counter]:
    """(completed requests, failed requests by status or "connection error") in ``seconds``,
    with THREADS clients, each request on a new connection from a new loopback address
    (gunicorn's sync workers close the connection after every answer anyway)."""
    done = [0] * THREADS
    failed = [Counter() for _ in range(THREADS)]
    stop = time.monotonic() + seconds
    headers = {"Content-Type": "application/json"}

    def client(index: int) -> None:
        sources = _addresses(index)
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                                    source_address=(next(sources), 0))
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    failed[index][response.status] += 1
            except (OSError, http.client.HTTPException):
                failed[index]["connection error"] += 1
            finally:
                connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(failed, Counter())


def _measure(app: str, cwd: Path, env: dict, path: str, body: bytes) -> tuple[float, Counter]:
    """(answered requests per second, failed requests by status)."""
    port = _free_port()
    process = _start(app, port, cwd, env)
    try:
        _load(port, path, body, 1.0)  # warm-up: first requests fill the caches
        seconds = min(DURATION, 10.0)
        done, failed = _load(port, path, body, seconds)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return done / seconds, failed


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        env = app_environment(f"sqlite:///{Path(folder) / 'quote.db'}",
                              SECRET_KEY=os.urandom(32).hex())
        shown = ("import wsgi; c = wsgi.app.config; "
                 "print(c['RATELIMIT_ENABLED'], c['RATELIMIT_STORAGE_URI'], c['LIMIT_PREVIEW'])")
        limits = subprocess.run([sys.executable, "-c", shown], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
        print(f"bench web: gunicorn {WORKERS} sync workers, {THREADS} client threads, "
              f"{min(DURATION, 10.0):.0f} s each, loopback; production defaults: rate limiting "
              f"{'on' if limits[0] == 'True' else 'OFF'} ({limits[1]}, previews "
              f"{limits[2].strip()} per address), every request from its own address")
        preview, preview_failed = _measure("wsgi:app", ROOT, env, "/api/v1/quotes/preview",
                                           PREVIEW_BODY)
        Path(folder, "trivial.py").write_text(TRIVIAL_APP, encoding="utf-8")
        trivial, trivial_failed = _measure("trivial:app", Path(folder), env, "/ping", b"{}")
    if preview_failed or trivial_failed:
        for name, failed in (("preview", preview_failed), ("trivial", trivial_failed)):
            if failed:
                print(f"  {name}: failed requests {dict(failed)}")
        print("bench web: FAILED, so no figure (refused or failed requests are not the work "
              "measured)")
        return 1
    ratio = preview / trivial
    print(f"  POST /ping (trivial Flask JSON endpoint, baseline):  {trivial:8.0f} requests/s")
    print(f"  POST /api/v1/quotes/preview (3 years, 2 additions): {preview:8.0f} requests/s")
    print(f"  ratio preview ÷ trivial {ratio:.2f} (target at least {TARGET:.1f}: "
          f"{'met' if ratio >= TARGET else 'NOT met'}; a preview costs about "
          f"{1000 * WORKERS / preview:.1f} ms of a worker)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
