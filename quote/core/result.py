"""The priced quote: lines with their explanations, and the totals.

Each line explains itself: ``Explanation.reproduce()`` recomputes the line's
amount from the figures it shows, and a line whose amount does not match its
explanation cannot be built. Totals are checked the same way.

The pricing core builds its results with ``built()``: from figures it has made
itself out of a validated request and a validated rate card, so their types
are right already and pydantic's validation of every nested model (the larger
part of a quote's cost) is skipped. Of the result's own check only the totals
run there; that every line matches its explanation and the billing schedule
adds up follows from the pricing rules, which make each line from the figures
its explanation shows, and ``tests/unit/test_built_results.py`` builds the same
results with every check over random requests and compares them byte for byte.
Anything read from outside (a stored snapshot, an API body) is validated as
usual, with every check.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema, model_validator
from pydantic_core import PydanticUndefined

from .money import ZERO, percent_of, ratio, round_money, rounder, uplift

Money = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}),
]

LineCode = Literal["support", "environment", "addition", "points", "uplift",
                   "prepayment_discount", "back_support", "reinstatement_fee"]
ExplanationKind = Literal["percent_fee", "flat_fee", "included", "extra_environments",
                          "pro_rata", "points", "uplift", "prepayment_discount",
                          "back_support", "reinstatement_fee"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def built(cls, **fields) -> Self:
        """The model from fields of the right types, not validated again (see above);
        ``tests/unit/test_built_results.py`` checks that this gives what validation gives.

        What ``model_construct`` does, without its walk over every field's default
        (slower than validating for a model of many optional fields)."""
        try:
            template = _TEMPLATES[cls]
        except KeyError:
            template = _template(cls)
        values = {**template, **fields}  # the fields in the model's order
        if len(values) != len(template):
            raise TypeError(f"{cls.__name__} has no field {sorted(set(values) - set(template))}")
        model = _new(cls)  # BaseModel has no __new__ of its own
        _set_dict(model, values)
        _set_fields_set(model, {*fields})
        _set_extra(model, None)
        _set_private(model, None)
        return model


_new = object.__new__
# BaseModel's slots, set through their descriptors (the model is frozen; this is what
# object.__setattr__ would do, without looking the names up)
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_TEMPLATES: dict[type[_Out], dict[str, object]] = {}


def _template(cls: type[_Out]) -> dict[str, object]:
    """Every field of ``cls`` in order with its default (immutable ones only: a field with a
    mutable default, ``[]``, must be given)."""
    template = {}
    for name, info in cls.model_fields.items():
        default = info.default
        if isinstance(default, (list, dict, set)) or info.default_factory is not None:
            default = _REQUIRED
        template[name] = default
    _TEMPLATES[cls] = template
    return template


_REQUIRED = PydanticUndefined


class Period(_Out):
    """The part of one contract year that an addition is charged for."""

    year: int  # 1-based contract year
    start: dt.date  # first charged day
    end: dt.date  # last day of that contract year
    days: int  # charged days, start and end included
    year_days: int  # days in that contract year (365 or 366)


class PointsBand(_Out):
    """Points bought at one tier's price (graduated tiers: each band at its own price)."""

    from_points: int
    quantity: int
    unit_price: Money


