"""Properties of the pricing rules, over many generated requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quote.core.catalog import load_rates
from quote.core.contract import last_day
from quote.core.money import minor_units, percent_of, round_money, rounder
from quote.core.rates import PercentPrice

from .helpers import priced

BOOK = load_rates()
PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

CARDS = {card_id: BOOK.latest(card_id).card for card_id in BOOK.ids()}
PACKAGES = [(card_id, package.id) for card_id, card in CARDS.items() for package in card.packages]
DEPLOYMENTS = st.sampled_from(["on_site", "on_demand"])


def cents(low: int = 0, high: int = 100_000_000_00):
    """A license value in cents, as the decimal string a caller sends."""
    return st.integers(low, high).map(lambda c: str(Decimal(c).scaleb(-2)))


def license_values(card, package, deployment: str):
    """What a caller sends as the license value: none for a card without one, above zero
    where the fee is a percentage with no minimum (zero is refused there)."""
    price = package.price(deployment)
    if not card.license_value:
        return st.none()
    if isinstance(price, PercentPrice) and not any(price.minimum.root.values()):
        return cents(1)
    return cents()


@st.composite
def quote_requests(draw) -> dict:
    card_id, package_id = draw(st.sampled_from(PACKAGES))
    card = CARDS[card_id]
    package = card.package(package_id)
    deployment = draw(DEPLOYMENTS)
    licensed = isinstance(package.price(deployment), PercentPrice)
    start = draw(st.dates(dt.date(2024, 1, 1), dt.date(2032, 12, 31)))
    years = draw(st.integers(card.minimum_term_years, card.maximum_term_years))
    last = last_day(start, years)
    rules = package.environments
    environments = draw(st.integers(1, rules.included + 2 if rules.extra else rules.included))
    additions = []
    for _ in range(draw(st.integers(0, 3))):
        offset = draw(st.integers(0, (last - start).days))
        if not licensed and not rules.extra:
            break  # neither licenses nor environments could be added
        added_environments = (1 if not licensed else draw(st.integers(0, 1))) \
            if rules.extra else 0
        addition = {"date": (start + dt.timedelta(days=offset)).isoformat(),
                    "environments": added_environments}
        if licensed:  # license additions only where the fee depends on them
            addition["license_value"] = draw(cents(0 if added_environments else 1,
                                                   1_000_000_00))
        additions.append(addition)
    data = {
        "rate_card": card_id, "package": package_id, "deployment": deployment,
        "term_start": start.isoformat(), "term_years": years,
        "currency": draw(st.sampled_from(card.currencies)),
        "environments": environments, "additions": additions,
        "discount_percent": str(draw(st.integers(0, int(card.max_discount_percent * 100)))
                                / Decimal(100)),
        "tax_percent": str(draw(st.integers(0, 2500)) / Decimal(100)),
        "tax_reason": "a rate drawn for the property",
        "as_of": "2026-01-01",
    }
    license_value = draw(license_values(card, package, deployment))
    if license_value is not None:
        data["license_value"] = license_value
    if additions and draw(st.booleans()):
        data["existing_contract"] = True
        data["as_of"] = start.isoformat()  # a running contract: priced while it runs
    data["billing"] = draw(st.sampled_from(["prepaid", "annual"]))
    if card.points and draw(st.booleans()):
        data["points"] = draw(st.integers(card.points.minimum, card.points.maximum))
    return data


LICENSED = [(card_id, package_id) for card_id, package_id in PACKAGES
            if CARDS[card_id].license_value]


@PROPERTY
@given(package=st.sampled_from(LICENSED), deployment=DEPLOYMENTS,
       low=cents(1), extra=cents(0, 10_000_000_00))
def test_the_fee_never_falls_when_the_license_value_rises(book, package, deployment, low,
                                                          extra):
    card_id, package_id = package
    high = str(Decimal(low) + Decimal(extra))

    def fee(value: str) -> Decimal:
        return priced(book, {"rate_card": card_id, "package": package_id,
                             "deployment": deployment, "license_value": value,
                             "term_start": "2026-01-01", "as_of": "2026-01-01"}).total

    assert fee(low) <= fee(high)


@PROPERTY
@given(license_value=cents(), added=cents(1, 10_000_000_00),
       start=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), years=st.integers(1, 5),
       deployment=DEPLOYMENTS)
def test_addition_on_the_term_start_costs_the_annual_difference_times_the_years(
        book, license_value, added, start, years, deployment):
    result = priced(book, {
        "rate_card": "bpmonline", "package": "business", "deployment": deployment,
        "license_value": license_value, "term_start": start.isoformat(), "term_years": years,
        "additions": [{"date": start.isoformat(), "license_value": added}],
        "as_of": "2026-01-01"})
    percent = Decimal(20 if deployment == "on_site" else 10)

    def fee(value: Decimal) -> Decimal:  # rule 1 for Business: at least 500.00
        return round_money(max(percent_of(percent, value), Decimal("500.00")), "EUR")

    difference = fee(Decimal(license_value) + Decimal(added)) - fee(Decimal(license_value))
    assert result.lines[1].amount == difference * years


@PROPERTY
@given(data=quote_requests())
def test_amounts_are_exact_non_negative_and_follow_their_explanations(book, data):
    result = priced(book, data)
    decimals = minor_units(result.currency)
    amounts = [line.amount for line in result.lines] + [
        result.subtotal, result.discount, result.net, result.tax, result.total]
    for amount in amounts:
        assert amount >= 0
        assert amount.as_tuple().exponent == -decimals
        assert not amount.is_signed()  # no negative zero either
    for line in result.lines:
        assert line.explanation.reproduce(result.currency) == line.amount


@PROPERTY
@given(data=quote_requests())
def test_totals_add_up(book, data):
    result = priced(book, data)
    assert result.subtotal == sum(line.amount for line in result.lines)
    assert result.discount == round_money(percent_of(result.discount_percent, result.subtotal),
                                          result.currency)
    assert result.net == result.subtotal - result.discount
    assert result.tax == round_money(percent_of(result.tax_percent, result.net),
                                     result.currency)
    assert result.total == result.net + result.tax
    assert result.discount <= result.subtotal
    if data.get("existing_contract"):
        assert {line.code for line in result.lines} <= {"addition", "environment", "points"}


@PROPERTY
@given(data=quote_requests())
def test_the_billing_schedule_adds_up_to_the_offer_with_no_negative_year(book, data):
    result = priced(book, data)
    assert sum(entry.total for entry in result.schedule) == result.total
    assert sum(entry.amount for entry in result.schedule) == result.subtotal
    for entry in result.schedule:
        assert entry.amount >= 0 and entry.total >= 0
        assert result.term.start <= entry.start <= entry.end <= result.term.end
        assert entry.due <= entry.end


CURRENCIES = sorted({code for card in CARDS.values() for code in card.currencies})


@PROPERTY
@given(value=st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**15,
                         max_value=10**15, places=12), currency=st.sampled_from(CURRENCIES))
def test_the_rounder_of_a_currency_rounds_as_round_money(value, currency):
    """The loops that round many amounts take one callable per currency: the same rule,
    to the same digits (ties half-up, the currency's decimals, the sign of zero)."""
    assert str(rounder(currency)(value)) == str(round_money(value, currency))
    unit = Decimal(1).scaleb(-minor_units(currency))
    tie = value.quantize(unit) + unit / 2  # halfway between two amounts
    assert str(rounder(currency)(tie)) == str(round_money(tie, currency))
