"""The command line: price a request, check and show rate cards; no framework in the core."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quote import resources
from quote.cli import main

from .helpers import bpm

QUOTE = Path(sys.executable).with_name("quote")


@pytest.fixture
def request_file(tmp_path) -> Path:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(bpm(environments=3)), encoding="utf-8")
    return path


def test_price_a_file(capsys, request_file):
    assert main(["price", str(request_file)]) == 0
    out = json.loads(capsys.readouterr().out)
    # 2,400.00 support + 2 × 240.00 environments
    assert [line["amount"] for line in out["lines"]] == ["2400.00", "480.00"]
    assert out["total"] == "2880.00"
    assert out["rate_card"]["version"] == "2019.1"


def test_price_from_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(bpm(license_value="3000.00"))))
    assert main(["price", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == "600.00"  # 20 % × 3,000


def test_bad_input_goes_to_stderr_without_a_traceback(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(bpm(license_value="1e3"))))
    assert main(["price", "-"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    errors = json.loads(captured.err)["errors"]
    assert [e["field"] for e in errors] == ["license_value"]
    assert "Traceback" not in captured.err


def test_text_that_is_not_json(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("{not json"))
    with pytest.raises(SystemExit) as caught:
        main(["price", "-"])
    assert caught.value.code == 1
    assert "is not valid JSON" in capsys.readouterr().err


def test_rates_check(capsys):
    assert main(["rates", "check"]) == 0
    out = capsys.readouterr().out
    assert "bpmonline 2019.1" in out and "otrs 2024.1" in out and "maxence 2024.1" in out


def test_rates_check_of_a_broken_folder(capsys, tmp_path):
    folder = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), folder)
    card = folder / "otrs.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('currencies = ["EUR"]',
                                                             'currencies = ["EURO"]'),
                    encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["--rates", str(folder), "rates", "check"])
    assert caught.value.code != 0
    err = capsys.readouterr().err
    assert "otrs.toml: currencies: unknown currency 'EURO'" in err
    assert "Traceback" not in err


def test_rates_show_in_russian(capsys):
    assert main(["rates", "show", "bpmonline", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Пакеты поддержки bpm'online" in out
    assert "[business] Бизнес" in out
    assert "30 минут" in out  # Premium, priority 1
    assert "4 часа" in out  # Business, priorities 2 to 4


def test_the_installed_command(tmp_path, request_file):
    run = subprocess.run([str(QUOTE), "price", str(request_file)], capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["total"] == "2880.00"

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bpm(term_start="2026-02-30")), encoding="utf-8")
    run = subprocess.run([str(QUOTE), "price", str(bad)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 1
    assert json.loads(run.stderr)["errors"][0]["field"] == "term_start"
    assert "Traceback" not in run.stderr


def test_the_core_imports_no_framework():
    code = ("import quote.core.pricing, quote.core.offer, quote.cli, sys; "
            "assert not {'flask','sqlalchemy','wtforms','weasyprint'} & set(sys.modules), "
            "sorted({'flask','sqlalchemy','wtforms','weasyprint'} & set(sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr


# What ``quote price`` leaves out at its start (``quote.cli.QUIET_START``): pydantic's scan
# of every installed package for plugins, and pytz opening each of its zone files when
# Babel looks up the machine's zone. The result is the same either way.
PRICE_AND_REPORT = """
import io, json, os, sys, contextlib
import pytz
opened = []
open_resource = pytz.open_resource
pytz.open_resource = lambda name: opened.append(name) or open_resource(name)
from quote.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["price", sys.argv[1]])
import pydantic.plugin._loader as plugins
print(json.dumps({"code": code, "total": json.loads(out.getvalue())["total"],
                  "zone_files_opened": len(opened), "plugins_scanned": plugins._plugins is not None,
                  "settings": [os.environ.get(name) for name in
                               ("PYDANTIC_DISABLE_PLUGINS", "PYTZ_SKIPEXISTSCHECK")]}))
"""


def price_and_report(request_file, **environment) -> dict:
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYDANTIC_DISABLE_PLUGINS", "PYTZ_SKIPEXISTSCHECK")}
    run = subprocess.run([sys.executable, "-c", PRICE_AND_REPORT, str(request_file)],
                         capture_output=True, text=True, timeout=60, check=False,
                         env={**env, "TZ": "Europe/Berlin", **environment})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_price_neither_scans_for_plugins_nor_checks_every_zone_file(request_file):
    report = price_and_report(request_file)
    assert report["code"] == 0 and report["total"] == "2880.00"
    assert report["plugins_scanned"] is False
    assert report["zone_files_opened"] == 1  # Europe/Berlin's own
    assert report["settings"] == ["__all__", "1"]


def test_the_environments_own_settings_are_kept(request_file):
    report = price_and_report(request_file, PYDANTIC_DISABLE_PLUGINS="",
                              PYTZ_SKIPEXISTSCHECK="")
    assert report["code"] == 0 and report["total"] == "2880.00"
    assert report["plugins_scanned"] is True
    assert report["zone_files_opened"] > 100
    assert report["settings"] == ["", ""]
