"""Rate files: a broken file is reported with its path and field; versions by date."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from quote import resources
from quote.core.catalog import RateFileError, declared_id, load_rates
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
    assert book.ids() == ["bpmonline", "maxence", "open-xchange", "otrs"]


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
        ('currencies = ["EUR", "RUB", "USD"]', 'currencies = ["EUX", "RUB", "USD"]',
         "currencies", "unknown currency 'EUX'"),
        ('currencies = ["EUR", "RUB", "USD"]', 'currencies = ["EUR", "RUB", "USD", "EUR"]',
         "currencies", "a currency is listed twice"),
        ('currencies = ["EUR", "RUB", "USD"]', 'currencies = ["EUR", "RUB", "KWD"]',
         "currencies", "KWD has 3 decimals"),
        ('percent = "20", minimum = { EUR = "500.00"',
         'percent = "20", minimum = { EUR = "500.001"',
         "packages.1.on_site.minimum", "500.001 has more decimals than EUR"),
        ('percent = "20", minimum = { EUR = "500.00", RUB = "45000.00", USD = "550.00" }',
         'percent = "20", minimum = { EUR = "500.00", RUB = "45000.00" }',
         "packages.1.on_site.minimum", "no amount in USD"),
        ('percent = "20", minimum = { EUR = "500.00", RUB = "45000.00", USD = "550.00" }',
         'percent = "20", minimum = "500.00"',
         "packages.1.on_site.minimum", "give this amount in each of the card's currencies"),
        ('example = ["minimum.RUB", "minimum.USD"] }\non_demand = { kind = "percent", '
         'percent = "10"', 'example = ["minimum.RUB", "maximum"] }\non_demand = { kind = '
         '"percent", percent = "10"', "packages.1.on_site.percent.example",
         "'maximum' is not a figure of this table"),
        ('example = ["minimum.RUB", "minimum.USD"] }\non_demand = { kind = "percent", '
         'percent = "10"', 'example = ["minimum.RUB", "minimum.GBP"] }\non_demand = { kind = '
         '"percent", percent = "10"', "packages.1.on_site.example",
         "GBP is not a currency of this card"),
        ('time_zone = "Europe/Moscow"\n\n[[packages]]\nid = "business"',
         'time_zone = "Europe/Moscow"\nutc_offset = "UTC+03:00"\n\n[[packages]]\nid = "business"',
         "packages.0.service_hours", "utc_offset is not written any more"),
        ('time_zone = "Europe/Moscow"\n\n[[packages]]\nid = "business"',
         'time_zone = "Europe/Moskva"\n\n[[packages]]\nid = "business"',
         "packages.0.service_hours.time_zone", "unknown time zone 'Europe/Moskva'"),
        ('calendar = { country = "RU" }', 'calendar = { country = "XX" }', "calendar",
         "no holiday calendar for the country 'XX'"),
        ('calendar = { country = "RU" }', 'calendar = { country = "RU", subdivision = "ZZ" }',
         "calendar", "RU has no subdivision 'ZZ'"),
        ('response_times = { "1" = "1h"', 'response_times = { "1" = "1 hour"',
         "packages.1.response_times.1", 'write times as "30s", "30min", "4h"'),
        ('currencies = ["EUR", "RUB", "USD"]', 'currencies = ["EUR", "RUB", "USD"]\n'
         'license_value = false', "packages.0.on_site",
         "a card without a license value (license_value = false) has flat or included prices"),
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


def test_only_the_cards_asked_for_are_read(rates):
    # another card's file, broken, is not read
    (rates / "otrs.toml").write_text('id = "otrs"\nversion = ', encoding="utf-8")
    book = load_rates(rates, cards={"bpmonline"})
    assert book.ids() == ["bpmonline"]
    with pytest.raises(RateFileError):  # a card no file names: every file is read
        load_rates(rates, cards={"nowhere"})


@pytest.mark.parametrize(
    ("text", "card_id"),
    [
        (ORIGINAL, "bpmonline"),
        ('# a comment\nid = "otrs"   # the card\nversion = "1"\n', "otrs"),
        ('version = "1"\n[name]\nid = "otrs"\n', None),  # not a top-level key
        ('source = """\nid = "otrs"\n"""\nid = "maxence"\n', None),  # a multi-line string
        ("id = 'otrs'\n", None),  # another spelling: the file is parsed to know
    ],
)
def test_a_files_card_id_is_read_from_its_top_level_id_line(text, card_id):
    assert declared_id(text.encode()) == card_id


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
