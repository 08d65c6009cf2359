"""The rate card schema: what a file under ``rates/`` may say.

A rate card is human-edited data (TOML). This module defines its shape and
its rules with pydantic; ``quote.core.catalog`` loads the files and turns a
validation failure into an error that names the file and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import list_currencies
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from .money import AmountError, minor_units, parse_decimal

LANGUAGES = ("en", "de", "ru")
Language = Literal["en", "de", "ru"]


def _decimal_from_text(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError('write amounts and percentages as strings, e.g. "12.5"')
    try:
        number = parse_decimal(str(value))
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if number < 0:
        raise ValueError("must not be negative")
    return number.copy_abs()  # "-0" is 0, never a negative zero


# A non-negative decimal written as a string in the file ("15", "500.00").
DecimalText = Annotated[
    Decimal, BeforeValidator(_decimal_from_text), PlainSerializer(str, return_type=str)
]
Percent = Annotated[DecimalText, Field(le=100)]  # an int, so errors read "100"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text the customer reads, in every language of the product."""

    en: str = Field(min_length=1)
    de: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return getattr(self, language if language in LANGUAGES else "en")


# -- pricing of a package -------------------------------------------------


class PercentPrice(_Strict):
    """A percentage of the license value, with a minimum annual fee."""

    kind: Literal["percent"]
    percent: Percent
    minimum: DecimalText = Decimal(0)


class IncludedPrice(_Strict):
    """No support charge: included in the license or subscription price."""

    kind: Literal["included"]


class FlatPrice(_Strict):
    """A fixed annual price, whatever the license value."""

    kind: Literal["flat"]
    price: DecimalText


DeploymentPrice = Annotated[PercentPrice | IncludedPrice | FlatPrice, Field(discriminator="kind")]


class FixedEnvironmentPrice(_Strict):
    kind: Literal["fixed"]
    price: DecimalText


class PercentEnvironmentPrice(_Strict):
    """A percentage of the package's annual support fee, per extra environment."""

    kind: Literal["percent"]
    percent: Percent


EnvironmentPrice = Annotated[
    FixedEnvironmentPrice | PercentEnvironmentPrice, Field(discriminator="kind")
]


class Environments(_Strict):
    """The environments add-on: included ones, and the yearly price of each further one."""

    included: int = Field(ge=1, le=100)
    extra: EnvironmentPrice | None = None
    maximum: int = Field(default=20, ge=1, le=100)
    name: Text | None = None

    @model_validator(mode="after")
    def _maximum_covers_included(self) -> Environments:
        if self.maximum < self.included:
            raise ValueError("maximum must be at least the number of included environments")
        return self


# -- service levels -------------------------------------------------------

_DURATION = re.compile(r"^(\d+)\s*(min|h|bd|d)$")
DurationUnit = Literal["minutes", "hours", "business_days", "days"]
_UNITS: dict[str, DurationUnit] = {
    "min": "minutes",
    "h": "hours",
    "bd": "business_days",
    "d": "days",
}


class Duration(_Strict):
    """A response or resolution time: an amount of minutes, hours or (business) days."""

    amount: int = Field(gt=0)
    unit: DurationUnit

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, str):
            match = _DURATION.match(value.strip())
            if not match:
                raise ValueError(
                    'write durations as "30min", "4h", "2bd" (business days) or "3d"'
                )
            return {"amount": int(match[1]), "unit": _UNITS[match[2]]}
        return value


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ServiceHours(_Strict):
    """When the service desk works: days, from and to (local time), time zone."""

    days: list[Weekday] = Field(min_length=1)
    start: dt.time = Field(alias="from")
    end: dt.time = Field(alias="to")
    time_zone: str = Field(description="IANA zone, e.g. Europe/Moscow")
    utc_offset: str = Field(pattern=r"^UTC[+-]\d{2}:\d{2}$", description='e.g. "UTC+03:00"')
    around_the_clock: bool = False

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("days")
    @classmethod
    def _days_in_order(cls, days: list[str]) -> list[str]:
        if len(set(days)) != len(days):
            raise ValueError("a day is listed twice")
        return sorted(days, key=WEEKDAYS.index)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r}") from None
        return zone

    @model_validator(mode="after")
    def _hours_make_sense(self) -> ServiceHours:
        if self.around_the_clock:
            if len(self.days) != 7:
                raise ValueError("around-the-clock service hours must cover all seven days")
        elif self.end <= self.start:
            raise ValueError("'to' must be later than 'from'")
        return self


