"""Start-up and deployment settings: where the files are, the instance folder, rate cards."""

from __future__ import annotations

import shutil

from quote import resources


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
