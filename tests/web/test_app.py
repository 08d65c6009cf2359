"""Start-up and configuration: secrets, rate files, headers, entry points."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import url_for
from offer_helpers import store_offer

from quote import create_app
from quote.web.app import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_production_without_a_secret_key_does_not_start():
    with pytest.raises(ConfigError, match="QUOTE_SECRET_KEY is not set"):
        create_app({"ENV": "production"})


@pytest.mark.parametrize("key", ["abc", "s" * 31])
def test_production_refuses_a_short_secret_key(key):
    with pytest.raises(ConfigError, match="QUOTE_SECRET_KEY is too short"):
        create_app({"ENV": "production", "SECRET_KEY": key})


def test_development_starts_with_a_generated_key():
    app = create_app({"ENV": "development"})
    assert len(app.config["SECRET_KEY"]) == 64
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_production_cookies_are_secure_unless_configured_otherwise():
    app = create_app({"SECRET_KEY": "s" * 32})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    relaxed = create_app({"SECRET_KEY": "s" * 32, "SESSION_COOKIE_SECURE": False})
    assert relaxed.config["SESSION_COOKIE_SECURE"] is False


def test_settings_come_from_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("QUOTE_SECRET_KEY", "from-the-environment-" + "k" * 20)
    monkeypatch.setenv("QUOTE_OFFER_VALID_DAYS", "14")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment-" + "k" * 20
    assert app.config["OFFER_VALID_DAYS"] == 14


def test_a_broken_rate_file_stops_start_up_naming_file_and_field(tmp_path):
    good = (ROOT / "rates" / "otrs.toml").read_text(encoding="utf-8")
    (tmp_path / "otrs.toml").write_text(good.replace('currencies = ["EUR"]',
                                                     'currencies = ["EURO"]'),
                                        encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        create_app({"TESTING": True, "RATES_DIR": str(tmp_path)})
    message = str(caught.value)
    assert "otrs.toml" in message
    assert "currency" in message


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/rate-cards"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_staff_pages_and_every_answer_but_static_files_are_not_stored(sign_in, app,
                                                                     make_request):
    number = store_offer(app, make_request()).offer.number
    finance = sign_in("finance")
    for path in (f"/offers/{number}", "/finance/offers", "/finance/offers?format=csv", "/",
                 "/sign-in", "/api/v1/rate-cards"):
        response = finance.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    static = finance.get("/static/web/quote.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_pages_carry_no_inline_script(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page
    assert "onclick" not in page and "style=" not in page


def test_the_pricing_core_imports_without_flask():
    code = ("import sys; import quote, quote.core.pricing, quote.core.offer; "
            "assert 'flask' not in sys.modules, 'flask imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_wsgi_module_builds_the_app(tmp_path):
    env = {**os.environ, "QUOTE_ENV": "development",
           "QUOTE_DATABASE_URL": f"sqlite:///{tmp_path / 'quote.db'}"}
    code = "import wsgi; print(wsgi.app.name)"
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "quote"


def test_the_web_app_starts_without_the_pdf_engine(tmp_path):
    """WeasyPrint (and the holiday calendars of every country) load at their first use, not
    in every worker's start; Alembic only when the database needs a migration; the OpenAPI
    document's generator when the document is asked for; on SQLite, SQLAlchemy's
    PostgreSQL dialect never."""
    code = ("import sys, wsgi; print(sorted({'weasyprint', 'holidays.countries', 'alembic', "
            "'quote.web.openapi', 'sqlalchemy.dialects.postgresql'} & set(sys.modules)))")

    def started(database: Path) -> str:
        env = {**os.environ, "QUOTE_ENV": "development",
               "QUOTE_DATABASE_URL": f"sqlite:///{database}"}
        return subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env,
                              capture_output=True, text=True).stdout.strip()

    # migrated at the start (a migration script names PostgreSQL's index options)
    assert started(tmp_path / "new" / "quote.db") == (
        "['alembic', 'sqlalchemy.dialects.postgresql']")
    assert started(tmp_path / "new" / "quote.db") == "[]"  # up to date: no Alembic


def test_a_worker_imports_what_a_request_may_never_need_at_its_first_use(tmp_path):
    """The PDF renderer, the service-level clock, smtplib, the contracts API's models, the
    contract importer and the finance exports load when first used, not in every worker's
    start. The garbage collector runs again once the app is built, and what the build
    made is left out of its collections (``wsgi.py`` freezes it). pytz trusts its own
    list of zones (``PYTZ_SKIPEXISTSCHECK``) instead of opening every zone file."""
    code = ("import gc, sys, wsgi; print(sorted({'quote.pdf.render', 'quote.core.sla', "
            "'smtplib', 'quote.web.contract_schemas', 'quote.lifecycle.imports', "
            "'quote.store.export'} & set(sys.modules)), gc.isenabled(), "
            "gc.get_freeze_count() > 0, os.environ['PYTZ_SKIPEXISTSCHECK'])")
    env = {**os.environ, "QUOTE_ENV": "development",
           "QUOTE_DATABASE_URL": f"sqlite:///{tmp_path / 'quote.db'}"}
    env.pop("PYTZ_SKIPEXISTSCHECK", None)
    for _ in range(2):  # migrating, then up to date
        out = subprocess.run([sys.executable, "-c", "import os; " + code], check=True,
                             cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.stdout.strip() == "[] True True 1"


def test_building_an_app_leaves_the_garbage_collector_as_it_was(tmp_path):
    """Tests build many apps in one process: the collector runs after each build, and
    none of them is frozen (only the entry points of a serving process freeze theirs)."""
    code = ("import gc; from quote import create_app; "
            f"create_app({{'TESTING': True, 'DATABASE_URL': 'sqlite:///{tmp_path / 'q.db'}'}}); "
            "print(gc.isenabled(), gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "True 0"


def test_the_command_line_prices_without_the_pdf_renderer():
    code = ("import sys; from quote.cli import build_parser; build_parser(); "
            "print(sorted({'weasyprint', 'quote.pdf.render', 'jinja2'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_health(client):
    assert client.get("/health").json == {"status": "ok"}


def test_staff_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_no_blueprint_imports_the_app_factory():
    """Blueprints share helpers through quote/web/extensions.py, never quote/web/app.py."""
    import ast

    from quote import resources

    package = resources.checkout_dir() / "quote" / "web"
    for module in package.glob("*.py"):
        if module.name == "app.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert "app" not in imported and "quote.web.app" not in imported, module.name


def test_urls_are_built_as_werkzeug_builds_them(app):
    """The rules compile their URL builders at the first URL built, not when added; the
    URLs are Werkzeug's own."""
    from werkzeug.routing import Map, Rule

    plain = Map([Rule(rule.rule, endpoint=rule.endpoint) for rule in app.url_map.iter_rules()],
                converters=app.url_map.converters)
    cases = [("static", {"filename": "web/quote.css"}), ("api.openapi", {}),
             ("api.show_quote", {"number": "Q-2026-000001"}),
             ("api.openapi", {"lang": "de", "x": "ä b"})]
    with app.test_request_context("/"):
        for endpoint, values in cases:
            assert url_for(endpoint, **values) == plain.bind("localhost").build(
                endpoint, values)
            assert url_for(endpoint, **values, _external=True) == plain.bind(
                "localhost").build(endpoint, values, force_external=True)
