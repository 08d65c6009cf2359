"""Money and whole numbers in words, as Babel writes them, without Babel's cost per call.

Babel's ``format_currency`` re-reads the locale's pattern, symbols and the
currency's name on every call; a quote formats dozens of amounts. Here the
format of each (currency, language) and each language's grouping is worked out
once from Babel's own data, and applying it is plain string work. The output is
byte for byte Babel's (``tests/unit/test_numbers.py`` compares them over many
random amounts, every currency the rate cards use and every language); a
pattern this module does not handle (a currency name in the pattern,
significant digits, exponents) is left to Babel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import cache

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

# Babel quantizes in the default context (half-even); a wider one gives the same
# digits for every amount Babel can format and does not fail on longer ones.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN)
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class _Format:
    prefixes: tuple[str, str]  # positive, negative
    suffixes: tuple[str, str]
    group: str
    decimal: str
    primary: int
    secondary: int
    digits: int
    quantum: Decimal


def _unquote(text: str) -> str:
    return _QUOTED.sub(lambda m: m.group(1) or "'", text)


def _group(digits: str, fmt: _Format) -> str:
    size, parts = fmt.primary, []
    while len(digits) > size:
        parts.append(digits[-size:])
        digits = digits[:-size]
        size = fmt.secondary
    parts.append(digits)
    return fmt.group.join(reversed(parts))


@cache
def _money_format(currency: str, locale: Locale) -> _Format | None:
    pattern = locale.currency_formats["standard"]
    affixes = (*pattern.prefix, *pattern.suffix)
    if pattern.exp_prec or "@" in pattern.pattern or pattern.scale \
            or any("¤¤¤" in a for a in affixes) or pattern.int_prec[0] != 1:
        return None
    symbol = get_currency_symbol(currency, locale)

    def fill(affix: str) -> str:
        return _unquote(affix.replace("¤¤", currency.upper()).replace("¤", symbol))

    digits = get_currency_precision(currency)
    return _Format(
        prefixes=(fill(pattern.prefix[0]), fill(pattern.prefix[1])),
        suffixes=(fill(pattern.suffix[0]), fill(pattern.suffix[1])),
        group=get_group_symbol(locale), decimal=get_decimal_symbol(locale),
        primary=pattern.grouping[0], secondary=pattern.grouping[1], digits=digits,
        quantum=Decimal(1).scaleb(-digits),
    )


def money(amount: Decimal, currency: str, locale: Locale) -> str:
    """``format_currency(amount, currency, locale=locale)``, byte for byte."""
    fmt = _money_format(currency, locale)
    if fmt is None:
        return format_currency(amount, currency, locale=locale)
    negative = int(amount.is_signed())
    rounded = abs(amount).normalize(_CONTEXT).quantize(fmt.quantum, context=_CONTEXT)
    whole, _, fraction = f"{rounded:f}".partition(".")
    text = _group(whole, fmt)
    if fmt.digits:
        text += fmt.decimal + fraction.ljust(fmt.digits, "0")
    return fmt.prefixes[negative] + text + fmt.suffixes[negative]


@cache
def _whole_format(locale: Locale) -> _Format | None:
    pattern = locale.decimal_formats[None]
    if pattern.exp_prec or "@" in pattern.pattern or pattern.scale \
            or pattern.int_prec[0] != 1 or any("'" in a for a in (*pattern.prefix,
                                                                   *pattern.suffix)):
        return None
    return _Format(prefixes=pattern.prefix, suffixes=pattern.suffix,
                   group=get_group_symbol(locale), decimal=get_decimal_symbol(locale),
                   primary=pattern.grouping[0], secondary=pattern.grouping[1], digits=0,
                   quantum=Decimal(1))


def whole(value: int, locale: Locale) -> str:
    """``format_decimal(value, locale=locale)`` for a whole number, byte for byte."""
    fmt = _whole_format(locale)
    if fmt is None or not isinstance(value, int):
        return format_decimal(value, locale=locale, decimal_quantization=False)
    negative = int(value < 0)
    return fmt.prefixes[negative] + _group(str(abs(value)), fmt) + fmt.suffixes[negative]