class Priority(_Strict):
    """A priority (or impact level, or severity) with its customer-facing definition."""

    id: str = Field(pattern=r"^[a-z0-9_-]{1,20}$")
    name: Text
    definition: Text


class Service(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    name: Text


# -- packages and the card ------------------------------------------------


class Package(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    name: Text
    summary: Text | None = None
    on_site: DeploymentPrice
    on_demand: DeploymentPrice
    environments: Environments
    service_hours: ServiceHours
    response_times: dict[str, Duration] = Field(
        description="maximum response time per priority id"
    )
    resolution_times: dict[str, Duration] = Field(
        default_factory=dict, description="resolution time per priority id, where given"
    )
    requests_per_year: int | None = Field(
        default=None, ge=1, description="request quota per contract year; none means unlimited"
    )
    services: list[str] = Field(description="ids of the services included")

    def price(self, deployment: str) -> PercentPrice | IncludedPrice | FlatPrice:
        return self.on_site if deployment == "on_site" else self.on_demand


class PointsTier(_Strict):
    """From this many points on, every point of the purchase costs ``price``."""

    from_points: int = Field(alias="from", ge=1)
    price: DecimalText

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CatalogueItem(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    name: Text
    points: int = Field(ge=1)


class Points(_Strict):
    """A support-points account: points bought at a price per point with volume tiers."""

    name: Text
    minimum: int = Field(default=1, ge=1)
    maximum: int = Field(default=100_000, ge=1, le=1_000_000)
    tiers: list[PointsTier] = Field(min_length=1)
    catalogue: list[CatalogueItem] = Field(default_factory=list)

    @field_validator("tiers")
    @classmethod
    def _tiers_ascending(cls, tiers: list[PointsTier]) -> list[PointsTier]:
        starts = [tier.from_points for tier in tiers]
        if starts != sorted(set(starts)):
            raise ValueError("tiers must be listed by ascending 'from', each once")
        return tiers

    @model_validator(mode="after")
    def _first_tier_covers_minimum(self) -> Points:
        if self.tiers[0].from_points > self.minimum:
            raise ValueError("the first tier must start at or below the minimum purchase")
        if self.maximum < self.minimum:
            raise ValueError("maximum must be at least minimum")
        return self

    def unit_price(self, quantity: int) -> Decimal:
        return [tier for tier in self.tiers if tier.from_points <= quantity][-1].price


# -- contracts: top-ups, reinstatement, renewals ----------------------------


class Reinstatement(_Strict):
    """Support that lapsed is brought back: the back-support for the uncovered days,
    plus ``fee_percent`` of it, plus a new term."""

    fee_percent: Percent
    example: bool = Field(default=False, description="true where the fee is an example value")


class Renewal(_Strict):
    """How a contract's next term is priced.

    ``price_lock``: the renewal keeps the prices of the card version the contract
    was sold on (else the version in force on the renewal date applies).
    ``uplift_percent``: yearly price escalation within the renewed term: year k
    costs the annual cost × (1 + uplift)^(k−1). ``prepayment_discounts``: percent
    off a prepaid term of so many years ({"2" = "3", "3" = "5"}).
    """

    price_lock: bool = False
    uplift_percent: Percent = Decimal(0)
    prepayment_discounts: dict[int, Percent] = Field(default_factory=dict)
    example: bool = Field(default=False, description="true where the figures are examples")

    @field_validator("prepayment_discounts")
    @classmethod
    def _years_are_terms(cls, table: dict[int, Decimal]) -> dict[int, Decimal]:
        if any(not 2 <= years <= 10 for years in table):
            raise ValueError("prepayment discounts are given for terms of 2 to 10 years")
        return dict(sorted(table.items()))

    def prepayment_discount(self, years: int) -> Decimal:
        return self.prepayment_discounts.get(years, Decimal(0))


class RateCard(_Strict):
    """One version of a vendor's rate card."""

    id: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    effective_from: dt.date
    name: Text
    vendor: str = Field(min_length=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    minimum_term_years: int = Field(default=1, ge=1, le=10)
    maximum_term_years: int = Field(default=5, ge=1, le=10)
    max_discount_percent: Percent = Decimal(0)
    example_prices: bool = Field(
        default=False, description="true where the prices are examples, not a vendor's list"
    )
    source: str = Field(default="", description="where the figures come from")
    priority_label: Text | None = Field(
        default=None, description='what the card calls a priority ("Impact level", "Severity")'
    )
    priorities: list[Priority] = Field(min_length=1)
    services: list[Service] = Field(default_factory=list)
    packages: list[Package] = Field(min_length=1)
    conditions: list[Text] = Field(default_factory=list)
    points: Points | None = None
    top_up_prices: Literal["contract", "current"] = Field(
        default="contract",
        description="licenses added to a running contract are priced with the card version "
        "the contract was sold on (contract) or the version in force (current)")
    reinstatement: Reinstatement | None = None
    renewal: Renewal = Field(default_factory=Renewal)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        if code not in list_currencies():
            raise ValueError(f"unknown currency {code!r}")
        return code

    @model_validator(mode="after")
    def _references_resolve(self) -> RateCard:
        _unique("priorities", [p.id for p in self.priorities])
        _unique("services", [s.id for s in self.services])
        _unique("packages", [p.id for p in self.packages])
        if self.maximum_term_years < self.minimum_term_years:
            raise CardFieldError("maximum_term_years",
                                 "must be at least minimum_term_years")
        priorities = {p.id for p in self.priorities}
        services = {s.id for s in self.services}
        decimals = minor_units(self.currency)
        for index, package in enumerate(self.packages):
            where = f"packages.{index}"
            for table in ("response_times", "resolution_times"):
                unknown = set(getattr(package, table)) - priorities
                if unknown:
                    raise CardFieldError(f"{where}.{table}",
                                         f"names unknown priorities {sorted(unknown)}")
            missing = priorities - set(package.response_times)
            if missing:
                raise CardFieldError(f"{where}.response_times",
                                     f"no response time for priorities {sorted(missing)}")
            unknown = set(package.services) - services
            if unknown:
                raise CardFieldError(f"{where}.services", f"unknown services {sorted(unknown)}")
            for name, amount in _money_of(package):
                if -amount.as_tuple().exponent > decimals:
                    raise CardFieldError(f"{where}.{name}",
                                         f"{amount} has more decimals than {self.currency} has")
        if self.points:
            for index, tier in enumerate(self.points.tiers):
                if -tier.price.as_tuple().exponent > decimals:
                    raise CardFieldError(f"points.tiers.{index}.price",
                                         f"{tier.price} has more decimals than {self.currency}")
        return self

    def package(self, package_id: str) -> Package | None:
        return next((p for p in self.packages if p.id == package_id), None)

    def priority(self, priority_id: str) -> Priority | None:
        return next((p for p in self.priorities if p.id == priority_id), None)

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


class CardFieldError(ValueError):
    """A rule across fields of a card broken at ``field`` (a dotted path)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise CardFieldError(f"{what}.{index}.id", f"id {item!r} is used twice")
        seen.add(item)


def _money_of(package: Package) -> list[tuple[str, Decimal]]:
    amounts = []
    for deployment in ("on_site", "on_demand"):
        price = package.price(deployment)
        if isinstance(price, PercentPrice):
            amounts.append((f"{deployment}.minimum", price.minimum))
        elif isinstance(price, FlatPrice):
            amounts.append((f"{deployment}.price", price.price))
    if isinstance(package.environments.extra, FixedEnvironmentPrice):
        amounts.append(("environments.extra.price", package.environments.extra.price))
    return amounts
