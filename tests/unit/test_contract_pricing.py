"""Rules 7 to 10: top-ups billed annually or prepaid, co-term or a separate term, moving a
running contract to another package, renewals with uplift and prepayment discount,
reinstatement of lapsed support, and the billing schedule. Figures worked out by hand.

bpm'online Business, on-site: 20 % of the license value, at least 500.00 a year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote.core.pricing import alternative_term, compare_moves
from quote.core.request import parse_request

from .helpers import bpm, priced, refused_fields

D = dt.date


def running(**overrides) -> dict:
    """A running 3-year contract from 2026-01-01 on 12,000.00 (annual fee 2,400.00),
    topped up by 6,000.00 on 2026-07-01 (annual fee 3,600.00: +1,200.00)."""
    data = bpm(kind="top_up", term_years=3, as_of="2026-06-15",
               additions=[{"date": "2026-07-01", "license_value": "6000.00"}])
    data.update(overrides)
    return data


def schedule_of(result) -> list[tuple]:
    return [(e.year, e.start, e.end, e.due, e.amount, e.total) for e in result.schedule]


# -- rule 7: top-ups -------------------------------------------------------------


def test_a_prepaid_top_up_runs_to_the_contract_s_end(book):
    # 1,200.00 × 184/365 (2026-07-01 to 2026-12-31) = 604.9315... + 1,200.00 + 1,200.00
    result = priced(book, running())
    assert [line.amount for line in result.lines] == [Decimal("3004.93")]
    assert result.total == Decimal("3004.93")
    assert result.annual_cost == Decimal("3600.00")
    assert schedule_of(result) == [
        (1, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), Decimal("604.93"),
         Decimal("604.93")),
        (2, D(2027, 1, 1), D(2027, 12, 31), D(2026, 7, 1), Decimal("1200.00"),
         Decimal("1200.00")),
        (3, D(2028, 1, 1), D(2028, 12, 31), D(2026, 7, 1), Decimal("1200.00"),
         Decimal("1200.00")),
    ]


def test_an_annual_top_up_runs_to_the_end_of_the_current_contract_year(book):
    result = priced(book, running(billing="annual"))
    assert result.total == Decimal("604.93")
    assert result.annual_cost == Decimal("3600.00")  # billed from contract year 2 on
    assert schedule_of(result) == [
        (1, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), Decimal("604.93"),
         Decimal("604.93"))]


def test_a_new_annual_term_is_due_year_by_year(book):
    result = priced(book, bpm(term_years=2, billing="annual", tax_percent="19",
                            tax_reason="the rate of the test"))
    assert [(e.due, e.amount, e.tax, e.total) for e in result.schedule] == [
        (D(2026, 1, 1), Decimal("2400.00"), Decimal("456.00"), Decimal("2856.00")),
        (D(2027, 1, 1), Decimal("2400.00"), Decimal("456.00"), Decimal("2856.00")),
    ]


def test_a_discount_is_split_over_the_years_and_adds_up_to_the_cent(book):
    # 3,004.93 − 7 % (210.35) = 2,794.58; years: 604.93 − 42.35, 1,200.00 − 84.00 twice
    result = priced(book, running(discount_percent="7"))
    assert result.discount == Decimal("210.35")
    assert [e.discount for e in result.schedule] == [
        Decimal("42.35"), Decimal("84.00"), Decimal("84.00")]
    assert sum(e.net for e in result.schedule) == result.net == Decimal("2794.58")


def test_a_top_up_of_a_contract_that_has_ended_is_refused_pointing_to_reinstatement(book):
    data = running(as_of="2029-01-01")
    assert refused_fields(book, data) == ["term_start"]
    late = running(additions=[{"date": "2029-02-01", "license_value": "1000.00"}])
    assert refused_fields(book, late) == ["additions.0.date"]
    with pytest.raises(Exception, match="price a reinstatement instead"):
        priced(book, late)


def test_a_top_up_as_a_separate_term_is_a_contract_of_its_own(book):
    # 1,000.00 added: co-termed (2,600.00 − 2,400.00) × 184/365 + 200.00 × 2 = 500.82;
    # separately a new one-year contract from 2026-07-01: 20 % = 200.00, minimum 500.00
    co_term = running(additions=[{"date": "2026-07-01", "license_value": "1000.00"}])
    assert priced(book, co_term).total == Decimal("500.82")
    separate = priced(book, {**co_term, "separate_term": True})
    assert separate.separate_term and separate.kind == "top_up"
    assert separate.term.start == D(2026, 7, 1) and separate.term.end == D(2027, 6, 30)
    assert [(line.code, line.amount) for line in separate.lines] == [
        ("support", Decimal("500.00"))]
    assert separate.lines[0].explanation.minimum_applied
    request = parse_request(co_term)
    other = alternative_term(request, book.in_force("bpmonline", D(2026, 6, 15)),
                             D(2026, 6, 15))
    assert other is not None and other.total == Decimal("500.00")


def test_added_environments_in_a_separate_term_are_all_extra(book):
    data = running(additions=[{"date": "2026-07-01", "environments": 2}], separate_term=True)
    result = priced(book, data)
    # Business: one environment included (in the running contract), each further one
    # at the card's price a year; the separate contract is support (minimum) plus 2 extra
    assert [line.code for line in result.lines] == ["support", "environment"]
    assert result.lines[1].explanation.quantity == 2


def test_moving_the_whole_contract_to_another_package_costs_the_pro_rated_difference(book):
    # after the top-up: 18,000.00; Business 3,600.00 a year. Premium on-site: 25 % =
    # 4,500.00, minimum 10,000.00 applies: +6,400.00 a year × (184/365 + 1 + 1) =
    # 3,226.30 + 12,800.00 = 16,026.30. Basic 15 % = 2,700.00: −900.00 a year = −2,253.70
    moves = dict((p.id, m) for p, m in compare_moves(
        parse_request(running()), book.in_force("bpmonline", D(2026, 6, 15)),
        D(2026, 6, 15)))
    assert moves["business"].amount == Decimal("0.00")
    assert moves["premium"].difference == Decimal("6400.00")
    assert moves["premium"].amount == Decimal("16026.30")
    assert moves["basic"].amount == Decimal("-2253.70")


# -- rule 8: renewals ---------------------------------------------------------------


def test_a_renewal_escalates_year_by_year_and_rewards_prepaying_three_years(book):
    # annual 2,400.00; uplift 3 %: year 2 +72.00, year 3 +146.16 (2,400 × 1.0609 − 2,400);
    # 3 years prepaid: 5 % of 7,418.16 = 370.91
    result = priced(book, bpm(kind="renewal", term_start="2027-01-01", term_years=3))
    assert [(line.code, line.amount) for line in result.lines] == [
        ("support", Decimal("7200.00")), ("uplift", Decimal("72.00")),
        ("uplift", Decimal("146.16")), ("prepayment_discount", Decimal("-370.91"))]
    assert result.subtotal == Decimal("7047.25")
    assert [e.amount for e in result.schedule] == [
        Decimal("2280.00"), Decimal("2348.40"), Decimal("2418.85")]


def test_an_annually_billed_renewal_gets_no_prepayment_discount(book):
    result = priced(book, bpm(kind="renewal", term_start="2027-01-01", term_years=3,
                                billing="annual"))
    assert result.total == Decimal("7418.16")
    assert [e.due for e in result.schedule] == [D(2027, 1, 1), D(2028, 1, 1), D(2029, 1, 1)]


def test_a_one_year_renewal_has_no_uplift_and_no_prepayment_discount(book):
    result = priced(book, bpm(kind="renewal", term_start="2027-01-01"))
    assert [line.code for line in result.lines] == ["support"]


# -- rule 9: reinstatement -------------------------------------------------------------


def test_a_reinstatement_charges_back_support_and_the_fee_then_the_new_term(book):
    # lapsed 2024 contract; reinstated on 2025-04-01: 90 uncovered days of its would-be
    # second year (365 days): 2,400.00 × 90/365 = 591.78; fee 20 % = 118.36
    result = priced(book, bpm(kind="reinstatement", term_start="2025-04-01",
                                lapsed={"start": "2024-01-01", "end": "2024-12-31"}))
    assert [(line.code, line.amount) for line in result.lines] == [
        ("back_support", Decimal("591.78")), ("reinstatement_fee", Decimal("118.36")),
        ("support", Decimal("2400.00"))]
    periods = result.lines[0].explanation.periods
    assert [(p.year, p.start, p.end, p.days, p.year_days) for p in periods] == [
        (2, D(2025, 1, 1), D(2025, 3, 31), 90, 365)]
    assert schedule_of(result) == [
        (None, D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 1), Decimal("710.14"),
         Decimal("710.14")),
        (1, D(2025, 4, 1), D(2026, 3, 31), D(2025, 4, 1), Decimal("2400.00"),
         Decimal("2400.00")),
    ]


def test_back_support_over_several_years_counts_each_year_s_days(book):
    # lapsed 2023-03-01 .. 2024-02-29; uncovered 2024-03-01 .. 2025-05-31:
    # year 2 (2024-03-01 .. 2025-02-28, 365 days) whole, year 3: 92 of 365 days
    result = priced(book, bpm(kind="reinstatement", term_start="2025-06-01",
                                lapsed={"start": "2023-03-01", "end": "2024-02-29"}))
    periods = result.lines[0].explanation.periods
    assert [(p.year, p.days, p.year_days) for p in periods] == [(2, 365, 365), (3, 92, 365)]
    # 2,400.00 + 2,400.00 × 92/365 = 2,400.00 + 604.93 = 3,004.93
    assert result.lines[0].amount == Decimal("3004.93")


def test_a_reinstatement_needs_a_gap_and_a_card_that_reinstates(book):
    day_after = bpm(kind="reinstatement", term_start="2025-01-01",
                    lapsed={"start": "2024-01-01", "end": "2024-12-31"})
    assert refused_fields(book, day_after) == ["term_start"]
    assert refused_fields(book, bpm(kind="reinstatement")) == ["lapsed"]
    otrs = {"rate_card": "otrs", "package": "basic", "deployment": "on_demand",
            "license_value": "0", "term_start": "2026-01-01", "kind": "reinstatement",
            "lapsed": {"start": "2024-01-01", "end": "2024-12-31"}, "as_of": "2026-01-01"}
    assert refused_fields(book, otrs) == ["kind"]


def test_lapsed_belongs_only_to_a_reinstatement(book):
    data = bpm(lapsed={"start": "2024-01-01", "end": "2024-12-31"})
    assert refused_fields(book, data) == ["lapsed"]


# -- the card version a contract was sold on -----------------------------------------


def test_a_request_can_pin_the_card_version_it_is_priced_with(book):
    assert priced(book, bpm(rate_card_version="2019.1")).rate_card.version == "2019.1"
    assert refused_fields(book, bpm(rate_card_version="1999.9")) == ["rate_card_version"]


def test_a_top_up_says_what_it_is_and_keeps_existing_contract_in_step(book):
    assert parse_request(bpm(existing_contract=True, additions=[
        {"date": "2026-02-01", "license_value": "1"}])).kind == "top_up"
    assert parse_request(running()).existing_contract is True
