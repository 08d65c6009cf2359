"""Rule 1, 2, 5 and 6: annual fees, extra environments, points, rounding, discount and tax."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .helpers import bpm, priced, refused_fields

# -- rule 1: the bpm'online table, at, below and above each minimum ----------


@pytest.mark.parametrize(
    ("package", "deployment", "license_value", "fee", "minimum_applied"),
    [
        # Business on-site: 20 %, at least 500.00
        ("business", "on_site", "2500.00", "500.00", False),  # 20 % × 2,500 = 500.00 (at)
        ("business", "on_site", "2000.00", "500.00", True),  # 20 % × 2,000 = 400.00 < 500.00
        ("business", "on_site", "3000.00", "600.00", False),  # 20 % × 3,000 = 600.00
        ("business", "on_site", "0", "500.00", True),  # nothing licensed: still the minimum
        # Business on-demand: 10 %, at least 500.00
        ("business", "on_demand", "5000.00", "500.00", False),  # 10 % × 5,000 = 500.00
        ("business", "on_demand", "4000.00", "500.00", True),  # 10 % × 4,000 = 400.00
        ("business", "on_demand", "6000.00", "600.00", False),  # 10 % × 6,000 = 600.00
        # Premium on-site: 25 %, at least 10,000.00
        ("premium", "on_site", "40000.00", "10000.00", False),  # 25 % × 40,000 = 10,000.00
        ("premium", "on_site", "39999.99", "10000.00", True),  # 25 % × 39,999.99 = 9,999.9975
        ("premium", "on_site", "40000.04", "10000.01", False),  # 25 % × 40,000.04 = 10,000.01
        # Premium on-demand: 15 %, at least 10,000.00
        ("premium", "on_demand", "66666.66", "10000.00", True),  # 15 % × 66,666.66 = 9,999.999
        ("premium", "on_demand", "66666.67", "10000.00", False),  # = 10,000.0005, rounds down
        ("premium", "on_demand", "70000.00", "10500.00", False),  # 15 % × 70,000 = 10,500.00
        # Basic on-site: 15 %, no minimum
        ("basic", "on_site", "0", "0.00", False),
        ("basic", "on_site", "1000.00", "150.00", False),  # 15 % × 1,000 = 150.00
        ("basic", "on_site", "12000.00", "1800.00", False),  # 15 % × 12,000 = 1,800.00
    ],
)
def test_percentage_fee_with_minimum(book, package, deployment, license_value, fee,
                                     minimum_applied):
    result = priced(book, bpm(package=package, deployment=deployment,
                              license_value=license_value))
    (line,) = result.lines
    assert line.code == "support"
    assert line.amount == Decimal(fee)
    assert line.explanation.kind == "percent_fee"
    assert line.explanation.annual_fee == Decimal(fee)
    assert line.explanation.minimum_applied is minimum_applied
    assert result.total == Decimal(fee)


def test_basic_on_demand_is_included(book):
    (line,) = priced(book, bpm(package="basic", deployment="on_demand")).lines
    assert line.explanation.kind == "included"
    assert line.amount == Decimal("0.00")
    assert line.amount.as_tuple().exponent == -2  # "0.00", not "0"


def test_the_fee_is_charged_for_every_contract_year(book):
    result = priced(book, bpm(term_years=3))  # 20 % × 12,000 = 2,400.00 a year × 3
    assert result.lines[0].amount == Decimal("7200.00")
    assert result.term.years == 3


@pytest.mark.parametrize(
    ("package", "fee"),
    [("quick_start", "3900.00"), ("basic", "6900.00"), ("professional", "12900.00"),
     ("enterprise", "24900.00")],
)
@pytest.mark.parametrize("license_value", ["0", "12000.00", "999999.99"])
def test_otrs_tiers_are_flat_whatever_the_license_value(book, package, fee, license_value):
    result = priced(book, bpm(rate_card="otrs", package=package, license_value=license_value))
    (line,) = result.lines
    assert line.explanation.kind == "flat_fee"
    assert line.amount == Decimal(fee)


def test_otrs_flat_fee_for_two_years(book):
    result = priced(book, bpm(rate_card="otrs", package="basic", term_years=2))
    assert result.lines[0].amount == Decimal("13800.00")  # 6,900.00 × 2


# -- rule 6: rounding half-up to the cent, once per line ---------------------


def test_exact_half_cent_rounds_up(book):
    # 15 % × 1,000.30 = 150.045 -> 150.05 (half-up; half-even would give 150.04)
    (line,) = priced(book, bpm(package="basic", license_value="1000.30")).lines
    assert line.explanation.exact == Decimal("150.05")
    assert line.amount == Decimal("150.05")


def test_half_cent_above_the_minimum_rounds_up(book):
    # 10 % × 5,000.05 = 500.005 -> 500.01 (half-even would give 500.00)
    result = priced(book, bpm(deployment="on_demand", license_value="5000.05"))
    assert result.lines[0].amount == Decimal("500.01")
    assert result.lines[0].explanation.minimum_applied is False


# -- rule 2: extra environments on a new term --------------------------------


def test_extra_environments_priced_as_a_percentage_of_the_fee(book):
    # fee 2,400.00; each extra environment 10 % of it = 240.00; 3 in all, 1 included
    result = priced(book, bpm(environments=3))
    support, environments = result.lines
    assert environments.code == "environment"
    assert environments.explanation.quantity == 2
    assert environments.explanation.unit_price == Decimal("240.00")
    assert environments.explanation.unit_percent == Decimal("10")
    assert environments.amount == Decimal("480.00")  # 2 × 240.00
    assert result.subtotal == Decimal("2880.00")  # 2,400.00 + 480.00


def test_extra_environments_for_every_year(book):
    result = priced(book, bpm(environments=3, term_years=2))
    assert [line.amount for line in result.lines] == [Decimal("4800.00"), Decimal("960.00")]


def test_percentage_environment_follows_the_minimum_fee(book):
    # 20 % × 1,000 = 200.00 < minimum: fee 500.00; environment 10 % × 500.00 = 50.00
    result = priced(book, bpm(license_value="1000.00", environments=2))
    assert result.lines[1].amount == Decimal("50.00")


def test_extra_environment_at_a_fixed_price(book):
    # OTRS Basic: 6,900.00 a year, each further environment 2,070.00 a year
    result = priced(book, bpm(rate_card="otrs", package="basic", environments=2))
    assert [line.amount for line in result.lines] == [Decimal("6900.00"), Decimal("2070.00")]
    assert result.lines[1].explanation.unit_percent is None
    assert result.total == Decimal("8970.00")


def test_environments_beyond_the_maximum_are_refused(book):
    assert refused_fields(book, bpm(environments=21)) == ["environments"]  # maximum 20
    assert priced(book, bpm(environments=20)).lines[1].explanation.quantity == 19


def test_included_environments_cost_nothing(book):
    assert [line.code for line in priced(book, bpm(environments=1)).lines] == ["support"]


# -- rule 6: discount and tax ------------------------------------------------


def test_discount_then_tax_each_rounded(book):
    # 20 % × 12,345.67 = 2,469.134 -> 2,469.13
    # discount 15 % × 2,469.13 = 370.3695 -> 370.37; net 2,098.76
    # tax 19 % × 2,098.76 = 398.7644 -> 398.76; total 2,497.52
    result = priced(book, bpm(license_value="12345.67", discount_percent="15",
                              tax_percent="19"))
    assert result.subtotal == Decimal("2469.13")
    assert result.discount == Decimal("370.37")
    assert result.net == Decimal("2098.76")
    assert result.tax == Decimal("398.76")
    assert result.total == Decimal("2497.52")


def test_discount_on_several_lines(book):
    # 2,400.00 + 480.00 = 2,880.00; discount 12.5 % = 360.00; net 2,520.00;
    # tax 20 % = 504.00; total 3,024.00
    result = priced(book, bpm(environments=3, discount_percent="12.5", tax_percent="20"))
    assert (result.subtotal, result.discount, result.net, result.tax, result.total) == (
        Decimal("2880.00"), Decimal("360.00"), Decimal("2520.00"), Decimal("504.00"),
        Decimal("3024.00"))


def test_discount_limit_of_the_card(book):
    assert priced(book, bpm(discount_percent="15")).discount == Decimal("360.00")
    assert refused_fields(book, bpm(discount_percent="15.0001")) == ["discount_percent"]
    assert refused_fields(book, bpm(rate_card="otrs", package="basic",
                                    discount_percent="10.5")) == ["discount_percent"]


# -- rule 5: support points --------------------------------------------------


@pytest.mark.parametrize(
    ("points", "unit", "amount"),
    [
        (10, "95.00", "950.00"),  # the minimum purchase, first tier
        (49, "95.00", "4655.00"),
        (50, "90.00", "4500.00"),  # from 50 points on: 90.00 each
        (99, "90.00", "8910.00"),
        (100, "85.00", "8500.00"),
        (249, "85.00", "21165.00"),
        (250, "80.00", "20000.00"),
        (10000, "80.00", "800000.00"),  # the maximum purchase
    ],
)
def test_points_tier_at_each_boundary(book, points, unit, amount):
    result = priced(book, bpm(rate_card="maxence", package="basic", points=points))
    support, line = result.lines
    assert support.amount == Decimal("2400.00")
    assert line.code == "points"
    assert line.explanation.unit_price == Decimal(unit)
    assert line.amount == Decimal(amount)


@pytest.mark.parametrize("points", [9, 10001])
def test_points_outside_the_account_bounds_are_refused(book, points):
    assert refused_fields(book, bpm(rate_card="maxence", package="basic",
                                    points=points)) == ["points"]


def test_points_on_a_card_without_points_are_refused(book):
    assert refused_fields(book, bpm(points=50)) == ["points"]


def test_points_alone_on_a_running_contract(book):
    result = priced(book, bpm(rate_card="maxence", package="basic", points=50,
                              existing_contract=True))
    assert [line.code for line in result.lines] == ["points"]
    assert result.total == Decimal("4500.00")
