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

from .money import ZERO, percent_of, rounder


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
    round_ = rounder(currency)
    for amount, parts in lines:
        if len(parts) <= 1:  # a line of one year, or of the whole term at once
            for slot in parts:
                amounts[slot] = get(slot, ZERO) + amount
            continue
        if type(parts) is Shares:  # rounded already: the shares as they stand
            for slot, share in parts.items():
                amounts[slot] = get(slot, ZERO) + share
            continue
        # its shares (the rule above: rounded running totals, the last what is left),
        # added up per slot as they are made
        slots = sorted(parts, key=_order)
        last = slots.pop()
        running, shown = ZERO, ZERO
        for slot in slots:
            running += parts[slot]
            rounded = round_(running)
            amounts[slot] = get(slot, ZERO) + (rounded - shown)
            shown = rounded
        amounts[last] = get(last, ZERO) + (amount - shown)
    if len(amounts) == 1:  # one slot takes the whole discount and tax
        ((slot, amount),) = amounts.items()
        net = amount - discount
        return [YearTotals(slot, amount, discount, net, tax, net + tax)]
    slots = sorted(amounts, key=_order)
    years = [amounts[s] for s in slots]
    discounts = _split(discount, discount_percent, years, round_)
    nets = [amount - part for amount, part in zip(years, discounts, strict=True)]
    taxes = _split(tax, tax_percent, nets, round_)
    return [YearTotals(s, amount, part, net, tax_part, net + tax_part)
            for s, amount, part, net, tax_part
            in zip(slots, years, discounts, nets, taxes, strict=True)]


def _split(total: Decimal, percent: Decimal, bases: list[Decimal], round_) -> list[Decimal]:
    """``total`` (``percent`` % of the sum of ``bases``, rounded) split over the slots in
    order by the exact parts ``percent`` % of each base: each share the rounded running
    total minus the rounded running total before it, the last what is left of ``total``."""
    if not total:
        return [total] * len(bases)
    shares = []
    running, shown = ZERO, ZERO
    for base in bases[:-1]:
        running += percent_of(percent, base)
        rounded = round_(running)
        shares.append(rounded - shown)
        shown = rounded
    shares.append(total - shown)
    return shares
