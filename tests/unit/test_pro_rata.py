"""Rules 3, 4 and 7: contract years, pro-rated additions, top-ups of running contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from quote.core.contract import anniversary, contract_years, last_day

from .helpers import bpm, priced, refused_fields

D = dt.date

# -- rule 3: contract years ----------------------------------------------------


def test_contract_years_of_a_common_start():
    (year,) = contract_years(D(2026, 1, 1), 1)
    assert (year.start, year.end, year.days) == (D(2026, 1, 1), D(2026, 12, 31), 365)
    assert last_day(D(2026, 3, 15), 2) == D(2028, 3, 14)


def test_anniversaries_of_29_february_fall_on_28_february_in_common_years():
    start = D(2024, 2, 29)
    assert anniversary(start, 1) == D(2025, 2, 28)
    assert anniversary(start, 3) == D(2027, 2, 28)
    assert anniversary(start, 4) == D(2028, 2, 29)  # a leap year again


def test_anniversaries_are_counted_from_the_original_start_never_chained():
    start = D(2024, 2, 29)
    chained = anniversary(anniversary(start, 3), 1)  # from 28 Feb 2027: 28 Feb 2028
    assert chained == D(2028, 2, 28)
    assert anniversary(start, 4) == D(2028, 2, 29) != chained


def test_contract_years_from_29_february():
    years = contract_years(D(2024, 2, 29), 5)
    assert [(y.start, y.end, y.days) for y in years] == [
        (D(2024, 2, 29), D(2025, 2, 27), 365),
        (D(2025, 2, 28), D(2026, 2, 27), 365),
        (D(2026, 2, 28), D(2027, 2, 27), 365),
        (D(2027, 2, 28), D(2028, 2, 28), 366),  # up to the day before 29 Feb 2028
        (D(2028, 2, 29), D(2029, 2, 27), 365),
    ]
    assert last_day(D(2024, 2, 29), 1) == D(2025, 2, 27)


def test_the_quote_names_the_last_covered_day(book):
    result = priced(book, bpm(term_start="2024-02-29", as_of="2024-02-29"))
    assert (result.term.start, result.term.end, result.term.years) == (
        D(2024, 2, 29), D(2025, 2, 27), 1)


# -- rule 4: additions ---------------------------------------------------------
# Business on-site, 12,000.00: fee 20 % = 2,400.00. Adding 1,000.00 of licenses
# makes it 2,600.00: an annual difference of 200.00.


def addition(date: str, license_value: str = "1000.00", **more) -> dict:
    return {"date": date, "license_value": license_value, **more}


def test_addition_on_the_term_start_costs_the_full_difference(book):
    result = priced(book, bpm(additions=[addition("2026-01-01")]))
    support, line = result.lines
    assert line.code == "addition"
    assert line.date == D(2026, 1, 1)
    assert (line.explanation.before, line.explanation.after) == (Decimal("2400.00"),
                                                                 Decimal("2600.00"))
    assert line.amount == Decimal("200.00")  # 200.00 × 365/365
    assert result.total == Decimal("2600.00")


def test_addition_on_the_last_day_costs_one_day(book):
    line = priced(book, bpm(additions=[addition("2026-12-31")])).lines[1]
    (period,) = line.explanation.periods
    assert (period.days, period.year_days) == (1, 365)
    assert line.amount == Decimal("0.55")  # 200.00 × 1/365 = 0.5479...


def test_addition_mid_year_in_a_common_year(book):
    # 1 July to 31 December 2026: 184 days; 200.00 × 184/365 = 100.8219...
    assert priced(book, bpm(additions=[addition("2026-07-01")])).lines[1].amount \
        == Decimal("100.82")


def test_addition_in_a_leap_contract_year(book):
    # 2028 has 366 days; 1 July to 31 December: 184 days; 200.00 × 184/366 = 100.5464...
    result = priced(book, bpm(term_start="2028-01-01", as_of="2028-01-01",
                              additions=[addition("2028-07-01")]))
    (period,) = result.lines[1].explanation.periods
    assert (period.days, period.year_days) == (184, 366)
    assert result.lines[1].amount == Decimal("100.55")


def test_pro_rata_that_lands_on_a_half_cent_rounds_up(book):
    # Basic on-site 15 %: 1,000.00 -> 150.00; plus 12.20 -> 15 % × 1,012.20 = 151.83.
    # Difference 1.83 for 1 day of 366 (31 Dec 2028) = 0.005 exactly -> 0.01 (half-up).
    result = priced(book, bpm(package="basic", license_value="1000.00",
                              term_start="2028-01-01", as_of="2028-01-01",
                              additions=[addition("2028-12-31", "12.20")]))
    line = result.lines[1]
    assert line.explanation.difference == Decimal("1.83")
    assert line.amount == Decimal("0.01")
    # 3 days (29 to 31 Dec): 1.83 × 3/366 = 0.015 -> 0.02
    result = priced(book, bpm(package="basic", license_value="1000.00",
                              term_start="2028-01-01", as_of="2028-01-01",
                              additions=[addition("2028-12-29", "12.20")]))
    assert result.lines[1].amount == Decimal("0.02")


def test_addition_on_the_last_day_of_a_29_february_term(book):
    # The term from 29 Feb 2024 ends on 27 Feb 2025 (a 365-day year): 200.00 × 1/365
    result = priced(book, bpm(term_start="2024-02-29", as_of="2024-02-29",
                              additions=[addition("2025-02-27")]))
    assert result.lines[1].amount == Decimal("0.55")
    assert refused_fields(book, bpm(term_start="2024-02-29", as_of="2024-02-29",
                                    additions=[addition("2025-02-28")])) == ["additions.0.date"]


def test_addition_on_28_february_2028_in_a_term_from_29_february_2024(book):
    # Contract year 4 runs 28 Feb 2027 to 28 Feb 2028 (366 days): 1 day of it, then
    # year 5 in full: 200.00 × 1/366 + 200.00 = 200.5464... -> 200.55
    result = priced(book, bpm(term_start="2024-02-29", as_of="2024-02-29", term_years=5,
                              additions=[addition("2028-02-28")]))
    line = result.lines[1]
    assert [(p.year, p.days, p.year_days) for p in line.explanation.periods] == [
        (4, 1, 366), (5, 365, 365)]
    assert line.amount == Decimal("200.55")


def test_addition_in_year_one_of_a_three_year_term(book):
    # Year 1: 1 Jul to 31 Dec 2026, 184 of 365 days; years 2 (2027, 365 days) and
    # 3 (2028, 366 days) in full: 200 × 184/365 + 200 + 200 = 500.8219... -> 500.82
    result = priced(book, bpm(term_years=3, additions=[addition("2026-07-01")]))
    support, line = result.lines
    assert support.amount == Decimal("7200.00")  # 2,400.00 × 3
    assert [(p.year, p.start, p.end, p.days, p.year_days)
            for p in line.explanation.periods] == [
        (1, D(2026, 7, 1), D(2026, 12, 31), 184, 365),
        (2, D(2027, 1, 1), D(2027, 12, 31), 365, 365),
        (3, D(2028, 1, 1), D(2028, 12, 31), 366, 366),
    ]
    assert line.amount == Decimal("500.82")


def test_addition_in_year_two_is_not_charged_for_year_one(book):
    # 1 Jul 2027 to 31 Dec 2027: 184 of 365 days; year 3 in full: 100.8219... + 200
    line = priced(book, bpm(term_years=3, additions=[addition("2027-07-01")])).lines[1]
    assert [p.year for p in line.explanation.periods] == [2, 3]
    assert line.amount == Decimal("300.82")


def test_additions_apply_in_date_order_each_against_the_value_before_it(book):
    # License 2,000.00: 20 % = 400.00, the minimum 500.00 applies.
    # Given out of order; applied in date order:
    #   1 Apr 2026 (+1,000): 3,000 -> fee 600.00, difference 100.00 × 275/365 = 75.3424... -> 75.34
    #   1 Oct 2026 (+1,000): 4,000 -> fee 800.00, difference 200.00 × 92/365 = 50.4109... -> 50.41
    result = priced(book, bpm(license_value="2000.00",
                              additions=[addition("2026-10-01"), addition("2026-04-01")]))
    support, first, second = result.lines
    assert (first.date, first.explanation.before, first.explanation.after, first.amount) == (
        D(2026, 4, 1), Decimal("500.00"), Decimal("600.00"), Decimal("75.34"))
    assert (second.date, second.explanation.before, second.explanation.after,
            second.amount) == (D(2026, 10, 1), Decimal("600.00"), Decimal("800.00"),
                               Decimal("50.41"))
    assert result.total == Decimal("625.75")  # 500.00 + 75.34 + 50.41


def test_addition_that_stays_under_the_minimum_costs_nothing(book):
    # 1,000 -> 2,000: 20 % is 200.00, then 400.00; the minimum 500.00 applies both times
    line = priced(book, bpm(license_value="1000.00",
                            additions=[addition("2026-06-01")])).lines[1]
    assert line.explanation.difference == Decimal("0.00")
    assert line.amount == Decimal("0.00")


def test_environments_added_mid_term(book):
    # 2 environments at 10 % × 2,400.00 = 240.00 each: annual cost 2,400.00 -> 2,880.00;
    # 480.00 × 184/365 = 241.9726... -> 241.97
    result = priced(book, bpm(additions=[{"date": "2026-07-01", "environments": 2}]))
    support, line = result.lines
    assert line.code == "environment"
    assert line.date == D(2026, 7, 1)
    assert line.explanation.quantity == 2
    assert line.amount == Decimal("241.97")


def test_licenses_and_environments_on_one_date_make_two_lines(book):
    # Licenses first: 2,400.00 -> 2,600.00, 200.00 × 184/365 = 100.82;
    # then 2 environments at 10 % × 2,600.00 = 260.00: 2,600.00 -> 3,120.00,
    # 520.00 × 184/365 = 262.1369... -> 262.14
    result = priced(book, bpm(additions=[addition("2026-07-01", environments=2)]))
    assert [(line.code, line.date, line.amount) for line in result.lines[1:]] == [
        ("addition", D(2026, 7, 1), Decimal("100.82")),
        ("environment", D(2026, 7, 1), Decimal("262.14")),
    ]
    assert result.total == Decimal("2762.96")


def test_additions_outside_the_term_are_refused(book):
    assert refused_fields(book, bpm(additions=[addition("2025-12-31")])) == ["additions.0.date"]
    assert refused_fields(book, bpm(additions=[addition("2026-12-31"),
                                               addition("2027-01-01")])) == ["additions.1.date"]


def test_added_environments_above_the_maximum_are_refused(book):
    assert refused_fields(book, bpm(environments=19, additions=[
        {"date": "2026-03-01", "environments": 1},
        {"date": "2026-04-01", "environments": 1}])) == ["additions.1.environments"]


# -- rule 7: top-ups of running contracts -------------------------------------


def test_top_up_charges_only_the_additions(book):
    # A running contract with 2 environments: 2,400.00 + 240.00 = 2,640.00 a year.
    # +1,000.00 licenses: 2,600.00 + 260.00 = 2,860.00; 220.00 × 184/365 = 110.9041... -> 110.90
    result = priced(book, bpm(existing_contract=True, environments=2,
                              additions=[addition("2026-07-01")]))
    (line,) = result.lines
    assert line.code == "addition"
    assert (line.explanation.before, line.explanation.after) == (Decimal("2640.00"),
                                                                 Decimal("2860.00"))
    assert line.amount == Decimal("110.90")
    assert result.existing_contract is True
    assert result.total == Decimal("110.90")


def test_top_up_without_an_addition_is_refused(book):
    assert refused_fields(book, bpm(existing_contract=True)) == ["additions"]


def test_a_contract_year_carries_its_first_days_ordinal():
    years = contract_years(D(2024, 2, 29), 5)
    assert [y.ordinal for y in years] == [y.start.toordinal() for y in years]


def test_additions_given_out_of_order_are_checked_in_date_order(book):
    """The environments of additions count up in date order: the addition that brings them
    above the maximum is the later one, wherever the request lists it."""
    rules = book.latest("bpmonline").card.package("business").environments
    later_first = [{"date": "2026-10-01", "environments": 1},
                   {"date": "2026-04-01", "environments": rules.maximum - rules.included}]
    assert refused_fields(book, bpm(additions=later_first)) == ["additions.0.environments"]
    assert refused_fields(book, bpm(additions=later_first[::-1])) == [
        "additions.1.environments"]
    same_day = [{"date": "2026-04-01", "environments": rules.maximum - rules.included},
                {"date": "2026-04-01", "environments": 1}]
    assert refused_fields(book, bpm(additions=same_day)) == ["additions.1.environments"]
