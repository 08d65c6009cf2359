"""Rule 1, 2, 5 and 6: annual fees, extra environments, points, rounding, discount and tax."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from quote import resources
from quote.core.catalog import load_rates
from quote.core.errors import QuoteInputError
from quote.core.pricing import Contract

from .helpers import TODAY, bpm, priced, refused_fields

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
        # Basic on-site: 15 %, no minimum (a zero license value is refused: below)
        ("basic", "on_site", "0.01", "0.00", False),  # 15 % × 0.01 = 0.0015
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
@pytest.mark.parametrize("license_value", [None, "0"])
def test_otrs_tiers_are_flat_without_a_license_value(book, package, fee, license_value):
    data = bpm(rate_card="otrs", package=package)
    if license_value is not None:
        data["license_value"] = license_value  # 0 says nothing, and is taken
    result = priced(book, data)
    (line,) = result.lines
    assert line.explanation.kind == "flat_fee"
    assert line.amount == Decimal(fee)
    assert line.description == f"{book.latest('otrs').card.package(package).name('en')} " \
                               "support, 1 year"  # no deployment: the card has no licenses


@pytest.mark.parametrize("card", ["otrs", "maxence"])
def test_a_license_value_on_a_card_without_one_is_refused(book, card):
    assert refused_fields(book, bpm(rate_card=card, package="basic",
                                    license_value="12000.00")) == ["license_value"]
    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(rate_card=card, package="basic", license_value="1"))
    assert caught.value.errors[0].message == (
        "this rate card has no license value: its prices do not depend on one")


def test_a_license_value_is_required_where_the_card_prices_by_it(book):
    data = bpm()
    del data["license_value"]
    assert refused_fields(book, data) == ["license_value"]


@pytest.mark.parametrize("deployment", ["on_site", "on_demand"])
def test_a_zero_license_value_where_the_fee_is_a_percentage_without_minimum(book, deployment):
    # Basic on-site is 15 % with no minimum: 0 would make a 0.00 offer. On-demand Basic is
    # included, so a zero license value says nothing wrong there.
    data = bpm(package="basic", deployment=deployment, license_value="0")
    if deployment == "on_demand":
        assert priced(book, data).total == Decimal("0.00")
        return
    with pytest.raises(QuoteInputError) as caught:
        priced(book, data)
    (error,) = caught.value.errors
    assert error.field == "license_value"
    assert error.message == ("must be above 0: the fee is a percentage of the license value "
                             "with no minimum, so nothing would be charged")
    # with a minimum, zero licenses still cost the minimum (Business: 500.00)
    assert priced(book, bpm(license_value="0")).total == Decimal("500.00")


def test_license_additions_that_change_nothing_are_refused(book):
    # OTRS has no license value at all; bpm'online Basic on-demand is included in the
    # subscription: an added license value changes neither fee.
    addition = {"date": "2026-07-01", "license_value": "1000.00"}
    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(rate_card="otrs", package="basic", additions=[addition]))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("additions.0.license_value",
         "this rate card has no license value: its prices do not depend on one")]
    with pytest.raises(QuoteInputError) as caught:
        priced(book, bpm(package="basic", deployment="on_demand", additions=[addition]))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("additions.0.license_value",
         "adds nothing: this package's fee does not depend on the license value")]
    # environments added to a flat package still cost their price
    result = priced(book, bpm(rate_card="otrs", package="basic",
                              additions=[{"date": "2026-07-01", "environments": 1}]))
    assert result.lines[1].amount == Decimal("1043.51")  # 2,070.00 × 184/365 = 1,043.5068…


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
                              tax_percent="19", tax_reason="the rate of the test"))
    assert result.subtotal == Decimal("2469.13")
    assert result.discount == Decimal("370.37")
    assert result.net == Decimal("2098.76")
    assert result.tax == Decimal("398.76")
    assert result.total == Decimal("2497.52")


def test_discount_on_several_lines(book):
    # 2,400.00 + 480.00 = 2,880.00; discount 12.5 % = 360.00; net 2,520.00;
    # tax 20 % = 504.00; total 3,024.00
    result = priced(book, bpm(environments=3, discount_percent="12.5", tax_percent="20",
                              tax_reason="the rate of the test"))
    assert (result.subtotal, result.discount, result.net, result.tax, result.total) == (
        Decimal("2880.00"), Decimal("360.00"), Decimal("2520.00"), Decimal("504.00"),
        Decimal("3024.00"))


def test_discount_limit_of_the_card(book):
    assert priced(book, bpm(discount_percent="15")).discount == Decimal("360.00")
    assert refused_fields(book, bpm(discount_percent="15.0001")) == ["discount_percent"]
    assert refused_fields(book, bpm(rate_card="otrs", package="basic",
                                    discount_percent="10.5")) == ["discount_percent"]


# -- rule 5: support points --------------------------------------------------
#
# maxence sells graduated tiers: points 1–49 at 95.00, 50–99 at 90.00, 100–249 at 85.00,
# from 250 on 80.00, each point at the price of its own band.


@pytest.mark.parametrize(
    ("points", "bands", "amount"),
    [
        (10, [(10, "95.00")], "950.00"),  # the minimum purchase, first band
        (49, [(49, "95.00")], "4655.00"),  # 49 × 95.00
        (50, [(49, "95.00"), (1, "90.00")], "4745.00"),  # 4,655.00 + 90.00
        (99, [(49, "95.00"), (50, "90.00")], "9155.00"),  # 4,655.00 + 4,500.00
        (100, [(49, "95.00"), (50, "90.00"), (1, "85.00")], "9240.00"),  # + 85.00
        (249, [(49, "95.00"), (50, "90.00"), (150, "85.00")], "21905.00"),  # + 12,750.00
        (250, [(49, "95.00"), (50, "90.00"), (150, "85.00"), (1, "80.00")], "21985.00"),
        # the maximum purchase: 21,905.00 + 9,751 × 80.00 = 21,905.00 + 780,080.00
        (10000, [(49, "95.00"), (50, "90.00"), (150, "85.00"), (9751, "80.00")],
         "801985.00"),
    ],
)
def test_graduated_points_each_at_the_price_of_its_band(book, points, bands, amount):
    result = priced(book, bpm(rate_card="maxence", package="basic", points=points))
    support, line = result.lines
    assert support.amount == Decimal("2400.00")
    assert line.code == "points"
    assert [(b.quantity, b.unit_price) for b in line.explanation.bands] == [
        (q, Decimal(p)) for q, p in bands]
    assert line.amount == Decimal(amount)
    assert line.explanation.cheaper_quantity is None  # a larger purchase never costs less
    assert line.example  # the point prices are example values


@pytest.fixture
def volume_book(tmp_path):
    """The shipped cards, maxence's points sold in volume tiers."""
    folder = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), folder)
    card = folder / "maxence.toml"
    text = card.read_text(encoding="utf-8")
    assert text.count('tier_pricing = "graduated"') == 1
    card.write_text(text.replace('tier_pricing = "graduated"', 'tier_pricing = "volume"'),
                    encoding="utf-8")
    return load_rates(folder)


