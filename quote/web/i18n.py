"""Languages of the pages: choosing one, and reading numbers typed in it.

The page language comes from ``?lang=`` (remembered in the session by the
public pages), then the session, then the browser's Accept-Language.

Numbers typed into the form are read in the page's language and never
guessed: "12.000,50" (de), "12 000,50" (ru; also with a no-break or narrow
no-break space) and "12,000.50" (en) are the same amount. A grouping
separator in the wrong place ("1.5" in German) or a character the language
does not use for numbers ("12.000,50" in Russian) is refused with a message.
In English "12.000" is twelve with three decimals (and refused for EUR by the
pricing core): a dot is always the decimal point there.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from flask import has_request_context, request, session
from flask_babel import Babel, gettext

from ..core.describe import day, full_stop, locale_of
from ..core.errors import N_
from ..core.request import MAX_AMOUNT
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "ru": "Русский"}
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007]")
EXAMPLE = Decimal("12000.50")
MAX_ENTRY_DECIMALS = 4


class AmountEntryError(ValueError):
    """A typed number that cannot be read; ``template`` is marked for translation."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % self.params if self.params else text


def example_amount(language: str) -> str:
    """How 12000.50 is written in ``language``: "12.000,50" in German."""
    return format_decimal(EXAMPLE, format="#,##0.00", locale=locale_of(language))


def parse_local_amount(text: str, language: str) -> Decimal | None:
    """The amount typed as ``text`` in ``language``; None for an empty entry.

    Raises ``AmountEntryError`` for anything that is not unambiguously a
    non-negative number written the way ``language`` writes numbers.
    """
    locale = locale_of(language)
    entry = text.strip()
    if not entry:
        return None
    decimal_symbol = get_decimal_symbol(locale)
    group_symbol = get_group_symbol(locale)
    if _SPACES.match(group_symbol):
        entry = _SPACES.sub(group_symbol, entry)
    allowed = set("0123456789") | {decimal_symbol, group_symbol}
    if entry.startswith("-"):
        raise AmountEntryError(N_("must not be negative"))
    if any(char not in allowed for char in entry) or not entry[0].isdigit() \
            or not entry[-1].isdigit():
        raise AmountEntryError(N_("is not a number; write it like %(example)s"),
                          example=example_amount(language))
    if entry.count(decimal_symbol) > 1:
        raise AmountEntryError(N_("is not a number; write it like %(example)s"),
                          example=example_amount(language))
    try:
        value = parse_decimal(entry, locale=locale, strict=True)
    except NumberFormatError:
        raise AmountEntryError(
            N_("is ambiguous: the separators are not where they belong; "
               "write it like %(example)s"), example=example_amount(language),
        ) from None
    return _within_entry_bounds(value)


def _within_entry_bounds(value: Decimal) -> Decimal:
    """``value`` if it has at most 12 whole digits and 4 decimals (what any amount or
    percentage can have); bounded here, before anything formats it again."""
    if value > MAX_AMOUNT:
        raise AmountEntryError(N_("must be at most 999999999999"))
    if -value.as_tuple().exponent > MAX_ENTRY_DECIMALS:
        raise AmountEntryError(N_("must have at most 4 decimals"))
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
