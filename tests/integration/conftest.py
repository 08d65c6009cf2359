"""Fixtures shared by the integration tests: a throwaway PostgreSQL server.

The server is a fresh cluster made with Debian's binaries
(``/usr/lib/postgresql/<version>/bin``), listening on a free port of
127.0.0.1 with its socket and data in a temporary folder, started once per
test session and stopped at its end. As root, ``initdb`` and ``pg_ctl`` run
as the ``postgres`` system user. If it cannot start the tests fail, saying why.
The migrations build a template database (``TEMPLATE_DB``) once; tests copy it
(``CREATE DATABASE ... TEMPLATE``). Used by tests/integration/store and
tests/integration/offers.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from quote.store import migrate

TEMPLATE_DB = "quote_template"

PG_USER = "quote"


@dataclass
class PostgresServer:
    bin_dir: Path
    data_dir: Path
    port: int
    run_as: list[str]
    template: str = TEMPLATE_DB  # the migrated database to copy for a test

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                               dbname="postgres", autocommit=True)

    def stop(self) -> None:
        subprocess.run([*self.run_as, str(self.bin_dir / "pg_ctl"), "stop", "-D",
                        str(self.data_dir), "-m", "immediate", "-w"],
                       capture_output=True, check=False)


def _postgres_bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    if not found:
        pytest.fail("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                    "run scripts/install-system-packages (make test does)", pytrace=False)
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        details = done.stdout + done.stderr
        if log is not None and log.exists():
            details += "\n--- server log ---\n" + log.read_text(errors="replace")
        pytest.fail(f"could not {what} a PostgreSQL test server "
                    f"({' '.join(command)}):\n{details}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _postgres_bin_dir()
    base = Path(tempfile.mkdtemp(prefix="quote-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, and there is no 'postgres' system user to run "
                        "the PostgreSQL test server as", pytrace=False)
        os.chown(base, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data_dir, log = base / "data", base / "server.log"
    _run([*run_as, str(bin_dir / "initdb"), "-D", str(data_dir), "-U", PG_USER,
          "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], "initialize")
    port = _free_port()
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    _run([*run_as, str(bin_dir / "pg_ctl"), "start", "-D", str(data_dir), "-w", "-t", "60",
          "-l", str(log), "-o", options], "start", log)
    server = PostgresServer(bin_dir, data_dir, port, run_as)
    try:
        with server.admin() as admin:
            admin.execute(f"CREATE DATABASE {TEMPLATE_DB}")
        migrate(server.url(TEMPLATE_DB))
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
