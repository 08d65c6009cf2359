"""Rate files: a broken file is reported with its path and field; versions by date."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from quote import resources
from quote.core.catalog import RateFileError, load_rates
from quote.core.pricing import price_quote
from quote.core.request import parse_request

from .helpers import bpm

ORIGINAL = (resources.rates_dir() / "bpmonline.toml").read_text(encoding="utf-8")


@pytest.fixture
def rates(tmp_path) -> Path:
    """A copy of the shipped rate folder that a test may break."""
    folder = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), folder)
    return folder


def broken(rates: Path, old: str, new: str) -> list:
    assert ORIGINAL.count(old) == 1, old
    (rates / "bpmonline.toml").write_text(ORIGINAL.replace(old, new), encoding="utf-8")
    with pytest.raises(RateFileError) as caught:
        load_rates(rates)
    return caught.value.problems


def test_the_shipped_cards_load():
    book = load_rates()
    assert book.ids() == ["bpmonline", "maxence", "otrs"]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('id = "bpmonline"', "id = bpmonline", "", "not valid TOML"),
        ('on_site = { kind = "percent", percent = "20"',
         'on_site = { kind = "percent", percent = "-20"',
         "packages.1.on_site.percent.percent", "must not be negative"),
        ('response_times = { "1" = "1h"', 'response_times = { "9" = "1h", "1" = "1h"',
         "packages.1.response_times", "names unknown priorities ['9']"),
        ("ru = \"Пакеты поддержки bpm'online\"\n", "", "name.ru", "Field required"),
        ('currency = "EUR"', 'currency = "EUX"', "currency", "unknown currency 'EUX'"),
        ('on_site = { kind = "percent", percent = "20", minimum = "500.00" }',
         'on_site = { kind = "percent", percent = "20", minimum = "500.001" }',
         "packages.1.on_site.minimum", "500.001 has more decimals than EUR"),
        ('max_discount_percent = "15"', 'max_discount_percent = "150"',
         "max_discount_percent", "less than or equal to 100"),
        ('max_discount_percent = "15"', "max_discount_percent = 15.5",
         "max_discount_percent", "strings"),
        ('version = "2019.1"', 'version = "2019.1"\nrabatt = "5"', "rabatt", "Extra inputs"),
    ],
)
def test_a_broken_file_names_the_file_and_the_field(rates, old, new, field, words):
    (problem,) = broken(rates, old, new)
    assert problem.path.endswith("bpmonline.toml")
    assert problem.field == field
    assert words in problem.message
    assert str(problem).startswith(problem.path)


def test_the_same_card_version_twice(rates):
    shutil.copy(rates / "bpmonline.toml", rates / "bpmonline-copy.toml")
    with pytest.raises(RateFileError) as caught:
        load_rates(rates)
    (problem,) = caught.value.problems
    assert problem.path.endswith("bpmonline.toml")
    assert problem.field == "version"
    assert "bpmonline version 2019.1 is also in" in problem.message


def test_every_broken_file_is_reported(rates):
    (rates / "otrs.toml").write_text("id = ", encoding="utf-8")
    (rates / "maxence.toml").write_text('id = "maxence"\n', encoding="utf-8")
    with pytest.raises(RateFileError) as caught:
        load_rates(rates)
    paths = {Path(problem.path).name for problem in caught.value.problems}
    assert paths == {"otrs.toml", "maxence.toml"}


def test_an_empty_or_missing_folder(tmp_path):
    with pytest.raises(RateFileError, match="holds no rate card"):
        load_rates(tmp_path)
    with pytest.raises(RateFileError, match="rate folder not found"):
        load_rates(tmp_path / "nowhere")


def test_the_version_in_force_on_as_of_prices_the_quote(rates):
    newer = (ORIGINAL.replace('version = "2019.1"', 'version = "2027.1"')
             .replace("effective_from = 2019-01-01", "effective_from = 2027-01-01")
             .replace('on_site = { kind = "percent", percent = "20"',
                      'on_site = { kind = "percent", percent = "22"'))
    (rates / "bpmonline-2027.toml").write_text(newer, encoding="utf-8")
    book = load_rates(rates)
    today = dt.date(2026, 11, 22)

    old = price_quote(parse_request(bpm(as_of="2026-12-31")), book, today)
    assert (old.rate_card.version, old.total) == ("2019.1", Decimal("2400.00"))  # 20 %

    new = price_quote(parse_request(bpm(as_of="2027-01-01")), book, today)
    assert (new.rate_card.version, new.total) == ("2027.1", Decimal("2640.00"))  # 22 %
    assert new.rate_card.effective_from == dt.date(2027, 1, 1)
    assert new.rate_card.sha256 != old.rate_card.sha256

    # without as_of, the version in force today
    undated = bpm()
    del undated["as_of"]
    assert price_quote(parse_request(undated), book, today).rate_card.version == "2019.1"
