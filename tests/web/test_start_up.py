"""Start-up checks and deployment settings: catalogues, files, instance folder, proxy headers."""

from __future__ import annotations

import os
import shutil

import pytest
from flask import request

from quote import resources
from quote.cli import main
from quote.i18n import DOMAINS, TRANSLATED, translations
from quote.web.app import ConfigError


def test_a_checkout_reads_its_own_folders():
    checkout = resources.checkout_dir()
    assert checkout is not None and (checkout / "pyproject.toml").is_file()
    assert resources.templates_dir() == checkout / "templates"
    assert resources.static_dir() == checkout / "static"
    assert resources.rates_dir() == checkout / "rates"
    assert resources.migrations_dir() == checkout / "migrations"
    assert resources.alembic_ini() == checkout / "alembic.ini"
    assert resources.translations_dir() == checkout / "quote" / "translations"


def test_the_instance_folder_is_the_checkouts_unless_configured(make_app, monkeypatch, tmp_path):
    assert make_app().instance_path == str(resources.checkout_dir() / "instance")
    monkeypatch.setenv("QUOTE_INSTANCE_PATH", str(tmp_path / "var"))
    assert make_app().instance_path == str(tmp_path / "var")


def test_quote_rates_dir_replaces_the_shipped_rate_cards(make_app, monkeypatch, tmp_path):
    shutil.copyfile(resources.rates_dir() / "otrs.toml", tmp_path / "otrs.toml")
    monkeypatch.setenv("QUOTE_RATES_DIR", str(tmp_path))
    app = make_app()
    assert app.extensions["quote.rates"].ids() == ["otrs"]


@pytest.fixture
def catalogues(tmp_path, monkeypatch):
    """A copy of the translations folder that a test may change, used by the app."""
    folder = tmp_path / "translations"
    shutil.copytree(resources.translations_dir(), folder)
    monkeypatch.setattr(resources, "translations_dir", lambda: folder)
    translations.cache_clear()
    yield folder
    translations.cache_clear()


def production(make_app):
    return make_app(TESTING=False, ENV="production", SECRET_KEY="k" * 32)


def test_every_language_has_every_domain_compiled():
    for language in TRANSLATED:
        for domain in DOMAINS:
            path = resources.translations_dir() / language / "LC_MESSAGES" / f"{domain}.mo"
            assert path.is_file(), path


def test_a_missing_catalogue_stops_start_up_naming_the_file(make_app, catalogues):
    (catalogues / "ru" / "LC_MESSAGES" / "pdf.mo").unlink()
    (catalogues / "ru" / "LC_MESSAGES" / "pdf.po").unlink()
    with pytest.raises(ConfigError, match=r"ru/LC_MESSAGES/pdf\.mo is missing"):
        production(make_app)
    with pytest.raises(ConfigError, match=r"ru/LC_MESSAGES/pdf\.mo is missing"):
        make_app()  # development: nothing to compile it from


def test_a_broken_catalogue_stops_start_up(make_app, catalogues):
    (catalogues / "de" / "LC_MESSAGES" / "web.mo").write_bytes(b"not a catalogue")
    with pytest.raises(ConfigError, match=r"de/LC_MESSAGES/web\.mo cannot be read"):
        production(make_app)


def test_production_does_not_compile_but_names_a_stale_catalogue(make_app, catalogues, caplog):
    mo = catalogues / "de" / "LC_MESSAGES" / "web.mo"
    written = mo.with_suffix(".po").stat().st_mtime  # the .po's own time, however old
    os.utime(mo, (written - 3600,) * 2)
    before = mo.read_bytes()
    production(make_app)
    assert mo.read_bytes() == before
    assert "de/LC_MESSAGES/web.mo is older than its .po" in caplog.text


def test_development_compiles_missing_and_stale_catalogues(make_app, catalogues):
    (catalogues / "de" / "LC_MESSAGES" / "web.mo").unlink()
    app = make_app()
    assert (catalogues / "de" / "LC_MESSAGES" / "web.mo").is_file()
    page = app.test_client().get("/?lang=de").get_data(as_text=True)
    assert "<title>Supportangebot</title>" in page


def test_the_command_line_refuses_a_missing_catalogue(catalogues, capsys):
    (catalogues / "ru" / "LC_MESSAGES" / "core.mo").unlink()
    assert main(["rates", "show", "otrs", "--lang", "ru"]) == 2
    assert "ru/LC_MESSAGES/core.mo is missing" in capsys.readouterr().err


def seen(app):
    """A client of ``app`` with an extra page showing what the app sees of the request."""

    @app.get("/_seen")
    def _seen():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host,
                "url": request.url_root}

    return app.test_client()


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "quotes.example.com"}


def test_proxy_headers_are_ignored_by_default(make_app):
    answer = seen(make_app()).get("/_seen", headers=FORWARDED).json
    assert answer["address"] == "127.0.0.1"
    assert answer["scheme"] == "http" and answer["host"] == "localhost"


def test_proxy_headers_are_trusted_when_configured(make_app, monkeypatch):
    monkeypatch.setenv("QUOTE_PROXY_FIX_X_FOR", "1")
    monkeypatch.setenv("QUOTE_PROXY_FIX_X_PROTO", "1")
    monkeypatch.setenv("QUOTE_PROXY_FIX_X_HOST", "1")
    client = seen(make_app())
    answer = client.get("/_seen", headers=FORWARDED).json
    assert answer == {"address": "203.0.113.7", "scheme": "https",
                      "host": "quotes.example.com", "url": "https://quotes.example.com/"}
    # one proxy: only the address it added counts, not what the client claimed before it
    chained = client.get("/_seen", headers={"X-Forwarded-For": "10.9.9.9, 198.51.100.4"}).json
    assert chained["address"] == "198.51.100.4"
