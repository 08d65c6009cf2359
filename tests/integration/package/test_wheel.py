"""The wheel runs on its own: built from the checkout, installed into a fresh virtual
environment outside it, and served by gunicorn from a folder outside it.

One build and one environment for the module (``installed``); the dependencies
come from the package index through pip (its cache makes repeats quick).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from request_samples import bpm_request

ROOT = Path(__file__).resolve().parents[3]
SECRET = "wheel-test-" + "s" * 32
PASSWORD = "correct horse battery"

# an offer for a German customer: 19 % VAT by the tax rules the wheel carries
REQUEST = bpm_request(term_years=2, customer={
    "company": "Muster GmbH", "contact": "Erika Mustermann", "email": "erika@example.de",
    "country": "DE"})

pytestmark = pytest.mark.wheel


@dataclass
class Installed:
    venv: Path
    workdir: Path  # outside the checkout; the app's working directory
    env: dict[str, str]

    def run(self, *command: str, stdin: str | None = None, **extra: str) -> str:
        done = subprocess.run(command, cwd=self.workdir, env={**self.env, **extra},
                              input=stdin, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def _run(command: list[str], **options) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **options)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.is_relative_to(ROOT)
    # the same command as `make wheel` and the Containerfile
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
          "--wheel-dir", str(base / "dist"), str(ROOT)])
    wheels = list((base / "dist").glob("quote-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    # Without a pip of its own (this one installs into it) and without byte-compiling:
    # both only cost time here.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
          "--quiet", "--no-compile", str(wheels[0])])
    workdir = base / "run"
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("QUOTE_", "PYTHON", "VIRTUAL_ENV"))
           and key != "DATABASE_URL"}
    env.update(QUOTE_SECRET_KEY=SECRET, QUOTE_TODAY="2026-01-15",
               XDG_RUNTIME_DIR=str(base))  # gunicorn's control socket: not in $HOME
    return Installed(venv, workdir, env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(installed):
    """gunicorn from the environment with deploy/gunicorn.conf.py, in production mode."""
    port = free_port()
    log = installed.workdir / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [installed.bin("gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=installed.workdir, env=installed.env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{log.read_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer:\n{log.read_text()}", pytrace=False)
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def call(url: str, method: str = "GET", body: dict | None = None, **headers: str):
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_installed_package_is_imported_not_the_checkout(installed):
    where = installed.run(installed.bin("python"), "-c",
                          "import quote, quote.resources as r; print(quote.__file__); "
                          "print(r.templates_dir()); print(r.checkout_dir())")
    module, templates, checkout = where.split()
    assert Path(module).is_relative_to(installed.venv)
    assert Path(templates).is_relative_to(installed.venv) and Path(templates).is_dir()
    assert checkout == "None"


def test_the_wheel_carries_compiled_catalogues_and_the_data_files(installed):
    package = next(installed.venv.glob("lib/python*/site-packages/quote"))
    for language in ("de", "ru"):
        for domain in ("core", "pdf", "web"):
            assert (package / "translations" / language / "LC_MESSAGES" / f"{domain}.mo").is_file()
    bundled = package / "bundled"
    for name in ("templates/web/base.html", "templates/pdf/offer.html", "static/web/quote.css",
                 "static/fonts/DejaVuSans.ttf", "rates/bpmonline.toml",
                 "migrations/versions/0001_initial.py", "alembic.ini"):
        assert (bundled / name).is_file(), name


def test_rate_cards_come_from_the_package_or_from_quote_rates_dir(installed):
    shipped = installed.run(installed.bin("quote"), "rates", "check")
    assert shipped.count("ok  ") == 4 and str(installed.venv) in shipped
    own = installed.workdir / "own-rates"
    own.mkdir()
    shutil.copyfile(ROOT / "rates" / "otrs.toml", own / "otrs.toml")
    replaced = installed.run(installed.bin("quote"), "rates", "check",
                             QUOTE_RATES_DIR=str(own))
    assert replaced.count("ok  ") == 1 and "otrs 2024.1" in replaced


def test_a_german_page(installed, server):
    status, _headers, body = call(server + "/?lang=de")
    page = body.decode()
    assert status == 200
    assert '<html lang="de"' in page
    assert "<title>Supportangebot</title>" in page
    status, headers, _body = call(server + "/static/web/quote.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")


def test_a_russian_draft_pdf(installed, server):
    status, headers, body = call(server + "/api/v1/quotes/preview.pdf?lang=ru", "POST",
                                 {**REQUEST, "language": "ru"})
    assert status == 200, body
    assert headers["Content-Type"] == "application/pdf"
    text = pdf_text(body)
    assert "Черновик" in text and "Страница 1 из" in text


def test_an_issued_offer(installed, server):
    flask = [installed.bin("flask"), "--app", "quote:create_app", "users"]
    added = installed.run(*flask, "add", "sales@example.com", "--role", "sales",
                          "--password-stdin", stdin=PASSWORD + "\n")
    assert "added sales@example.com (sales)" in added
    token = installed.run(*flask, "token", "sales@example.com").strip()
    status, headers, body = call(server + "/api/v1/quotes", "POST", REQUEST,
                                 Authorization=f"Bearer {token}")
    assert status == 201, body
    offer = json.loads(body)
    assert offer["number"] == "Q-2026-000001"
    assert offer["result"]["tax_basis"]["rule"] == "domestic"
    assert offer["result"]["tax"] == "912.00"  # 19 % of 4,800.00
    status, _headers, pdf = call(server + f"/api/v1/quotes/{offer['number']}.pdf?lang=de",
                                 Authorization=f"Bearer {token}")
    assert status == 200
    assert "Angebot Q-2026-000001" in pdf_text(pdf)
    # the default database is in the working directory's instance/, not in the package
    with sqlite3.connect(installed.workdir / "instance" / "quote.db") as db:
        assert db.execute("SELECT number FROM offers").fetchall() == [("Q-2026-000001",)]
    assert not list(installed.venv.rglob("quote.db"))
