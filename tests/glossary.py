"""docs/glossary.md read as data: per language, the terms and their forbidden variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"
_SECTION = re.compile(r"^## .*\((?P<language>[a-z]{2})\)\s*$")


@dataclass(frozen=True)
class Entry:
    concept: str
    terms: tuple[str, ...]
    forbidden: tuple[str, ...]


def _cell(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(" · ") if part.strip())


def glossary(path: Path = GLOSSARY) -> dict[str, dict[str, Entry]]:
    """{language: {concept: Entry}} from the tables of the glossary."""
    found: dict[str, dict[str, Entry]] = {}
    language = None
    for line in path.read_text(encoding="utf-8").splitlines():
        section = _SECTION.match(line)
        if section:
            language = section["language"]
            found[language] = {}
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if language is None or len(cells) != 3 or cells[0] in ("concept", "---"):
            continue
        found[language][cells[0]] = Entry(cells[0], _cell(cells[1]), _cell(cells[2]))
    return found


def forbidden_in(text: str, entries: dict[str, Entry]) -> list[str]:
    """The forbidden variants ``text`` holds, as whole words, ignoring case (a gettext
    placeholder such as ``%(minimum)s`` is no word of the text)."""
    text = re.sub(r"%\(\w+\)s", " ", text)
    return [variant for entry in entries.values() for variant in entry.forbidden
            if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text, re.IGNORECASE)]
