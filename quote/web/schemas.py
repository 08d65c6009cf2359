"""Response models of the JSON API that the pricing core does not define.

The request is the core's ``QuoteRequest`` and a priced quote the core's
``QuoteResult``; these models describe the rate card views, the package
comparison and the error body. The OpenAPI document is generated from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.request import QuoteRequest
from ..core.result import Money, PackageRef, QuoteResult


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorItem(_View):
    field: str = Field(description='dotted path of the field at fault ("additions.0.date"); '
                       '"" when the error concerns the whole request')
    message: str


class ErrorResponse(_View):
    """Every error answer of the API has this shape."""

    errors: list[ErrorItem] = Field(min_length=1)


class PriceView(_View):
    kind: Literal["percent", "included", "flat"]
    percent: Money | None = None
    minimum: Money | None = None
    price: Money | None = None
    text: str = Field(description="the price in words, in the requested language")


class DurationView(_View):
    amount: int
    unit: Literal["minutes", "hours", "business_days", "days"]
    text: str


class ServiceHoursView(_View):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")
    time_zone: str
    utc_offset: str
    around_the_clock: bool
    text: str


class EnvironmentsView(_View):
    included: int
    maximum: int
    extra_price: Money | None = None
    extra_percent: Money | None = None
    text: str


class PriorityView(_View):
    id: str
    name: str
    definition: str


class ResponseTimeView(_View):
    priority: str
    response: DurationView
    resolution: DurationView | None = None


class PackageView(_View):
    id: str
    name: str
    summary: str | None = None
    on_site: PriceView
    on_demand: PriceView
    environments: EnvironmentsView
    service_hours: ServiceHoursView
    response_times: list[ResponseTimeView]
    requests_per_year: int | None = None
    services: list[str] = Field(description="names of the services included")


class PointsTierView(_View):
    from_points: int
    price: Money


class CatalogueItemView(_View):
    id: str
    name: str
    points: int


class PointsView(_View):
    name: str
    minimum: int
    maximum: int
    tiers: list[PointsTierView]
    catalogue: list[CatalogueItemView]


class RateCardSummary(_View):
    id: str
    version: str
    effective_from: dt.date
    name: str
    vendor: str
    currency: str
    example_prices: bool
    packages: list[PackageRef]


class RateCardList(_View):
    as_of: dt.date
    language: Literal["en", "de", "ru"]
    rate_cards: list[RateCardSummary]


class RateCardView(_View):
    """A rate card version in force, in the requested language."""

    id: str
    version: str
    effective_from: dt.date
    name: str
    vendor: str
    currency: str
    language: Literal["en", "de", "ru"]
    example_prices: bool
    minimum_term_years: int
    maximum_term_years: int
    max_discount_percent: Money
    priority_label: str
    priorities: list[PriorityView]
    packages: list[PackageView]
    conditions: list[str]
    points: PointsView | None = None


class ComparisonEntry(_View):
    package: PackageRef
    fits: bool = Field(description="false when the request cannot be priced with this package")
    total: Money | None = None
    annual_cost: Money | None = Field(
        default=None, description="moves: the contract's annual cost in this package")
    move: Money | None = Field(
        default=None, description="moves: what moving the whole contract to this package "
        "costs for the rest of the term (negative: it costs less)")
    service_hours: str
    response_times: list[ResponseTimeView]
    result: QuoteResult | None = None


class Comparison(_View):
    """The same request priced with every package of its rate card (``basis`` totals); for
    a top-up, what moving the whole contract to each package would cost (``moves``)."""

    currency: str
    language: Literal["en", "de", "ru"]
    selected: str
    basis: Literal["totals", "moves"] = "totals"
    moved_from: dt.date | None = Field(default=None,
                                       description="moves: the day a move would start")
    packages: list[ComparisonEntry]


class OfferSnapshot(_View):
    """An issued offer as stored: the request and the priced result as issued."""

    number: str = Field(examples=["Q-2026-000042"])
    status: Literal["issued", "accepted", "expired", "withdrawn", "superseded"]
    issued_on: dt.date
    valid_until: dt.date
    language: Literal["en", "de", "ru"]
    replaces: str | None = Field(description="the number of the offer this one revises")
    request: QuoteRequest
    result: QuoteResult
