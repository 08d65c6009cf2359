"""The pricing rules, in one place.

1. Annual support fee of a package for a license value:
   ``percent``: max(percent × license value, minimum); ``included``: 0;
   ``flat``: the flat price. Rounded half-up to the currency's minor unit.
2. Extra environments beyond the included ones cost, each and per year, a
   fixed price or a percentage of the annual support fee (rounded). The annual
   cost of a contract is the support fee plus its extra environments.
3. A term is whole contract years (see ``quote.core.contract``). A new term is
   charged the annual support fee and the annual extra environments for each
   year.
4. An addition on day d (term start ≤ d ≤ last covered day) is charged, for
   every contract year that ends on or after d, (annual cost after − annual
   cost before) × (days from max(d, year start) to the year's end, both
   counted) / (days in that contract year). The parts are summed and rounded
   once. Additions apply in date order, each against the state before it;
   licenses and environments of one addition become two lines (licenses first).
5. Support points: with ``volume`` tiers, quantity × the price per point of the
   tier the quantity falls in (the tier with the highest ``from`` not above
   it); the line says when the next tier's smallest quantity would cost less.
   With ``graduated`` tiers, each point at the price of the band it falls in.
6. Each line is rounded; subtotal = sum of lines; discount = round(subtotal ×
   discount %); net = subtotal − discount; tax = round(net × tax %);
   total = net + tax. The tax rate follows from the customer's country and VAT ID
   by the seller's tax rules (``quote.core.tax``, ``book.tax``) unless staff set
   one with a reason; the result's ``tax_basis`` says which rule applied.
7. Top-up (``kind`` ``top_up``, or ``existing_contract``): the term describes a
   running contract (with the ``license_value`` and ``environments`` it has);
   only additions and points are charged. It is refused when the contract has
   ended by the pricing date. With ``annual`` billing an addition runs to the
   end of the current contract year only (the contract's new annual cost is
   billed from the next year on); with ``prepaid`` billing to the term's end.
   ``separate_term``: the additions become a contract of their own from the
   first addition's date, for the card's minimum term (support on the added
   license value with the minimum fee; added environments all extra).
8. Renewal: the term is the next term. Contract year k costs the annual cost ×
   (1 + uplift %)^(k−1) (the card's ``renewal.uplift_percent``; one ``uplift``
   line per year from the second); a prepaid term of n years gets the card's
   ``prepayment_discounts[n]`` percent off support, environments and uplifts.
9. Reinstatement: the uncovered days between the lapsed contract's end and
   the new term's start are charged as back-support, pro rata by the lapsed
   contract's (would-be) contract years at the annual cost, plus the card's
   ``reinstatement.fee_percent`` of it; then the new term as rule 3.
10. Every result has a billing schedule: what it charges per contract year and
   when that is due (see ``quote.core.schedule``).
11. Prices come from the card's price list in the request's currency (default:
   the card's first); amounts round to that currency's minor unit. A line is
   marked ``example`` when its amount rests on a figure the card marks as an
   example value.

Refused as meaningless: a license addition where the package's fee does not
depend on the license value (flat or included), a zero license value where the
fee is a percentage with no minimum, and a license value on a card that has
none (``license_value = false``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from .catalog import LoadedCard, RateBook
from .contract import ONE_DAY, ContractYear, contract_years, last_day
from .describe import Describer, describer
from .errors import N_, FieldError, QuoteInputError
from .money import (
    ZERO,
    minor_unit,
    minor_units,
    percent_of,
    ratio,
    round_money,
    rounder,
    uplift,
)
from .rates import (
    FlatPrice,
    IncludedPrice,
    Package,
    PercentEnvironmentPrice,
    PercentPrice,
    RateCard,
)
from .request import Addition, QuoteRequest
from .result import (
    CardRef,
    Explanation,
    Line,
    LineCode,
    PackageRef,
    Period,
    PointsBand,
    QuoteResult,
    ScheduleEntry,
    TaxBasis,
    Term,
)
from .schedule import Parts, Shares, Slot, schedule
from .tax import tax_of_request


class Charge(NamedTuple):
    """A line of the quote as it is priced, before it is put in words (``Line``)."""

    code: LineCode
    amount: Decimal
    explanation: Explanation
    example: bool = False
    date: dt.date | None = None


class _PackagePrices:
    """What a package's prices are for one deployment in one currency, whatever the
    license value: worked out once per loaded card (``_package_prices``)."""

    __slots__ = ("price", "fee", "percent", "minimum", "fee_example", "percent_example",
                 "minimum_example", "extra", "unit", "unit_percent", "environment_example")

    def __init__(self, package: Package, deployment: str, currency: str):
        price = self.price = package.price(deployment)
        self.percent = self.minimum = None
        self.percent_example = self.minimum_example = False
        if isinstance(price, IncludedPrice):
            self.fee = round_money(ZERO, currency)  # the same for every license value
            self.fee_example = False
        elif isinstance(price, FlatPrice):
            self.fee = round_money(price.price.of(currency), currency)
            self.fee_example = price.is_example("price", currency)
        else:
            assert isinstance(price, PercentPrice)
            self.fee = self.fee_example = None  # by the license value
            self.percent, self.minimum = price.percent, price.minimum.of(currency)
            self.percent_example = price.is_example("percent")
            self.minimum_example = price.is_example("minimum", currency)
        rules = package.environments
        extra = self.extra = rules.extra
        # the yearly price of an extra environment when it is fixed, else its percentage
        # of the fee; whether it rests on an example value (None: as the fee does)
        self.unit, self.unit_percent = ZERO, None
        self.environment_example: bool | None = False
        if isinstance(extra, PercentEnvironmentPrice):
            self.unit = None
            self.unit_percent = extra.percent
            self.environment_example = (True if rules.is_example("included")
                                        or extra.is_example("percent") else None)
        elif extra is not None:
            self.unit = round_money(extra.price.of(currency), currency)
            self.environment_example = (rules.is_example("included")
                                        or extra.is_example("price", currency))


# Per package (of a loaded card), deployment and currency; the entry holds the package, so
# that its id is not another object's while it is kept. A card's models are frozen.
_PRICES: dict[tuple[int, str, str], tuple[Package, _PackagePrices]] = {}
_PRICES_KEPT = 256


def _package_prices(package: Package, deployment: str, currency: str) -> _PackagePrices:
    key = (id(package), deployment, currency)
    kept = _PRICES.get(key)
    if kept is None or kept[0] is not package:
        if len(_PRICES) >= _PRICES_KEPT:
            _PRICES.clear()
        kept = _PRICES[key] = (package, _PackagePrices(package, deployment, currency))
    return kept[1]


class Contract:
    """A package's prices for one deployment, from the card's price list in ``currency``."""

    def __init__(self, card: RateCard, package: Package, deployment: str,
                 currency: str | None = None):
        self.card = card
        self.package = package
        self.currency = currency = currency or card.currency
        self.prices = prices = _package_prices(package, deployment, currency)
        self._round = rounder(currency)  # round_money in this currency
        self.price = prices.price
        self.included = package.environments.included
        # Figures asked for again and again while additions are priced, by the license
        # value (and environments): equal values give equal rounded amounts.
        self._fees: dict[Decimal, Decimal] = {}
        self._annual: dict[tuple[Decimal, int], Decimal] = {}
        self._fee_examples: dict[Decimal, bool] = {}
        self._environment_prices: dict[Decimal, tuple[Decimal, Decimal | None]] = {}

    def fee(self, license_value: Decimal, years: int | None = None
            ) -> tuple[Decimal, Explanation]:
        """Rule 1: the annual support fee (rounded) and how it was reached (for a term of
        ``years``, if given)."""
        price = self.price
        fee = self.fee_amount(license_value)
        if isinstance(price, IncludedPrice):
            return fee, Explanation.built(kind="included", annual_fee=fee, years=years)
        if isinstance(price, FlatPrice):
            return fee, Explanation.built(kind="flat_fee", annual_fee=fee, years=years)
        prices = self.prices
        exact = percent_of(prices.percent, license_value)
        minimum = prices.minimum
        return fee, Explanation.built(
            kind="percent_fee", percent=prices.percent, base=license_value,
            exact=self._round(exact), minimum=minimum,
            minimum_applied=minimum > exact, annual_fee=fee, years=years,
        )

    def fee_amount(self, license_value: Decimal) -> Decimal:
        """Rule 1: the annual support fee, rounded."""
        fee = self.prices.fee
        if fee is not None:
            return fee
        fee = self._fees.get(license_value)
        if fee is None:
            prices = self.prices
            fee = self._fees[license_value] = self._round(
                max(percent_of(prices.percent, license_value), prices.minimum))
        return fee

    def environment_price(self, annual_fee: Decimal) -> tuple[Decimal, Decimal | None]:
        """Rule 2: the yearly price of one extra environment (and its percent, if any)."""
        prices = self.prices
        if prices.unit is not None:
            return prices.unit, None
        price = self._environment_prices.get(annual_fee)
        if price is None:
            price = self._environment_prices[annual_fee] = (
                self._round(percent_of(prices.unit_percent, annual_fee)),
                prices.unit_percent)
        return price

    def extra_environments(self, environments: int) -> int:
        return max(0, environments - self.included)

    def annual_cost(self, license_value: Decimal, environments: int) -> Decimal:
        key = (license_value, environments)  # equal values give the same rounded cost
        cost = self._annual.get(key)
        if cost is None:
            fee = self.fee_amount(license_value)
            extra = environments - self.included
            cost = self._annual[key] = (fee + self.environment_price(fee)[0] * extra
                                        if extra > 0 else fee)
        return cost

    # -- which amounts rest on example values (rule 11) ---------------------

    def fee_example(self, license_value: Decimal) -> bool:
        prices = self.prices
        if prices.fee_example is not None:
            return prices.fee_example
        if prices.percent_example:
            return True
        if not prices.minimum_example:
            return False
        example = self._fee_examples.get(license_value)
        if example is None:
            example = self._fee_examples[license_value] = (
                prices.minimum > percent_of(prices.percent, license_value))
        return example

    def environment_example(self, license_value: Decimal) -> bool:
        example = self.prices.environment_example
        return self.fee_example(license_value) if example is None else example

    def annual_cost_example(self, license_value: Decimal, environments: int) -> bool:
        return self.fee_example(license_value) or (
            environments > self.included and self.environment_example(license_value))


def price_quote(request: QuoteRequest, book: RateBook, today: dt.date) -> QuoteResult:
    """Price ``request`` with the rate card version in force on its date (``as_of`` or today)."""
    loaded = _resolve(request, book, today)
    return price_with_card(request, loaded, request.as_of or today,
                           tax_basis=tax_of_request(request, book.tax))


def price_with_card(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date, *,
                    texts: bool = True, tax_basis: TaxBasis | None = None,
                    _own_term: bool = False) -> QuoteResult:
    """Price ``request`` with one given card version (a stored snapshot's, for example),
    taxed as ``tax_basis`` says (decided by ``quote.core.tax``; None: the request's own
    override, else no tax).

    With ``texts`` false the lines are left without words (``description`` and
    ``detail`` empty): for figures that nobody reads as text, such as the other
    packages of a comparison in a PDF or on a page.
    """
    card = loaded.card
    package = _package(request, card)
    _check_against_card(request, card, package, as_of, own_term=_own_term)
    currency = request.currency or card.currency
    deployment = request.deployment
    contract = Contract(card, package, deployment, currency)
    kind = request.kind
    if kind == "top_up" and request.separate_term:
        return price_with_card(_separate_term_request(request, card), loaded, as_of,
                               texts=texts, tax_basis=tax_basis, _own_term=True).model_copy(
            update={"kind": "top_up", "existing_contract": True, "separate_term": True})
    start, years = request.term_start, request.term_years
    environments = request.environments or contract.included
    license_value = request.license_value or ZERO
    year_list = contract_years(start, years)
    first_due = _first_charge(request, as_of)
    round_ = rounder(currency)  # round_money in the quote's currency

    billing = request.billing
    if billing == "prepaid":
        slots = [Slot(index + 1, first, last, first_due)
                 for index, first, last, _, _ in year_list]
    else:
        slots = [Slot(index + 1, first, last, first if first > first_due else first_due)
                 for index, first, last, _, _ in year_list]

    charges: list[tuple[Charge, Parts]] = []
    if kind == "reinstatement":
        charges.extend(_back_support(contract, request, license_value, environments, first_due))
    if kind != "top_up":
        charges.extend(_new_term(contract, license_value, environments, year_list, slots))
    if kind == "renewal":
        charges.extend(_renewal_terms(contract, license_value, environments, year_list, slots,
                                      charges, billing))

    # rule 4: each addition against the state before it (the annual cost, and whether it
    # rests on an example value: None until an addition of licenses asks)
    cost, cost_example = contract.annual_cost(license_value, environments), None
    additions = request.additions
    if len(additions) > 1:
        additions = sorted(additions, key=_date_of)
    current_year_only = kind == "top_up" and billing == "annual"
    whole_years: dict[int, Period] = {}  # a whole contract year's period serves every addition
    for addition in additions:
        date = addition.date
        day = date.toordinal()
        periods, spans = [], []  # the periods charged, and each one's slot, days, year's days
        for index, first, last, year_days, ordinal in year_list:
            if last < date:
                continue
            if date > first:  # from the addition's date to the year's end
                days = year_days - (day - ordinal)
                period = Period.built(year=index + 1, start=date, end=last, days=days,
                                      year_days=year_days)
            else:
                days = year_days
                period = whole_years.get(index)
                if period is None:
                    period = whole_years[index] = Period.built(
                        year=index + 1, start=first, end=last, days=days, year_days=year_days)
            periods.append(period)
            spans.append((slots[index], days, year_days))
            if current_year_only:
                break  # to the end of the current contract year
        added = addition.license_value
        if added:
            before = cost
            example = (contract.annual_cost_example(license_value, environments)
                       if cost_example is None else cost_example)
            license_value += added
            cost = contract.annual_cost(license_value, environments)
            cost_example = None if example else contract.annual_cost_example(license_value,
                                                                              environments)
            charges.append(_pro_rata("addition", date, before, cost, periods, spans, round_,
                                     example=example or cost_example,
                                     added_license_value=added))
        added = addition.environments
        if added:
            before = cost
            environments += added
            cost, cost_example = contract.annual_cost(license_value, environments), None
            charges.append(_pro_rata("environment", date, before, cost, periods, spans, round_,
                                     quantity=added,
                                     example=contract.environment_example(license_value)))

    if request.points is not None:
        amount, explanation, example = _points(card, request.points, currency)
        parts = {slots[_year_of(year_list, first_due).index]: amount}
        charges.append((Charge(code="points", amount=amount,
                               explanation=explanation, example=example), parts))

    language = request.language
    lines = []
    subtotal = ZERO
    if texts:  # the lines in words
        words = describer(language, currency)
        describe, explain = words.line_description, words.explain
        for charge, _ in charges:
            code, amount, explanation, example, date = charge
            lines.append(Line.built(
                code=code, description=describe(charge, card, package, deployment, years),
                amount=amount, explanation=explanation, detail=explain(explanation),
                date=date, example=example))
            subtotal += amount
    else:
        for (code, amount, explanation, example, date), _ in charges:
            lines.append(Line.built(code=code, description="", amount=amount,
                                    explanation=explanation, detail="", date=date,
                                    example=example))
            subtotal += amount
    discount_percent = request.discount_percent
    discount = round_(percent_of(discount_percent, subtotal))
    net = subtotal - discount
    basis = tax_basis if tax_basis is not None else tax_of_request(request, None)
    tax_percent = basis.rate if basis is not None else ZERO
    tax = round_(percent_of(tax_percent, net))
    billed = schedule([(charge[1], parts) for charge, parts in charges],
                      discount_percent, discount, tax_percent, tax, currency)
    return QuoteResult.built(
        rate_card=_card_ref(loaded, language),
        package=_package_ref(package, language),
        deployment=deployment,
        language=language,
        as_of=as_of,
        existing_contract=request.existing_contract,
        kind=kind,
        billing=request.billing,
        currency=currency,
        term=Term.built(start=start, end=year_list[-1].end, years=years),  # its last day
        lines=lines,
        subtotal=subtotal,
        discount_percent=discount_percent,
        discount=discount,
        net=net,
        tax_percent=tax_percent,
        tax=tax,
        tax_basis=basis,
        total=net + tax,
        annual_cost=cost,
        schedule=[ScheduleEntry.built(year=year, start=first, end=last, due=due,
                                      amount=amount, discount=discount_part, net=net_part,
                                      tax=tax_part, total=total)
                  for (year, first, last, due), amount, discount_part, net_part, tax_part, total
                  in billed],
    )


def _points(card: RateCard, quantity: int, currency: str
            ) -> tuple[Decimal, Explanation, bool]:
    """Rule 5: the points line's amount, its explanation, and whether it rests on examples."""
    points = card.points
    assert points is not None
    bands = points.bands(quantity)
    example = points.is_example("tier_pricing") or any(
        tier.is_example("price", currency) for tier, _ in bands)
    if points.tier_pricing == "graduated":
        shown = [PointsBand.built(from_points=tier.from_points, quantity=count,
                                  unit_price=round_money(tier.price.of(currency), currency))
                 for tier, count in bands]
        amount = sum((band.unit_price * band.quantity for band in shown), ZERO)
        explanation = Explanation.built(kind="points", quantity=quantity, bands=shown)
        return amount, explanation, example
    ((tier, _),) = bands
    unit = round_money(tier.price.of(currency), currency)
    amount = unit * quantity
    cheaper = None
    for later in points.tiers:
        if quantity < later.from_points <= points.maximum:
            cost = round_money(later.price.of(currency), currency) * later.from_points
            if cost < amount:
                cheaper = (later.from_points, cost)
                break
    return amount, Explanation.built(
        kind="points", quantity=quantity, unit_price=unit, tier_from=tier.from_points,
        cheaper_quantity=cheaper[0] if cheaper else None,
        cheaper_amount=cheaper[1] if cheaper else None), example


_date_of = attrgetter("date")


def _first_charge(request: QuoteRequest, as_of: dt.date) -> dt.date:
    """The first day the offer charges for: when a prepaid offer is due."""
    if request.kind == "top_up":
        return min((a.date for a in request.additions), default=max(as_of,
                                                                     request.term_start))
    return request.term_start


def _year_of(years: list[ContractYear], day: dt.date) -> ContractYear:
    return next((y for y in years if y.start <= day <= y.end), years[-1])


def _separate_term_request(request: QuoteRequest, card: RateCard) -> QuoteRequest:
    """A top-up's additions as a new contract of their own (rule 7)."""
    first = min(a.date for a in request.additions)
    added_value = sum((a.license_value for a in request.additions), ZERO)
    added_environments = sum(a.environments for a in request.additions)
    package = card.package(request.package)
    assert package is not None
    included = package.environments.included
    return request.model_copy(update={
        "kind": "new", "existing_contract": False, "separate_term": False,
        "license_value": added_value if card.license_value else None, "term_start": first,
        "term_years": card.minimum_term_years,
        # the added environments are all extra: the running contract holds the included ones
        "environments": included + added_environments if added_environments else None,
        "additions": [],
    })


def _new_term(contract: Contract, license_value: Decimal, environments: int,
              years: list[ContractYear], slots: list[Slot]) -> list[tuple[Charge, Parts]]:
    """Rule 3: the support fee and the extra environments of every contract year
    (``slots``: each year's, in the same order)."""
    count = len(years)
    fee, explanation = contract.fee(license_value, count)
    support = Shares.fromkeys(slots, fee)  # the rounded fee each year
    charges = [(Charge("support", fee * count, explanation,
                       contract.fee_example(license_value)), support)]
    extra = environments - contract.included  # rule 2: beyond the included ones
    if extra > 0:
        unit, unit_percent = contract.environment_price(fee)
        yearly = unit * extra
        parts = Shares.fromkeys(slots, yearly)  # rounded: unit × extra
        explanation = Explanation.built(
            kind="extra_environments", quantity=extra, included=contract.included,
            unit_price=unit, unit_percent=unit_percent,
            annual_fee=fee if unit_percent is not None else None, years=count)
        # positionally (code, amount, explanation, example): a named tuple's fields given by
        # name cost it several times as much
        charges.append((Charge("environment", yearly * count, explanation,
                               contract.environment_example(license_value)), parts))
    return charges


def _renewal_terms(contract: Contract, license_value: Decimal, environments: int,
                   years: list[ContractYear], slots: list[Slot], term_charges, billing: str
                   ) -> list[tuple[Charge, Parts]]:
    """Rule 8: a yearly uplift, and the discount for a prepaid multi-year term
    (``slots``: each contract year's, in the same order as ``years``)."""
    rules = contract.card.renewal
    currency = contract.currency
    annual = contract.annual_cost(license_value, environments)
    annual_example = contract.annual_cost_example(license_value, environments)
    charges: list[tuple[Charge, Parts]] = []
    if rules.uplift_percent:
        for year in years[1:]:
            exact = uplift(annual, rules.uplift_percent, year.index + 1)
            parts = {slots[year.index]: exact}
            charges.append((Charge(
                code="uplift", amount=round_money(exact, currency),
                explanation=Explanation.built(kind="uplift", base=annual,
                                              percent=rules.uplift_percent,
                                              year=year.index + 1),
                example=annual_example or rules.is_example("uplift_percent"),
            ), parts))
    rate = rules.prepayment_discount(len(years)) if billing == "prepaid" else ZERO
    if rate:
        priced = [*term_charges, *charges]
        base = sum((charge.amount for charge, _ in priced), ZERO)
        parts: Parts = {}
        for _, line_parts in priced:
            for year_slot, exact in line_parts.items():
                parts[year_slot] = parts.get(year_slot, ZERO) - percent_of(rate, exact)
        charges.append((Charge(
            code="prepayment_discount",
            amount=-round_money(percent_of(rate, base), currency),
            explanation=Explanation.built(kind="prepayment_discount", percent=rate, base=base,
                                          years=len(years)),
            example=rules.is_example("prepayment_discounts") or any(
                charge.example for charge, _ in priced),
        ), parts))
    return charges


def _back_support(contract: Contract, request: QuoteRequest, license_value: Decimal,
                  environments: int, due: dt.date) -> list[tuple[Charge, Parts]]:
    """Rule 9: the uncovered days, pro rata by the lapsed contract's years, and the fee."""
    lapsed = request.lapsed
    rules = contract.card.reinstatement
    assert lapsed is not None and rules is not None
    currency = contract.currency
    gap_start, gap_end = lapsed.end + ONE_DAY, request.term_start - ONE_DAY
    cost = contract.annual_cost(license_value, environments)
    periods, parts = [], {}
    gap = Slot(None, gap_start, gap_end, due)
    count = gap_end.year - lapsed.start.year + 2
    for year in contract_years(lapsed.start, count):
        first, last = max(year.start, gap_start), min(year.end, gap_end)
        if first > last:
            continue
        period = Period.built(year=year.index + 1, start=first, end=last,
                              days=(last - first).days + 1, year_days=year.days)
        periods.append(period)
        parts[gap] = parts.get(gap, ZERO) + ratio(cost, period.days, period.year_days)
    back = round_money(sum(parts.values(), ZERO), currency)
    fee = round_money(percent_of(rules.fee_percent, back), currency)
    fee_parts = {gap: ZERO + percent_of(rules.fee_percent, back)}
    example = contract.annual_cost_example(license_value, environments)
    return [
        (Charge(code="back_support", amount=back,
                explanation=Explanation.built(kind="back_support", annual_cost=cost,
                                              periods=periods),
                example=example),
         parts),
        (Charge(code="reinstatement_fee", amount=fee,
                explanation=Explanation.built(kind="reinstatement_fee",
                                              percent=rules.fee_percent, base=back),
                example=example or rules.is_example("fee_percent")),
         fee_parts),
    ]


def _pro_rata(code, date, before, after, periods, spans, round_,
              quantity=None, example=False, added_license_value=None) -> tuple[Charge, Parts]:
    """Rule 4: the line of an addition charged for ``periods``, ``spans`` each period's
    (slot, days, year's days); ``round_`` rounds in the quote's currency."""
    difference = after - before
    parts = {}
    exact = ZERO
    for year_slot, days, year_days in spans:
        part = parts[year_slot] = ratio(difference, days, year_days)
        exact += part
    return Charge(code, round_(exact), Explanation.built(
        kind="pro_rata", before=before, after=after, difference=difference,
        periods=list(periods), quantity=quantity, added_license_value=added_license_value),
        example, date), parts


# A result's references to its card and package, the same for every quote of a loaded card
# in one language (frozen models, so one can be in many results). Kept by the object's id
# with the object itself, so that the id is not another object's while it is kept.
_REFS: dict[tuple[int, str], tuple[object, CardRef | PackageRef]] = {}
_REFS_KEPT = 256


def _card_ref(loaded: LoadedCard, language: str) -> CardRef:
    kept = _REFS.get((id(loaded), language))
    if kept is not None and kept[0] is loaded:
        return kept[1]
    card = loaded.card
    ref = CardRef.built(id=card.id, version=card.version, effective_from=card.effective_from,
                        name=card.name(language), sha256=loaded.sha256)
    _keep_ref(loaded, language, ref)
    return ref


def _package_ref(package: Package, language: str) -> PackageRef:
    kept = _REFS.get((id(package), language))
    if kept is not None and kept[0] is package:
        return kept[1]
    ref = PackageRef.built(id=package.id, name=package.name(language))
    _keep_ref(package, language, ref)
    return ref


def _keep_ref(owner: object, language: str, ref: CardRef | PackageRef) -> None:
    if len(_REFS) >= _REFS_KEPT:
        _REFS.clear()
    _REFS[(id(owner), language)] = (owner, ref)


# -- checks that need the rate card -----------------------------------------


def _resolve(request: QuoteRequest, book: RateBook, today: dt.date) -> LoadedCard:
    return resolve_card(book, request.rate_card, request.rate_card_version,
                        request.as_of or today)


def resolve_card(book: RateBook, card_id: str, version: str | None,
                 on: dt.date) -> LoadedCard:
    """The version ``version`` of ``card_id`` if one is pinned, else the version in
    force ``on``; ``QuoteInputError`` naming ``rate_card`` or ``rate_card_version``."""
    if card_id not in book.versions:
        raise QuoteInputError([FieldError("rate_card", N_("unknown rate card; choose one of "
                                                          "%(known)s"),
                                          {"known": ", ".join(book.ids())})])
    if version:
        pinned = book.version(card_id, version)
        if pinned is None:
            raise QuoteInputError([FieldError(
                "rate_card_version", N_("%(card)s has no version %(version)s; it has "
                                        "%(known)s"),
                {"card": card_id, "version": version,
                 "known": ", ".join(v.card.version for v in book.versions[card_id])})])
        return pinned
    loaded = book.in_force(card_id, on)
    if loaded is None:
        raise QuoteInputError([FieldError(
            "rate_card", N_("no version of %(card)s is in force on %(date)s"),
            {"card": card_id, "date": on})])
    return loaded


def _package(request: QuoteRequest, card: RateCard) -> Package:
    package = card.package(request.package)
    if package is None:
        raise QuoteInputError([FieldError(
            "package", N_("unknown package; this rate card offers %(known)s"),
            {"known": ", ".join(p.id for p in card.packages)})])
    return package


def _check_against_card(request: QuoteRequest, card: RateCard, package: Package,
                        as_of: dt.date, *, own_term: bool = False) -> None:
    # Each field of the request and the card read once: reading an attribute of a pydantic
    # model goes through its ``__getattr__`` hook, which costs several times a local's.
    errors: list[FieldError] = []
    currencies = card.currencies
    currency = request.currency or card.currency
    if currency not in currencies:
        errors.append(FieldError("currency", N_("this rate card prices in %(known)s"),
                                 {"known": ", ".join(currencies)}))
        currency = card.currency
    decimals, unit = minor_units(currency), minor_unit(currency)
    price = package.price(request.deployment)
    errors.extend(_license_errors(request, card, price, own_term, currency))
    license_value = request.license_value
    if license_value is not None and _more_decimals(license_value, unit, decimals):
        errors.append(_decimals_error("license_value", currency, decimals))
    term_start, term_years = request.term_start, request.term_years
    minimum_years, maximum_years = card.minimum_term_years, card.maximum_term_years
    in_term = minimum_years <= term_years <= maximum_years
    if not in_term:
        errors.append(FieldError("term_years", N_("must be between %(min)s and %(max)s years "
                                                  "for this rate card"),
                                 {"min": minimum_years, "max": maximum_years}))
    rules = package.environments
    included, maximum, extra = rules.included, rules.maximum, rules.extra
    environments = request.environments or included
    if environments > maximum:
        errors.append(FieldError("environments", N_("at most %(max)s environments"),
                                 {"max": maximum}))
    elif environments > included and extra is None:
        errors.append(FieldError("environments", N_("this package has no extra environments")))

    last = last_day(term_start, term_years)
    kind = request.kind
    top_up = kind == "top_up"
    ended = top_up and in_term and as_of > last
    if ended:
        errors.append(FieldError("term_start", ENDED, {"end": last}))
    additions = request.additions
    ordered = enumerate(additions)
    if len(additions) > 1:
        dates = [addition.date for addition in additions]
        if dates != sorted(dates):  # in date order (a stable sort keeps equal dates' order)
            ordered = sorted(ordered, key=_date_of_item)
    for index, addition in ordered:
        added, date, added_environments = (addition.license_value, addition.date,
                                           addition.environments)
        if _more_decimals(added, unit, decimals):
            errors.append(_decimals_error(f"additions.{index}.license_value", currency,
                                          decimals))
        if added and not card.license_value:
            errors.append(FieldError(f"additions.{index}.license_value", NO_LICENSE_VALUE))
        elif added and not isinstance(price, PercentPrice):
            errors.append(FieldError(f"additions.{index}.license_value", N_(
                "adds nothing: this package's fee does not depend on the license value")))
        if in_term and top_up and date > last and not ended:
            errors.append(FieldError(f"additions.{index}.date", ENDED, {"end": last}))
        elif in_term and not term_start <= date <= last:
            errors.append(FieldError(f"additions.{index}.date", N_("must lie within the term, "
                                                                  "%(start)s to %(end)s"),
                                     {"start": term_start, "end": last}))
        if added_environments:
            environments += added_environments
            if environments > maximum:
                errors.append(FieldError(f"additions.{index}.environments",
                                         N_("brings the environments above the maximum of "
                                            "%(max)s"), {"max": maximum}))
            elif extra is None:
                errors.append(FieldError(f"additions.{index}.environments",
                                         N_("this package has no extra environments")))
    points, separate_term = request.points, request.separate_term
    if top_up and not additions and (points is None or separate_term):
        errors.append(FieldError("additions", N_("a top-up of a running contract needs at "
                                                 "least one addition")))
    if separate_term and not top_up:
        errors.append(FieldError("separate_term", N_("only a top-up can be priced as a "
                                                     "separate term")))
    errors.extend(_lapse_errors(request, card))
    if points is not None:
        if card.points is None:
            errors.append(FieldError("points", N_("this rate card sells no support points")))
        elif not card.points.minimum <= points <= card.points.maximum:
            errors.append(FieldError("points", N_("must be between %(min)s and %(max)s"),
                                     {"min": card.points.minimum, "max": card.points.maximum}))
    if request.discount_percent > card.max_discount_percent:
        errors.append(FieldError("discount_percent", N_("at most %(max)s percent on this "
                                                        "rate card"),
                                 {"max": card.max_discount_percent}))
    if errors:
        raise QuoteInputError(errors)


def _date_of_item(item: tuple[int, Addition]) -> dt.date:
    return item[1].date


def _more_decimals(amount: Decimal, unit: Decimal, decimals: int) -> bool:
    """``amount`` has more than the currency's ``decimals``; one written with them (the
    usual case: the same quantum as its minor ``unit``) is not looked at digit by digit."""
    return not amount.same_quantum(unit) and -amount.as_tuple().exponent > decimals


def _decimals_error(field: str, currency: str, decimals: int) -> FieldError:
    return FieldError(field, N_("%(currency)s amounts have at most %(decimals)s decimals"),
                      {"currency": currency, "decimals": decimals})


ENDED = N_("the contract ended on %(end)s: a top-up is no longer possible; price a "
           "reinstatement instead")
NO_LICENSE_VALUE = N_("this rate card has no license value: its prices do not depend on one")


def _license_errors(request: QuoteRequest, card: RateCard,
                    price: PercentPrice | IncludedPrice | FlatPrice, own_term: bool,
                    currency: str) -> list[FieldError]:
    """A license value where the card has none, none where it needs one, and a zero
    license value that would make the fee zero (``price``: the package's for the request's
    deployment)."""
    value = request.license_value
    if not card.license_value:
        return [FieldError("license_value", NO_LICENSE_VALUE)] if value else []
    if value is None:
        return [FieldError("license_value", N_("is required"))]
    separate = request.kind == "top_up" and request.separate_term
    if value == 0 and not separate and isinstance(price, PercentPrice) \
            and not price.minimum.of(currency):
        if own_term:  # a top-up's additions as a contract of their own
            return [FieldError("additions", N_(
                "add licenses for a contract of their own: its fee is a percentage of the "
                "license value with no minimum"))]
        return [FieldError("license_value", N_(
            "must be above 0: the fee is a percentage of the license value with no minimum, "
            "so nothing would be charged"))]
    return []


def _lapse_errors(request: QuoteRequest, card: RateCard) -> list[FieldError]:
    lapsed = request.lapsed
    if request.kind != "reinstatement":
        if lapsed is not None:
            return [FieldError("lapsed", N_("is only given for a reinstatement"))]
        return []
    if card.reinstatement is None:
        return [FieldError("kind", N_("this rate card has no terms for reinstating support"))]
    if lapsed is None:
        return [FieldError("lapsed", N_("a reinstatement needs the lapsed contract's start "
                                        "and end"))]
    if lapsed.end < lapsed.start:
        return [FieldError("lapsed.end", N_("must not lie before the start"))]
    if lapsed.end + ONE_DAY >= request.term_start:
        return [FieldError("term_start", N_("must lie after %(day)s: support lapsed only if "
                                            "the new term starts later than the day after "
                                            "the old one ended (else price a renewal)"),
                           {"day": lapsed.end + ONE_DAY})]
    return []


def compare_packages(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
                     tax_basis: TaxBasis | None = None, *, texts: bool = False
                     ) -> list[tuple[Package, QuoteResult | None]]:
    """The same request priced with every package of the card, in the card's order, taxed
    as the offer is (``tax_basis``); the lines in words only with ``texts`` (a comparison
    shows figures).

    A package the request does not fit (too many environments, say) is paired
    with ``None``.
    """
    compared = []
    for package in loaded.card.packages:
        variant = request.model_copy(update={"package": package.id})
        try:
            compared.append((package, price_with_card(variant, loaded, as_of,
                                                      texts=texts, tax_basis=tax_basis)))
        except QuoteInputError:
            compared.append((package, None))
    return compared


@dataclass(frozen=True)
class Move:
    """What moving a whole running contract to ``package`` costs for the rest of the
    term (or, with annual billing, of the current contract year) from ``start``:
    the difference in annual cost, pro rata (negative when the package costs less)."""

    package: Package
    annual_cost: Decimal
    difference: Decimal
    periods: list[Period]
    amount: Decimal


def compare_moves(request: QuoteRequest, loaded: LoadedCard,
                  as_of: dt.date) -> list[tuple[Package, Move | None]]:
    """For a top-up: every package of the card as a move of the whole contract (after the
    top-up), from the top-up's first day; None where the contract does not fit."""
    result = price_with_card(request, loaded, as_of, texts=False)
    card = loaded.card
    start = _first_charge(request, as_of)
    years = [y for y in contract_years(request.term_start, request.term_years)
             if y.end >= start]
    if request.billing == "annual":
        years = years[:1]
    periods = [Period.built(year=y.index + 1, start=max(start, y.start), end=y.end,
                            days=(y.end - max(start, y.start)).days + 1, year_days=y.days)
               for y in years]
    license_value = (request.license_value or ZERO) + sum(
        (a.license_value for a in request.additions), ZERO)
    currency = result.currency
    current = result.annual_cost
    assert current is not None
    moves: list[tuple[Package, Move | None]] = []
    for package in card.packages:
        environments = (request.environments or package.environments.included) + sum(
            a.environments for a in request.additions)
        rules = package.environments
        if environments > rules.maximum or (environments > rules.included
                                            and rules.extra is None):
            moves.append((package, None))
            continue
        cost = Contract(card, package, request.deployment, currency).annual_cost(
            license_value, environments)
        difference = cost - current
        exact = sum((ratio(difference, p.days, p.year_days) for p in periods), ZERO)
        moves.append((package, Move(package, cost, difference, periods,
                                    round_money(exact, currency))))
    return moves


def alternative_term(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
                     tax_basis: TaxBasis | None = None) -> QuoteResult | None:
    """A top-up priced the other way (co-termed or as a separate term), to show side by
    side (its figures: the lines are not in words); None when it cannot be priced that
    way."""
    if request.kind != "top_up":
        return None
    other = request.model_copy(update={"separate_term": not request.separate_term})
    try:
        return price_with_card(other, loaded, as_of, texts=False, tax_basis=tax_basis)
    except QuoteInputError:
        return None


__all__ = ["Contract", "Describer", "Move", "alternative_term", "compare_moves",
           "compare_packages", "price_quote", "price_with_card"]