class Explanation(_Out):
    """How a line's amount was reached; which fields are set depends on ``kind``.

    - ``percent_fee``: ``percent`` % of ``base`` is ``exact``; with ``minimum``
      (``minimum_applied`` when it is higher) the annual fee is ``annual_fee``
      (rounded); amount = ``annual_fee`` × ``years``.
    - ``flat_fee``: amount = ``annual_fee`` × ``years``.
    - ``included``: no charge (``annual_fee`` 0).
    - ``extra_environments``: ``quantity`` environments beyond ``included`` at
      ``unit_price`` a year (``unit_percent`` % of ``annual_fee`` when priced as
      a share of the fee); amount = ``unit_price`` × ``quantity`` × ``years``.
    - ``pro_rata``: the annual cost goes from ``before`` to ``after``; the
      ``difference`` is charged for each ``period`` as difference × days /
      year_days, summed (``exact``) and rounded once. An addition of licenses
      names the ``added_license_value`` (offers issued before it was recorded
      have none).
    - ``points``: ``quantity`` points at ``unit_price`` (volume tiers: the tier
      from ``tier_from`` points on; ``cheaper_quantity`` points, the next tier's
      start, would cost ``cheaper_amount``, less); or, graduated tiers, the sum
      over ``bands`` of each band's quantity × its unit price.
    - ``uplift``: renewal year ``year`` costs ``base`` (the annual cost) ×
      (1 + ``percent`` %)^(year − 1); amount = that minus ``base``, rounded.
    - ``prepayment_discount``: ``percent`` % off ``base`` (the term's support,
      environments and uplifts) for paying a multi-year term in advance;
      amount = −round(percent % of base).
    - ``back_support``: the annual cost ``annual_cost`` for each ``period`` of
      the uncovered days (days / year_days of the lapsed contract's years),
      summed and rounded once.
    - ``reinstatement_fee``: ``percent`` % of ``base`` (the back-support), rounded.
    """

    kind: ExplanationKind
    percent: Money | None = None
    base: Money | None = None
    exact: Money | None = None
    minimum: Money | None = None
    minimum_applied: bool | None = None
    annual_fee: Money | None = None
    years: int | None = None
    quantity: int | None = None
    included: int | None = None
    unit_price: Money | None = None
    unit_percent: Money | None = None
    tier_from: int | None = None
    bands: list[PointsBand] | None = None
    cheaper_quantity: int | None = None
    cheaper_amount: Money | None = None
    before: Money | None = None
    after: Money | None = None
    difference: Money | None = None
    periods: list[Period] | None = None
    year: int | None = None
    annual_cost: Money | None = None
    added_license_value: Money | None = None

    def reproduce(self, currency: str) -> Decimal:
        """The amount these figures give, by the rules stated above."""
        if self.kind == "percent_fee":
            assert self.percent is not None and self.base is not None and self.years
            fee = max(percent_of(self.percent, self.base), self.minimum or ZERO)
            return round_money(fee, currency) * self.years
        if self.kind == "flat_fee":
            assert self.annual_fee is not None and self.years
            return self.annual_fee * self.years
        if self.kind == "included":
            return ZERO
        if self.kind == "extra_environments":
            assert self.unit_price is not None and self.quantity is not None and self.years
            return self.unit_price * self.quantity * self.years
        if self.kind == "pro_rata":
            assert self.difference is not None and self.periods is not None
            exact = sum(
                (ratio(self.difference, p.days, p.year_days) for p in self.periods), ZERO
            )
            return round_money(exact, currency)
        if self.kind == "points":
            if self.bands is not None:
                return sum((band.unit_price * band.quantity for band in self.bands), ZERO)
            assert self.unit_price is not None and self.quantity is not None
            return self.unit_price * self.quantity
        if self.kind == "uplift":
            assert self.base is not None and self.percent is not None and self.year
            return round_money(uplift(self.base, self.percent, self.year), currency)
        if self.kind == "prepayment_discount":
            assert self.base is not None and self.percent is not None
            return -round_money(percent_of(self.percent, self.base), currency)
        if self.kind == "back_support":
            assert self.annual_cost is not None and self.periods is not None
            exact = sum(
                (ratio(self.annual_cost, p.days, p.year_days) for p in self.periods), ZERO
            )
            return round_money(exact, currency)
        if self.kind == "reinstatement_fee":
            assert self.base is not None and self.percent is not None
            return round_money(percent_of(self.percent, self.base), currency)
        raise AssertionError(self.kind)


class Line(_Out):
    code: LineCode
    description: str
    amount: Money
    explanation: Explanation
    detail: str = ""  # the explanation in words, in the quote's language
    date: dt.date | None = None  # the addition's date, for addition lines
    example: bool = False  # the amount rests on a figure the card marks as an example value


class CardRef(_Out):
    id: str
    version: str
    effective_from: dt.date
    name: str
    sha256: str


class PackageRef(_Out):
    id: str
    name: str


class Term(_Out):
    start: dt.date
    end: dt.date  # the last covered day
    years: int


class ScheduleEntry(_Out):
    """What the offer charges for one contract year (``year``, 1-based, of the term), or
    without a ``year`` (null, left out of the API's answers) for the uncovered days before
    it (a reinstatement's back-support), and when it is due. The entries add up to the
    offer's totals exactly."""

    year: int | None = None
    start: dt.date
    end: dt.date
    due: dt.date
    amount: Money
    discount: Money
    net: Money
    tax: Money
    total: Money


