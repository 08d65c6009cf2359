"""Every catalogue is complete: no untranslated or fuzzy entry, the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from quote import resources

TRANSLATIONS_DIR = resources.translations_dir()
CATALOGUES = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def entries(path: Path):
    with path.open("rb") as f:
        catalog = read_po(f, locale=path.parts[-3])
    return catalog, [message for message in catalog if message.id]


def test_the_core_catalogues_exist():
    names = {f"{p.parts[-3]}/{p.stem}" for p in CATALOGUES}
    assert {"de/core", "ru/core", "en/core"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_entry_is_translated(path):
    catalog, messages = entries(path)
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_translations_keep_the_placeholders(path):
    catalog, messages = entries(path)
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for string in strings:
            assert placeholders(string) == expected, f"{message.id!r} -> {string!r}"


def test_russian_has_three_plural_forms():
    catalog, messages = entries(TRANSLATIONS_DIR / "ru/LC_MESSAGES/core.po")
    assert catalog.num_plurals == 3
    plurals = [m for m in messages if m.pluralizable]
    assert plurals
    assert all(len(m.string) == 3 for m in plurals)


# The templates hold every text of their sources

ROOT = Path(__file__).resolve().parents[2]


def domain_sources() -> dict[str, list[str]]:
    """The sources each gettext domain is extracted from, as the Makefile names them."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {match[1]: match[2].split()
            for match in re.finditer(r"^SRC_(\w+)\s*:=\s*(.+)$", makefile, re.MULTILINE)}


@pytest.mark.parametrize("domain", sorted(domain_sources()))
def test_the_template_holds_every_text_its_sources_mark(domain, tmp_path):
    """A text the code looks up but extraction cannot see would be dropped from every
    catalogue at the next update, and shown untranslated."""
    extracted = tmp_path / f"{domain}.pot"
    sources = [source for source in domain_sources()[domain] if (ROOT / source).exists()]
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract",
                    "-F", "babel.cfg", "-k", "N_", "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "--omit-header", "-o", str(extracted), *sources],
                   cwd=ROOT, check=True)
    with extracted.open("rb") as found, (TRANSLATIONS_DIR / f"{domain}.pot").open("rb") as kept:
        marked = {message.id for message in read_po(found) if message.id}
        template = {message.id for message in read_po(kept) if message.id}
    assert template - marked == set(), "in the template, no longer marked in the sources"
    assert marked - template == set(), "marked in the sources, missing from the template"
