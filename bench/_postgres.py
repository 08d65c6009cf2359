"""A throwaway PostgreSQL server for the benchmarks that need one.

The same kind of server as the integration tests start: a fresh cluster made
with Debian's binaries (``/usr/lib/postgresql/<newest>/bin``), data and Unix
socket in a temporary folder, a free port on 127.0.0.1, trust authentication,
fsync off. As root, ``initdb`` and ``pg_ctl`` run as the ``postgres`` system
user. The server runs in its own session, so Ctrl-C reaches only the
benchmark, which stops the server and removes the folder on the way out.

    with throwaway_postgres() as server:
        url = server.create_database("quote")
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench._gunicorn import free_port

USER = "quote"


class PostgresError(RuntimeError):
    """The server could not be made or started; the message says why."""


@dataclass
class PostgresServer:
    bin_dir: Path
    data_dir: Path
    port: int
    run_as: list[str]

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database ``name``; returns its URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.run_as, str(self.bin_dir / "pg_ctl"), "stop", "-D",
                        str(self.data_dir), "-m", "immediate", "-w"],
                       capture_output=True, check=False, start_new_session=True)


def bin_dir() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not found:
        raise PostgresError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                            "scripts/install-system-packages installs it")
    return found[-1]


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          start_new_session=True)
    if done.returncode != 0:
        details = done.stdout + done.stderr
        if log is not None and log.exists():
            details += "\n--- server log ---\n" + log.read_text(errors="replace")
        raise PostgresError(f"could not {what} a PostgreSQL server "
                            f"({' '.join(command)}):\n{details}")


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A running PostgreSQL server, stopped and deleted when the block ends (also on errors)."""
    binaries = bin_dir()
    base = Path(tempfile.mkdtemp(prefix="quote-bench-pg-"))
    try:
        run_as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresError("running as root, and there is no 'postgres' system user "
                                    "to run the server as") from None
            os.chown(base, owner.pw_uid, owner.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        data_dir, log = base / "data", base / "server.log"
        _run([*run_as, str(binaries / "initdb"), "-D", str(data_dir), "-U", USER,
              "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], "initialize")
        port = free_port()
        options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        server = PostgresServer(binaries, data_dir, port, run_as)
        try:
            _run([*run_as, str(binaries / "pg_ctl"), "start", "-D", str(data_dir), "-w",
                  "-t", "60", "-l", str(log), "-o", options], "start", log)
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
