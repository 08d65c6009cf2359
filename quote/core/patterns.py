"""Regular expressions for the texts of a quote request.

The request's validators match against these expressions and the API's JSON
Schema publishes them, so what the server accepts and what its document says
cannot drift apart.

Amounts are plain decimal strings: digits, optionally a dot and further
digits; no sign, no spaces, no leading zeros ("0.5", never ".5", "00.5" or
"-0"), no exponent. JSON Schema cannot compare numbers written as strings, so
``decimal_pattern`` bounds them digit by digit: the expression for the plain
decimals from 0 to a maximum with at most so many decimals.

Every expression is anchored with ``^`` and ``$`` and uses only what ECMA-262
(JSON Schema's dialect), Python's ``re`` and Rust's ``regex`` read alike:
character classes with ``\\xHH`` and ``\\uHHHH`` escapes, groups, alternation
and counted repetition. Python code matches them with ``re.fullmatch`` (in
Python ``$`` also matches before a final newline).
"""

from __future__ import annotations

from decimal import Decimal

# Control characters (C0 and DEL); refused in every text of a request.
CONTROL = r"\x00-\x1f\x7f"
# The white space Python's str.isspace() knows beyond the control characters.
SPACE = r" \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# A text without control characters (customer texts).
TEXT_PATTERN = rf"^[^{CONTROL}]*$"
# Empty, or one "@" with a dot after it, and no white space or control character.
EMAIL_PATTERN = rf"^([^@{CONTROL}{SPACE}]*@[^@{CONTROL}{SPACE}]*\.[^@{CONTROL}{SPACE}]*)?$"
# A reason: a text without control characters, with something besides white space.
REASON_PATTERN = rf"^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
# An ISO date (YYYY-MM-DD) of the years 2000 to 2099; whether the day exists in
# the calendar is JSON Schema's "format": "date".
DATE_PATTERN = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"
# A number without sign or exponent, the form every amount is checked in.
PLAIN_NUMBER_PATTERN = r"^(0|[1-9][0-9]*)(\.[0-9]+)?$"


def decimal_pattern(maximum: Decimal | int, decimals: int | None = None) -> str:
    """The plain decimal strings from 0 to ``maximum`` with at most ``decimals`` decimals.

    ``decimals=None`` allows any number of decimals. A value equal to the maximum
    may be written with trailing zeros ("15.00" for 15).
    """
    if maximum < 0:
        raise ValueError("the maximum of a decimal pattern must not be negative")
    if decimals is not None and decimals < 0:
        raise ValueError("decimals must not be negative")
    integer, _, fraction = format(Decimal(maximum), "f").partition(".")
    integer = integer.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    any_fraction = ("" if decimals == 0 else r"(\.[0-9]+)?" if decimals is None
                    else rf"(\.[0-9]{{1,{decimals}}})?")
    alternatives = []
    below = _integers_below(integer)
    if below:
        alternatives.append(f"({'|'.join(below)}){any_fraction}")
    top = _fractions_up_to(fraction, decimals)
    alternatives.append(integer + (rf"(\.({'|'.join(top)}))?" if top else ""))
    return f"^({'|'.join(alternatives)})$"


def _digits(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def _any_digits(count: int) -> str:
    return "" if count == 0 else "[0-9]" if count == 1 else f"[0-9]{{{count}}}"


def _integers_below(limit: str) -> list[str]:
    """Alternatives for the integers below ``limit``, written without leading zeros."""
    length = len(limit)
    parts = []
    if length >= 2:  # every shorter number
        parts.append("0")
        parts.append("[1-9]" + (f"[0-9]{{0,{length - 2}}}" if length > 2 else ""))
    for index, digit in enumerate(map(int, limit)):  # as long, smaller at ``index``
        low = 1 if index == 0 and length > 1 else 0
        if digit > low:
            parts.append(limit[:index] + _digits(low, digit - 1)
                         + _any_digits(length - index - 1))
    return parts


def _fractions_up_to(limit: str, decimals: int | None) -> list[str]:
    """Alternatives for the digits after the dot of a fraction at most 0.``limit``.

    ``limit`` has no trailing zeros. Empty when no fraction may follow.
    """
    if decimals == 0:
        return []
    room = len(limit) if decimals is None else min(len(limit), decimals)
    parts = []
    for index in range(room):  # smaller at ``index``, anything after it
        digit = int(limit[index])
        if digit > 0:
            rest = "[0-9]*" if decimals is None else (
                f"[0-9]{{0,{decimals - index - 1}}}" if decimals - index - 1 > 0 else "")
            parts.append(limit[:index] + _digits(0, digit - 1) + rest)
    parts.extend(limit[:size] for size in range(1, room))  # a shorter start of the limit
    if decimals is None:
        zeros = "0*" if limit else "0+"
    else:
        spare = decimals - room
        zeros = ("" if spare == 0 else f"0{{0,{spare}}}" if limit else f"0{{1,{spare}}}")
    if limit or zeros:
        parts.append(limit[:room] + zeros)  # the limit itself, with trailing zeros
    return parts
