"""Languages of the pages: choosing one, and reading numbers typed in it.

The page language comes from ``?lang=`` (remembered in the session by the
public pages), then the session, then the browser's Accept-Language.

Numbers typed into the form are read as people type them, and never guessed:
"12.000,50" and "12 000,50" (de), "12 000,50" (ru; also with a no-break or
narrow no-break space) and "12,000.50" or "12 000.50" (en) are the same
amount. A space always groups digits; where a dot and a comma both appear, the
last one is the decimal mark; a lone dot or comma is the decimal mark unless
three digits follow it ("12000.50" and "7,5" are read in every language). With
three digits after it, a lone mark groups where the page's language groups
with it ("12.000" in German is twelve thousand); elsewhere it could be read two
ways ("12.000" in English), and the message asks which was meant, naming both
in the page's language. Every message is a sentence that names the field.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal, get_group_symbol
from flask import has_request_context, request, session
from flask_babel import Babel, gettext

from ..core.describe import day, full_stop, locale_of
from ..core.errors import N_
from ..core.request import MAX_AMOUNT
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "ru": "Русский"}
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007]")
_MINUS = "-\u2212\u2012\u2013"
_NUMBER = re.compile(r"[0-9]+(?:[ .,][0-9]+)*")
EXAMPLE = Decimal("12000.50")
MAX_ENTRY_DECIMALS = 4


class AmountEntryError(ValueError):
    """A typed number that cannot be read; ``template`` is marked for translation and
    names the field as ``%(field)s``."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % {"field": "", **params})

    def translated(self, gettext, field: str) -> str:
        """The message in the active language, naming ``field`` (its label)."""
        return gettext(self.template) % {"field": field, **self.params}


def example_amount(language: str) -> str:
    """How 12000.50 is written in ``language``: "12.000,50" in German."""
    return format_decimal(EXAMPLE, format="#,##0.00", locale=locale_of(language))


def parse_local_amount(text: str, language: str) -> Decimal | None:
    """The amount typed as ``text`` in ``language``; None for an empty entry.

    Raises ``AmountEntryError`` for anything that is not a non-negative number, or
    that could be read two ways (the error then names both readings).
    """
    entry = _SPACES.sub(" ", text.strip())
    if not entry:
        return None
    if entry[0] in _MINUS and _NUMBER.fullmatch(entry[1:].lstrip()):
        raise AmountEntryError(N_("“%(field)s” must not be negative."))
    if not _NUMBER.fullmatch(entry):
        raise AmountEntryError(N_("“%(field)s” is not a number. Write it like %(example)s."),
                               example=example_amount(language))
    digits = re.split(r"[ .,]", entry)
    marks = re.findall(r"[ .,]", entry)
    decimal_mark = _decimal_mark(entry, marks, digits, language)
    if decimal_mark is None:
        whole, fraction = digits, ""
    else:
        whole, fraction = digits[:-1], digits[-1]
    if not _grouped_in_threes(whole):
        raise AmountEntryError(
            N_("The separators in “%(field)s” are not where they belong. "
               "Write it like %(example)s."), example=example_amount(language))
    return _within_entry_bounds(Decimal("".join(whole) + ("." + fraction if fraction else "")),
                                language)


def unfinished_amount(text: str, language: str) -> bool:
    """Whether ``text`` could still become an amount as more digits are typed ("12.",
    "12 0", or nothing yet): a field being typed into shows no error for it."""
    for more in ("0", "00", "000", "0000"):
        try:
            parse_local_amount(text + more, language)
        except AmountEntryError:
            continue
        return True
    return False


def _decimal_mark(entry: str, marks: list[str], digits: list[str],
                  language: str) -> str | None:
    """Which mark of ``entry`` is its decimal mark (None: it has none).

    A space always groups. Where both a dot and a comma appear, the last is the
    decimal mark. A lone dot or comma is the decimal mark unless exactly three digits
    follow it and what comes before could be a group; then it groups where the page's
    language groups with it ("12.000" in German), and in any other language the entry
    can be read two ways ("12.000" in English: twelve, or twelve thousand).
    """
    points = [mark for mark in marks if mark in ".,"]
    if not points:
        return None
    last = points[-1]
    if len(set(points)) == 2:
        if points.count(last) > 1 or marks[-1] != last:
            raise AmountEntryError(
                N_("The separators in “%(field)s” are not where they belong. "
                   "Write it like %(example)s."), example=example_amount(language))
        return last
    if len(points) > 1:
        return None  # "1.000.000": a mark seen twice groups
    if marks[-1] != last:  # "12,000 000"
        return None
    if len(digits[-1]) != 3 or not _grouped_in_threes(digits):
        return last
    if last == get_group_symbol(locale_of(language)):
        return None
    grouped = Decimal("".join(digits))
    point = Decimal("".join(digits[:-1]) + "." + digits[-1])
    raise AmountEntryError(
        N_("“%(entry)s” in “%(field)s” can be read two ways: did you mean %(grouped)s or "
           "%(point)s?"), entry=entry, grouped=format_amount_for_entry(grouped, language),
        point=_unmistakable(point, language))


def _unmistakable(value: Decimal, language: str) -> str:
    """``value`` (which has three decimals) written so that it cannot be read as a
    thousands group: without its trailing zeros ("12" for 12.000), or with four
    decimals ("1,2340")."""
    shorter = value.normalize()
    if -shorter.as_tuple().exponent == 3:
        shorter = shorter.quantize(Decimal("0.0001"))
    return format_amount_for_entry(shorter, language)


def _grouped_in_threes(parts: list[str]) -> bool:
    """Whether ``parts`` (digit runs between grouping marks) are a number's groups: a
    first group of one to three digits (no leading zero unless it is 0 alone), then
    groups of three."""
    if len(parts) == 1:
        return True
    first = parts[0]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(p) == 3 for p in parts[1:])


def _within_entry_bounds(value: Decimal, language: str) -> Decimal:
    """``value`` if it has at most 12 whole digits and 4 decimals (what any amount or
    percentage can have); bounded here, before anything formats it again."""
    if value > MAX_AMOUNT:
        raise AmountEntryError(N_("“%(field)s” must be at most %(largest)s."),
                               largest=format_amount_for_entry(MAX_AMOUNT, language))
    if -value.as_tuple().exponent > MAX_ENTRY_DECIMALS:
        raise AmountEntryError(N_("“%(field)s” can have at most 4 decimals."))
    return value


def format_amount_for_entry(value: Decimal, language: str) -> str:
    """A decimal as a person writing ``language`` would type it back ("12.000,5")."""
    decimals = max(0, -value.as_tuple().exponent)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_of(language))


# -- Flask side ------------------------------------------------------------


def pick_language(args, session, accept_languages) -> str:
    asked = args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = session.get("lang") if session is not None else None
    if remembered in LANGUAGES:
        return remembered
    return accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    public = not request.path.startswith("/api/")
    return pick_language(request.args, session if public else None, request.accept_languages)


def error_text(error) -> str:
    """A field error of the core, the store or the lifecycle in the page's language, its
    dates written as the page writes them ("1. Januar 2027", never "2027-01-01")."""
    language = current_language()
    return error.translated(gettext, lambda value: day(value, language))


def init_app(app) -> None:
    Babel(app, locale_selector=current_language)
    app.add_template_filter(full_stop)

    @app.context_processor
    def _language():
        return {"page_language": current_language(), "language_names": LANGUAGE_NAMES}