TaxRule = Literal["domestic", "eu_consumer", "reverse_charge", "outside_eu", "override",
                  "undetermined"]


class TaxNote(_Out):
    """A note the offer prints about its tax (reverse charge, outside the EU), in each
    language, as the tax rules wrote it when the offer was priced."""

    en: str
    de: str
    ru: str


class TaxBasis(_Out):
    """Why the offer carries the tax it does (see ``quote.core.tax``).

    ``rule``: ``domestic`` (customer in the seller's country), ``eu_consumer`` (in
    another EU country without a VAT ID), ``reverse_charge`` (a business in another EU
    country with a VAT ID: 0 %), ``outside_eu`` (0 %), ``override`` (a rate set by
    staff, with their ``reason``), ``undetermined`` (no country given: the price before
    tax). ``rate_country``: whose rate ``rate`` is.
    """

    rule: TaxRule
    rate: Money
    country: str | None = None  # the customer's, ISO 3166 alpha-2
    rate_country: str | None = None
    customer_vat_id: str | None = None
    seller_country: str | None = None
    seller_vat_id: str | None = None
    reason: str | None = None
    note: TaxNote | None = None
    example: bool = False  # the rate is an example value of the tax rules


class QuoteResult(_Out):
    rate_card: CardRef
    package: PackageRef
    deployment: Literal["on_site", "on_demand"]
    language: Literal["en", "de", "ru"]
    as_of: dt.date
    existing_contract: bool
    kind: Literal["new", "top_up", "renewal", "reinstatement"] = "new"
    billing: Literal["prepaid", "annual"] = "prepaid"
    separate_term: bool = False
    currency: str
    term: Term
    lines: list[Line]
    subtotal: Money
    discount_percent: Money
    discount: Money
    net: Money
    tax_percent: Money
    tax: Money
    total: Money
    annual_cost: Money | None = None  # the contract's annual cost after this offer
    schedule: list[ScheduleEntry] = []
    tax_basis: TaxBasis | None = None  # None: priced without tax rules (0 % unless set)

    @classmethod
    def built(cls, **fields) -> Self:
        """Built from figures of the right types (see above), its totals checked: a result
        whose subtotal, discount, net, tax or total do not add up raises ``ValueError``."""
        return super().built(**fields)._totals_add_up()

    @model_validator(mode="after")
    def _adds_up(self) -> QuoteResult:
        """Everything checked: each line against its explanation, the totals, the billing
        schedule against the totals."""
        for line in self.lines:
            if line.amount != line.explanation.reproduce(self.currency):
                raise ValueError(f"line {line.code} does not match its explanation")
            negative = line.amount < 0 and line.code != "prepayment_discount"
            if negative or line.amount != round_money(line.amount, self.currency):
                raise ValueError(f"line {line.code} is not an amount in {self.currency}")
        self._totals_add_up()
        if self.schedule:
            for name in ("amount", "discount", "net", "tax", "total"):
                summed = sum((getattr(entry, name) for entry in self.schedule), ZERO)
                expected = self.subtotal if name == "amount" else getattr(self, name)
                if summed != expected:
                    raise ValueError(f"the billing schedule's {name}s do not add up")
        return self

    def _totals_add_up(self) -> QuoteResult:
        # the figures read from the model's dictionary once (each attribute of a pydantic
        # model is read through its ``__getattr__`` hook)
        fields = self.__dict__
        subtotal, discount, net, tax = (fields["subtotal"], fields["discount"], fields["net"],
                                        fields["tax"])
        tax_percent, tax_basis = fields["tax_percent"], fields["tax_basis"]
        round_ = rounder(fields["currency"])  # round_money in the quote's currency
        if subtotal != sum([line.amount for line in fields["lines"]], ZERO):
            raise ValueError("subtotal is not the sum of the lines")
        if discount != round_(percent_of(fields["discount_percent"], subtotal)):
            raise ValueError("discount does not match its percentage")
        if net != subtotal - discount:
            raise ValueError("net is not subtotal minus discount")
        if tax != round_(percent_of(tax_percent, net)):
            raise ValueError("tax does not match its percentage")
        if fields["total"] != net + tax:
            raise ValueError("total is not net plus tax")
        if tax_basis is not None and tax_basis.rate != tax_percent:
            raise ValueError("tax_percent is not the rate of its tax basis")
        return self
