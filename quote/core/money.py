"""Money: exact decimal amounts and the one rounding rule.

The rounding rule of the whole product, stated once:

    Every amount that is charged (each line of a quote, the discount and the
    tax) is rounded half-up to the currency's minor unit (2 decimals for EUR,
    as Babel's currency data gives). Intermediate figures inside a line (a
    percentage of a license value, a pro-rated share of a contract year) are
    kept exact and rounded once, when the line's amount is made. Subtotals and
    totals are sums of rounded amounts, so they never need rounding.

Amounts enter the system as strings and are parsed straight to ``Decimal``; a
float never touches a price.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from operator import methodcaller

from babel.numbers import get_currency_precision

from .errors import N_

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Arithmetic context for intermediate products: wide enough that no figure the
# bounds of a request allow is ever rounded before ``round_money``.
_EXACT = decimal.Context(prec=60, rounding=ROUND_HALF_UP, traps=[decimal.InvalidOperation])


class AmountError(ValueError):
    """A text that is not an acceptable amount; the message says why."""


@cache
def minor_units(currency: str) -> int:
    """Number of decimals of the currency's minor unit (EUR: 2, JPY: 0)."""
    return get_currency_precision(currency)


@cache
def minor_unit(currency: str) -> Decimal:
    """The currency's smallest amount, written with its decimals (EUR: 0.01, JPY: 1)."""
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(value: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit: the product's one rounding rule."""
    return value.quantize(minor_unit(currency), context=_EXACT)  # _EXACT rounds half-up


@cache
def rounder(currency: str) -> Callable[[Decimal], Decimal]:
    """``round_money`` for one currency, as one call made in C (the loops that round
    many amounts of one quote take it once): ``rounder(currency)(value)`` is
    ``round_money(value, currency)``, the same quantization in the same context
    (``tests/unit/test_properties.py`` compares the two)."""
    return methodcaller("quantize", minor_unit(currency), context=_EXACT)


def percent_of(percent: Decimal, base: Decimal) -> Decimal:
    """``percent`` % of ``base``, exact (not rounded)."""
    return _EXACT.divide(_EXACT.multiply(percent, base), HUNDRED)


def ratio(value: Decimal, numerator: int, denominator: int) -> Decimal:
    """``value`` × numerator / denominator, exact to 60 digits (not rounded)."""
    return _EXACT.divide(_EXACT.multiply(value, numerator), denominator)  # ints exactly


def uplift(base: Decimal, percent: Decimal, year: int) -> Decimal:
    """What year ``year`` (1-based) of a term escalated by ``percent`` a year costs more
    than ``base``: base × (1 + percent/100)^(year − 1) − base, exact (not rounded)."""
    factor = _EXACT.power(_EXACT.add(Decimal(1), _EXACT.divide(percent, HUNDRED)), year - 1)
    return _EXACT.subtract(_EXACT.multiply(base, factor), base)


def parse_decimal(text: str, *, max_decimals: int | None = None) -> Decimal:
    """Parse a plain decimal string such as ``"12000.50"``.

    Refused, each with a reason: empty text, signs other than a leading minus,
    exponents, NaN and infinities, thousands separators, and more decimals
    than ``max_decimals``. Negative values are parsed; callers decide whether
    they are allowed.
    """
    if not isinstance(text, str):
        raise AmountError(N_('must be a decimal string such as "1200.50"'))
    stripped = text.strip()
    if not stripped:
        raise AmountError(N_("must not be empty"))
    body = stripped[1:] if stripped[0] == "-" else stripped
    integer, dot, fraction = body.partition(".")
    if not body or not (integer or fraction) or not all(
        part.isascii() and (part.isdigit() or part == "") for part in (integer, fraction)
    ) or (dot and not fraction):
        raise AmountError(N_(
            "must be a plain decimal number with a dot for decimals, such as \"1200.50\""
        ))
    if max_decimals is not None and len(fraction) > max_decimals:
        if max_decimals == 0:
            raise AmountError(N_("must be a whole number"))
        raise AmountError(f"must have at most {max_decimals} decimals")
    return Decimal(stripped)


def format_plain(value: Decimal, currency: str) -> str:
    """The amount as a plain decimal string with the currency's decimals ("1200.50")."""
    return str(round_money(value, currency))
