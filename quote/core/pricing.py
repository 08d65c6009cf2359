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
5. Support points are quantity × the price per point of the volume tier the
   quantity falls in (the tier with the highest ``from`` not above it).
6. Each line is rounded; subtotal = sum of lines; discount = round(subtotal ×
   discount %); net = subtotal − discount; tax = round(net × tax %);
   total = net + tax.
7. ``existing_contract``: the term describes a running contract (with
   ``environments`` it already has); only additions and points are charged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .catalog import LoadedCard, RateBook
from .contract import contract_years, last_day
from .describe import Describer, describe_line
from .errors import N_, FieldError, QuoteInputError
from .money import ZERO, minor_units, percent_of, ratio, round_money
from .rates import (
    FlatPrice,
    IncludedPrice,
    Package,
    PercentEnvironmentPrice,
    PercentPrice,
    RateCard,
)
from .request import QuoteRequest
from .result import CardRef, Explanation, Line, PackageRef, Period, QuoteResult, Term


class Contract:
    """A package's prices for one deployment and currency."""

    def __init__(self, card: RateCard, package: Package, deployment: str):
        self.card = card
        self.package = package
        self.price = package.price(deployment)
        self.currency = card.currency

    def fee(self, license_value: Decimal) -> tuple[Decimal, Explanation]:
        """Rule 1: the annual support fee (rounded) and how it was reached."""
        price = self.price
        if isinstance(price, IncludedPrice):
            zero = round_money(ZERO, self.currency)
            return zero, Explanation(kind="included", annual_fee=zero)
        if isinstance(price, FlatPrice):
            flat = round_money(price.price, self.currency)
            return flat, Explanation(kind="flat_fee", annual_fee=flat)
        assert isinstance(price, PercentPrice)
        exact = percent_of(price.percent, license_value)
        fee = round_money(max(exact, price.minimum), self.currency)
        return fee, Explanation(
            kind="percent_fee", percent=price.percent, base=license_value,
            exact=round_money(exact, self.currency), minimum=price.minimum,
            minimum_applied=price.minimum > exact, annual_fee=fee,
        )

    def environment_price(self, annual_fee: Decimal) -> tuple[Decimal, Decimal | None]:
        """Rule 2: the yearly price of one extra environment (and its percent, if any)."""
        extra = self.package.environments.extra
        if extra is None:
            return ZERO, None
        if isinstance(extra, PercentEnvironmentPrice):
            return round_money(percent_of(extra.percent, annual_fee), self.currency), extra.percent
        return round_money(extra.price, self.currency), None

    def extra_environments(self, environments: int) -> int:
        return max(0, environments - self.package.environments.included)

    def annual_cost(self, license_value: Decimal, environments: int) -> Decimal:
        fee, _ = self.fee(license_value)
        unit, _ = self.environment_price(fee)
        return fee + unit * self.extra_environments(environments)


def price_quote(request: QuoteRequest, book: RateBook, today: dt.date) -> QuoteResult:
    """Price ``request`` with the rate card version in force on its date (``as_of`` or today)."""
    loaded = _resolve(request, book, today)
    return price_with_card(request, loaded, request.as_of or today)


