"""Loading and validating the rate card files (the shipped ones: ``rates/``).

Every ``*.toml`` file below the folder is one version of one rate card. A
broken file is reported with its path and the field at fault; nothing is
half-loaded.

``load_rates(folder)`` loads every card (the web app, ``quote rates check``);
``load_rates(folder, cards={"otrs"})`` only the versions of the cards named (``quote
price``): a file's card id is read from its ``id = "..."`` line (``declared_id``), so
the other files are neither parsed nor validated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .. import resources
from . import checked
from .rates import UNCHECKED_CALENDARS, CardFieldError, RateCard

if TYPE_CHECKING:
    from .tax import TaxRules


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one rate file."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message}"


class RateFileError(Exception):
    """One or more rate files are broken; ``problems`` names each file and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedCard:
    card: RateCard
    path: str
    sha256: str
    notes: tuple[str, ...] = ()  # what the file should write otherwise (old forms it uses)


@dataclass
class RateBook:
    """All versions of all rate cards, by id, ordered by the date they take effect, and
    the seller's tax rules that price's tax follows from (``quote.core.tax``; None: no
    tax unless a request sets a rate)."""

    versions: dict[str, list[LoadedCard]] = field(default_factory=dict)
    tax: TaxRules | None = None

    def ids(self) -> list[str]:
        return sorted(self.versions)

    def in_force(self, card_id: str, on: dt.date) -> LoadedCard | None:
        """The version of ``card_id`` in force on ``on``: the latest that took effect by then."""
        candidates = [v for v in self.versions.get(card_id, []) if v.card.effective_from <= on]
        return candidates[-1] if candidates else None

    def version(self, card_id: str, version: str) -> LoadedCard | None:
        """The version ``version`` of ``card_id`` (a contract's own), whatever its date."""
        return next((v for v in self.versions.get(card_id, []) if v.card.version == version),
                    None)

    def priced_with(self, result) -> LoadedCard:
        """The card version a ``QuoteResult`` was priced with."""
        loaded = self.version(result.rate_card.id, result.rate_card.version)
        assert loaded is not None, "a result names a version of this book"
        return loaded

    def latest(self, card_id: str) -> LoadedCard | None:
        versions = self.versions.get(card_id)
        return versions[-1] if versions else None

    def cards_in_force(self, on: dt.date) -> list[LoadedCard]:
        return [c for c in (self.in_force(i, on) for i in self.ids()) if c is not None]


def _field_path(location: tuple) -> str:
    return ".".join(str(part) for part in location)


def parse_card(data: bytes, path: str, *, calendars: bool = True
               ) -> tuple[LoadedCard | None, list[Problem]]:
    """The card in ``data`` (the file at ``path``), or the problems that stop it.

    ``calendars=False`` leaves out the check that the holidays package knows the card's
    holiday calendar (loading that package is a third of a ``quote price``; no price
    depends on the calendar): see ``quote.core.rates.Calendar``.

    A file that validated once is read from the cache of validated files
    (``quote.core.checked``: keyed by the file's bytes and the code that checks them).
    """
    kept = checked.key("rate card", data, calendars)
    found = checked.read(kept)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], RateCard):
        card, notes = found
        return LoadedCard(card, path, hashlib.sha256(data).hexdigest(), notes), []
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(path, "", "is not UTF-8 text")]
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(path, "", f"is not valid TOML: {exc}")]
    try:
        card = RateCard.model_validate(raw, context=None if calendars else {
            UNCHECKED_CALENDARS: True})
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            message = error["msg"].removeprefix("Value error, ")
            field = _field_path(error["loc"])
            cause = (error.get("ctx") or {}).get("error")
            if isinstance(cause, CardFieldError):  # a rule across fields names its own
                field = ".".join(filter(None, (field, cause.field)))
            problems.append(Problem(path, field, message))
        return None, problems
    notes = _legacy_notes(raw)
    checked.write(kept, (card, notes))
    return LoadedCard(card, path, hashlib.sha256(data).hexdigest(), notes), []


