"""Helpers of the server benchmarks (``load``, ``guard``): the app under gunicorn on loopback,
its workers, the Flask CLI, one HTTP request, percentiles.

Everything started here runs in its own session (Ctrl-C reaches only the
benchmark) and is stopped by the benchmark's ``finally`` blocks.
"""

from __future__ import annotations

import http.client
import math
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.5 for p50, 0.99 for p99) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * share))
    return ordered[rank - 1]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def send(port: int, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60.0) -> Answer:
    """One request on a new connection (gunicorn's sync workers close it after each answer).

    Raises ``OSError`` or ``http.client.HTTPException`` when the connection breaks.
    """
    start = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        answered = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answered, data, time.perf_counter() - start)
    finally:
        connection.close()


def app_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The process environment for the app: this one without any ``QUOTE_*`` or
    ``DATABASE_URL`` of the caller's shell, plus the database and ``settings``
    (``QUOTE_`` prefixed)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("QUOTE_") and name != "DATABASE_URL"}
    env["QUOTE_DATABASE_URL"] = database_url
    env.update({f"QUOTE_{name}": value for name, value in settings.items()})
    return env


def flask_cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    """Run ``flask --app wsgi ARGS`` in the project folder; returns its standard output."""
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120,
                          check=False, start_new_session=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a gunicorn master's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Gunicorn:
    """``gunicorn wsgi:app`` with ``workers`` sync workers on a free loopback port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 4
    threads: int = 1  # more than 1: gthread workers with that many threads each
    preload: bool = False  # --preload: the app imported once in the master, before forking
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self, ready_timeout: float = 60.0) -> Gunicorn:
        command = [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"{HOST}:{self.port}",
                   "--workers", str(self.workers),
                   *(["--worker-class", "gthread", "--threads", str(self.threads)]
                     if self.threads > 1 else ["--worker-class", "sync"]),
                   *(["--preload"] if self.preload else []),
                   "--log-level", "warning"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=log, start_new_session=True)
        try:
            self._wait_until_ready(ready_timeout)
        except BaseException:  # also Ctrl-C: stop what was started
            self.stop()
            raise
        return self

    def _wait_until_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n"
                                   + self.log_path.read_text(errors="replace")[-3000:])
            if len(self.worker_pids()) == self.workers:
                try:
                    if send(self.port, "GET", "/health", timeout=5).status == 200:
                        return
                except (OSError, http.client.HTTPException):
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /health within {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        """The master's children (its workers), found through /proc."""
        return [] if self.process is None else children(self.process.pid)

    def connections(self) -> dict[int, set[str]]:
        """The client connections each worker holds now (socket inodes), by worker pid."""
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            port = int(fields[1].rsplit(":", 1)[1], 16)
            if port == self.port and fields[3] == "01":  # ESTABLISHED, accepted by a worker
                inodes.add(f"socket:[{fields[9]}]")
        held = {}
        for pid in self.worker_pids():
            try:
                links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:
                continue
            if links & inodes:
                held[pid] = links & inodes
        return held

    def wait_for_workers(self, timeout: float = 60.0) -> bool:
        """Whether all workers are up again within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.worker_pids()) == self.workers:
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session started above
            self.process.wait(timeout=10)

    def log_problems(self, expected: tuple[str, ...] = ()) -> list[str]:
        """Lines of the server log that report an error, except those containing ``expected``."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        marks = ("[ERROR]", "[CRITICAL]", "Traceback", "WORKER TIMEOUT")
        return [line for line in lines
                if any(mark in line for mark in marks)
                and not any(text in line for text in expected)]


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that ``finally`` blocks stop the servers."""
    def _exit(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