def price_with_card(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date) -> QuoteResult:
    """Price ``request`` with one given card version (a stored snapshot's, for example)."""
    card = loaded.card
    package = _package(request, card)
    _check_against_card(request, card, package)
    contract = Contract(card, package, request.deployment)
    currency = card.currency
    start, years = request.term_start, request.term_years
    environments = request.environments or package.environments.included

    lines: list[Line] = []
    if not request.existing_contract:
        lines.extend(_new_term(contract, request.license_value, environments, years))

    license_value = request.license_value
    year_list = contract_years(start, years)
    for addition in sorted(request.additions, key=lambda a: a.date):
        periods = [
            Period(year=y.index + 1, start=max(addition.date, y.start), end=y.end,
                   days=(y.end - max(addition.date, y.start)).days + 1, year_days=y.days)
            for y in year_list if y.end >= addition.date
        ]
        if addition.license_value:
            before = contract.annual_cost(license_value, environments)
            license_value += addition.license_value
            after = contract.annual_cost(license_value, environments)
            lines.append(_pro_rata("addition", addition.date, before, after, periods, currency))
        if addition.environments:
            before = contract.annual_cost(license_value, environments)
            environments += addition.environments
            after = contract.annual_cost(license_value, environments)
            lines.append(_pro_rata("environment", addition.date, before, after, periods,
                                   currency, quantity=addition.environments))

    if request.points is not None:
        assert card.points is not None
        unit = round_money(card.points.unit_price(request.points), currency)
        tier = max(t.from_points for t in card.points.tiers if t.from_points <= request.points)
        explanation = Explanation(kind="points", quantity=request.points, unit_price=unit,
                                  tier_from=tier)
        lines.append(Line(code="points", description="", amount=unit * request.points,
                          explanation=explanation))

    lines = [_in_words(line, card, package, request) for line in lines]
    subtotal = sum((line.amount for line in lines), ZERO)
    discount = round_money(percent_of(request.discount_percent, subtotal), currency)
    net = subtotal - discount
    tax = round_money(percent_of(request.tax_percent, net), currency)
    return QuoteResult(
        rate_card=CardRef(id=card.id, version=card.version, effective_from=card.effective_from,
                          name=card.name(request.language), sha256=loaded.sha256),
        package=PackageRef(id=package.id, name=package.name(request.language)),
        deployment=request.deployment,
        language=request.language,
        as_of=as_of,
        existing_contract=request.existing_contract,
        currency=currency,
        term=Term(start=start, end=last_day(start, years), years=years),
        lines=lines,
        subtotal=subtotal,
        discount_percent=request.discount_percent,
        discount=discount,
        net=net,
        tax_percent=request.tax_percent,
        tax=tax,
        total=net + tax,
    )


def _new_term(contract: Contract, license_value: Decimal, environments: int,
              years: int) -> list[Line]:
    fee, explanation = contract.fee(license_value)
    lines = [Line(code="support", description="", amount=fee * years,
                  explanation=explanation.model_copy(update={"years": years}))]
    extra = contract.extra_environments(environments)
    if extra:
        unit, unit_percent = contract.environment_price(fee)
        lines.append(Line(
            code="environment", description="", amount=unit * extra * years,
            explanation=Explanation(
                kind="extra_environments", quantity=extra,
                included=contract.package.environments.included, unit_price=unit,
                unit_percent=unit_percent, annual_fee=fee if unit_percent is not None else None,
                years=years,
            ),
        ))
    return lines


def _pro_rata(code, date, before, after, periods, currency, quantity=None) -> Line:
    difference = after - before
    exact = sum((ratio(difference, p.days, p.year_days) for p in periods), ZERO)
    return Line(
        code=code, description="", amount=round_money(exact, currency), date=date,
        explanation=Explanation(kind="pro_rata", before=before, after=after,
                                difference=difference, periods=periods, quantity=quantity),
    )


def _in_words(line: Line, card: RateCard, package: Package, request: QuoteRequest) -> Line:
    description, detail = describe_line(line, card, package, request.deployment,
                                        request.term_years, request.language)
    return line.model_copy(update={"description": description, "detail": detail})


# -- checks that need the rate card -----------------------------------------


def _resolve(request: QuoteRequest, book: RateBook, today: dt.date) -> LoadedCard:
    on = request.as_of or today
    loaded = book.in_force(request.rate_card, on)
    if loaded is None:
        if request.rate_card in book.versions:
            error = FieldError("rate_card", N_("no version of %(card)s is in force on %(date)s"),
                               {"card": request.rate_card, "date": on.isoformat()})
        else:
            error = FieldError("rate_card", N_("unknown rate card; choose one of %(known)s"),
                               {"known": ", ".join(book.ids())})
        raise QuoteInputError([error])
    return loaded


