"""The app served by a real server on loopback, and headless Debian Chromium driving it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from browser_helpers import PASSWORD
from werkzeug.serving import make_server

from quote import create_app
from quote.store import add_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]



STAFF = {"sales": "sales@example.com", "finance": "finance@example.com",
         "admin": "admin@example.com"}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the live server serves (development settings, CSRF on, a fresh SQLite
    database with a sales, a finance and an admin user): tests may put data into its store."""
    database = tmp_path_factory.mktemp("browser") / "quote.db"
    app = create_app({"ENV": "development", "TODAY": "2026-01-15",
                      "DATABASE_URL": f"sqlite:///{database}",
                      "LIMIT_PREVIEW": "10000 per minute"})
    with app.extensions["quote.store"].session() as session:
        for role, email in STAFF.items():
            add_user(session, email, f"{role.title()} Person", PASSWORD, role=role)
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """``live_app`` on a free loopback port; yields its URL."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        found = shutil.which("chromium")
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (found: {found}); "
                    "install it with `make system` (scripts/install-system-packages)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
