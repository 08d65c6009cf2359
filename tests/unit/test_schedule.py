"""A line whose yearly parts are rounded amounts already (``Shares``, such as a yearly fee)
is added to the billing schedule as it stands: the same years, to the same digits, as
when the schedule works its shares out by rounding running totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from quote.core.contract import contract_years
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