@pytest.mark.parametrize(
    ("points", "unit", "amount", "cheaper"),
    [
        (10, "95.00", "950.00", None),  # 50 would cost 4,500.00: more
        (47, "95.00", "4465.00", None),  # 47 × 95.00 < 4,500.00
        (48, "95.00", "4560.00", (50, "4500.00")),  # 48 × 95.00 > 50 × 90.00
        (49, "95.00", "4655.00", (50, "4500.00")),
        (50, "90.00", "4500.00", None),  # from 50 points on: 90.00 each
        (99, "90.00", "8910.00", (100, "8500.00")),
        (100, "85.00", "8500.00", None),
        (249, "85.00", "21165.00", (250, "20000.00")),
        (250, "80.00", "20000.00", None),
        (10000, "80.00", "800000.00", None),  # the maximum purchase
    ],
)
def test_volume_points_and_when_more_would_cost_less(volume_book, points, unit, amount,
                                                     cheaper):
    result = priced(volume_book, bpm(rate_card="maxence", package="basic", points=points))
    line = result.lines[1]
    assert line.explanation.unit_price == Decimal(unit)
    assert line.amount == Decimal(amount)
    found = line.explanation.cheaper_quantity, line.explanation.cheaper_amount
    assert found == ((cheaper[0], Decimal(cheaper[1])) if cheaper else (None, None))


@pytest.mark.parametrize(("language", "notice"), [
    ("en", "50 points cost €4,500.00, less than these 49"),
    ("de", "50 Punkte kosten 4.500,00\xa0€, weniger als diese 49"),
    ("ru", "50 баллов стоят 4\xa0500,00\xa0€, меньше, чем эти 49"),
])
def test_the_volume_notice_in_every_language(volume_book, language, notice):
    line = priced(volume_book, bpm(rate_card="maxence", package="basic", points=49,
                                   language=language)).lines[1]
    assert line.detail.endswith("; " + notice)


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
    assert result.total == Decimal("4745.00")  # 49 × 95.00 + 1 × 90.00


def test_each_package_object_is_priced_by_its_own_prices(book):
    """A package's prices are worked out once per loaded card; another package object with
    the same id (a changed card, a stored snapshot's version) gets its own, not the first's.
    Business on-site: 20 % of 3,000.00 = 600.00; the same package at 30 %: 900.00."""
    card = book.in_force("bpmonline", TODAY).card
    business = card.package("business")
    dearer = business.model_copy(update={
        "on_site": business.on_site.model_copy(update={"percent": Decimal("30")})})
    for package, fee in [(business, "600.00"), (dearer, "900.00"), (business, "600.00")]:
        contract = Contract(card, package, "on_site", card.currency)
        assert contract.fee_amount(Decimal("3000.00")) == Decimal(fee)
    on_demand = Contract(card, business, "on_demand", card.currency)  # 10 %, at least 500.00
    assert on_demand.fee_amount(Decimal("6000.00")) == Decimal("600.00")