def _legacy_notes(raw: dict) -> tuple[str, ...]:
    """Old forms a file still uses: read as they were meant, but worth rewriting."""
    if "currency" not in raw or "currencies" in raw:
        return ()
    notes = [f'currency = "{raw["currency"]}" is the old form of currencies = '
             f'["{raw["currency"]}"]']
    if "example_prices" in raw:
        notes.append("example_prices marks every price of the card; mark each example "
                     "figure instead (example = true or a list of figures)")
    if any("utc_offset" in (p.get("service_hours") or {}) for p in raw.get("packages") or []
           if isinstance(p, dict)):
        notes.append("utc_offset is ignored: the offset follows from time_zone on each date")
    if isinstance(raw.get("points"), dict) and "tier_pricing" not in raw["points"]:
        notes.append('points are read with tier_pricing = "volume"; say so, or "graduated"')
    return tuple(notes)


# A top-level key line ``id = "otrs"`` (white space and a comment allowed).
_ID_LINE = re.compile(rb'id[ \t]*=[ \t]*"([^"\\]*)"[ \t]*(?:#.*)?')


def declared_id(data: bytes) -> str | None:
    """The card id a rate file gives in its top-level ``id = "..."`` line, read from the
    lines before its first table without parsing the file; None where that is not plain
    (a table, a multi-line string or another spelling of the key first): such a file is
    parsed to know.

    In a file that is valid TOML the line found is the card's ``id`` key: before the
    first ``[table]`` header every line is a key of the top level, a comment, or part of
    a multi-line array or string, and an array's items cannot look like ``id = "..."``.
    """
    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith(b"#"):
            continue
        if line.startswith(b"[") or b'"""' in line or b"'''" in line:
            return None
        match = _ID_LINE.fullmatch(line)
        if match:
            try:
                return match[1].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def load_rates(directory: Path | str | None = None, *, cards: Collection[str] | None = None,
               calendars: bool = True) -> RateBook:
    """Load every rate file below ``directory`` (default: the shipped rate cards).

    ``cards``: load only the versions of these card ids (files whose ``declared_id`` is
    another card's are skipped unread); when no file names any of them, every file is
    loaded, so that the caller can say which cards there are. ``calendars=False``: see
    ``parse_card``.

    Raises ``RateFileError`` listing all problems.
    """
    root = resources.rates_dir() if directory is None else Path(directory)
    if not root.is_dir():
        raise RateFileError([Problem(str(root), "", "rate folder not found")])
    files = [(file, file.read_bytes()) for file in sorted(root.rglob("*.toml"))]
    if cards is not None:
        declared = [declared_id(data) for _, data in files]
        if any(card_id in cards for card_id in declared):
            files = [(file, data) for (file, data), card_id in zip(files, declared, strict=True)
                     if card_id is None or card_id in cards]
    problems: list[Problem] = []
    book = RateBook()
    seen: dict[tuple[str, str], str] = {}
    for file, data in files:
        shown = _shown_path(file)
        loaded, found = parse_card(data, shown, calendars=calendars)
        problems.extend(found)
        if loaded is None:
            continue
        if cards is not None and declared_id(data) is None and loaded.card.id not in cards:
            continue  # parsed only to learn its id
        key = (loaded.card.id, loaded.card.version)
        if key in seen:
            problems.append(
                Problem(shown, "version", f"{key[0]} version {key[1]} is also in {seen[key]}")
            )
            continue
        seen[key] = shown
        book.versions.setdefault(loaded.card.id, []).append(loaded)
    for card_id, versions in book.versions.items():
        versions.sort(key=lambda v: v.card.effective_from)
        dates = [v.card.effective_from for v in versions]
        if len(set(dates)) != len(dates):
            problems.append(
                Problem(versions[0].path, "effective_from",
                        f"two versions of {card_id} take effect on the same date")
            )
    if not problems and not book.versions:
        problems.append(Problem(str(root), "", "holds no rate card (*.toml)"))
    if problems:
        raise RateFileError(problems)
    return book


def _shown_path(file: Path) -> str:
    try:
        return str(file.relative_to(Path.cwd()))
    except ValueError:
        return str(file)
