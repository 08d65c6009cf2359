"""The cache of validated files: a card or the tax rules validated once are read back,
never a stale price from a changed file, and nothing untrusted is read."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from quote import resources
from quote.cli import main
from quote.core import checked
from quote.core.catalog import load_rates

from .helpers import bpm

ON_SITE_20 = b'on_site = { kind = "percent", percent = "20",'  # the Business package's


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(checked.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def rates(tmp_path):
    folder = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), folder)
    return folder


def price(capsys, rates, request_file) -> dict:
    assert main(["--rates", str(rates), "price", str(request_file)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def request_file(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(bpm(environments=3)), encoding="utf-8")
    return path


def entries(cache):
    return sorted(cache.glob("*.pickle"))


def test_a_changed_card_is_priced_as_it_now_is(capsys, cache, rates, request_file):
    # 12,000.00 × 20 % = 2,400.00 support + 2 × 240.00 environments (10 % each)
    assert price(capsys, rates, request_file)["total"] == "2880.00"
    kept = entries(cache)
    assert len(kept) == 2  # the card and the tax rules
    assert price(capsys, rates, request_file)["total"] == "2880.00"  # read back
    assert entries(cache) == kept

    card = rates / "bpmonline.toml"
    data = card.read_bytes()
    assert data.count(ON_SITE_20) == 1
    card.write_bytes(data.replace(ON_SITE_20, ON_SITE_20.replace(b'"20"', b'"25"')))
    # 12,000.00 × 25 % = 3,000.00 + 2 × 300.00
    assert price(capsys, rates, request_file)["total"] == "3600.00"
    assert len(entries(cache)) == 3

    card.write_bytes(data)  # the first version again: its entry is still right
    assert price(capsys, rates, request_file)["total"] == "2880.00"


def test_the_cached_card_equals_the_validated_one(cache, rates):
    first = load_rates(rates)
    assert entries(cache)
    again = load_rates(rates)
    for card_id, versions in first.versions.items():
        assert [(v.card, v.sha256, v.notes) for v in versions] == [
            (v.card, v.sha256, v.notes) for v in again.versions[card_id]]


def test_an_unreadable_entry_is_validated_again_and_replaced(capsys, cache, rates,
                                                             request_file):
    price(capsys, rates, request_file)
    for entry in entries(cache):
        entry.write_bytes(b"not a pickle")
    assert price(capsys, rates, request_file)["total"] == "2880.00"
    for entry in entries(cache):
        assert entry.read_bytes() != b"not a pickle"


def test_an_entry_others_may_write_is_not_read(cache):
    kept = checked.key("test", b"data")
    checked.write(kept, "value")
    assert checked.read(kept) == "value"
    entry = cache / f"{kept}.pickle"
    assert entry.stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o777 == 0o700
    entry.chmod(0o620)
    assert checked.read(kept) is None


def test_an_entry_under_another_key_is_not_read(cache):
    kept, other = checked.key("test", b"data"), checked.key("test", b"other data")
    checked.write(kept, "value")
    (cache / f"{kept}.pickle").rename(cache / f"{other}.pickle")
    assert checked.read(other) is None


def test_a_key_follows_the_data_what_was_checked_and_the_code(monkeypatch):
    assert checked.key("rate card", b"a", True) != checked.key("rate card", b"b", True)
    assert checked.key("rate card", b"a", True) != checked.key("rate card", b"a", False)
    assert checked.key("rate card", b"a") != checked.key("tax rules", b"a")
    before = checked.key("rate card", b"a")
    monkeypatch.setattr(checked, "code_version", lambda: b"the rules changed")
    assert checked.key("rate card", b"a") != before


def test_a_broken_card_is_not_kept(cache, rates, capsys):
    (rates / "bpmonline.toml").write_text('id = "bpmonline"\nversion = 1\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--rates", str(rates), "rates", "check"])
    assert "bpmonline.toml: version" in capsys.readouterr().err
    kept = [checked.read(entry.stem)[0].id for entry in entries(cache)]
    assert sorted(kept) == ["maxence", "open-xchange", "otrs"]


def test_an_empty_cache_folder_setting_turns_the_cache_off(monkeypatch, tmp_path, rates):
    monkeypatch.setenv(checked.CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_rates(rates)
    assert checked.cache_dir() is None
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_is_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv(checked.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert checked.cache_dir() == tmp_path / "quote"
    assert os.fspath(checked.cache_dir()).startswith(os.fspath(tmp_path))
