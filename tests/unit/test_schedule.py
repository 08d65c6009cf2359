"""The billing schedule's rounding, digit for digit: a line whose yearly parts are rounded
amounts already (``Shares``, such as a yearly fee) is added as it stands, the same as when
the schedule works its shares out by rounding running totals; the discount and the tax
are split over the years by the rule the schedule states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from quote.core.contract import contract_years
from quote.core.money import percent_of, round_money
from quote.core.schedule import Shares, Slot, schedule

CENTS = st.integers(0, 10**14).map(lambda cents: Decimal(cents).scaleb(-2))


def _written(entries) -> list[tuple[str, ...]]:
    return [(str(e.slot.year), *(str(figure) for figure in e[1:])) for e in entries]


@given(fees=st.lists(CENTS, min_size=1, max_size=10), exact=st.lists(
    st.decimals(min_value=0, max_value=10**9, places=8), min_size=1, max_size=10),
    discount=st.sampled_from(["0", "7.5", "12.3456"]), tax=st.sampled_from(["0", "19", "20"]),
    currency=st.sampled_from(["EUR", "JPY"]))
def test_rounded_parts_are_their_own_shares(fees, exact, discount, tax, currency):
    if currency == "JPY":
        fees = [fee.quantize(Decimal(1)) for fee in fees]
    years = contract_years(dt.date(2028, 2, 29), max(len(fees), len(exact)))
    slots = [Slot(y.index + 1, y.start, y.end, y.start) for y in years]
    fee_parts = dict(zip(slots, fees, strict=False))
    amount = sum(fee_parts.values(), Decimal(0))
    exact_parts = dict(zip(slots, exact, strict=False))
    exact_amount = sum(exact_parts.values(), Decimal(0)).quantize(
        Decimal(1) if currency == "JPY" else Decimal("0.01"))
    subtotal = amount + exact_amount
    discount_percent, tax_percent = Decimal(discount), Decimal(tax)
    discount_amount = (subtotal * discount_percent / 100).quantize(Decimal("0.01"))
    if currency == "JPY":
        discount_amount = discount_amount.quantize(Decimal(1))
    net = subtotal - discount_amount
    tax_amount = (net * tax_percent / 100).quantize(
        Decimal(1) if currency == "JPY" else Decimal("0.01"))

    def billed(parts):
        return _written(schedule([(amount, parts), (exact_amount, exact_parts)],
                                 discount_percent, discount_amount, tax_percent, tax_amount,
                                 currency))

    assert billed(Shares(fee_parts)) == billed(dict(fee_parts))


@given(amounts=st.lists(CENTS, min_size=2, max_size=10),
       discount=st.decimals(min_value=0, max_value=100, places=4),
       tax=st.sampled_from(["0", "7", "19", "20", "25.5"]),
       currency=st.sampled_from(["EUR", "JPY"]))
def test_the_discount_and_the_tax_are_split_by_rounded_running_totals(amounts, discount, tax,
                                                                     currency):
    """The rule as the schedule states it, worked out with the money helpers: each year's
    share is the running total of the exact percentages rounded, minus the one before; the
    last year takes what is left."""
    if currency == "JPY":
        amounts = [amount.quantize(Decimal(1)) for amount in amounts]
    years = contract_years(dt.date(2027, 3, 1), len(amounts))
    slots = [Slot(y.index + 1, y.start, y.end, y.start) for y in years]
    subtotal = sum(amounts, Decimal(0))
    tax_percent = Decimal(tax)
    discount_amount = round_money(percent_of(discount, subtotal), currency)
    net = subtotal - discount_amount
    tax_amount = round_money(percent_of(tax_percent, net), currency)

    def split(total, percent, bases):
        shares, running, shown = [], Decimal(0), Decimal(0)
        for base in bases[:-1]:
            running += percent_of(percent, base)
            shares.append(round_money(running, currency) - shown)
            shown = round_money(running, currency)
        return [*shares, total - shown]

    discounts = split(discount_amount, discount, amounts)
    nets = [amount - part for amount, part in zip(amounts, discounts, strict=True)]
    taxes = split(tax_amount, tax_percent, nets)
    expected = [(str(slot.year), str(amount), str(part), str(net_part), str(tax_part),
                 str(net_part + tax_part))
                for slot, amount, part, net_part, tax_part
                in zip(slots, amounts, discounts, nets, taxes, strict=True)]
    billed = schedule([(amount, {slot: amount}) for slot, amount in zip(slots, amounts,
                                                                        strict=True)],
                      discount, discount_amount, tax_percent, tax_amount, currency)
    assert _written(billed) == expected
