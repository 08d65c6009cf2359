"""Commands the project tells people to type work exactly as printed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"


def clean_environment(**extra: str) -> dict[str, str]:
    """The caller's environment without the app's settings or make's own variables."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("QUOTE_", "MAKE", "MFLAGS")) and key != "DATABASE_URL"}
    env.update(extra)
    return env


def staff_hint() -> str:
    """The staff-account command that ``make run`` prints."""
    done = subprocess.run(["make", "--no-print-directory", "-s", "print-STAFF_HINT"], cwd=ROOT,
                          env=clean_environment(), capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_staff_hint_of_make_run_adds_a_user_as_printed(tmp_path):
    hint = staff_hint()
    assert "users add" in hint
    # Through a shell, from the checkout, with nothing but the instance folder set (so the
    # checkout's development database is left alone). A new session has no terminal, so
    # the password prompt reads standard input.
    done = subprocess.run(hint, shell=True, cwd=ROOT, input=f"{PASSWORD}\n{PASSWORD}\n",
                          env=clean_environment(QUOTE_INSTANCE_PATH=str(tmp_path)),
                          capture_output=True, text=True, timeout=120, start_new_session=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "added anna@example.com (sales)" in done.stdout
    assert "Traceback" not in done.stderr
    with sqlite3.connect(tmp_path / "quote.db") as db:
        assert db.execute("SELECT display_name, role FROM users").fetchall() == [
            ("Anna Berg", "sales")]


def test_make_run_prints_the_hint_and_the_readme_shows_it():
    hint = staff_hint()
    dry_run = subprocess.run(["make", "--no-print-directory", "-n", "run"], cwd=ROOT,
                             env=clean_environment(), capture_output=True, text=True, check=True)
    assert f'echo "  {hint}"' in dry_run.stdout
    assert hint in (ROOT / "README.md").read_text(encoding="utf-8")
