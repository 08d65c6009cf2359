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
    # built at first use, not in every worker's start (as the core's models)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ErrorItem(_View):
    field: str = Field(description='dotted path of the field at fault ("additions.0.date"); '
                       '"" when the error concerns the whole request')
    message: str


class ErrorResponse(_View):
    """Every error answer of the API has this shape."""

    errors: list[ErrorItem] = Field(min_length=1)


EXAMPLES = ("names of the figures that are example values, not the vendor's (in the view's "
            "currency)")


class PriceView(_View):
    kind: Literal["percent", "included", "flat"]
    percent: Money | None = None
    minimum: Money | None = None
    price: Money | None = None
    text: str = Field(description="the price in words, in the requested language")
    examples: list[Literal["percent", "minimum", "price"]] = Field(default=[],
                                                                   description=EXAMPLES)


class DurationView(_View):
    amount: int
    unit: Literal["seconds", "minutes", "hours", "business_days", "days"]
    text: str
    example: bool = Field(default=False, description="an example value, not the vendor's")


class ServiceHoursView(_View):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")
    time_zone: str = Field(description="IANA time zone")
    utc_offsets: list[str] = Field(description='the offsets from UTC in the twelve months from '
                                   'today, e.g. ["UTC+1", "UTC+2"] with summer time')
    around_the_clock: bool
    holidays: Literal["closed", "open"] = Field(description="whether the desk works the "
                                                "card calendar's public holidays")
    example: bool = Field(default=False, description="the hours are an example value")
    text: str


class EnvironmentsView(_View):
    included: int
    maximum: int
    extra_price: Money | None = None
    extra_percent: Money | None = None
    text: str
    examples: list[Literal["included", "maximum", "extra_price", "extra_percent"]] = Field(
        default=[], description=EXAMPLES)


class ScopedDefinitionView(_View):
    scope: str
    definition: str


class PriorityView(_View):
    id: str
    name: str
    definition: str
    scoped_definitions: list[ScopedDefinitionView] = []


class ResponseTimeView(_View):
    priority: str
    response: DurationView
    resolution: DurationView | None = None
    update_interval: DurationView | None = None
    channels: list[str] = Field(default=[], description="the channels open to this priority")


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
    channels: list[str] = Field(default=[], description="the channels to support, in words")


class PointsTierView(_View):
    from_points: int
    price: Money
    example: bool = False


class CatalogueItemView(_View):
    id: str
    name: str
    points: int
    example: bool = False


class PointsView(_View):
    name: str
    minimum: int
    maximum: int
    tier_pricing: Literal["volume", "graduated"] = Field(
        description="volume: every point at the price of the quantity's tier; graduated: "
        "each point at the price of its band")
    tiers: list[PointsTierView]
    catalogue: list[CatalogueItemView]
    examples: list[Literal["minimum", "maximum", "tier_pricing"]] = Field(
        default=[], description=EXAMPLES)


class CalendarView(_View):
    country: str
    subdivision: str | None = None
    text: str


class OutageView(_View):
    services: list[str]
    slower_than: DurationView
    lasting: DurationView
    update_interval: DurationView | None = None
    proactive: bool


class CommitmentsView(_View):
    communication_language: str | None = None
    support_key: bool
    request_fields: list[str]
    planned_maintenance_notice: DurationView | None = None
    emergency_maintenance_notice: DurationView | None = None
    outage: OutageView | None = None
    capacity_notice: DurationView | None = None
    texts: list[str] = Field(description="every commitment in words")


class RateCardSummary(_View):
    id: str
    version: str
    effective_from: dt.date
    name: str
    vendor: str
    currency: str = Field(description="the default currency: the first of currencies")
    currencies: list[str]
    license_value: bool = Field(description="false where no price depends on a license "
                                "value")
    example_prices: bool = Field(description="some prices are example values, not the "
                                 "vendor's")
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
    currency: str = Field(description="the currency of this view's amounts (?currency=; "
                          "default: the card's first)")
    currencies: list[str]
    language: Literal["en", "de", "ru"]
    license_value: bool
    example_prices: bool
    example_figures: list[str] = Field(description="every figure that is an example value, "
                                       "as a path (packages.basic.on_site.minimum.RUB)")
    minimum_term_years: int
    maximum_term_years: int
    max_discount_percent: Money
    priority_label: str
    priorities: list[PriorityView]
    channels: list[str] = []
    packages: list[PackageView]
    conditions: list[str]
    commitments: CommitmentsView | None = None
    calendar: CalendarView | None = None
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
    example: bool = Field(default=False, description="the figures rest on example values")
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


SHA256 = r"^[0-9a-f]{64}$"


class _Answer(_View):
    name: str = Field(description="the customer's person who answered")
    position: str = Field(description="their position (may be empty when staff recorded it)")
    at: dt.datetime = Field(description="when it was recorded (UTC)")
    remote_addr: str | None = Field(description="the address it came from, as the app saw "
                                                "it")
    document_sha256: str = Field(pattern=SHA256, description="the SHA-256 of the offer's "
                                 "snapshot answered (document_sha256 of the offer)")
    recorded_by: str | None = Field(description="the e-mail of the staff member who "
                                    "recorded it for the customer; null: the customer "
                                    "answered through the offer's link")


class OfferAcceptance(_Answer):
    """Who accepted the offer, when, from where, which document; the purchase order."""

    purchase_order: str = Field(description="the customer's purchase-order number, or empty")


class OfferDecline(_Answer):
    """Who declined the offer, when and why."""

    reason: str


class OfferSnapshot(_View):
    """An issued offer as stored: the request and the priced result as issued, and the
    customer's answer."""

    number: str = Field(examples=["Q-2026-000042"])
    status: Literal["issued", "accepted", "declined", "expired", "withdrawn", "superseded"]
    issued_on: dt.date
    valid_until: dt.date
    language: Literal["en", "de", "ru"]
    replaces: str | None = Field(description="the number of the offer this one revises")
    document_sha256: str = Field(pattern=SHA256, description="the SHA-256 of the offer's "
                                 "stored snapshot (UTF-8 JSON), the document a customer "
                                 "accepts")
    acceptance: OfferAcceptance | None = Field(description="the acceptance; null unless "
                                               "the offer was accepted with one recorded")
    decline: OfferDecline | None = Field(description="the decline; null unless declined")
    request: QuoteRequest
    result: QuoteResult
