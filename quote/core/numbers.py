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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache, partial

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

# Babel quantizes in the default context (half-even); a wider one gives the same
# digits for every amount Babel can format and does not fail on longer ones. Babel
# normalizes before it quantizes; in a context of 60 digits that changes no amount of at
# most 60 digits (every amount the core makes), so money is quantized at once.
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

    @property
    def thousands(self) -> bool:
        """Groups of three digits throughout: Python's own grouping (``,``) does them."""
        return self.primary == self.secondary == 3

    def marks(self) -> Callable[[str], str]:
        """A function turning Python's group and decimal marks ("1,234.50") into the
        locale's (``str.replace`` is several times faster than ``str.translate`` here)."""
        group, decimal = self.group, self.decimal
        if (group, decimal) == (",", "."):
            return str
        if group not in ",.":  # nothing to swap: "," becomes the group mark, then "."
            return lambda text: text.replace(",", group).replace(".", decimal)
        return lambda text: (text.replace(",", "\0").replace(".", decimal)
                             .replace("\0", group))


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


@lru_cache(maxsize=256)
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
    return money_writer(currency, locale)(amount)


@lru_cache(maxsize=256)
def money_writer(currency: str, locale: Locale) -> Callable[[Decimal], str]:
    """A function writing amounts in ``currency`` as ``money`` does, the format worked out
    once (callers keep it: looking it up again hashes the locale)."""
    fmt = _money_format(currency, locale)
    if fmt is None:
        return partial(_babel_money, currency=currency, locale=locale)
    rounded = _rounded_writer(fmt)
    if not fmt.thousands or not 0 < fmt.digits < fmt.primary:
        return rounded
    # Most amounts come rounded to the minor unit already (every line, total and annual
    # fee): Python's own text of such an amount ("48,250.00") has the decimal point
    # exactly ``digits`` places from its end, and quantizing it would change nothing. A
    # grouping mark never stands there (``digits < primary``), so that place tells such an
    # amount from any other; those, and negative amounts, are rounded as Babel rounds.
    (prefix, minus), (suffix, after_minus) = fmt.prefixes, fmt.suffixes
    point = -fmt.digits - 1
    # A negative amount reads as Python writes its sign ("-1.234,00 €") where the format
    # only puts "-" before it (no symbol in front): then the sign needs no look.
    signed = prefix == "" and minus == "-" and suffix == after_minus
    marks = fmt.marks()  # Python's group and decimal marks to the locale's

    def write(amount: Decimal) -> str:
        text = format(amount, ",f")
        try:
            if text[point] == "." and (signed or text[0] != "-"):
                return prefix + marks(text) + suffix
        except IndexError:  # fewer characters than a point and its decimals
            pass
        return rounded(amount)
    return write


def _rounded_writer(fmt: _Format) -> Callable[[Decimal], str]:
    """Amounts in ``fmt`` quantized to its minor unit first, as Babel does (half-even)."""
    prefixes, suffixes, quantum = fmt.prefixes, fmt.suffixes, fmt.quantum
    quantize = _CONTEXT.quantize  # what Babel's normalize() and quantize() give (see above)
    if fmt.thousands:
        marks = fmt.marks()  # Python's group and decimal marks to the locale's

        def write(amount: Decimal) -> str:
            negative = amount.is_signed()
            text = format(quantize(amount.copy_abs(), quantum), ",f")
            return prefixes[negative] + marks(text) + suffixes[negative]
        return write

    def write_grouped(amount: Decimal) -> str:
        negative = int(amount.is_signed())
        rounded = abs(amount).normalize(_CONTEXT).quantize(quantum, context=_CONTEXT)
        whole, _, fraction = f"{rounded:f}".partition(".")
        text = _group(whole, fmt)
        if fmt.digits:
            text += fmt.decimal + fraction.ljust(fmt.digits, "0")
        return prefixes[negative] + text + suffixes[negative]
    return write_grouped


def _babel_money(amount: Decimal, currency: str, locale: Locale) -> str:
    return format_currency(amount, currency, locale=locale)


@lru_cache(maxsize=64)
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
    return whole_writer(locale)(value)


@lru_cache(maxsize=64)
def whole_writer(locale: Locale) -> Callable[[int], str]:
    """A function writing whole numbers as ``whole`` does, the format worked out once."""
    fmt = _whole_format(locale)
    if fmt is None:
        return partial(format_decimal, locale=locale, decimal_quantization=False)
    (plus, minus), (after, after_minus) = fmt.prefixes, fmt.suffixes
    marks = fmt.marks() if fmt.thousands else None
    ungrouped = 10 ** fmt.primary  # below it no group mark: the days of a year, say

    def write(value: int) -> str:
        if not isinstance(value, int):
            return format_decimal(value, locale=locale, decimal_quantization=False)
        if 0 <= value < ungrouped:
            return plus + str(value) + after
        negative = value < 0
        digits = marks(format(-value if negative else value, ",")) if marks \
            else _group(str(abs(value)), fmt)
        return (minus if negative else plus) + digits + (after_minus if negative else after)
    return write


def percent(value: Decimal, locale: Locale) -> str:
    """``format_percent(value / 100, locale=locale, decimal_quantization=False)`` (a
    percentage given as "19" for 19 %): Babel's own text, kept per value and locale, as
    the same few percentages (the cards' and the usual taxes and discounts) recur."""
    return _percent(str(value), locale)  # the text keys it: 7.5 and 7.50 are equal numbers


@lru_cache(maxsize=2048)
def _percent(value: str, locale: Locale) -> str:
    return format_percent(Decimal(value) / 100, locale=locale, decimal_quantization=False)


@lru_cache(maxsize=64)
def percent_writer(locale: Locale) -> Callable[[Decimal], str]:
    """A function writing percentages as ``percent`` does, for one locale (callers keep it:
    looking the text up by value and locale hashes the locale)."""
    @lru_cache(maxsize=1024)
    def write(value: str) -> str:
        return _percent(value, locale)
    return lambda value: write(str(value))