def _package(request: QuoteRequest, card: RateCard) -> Package:
    package = card.package(request.package)
    if package is None:
        raise QuoteInputError([FieldError(
            "package", N_("unknown package; this rate card offers %(known)s"),
            {"known": ", ".join(p.id for p in card.packages)})])
    return package


def _check_against_card(request: QuoteRequest, card: RateCard, package: Package) -> None:
    errors: list[FieldError] = []
    decimals = minor_units(card.currency)

    def check_decimals(field: str, value: Decimal) -> None:
        if -value.as_tuple().exponent > decimals:
            errors.append(FieldError(field, N_("%(currency)s amounts have at most "
                                               "%(decimals)s decimals"),
                                     {"currency": card.currency, "decimals": decimals}))

    check_decimals("license_value", request.license_value)
    if not card.minimum_term_years <= request.term_years <= card.maximum_term_years:
        errors.append(FieldError("term_years", N_("must be between %(min)s and %(max)s years "
                                                  "for this rate card"),
                                 {"min": card.minimum_term_years,
                                  "max": card.maximum_term_years}))
    rules = package.environments
    environments = request.environments or rules.included
    if environments > rules.maximum:
        errors.append(FieldError("environments", N_("at most %(max)s environments"),
                                 {"max": rules.maximum}))
    elif environments > rules.included and rules.extra is None:
        errors.append(FieldError("environments", N_("this package has no extra environments")))

    last = last_day(request.term_start, request.term_years)
    in_term = card.minimum_term_years <= request.term_years <= card.maximum_term_years
    ordered = sorted(enumerate(request.additions), key=lambda item: item[1].date)
    for index, addition in ordered:
        prefix = f"additions.{index}"
        check_decimals(f"{prefix}.license_value", addition.license_value)
        if in_term and not request.term_start <= addition.date <= last:
            errors.append(FieldError(f"{prefix}.date", N_("must lie within the term, "
                                                          "%(start)s to %(end)s"),
                                     {"start": request.term_start.isoformat(),
                                      "end": last.isoformat()}))
        if addition.environments:
            environments += addition.environments
            if environments > rules.maximum:
                errors.append(FieldError(f"{prefix}.environments",
                                         N_("brings the environments above the maximum of "
                                            "%(max)s"), {"max": rules.maximum}))
            elif rules.extra is None:
                errors.append(FieldError(f"{prefix}.environments",
                                         N_("this package has no extra environments")))
    if request.existing_contract and not request.additions and request.points is None:
        errors.append(FieldError("additions", N_("a top-up of a running contract needs at "
                                                 "least one addition")))
    if request.points is not None:
        if card.points is None:
            errors.append(FieldError("points", N_("this rate card sells no support points")))
        elif not card.points.minimum <= request.points <= card.points.maximum:
            errors.append(FieldError("points", N_("must be between %(min)s and %(max)s"),
                                     {"min": card.points.minimum, "max": card.points.maximum}))
    if request.discount_percent > card.max_discount_percent:
        errors.append(FieldError("discount_percent", N_("at most %(max)s percent on this "
                                                        "rate card"),
                                 {"max": card.max_discount_percent}))
    if errors:
        raise QuoteInputError(errors)


def compare_packages(request: QuoteRequest, loaded: LoadedCard,
                     as_of: dt.date) -> list[tuple[Package, QuoteResult | None]]:
    """The same request priced with every package of the card, in the card's order.

    A package the request does not fit (too many environments, say) is paired
    with ``None``.
    """
    compared = []
    for package in loaded.card.packages:
        variant = request.model_copy(update={"package": package.id})
        try:
            compared.append((package, price_with_card(variant, loaded, as_of)))
        except QuoteInputError:
            compared.append((package, None))
    return compared


__all__ = ["Contract", "Describer", "compare_packages", "price_quote", "price_with_card"]
