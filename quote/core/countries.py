"""Countries: ISO 3166 alpha-2 codes and their names, from Babel's territory data.

A customer's country may be written as its code ("DE", "de") or, on a quote form,
as its name in English, German or Russian ("Germany", "Deutschland", "Германия").
Names are shown in the reader's language (``country_name``), never as typed.
Babel's data is read on first use, not when the module is imported.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.core import get_global

LANGUAGES = ("en", "de", "ru")
# Two-letter codes in Babel's territory list that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166 alpha-2 codes Babel knows: the territories of its language data, the
    same codes as an English territory list has, read from Babel's global data (which
    the amounts' rounding loads anyway) rather than a language's (``tests/unit/
    test_countries.py``)."""
    return frozenset(code for code in get_global("territory_languages")
                     if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in country_codes():
                names.setdefault(name.casefold(), code)
    return names


def country_code(text: str, *, by_name: bool = False) -> str | None:
    """The upper-case ISO code for ``text`` ("de", "DE"), None if it is none.

    ``by_name``: a country's name in English, German or Russian is taken too
    ("Germany", "Deutschland", "Германия"), as typed on a quote form.
    """
    text = text.strip()
    if text.upper() in country_codes():
        return text.upper()
    if by_name:
        return _country_names().get(" ".join(text.split()).casefold())
    return None


def country_name(code: str, language: str) -> str:
    """The country's name in ``language`` ("Deutschland", "Германия"); the code if Babel
    has no name for it."""
    return _territories(language if language in LANGUAGES else "en").get(code, code)


@cache
def _territories(language: str):
    return Locale(language).territories
