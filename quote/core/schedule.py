"""The billing schedule: what an offer charges in each contract year, and when it is due.

Finance invoices a contract year by year (``annual`` billing) or the whole term
at once (``prepaid``); either way it needs the amount of each contract year.
Every line of a quote knows the exact (unrounded) part it charges in each
contract year; the schedule adds those parts up per year.

Rounding (the product's one rule, ``round_money``, applied as follows): a line's
share of a year is its running total up to that year, rounded, minus the
rounded running total before that year; the line's last year takes what is
left of the line's amount. Shares are never negative for a line that charges,
and they add up to the line exactly. The discount and the tax are split the
same way, by the exact percentage of each year's amount (resp. net). So the
years always add up to the offer's subtotal, discount, net, tax and total to
the cent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from .money import ZERO, percent_of, round_money


class Slot(NamedTuple):
    """A period an offer charges for: a contract year of the term (1-based), or, with
    ``year`` None, the uncovered days before it (back-support of a reinstatement).

    A tuple, so that its hash (it keys the parts of every line) is the tuple's own."""

    year: int | None
    start: dt.date
    end: dt.date
    due: dt.date


# The exact amounts one line charges per slot.
Parts = dict[Slot, Decimal]


class Shares(dict):
    """A line's parts that are amounts of the currency already (each rounded, adding up to
    the line's amount, such as a yearly fee): they are the line's shares as they stand,
    which the schedule would otherwise work out by rounding running totals."""

    __slots__ = ()


def _shares(amount: Decimal, exact: dict[Slot, Decimal], currency: str) -> dict[Slot, Decimal]:
    """``amount`` split by the exact parts: each share is the rounded running total minus
    the rounded running total before it, and the last takes what is left of ``amount``."""
    if len(exact) == 1:  # most lines charge one year, or the whole term at once
        return {slot: amount for slot in exact}
    slots = sorted(exact, key=_order)
    shares: dict[Slot, Decimal] = {}
    running, shown = ZERO, ZERO
    for slot in slots[:-1]:
        running += exact[slot]
        rounded = round_money(running, currency)
        shares[slot] = rounded - shown
        shown = rounded
    if slots:
        shares[slots[-1]] = amount - shown
    return shares


# Slots in the order they are charged: the uncovered days before the term come first and
# contract years follow in turn, so their first days order them (no two share one).
_order = itemgetter(1)


class YearTotals(NamedTuple):
    slot: Slot
    amount: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def schedule(lines: list[tuple[Decimal, Parts]], discount_percent: Decimal, discount: Decimal,
             tax_percent: Decimal, tax: Decimal, currency: str) -> list[YearTotals]:
    """The per-slot totals of priced lines given as (amount, exact parts per slot)."""
    amounts: dict[Slot, Decimal] = {}
    get = amounts.get
    for amount, parts in lines:
        if len(parts) <= 1:  # a line of one year, or of the whole term at once
            for slot in parts:
                amounts[slot] = get(slot, ZERO) + amount
            continue
        if type(parts) is Shares:  # rounded already: the shares as they stand
            for slot, share in parts.items():
                amounts[slot] = get(slot, ZERO) + share
            continue
        # its shares, as ``_shares`` makes them, added up per slot as they are made
        slots = sorted(parts, key=_order)
        last = slots.pop()
        running, shown = ZERO, ZERO
        for slot in slots:
            running += parts[slot]
            rounded = round_money(running, currency)
            amounts[slot] = get(slot, ZERO) + (rounded - shown)
            shown = rounded
        amounts[last] = get(last, ZERO) + (amount - shown)
    slots = sorted(amounts, key=_order)
    if len(slots) == 1:  # one slot takes the whole discount and tax
        (slot,) = slots
        net = amounts[slot] - discount
        return [YearTotals(slot, amounts[slot], discount, net, tax, net + tax)]
    discounts = _shares(discount, {s: percent_of(discount_percent, amounts[s]) for s in slots},
                        currency) if discount else dict.fromkeys(slots, discount)
    nets = {s: amounts[s] - discounts[s] for s in slots}
    taxes = _shares(tax, {s: percent_of(tax_percent, nets[s]) for s in slots}, currency) \
        if tax else dict.fromkeys(slots, tax)
    return [YearTotals(s, amounts[s], discounts[s], nets[s], taxes[s], nets[s] + taxes[s])
            for s in slots]
