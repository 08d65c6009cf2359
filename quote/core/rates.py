"""The rate card schema: what a file under ``rates/`` may say.

A rate card is human-edited data (TOML). This module defines its shape and
its rules with pydantic; ``quote.core.catalog`` loads the files and turns a
validation failure into an error that names the file and the field. Every
field is described in ``docs/rate-cards.md``.

Three things run through the whole card:

- **Currencies.** A card lists the currencies it has price lists in
  (``currencies``, the first is the default). Every amount is given in each of
  them (``minimum = { EUR = "500.00", RUB = "45000.00" }``); a card with one
  currency may write a plain amount (``minimum = "500.00"``). Nothing is
  converted at run time.
- **Example values.** A table of figures says which of them are example values
  rather than the vendor's: ``example = true`` (all of them) or a list of the
  figures' names (``example = ["minimum"]``, or ``["minimum.RUB"]`` for one
  currency's amount). A time is written ``{ time = "4h", example = true }``.
  ``example_figures(card)`` lists them all.
- **Time.** Service hours name an IANA time zone; the offset from UTC, with
  summer time, follows from it for the dates concerned. Business days follow
  the card's holiday calendar.

Cards stored inside issued offers before these rules (one ``currency``,
``example_prices``, a fixed ``utc_offset``) are read as they were meant:
``_upgrade_legacy``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .money import AmountError, minor_units, parse_decimal

LANGUAGES = ("en", "de", "ru")
Language = Literal["en", "de", "ru"]

# Issued offers keep their amounts with two decimals (the store's money columns).
MAX_CURRENCY_DECIMALS = 2


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
    # Validators are built when a model is first used, not when the module is imported.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)


class Text(_Strict):
    """A text the customer reads, in every language of the product."""

    en: str = Field(min_length=1)
    de: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return getattr(self, language if language in LANGUAGES else "en")


# -- example values and amounts per currency ----------------------------------

_FIGURE_NAME = re.compile(r"^([a-z_]+)(?:\.([A-Z]{3}))?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class Figures(_Strict):
    """A table of figures, some of which may be example values rather than the vendor's.

    ``example = true``: every figure of the table is an example value. A list names
    the figures that are: ``["minimum"]``, or an amount in one currency only,
    ``["minimum.RUB"]``. ``FIGURES`` are the names a table's list may use.
    """

    FIGURES: ClassVar[tuple[str, ...]] = ()

    example: bool | list[str] = Field(
        default=False, description="true: every figure of this table is an example value; "
        'a list names those that are ("minimum", "minimum.RUB")')

    @field_validator("example")
    @classmethod
    def _names_figures(cls, value: bool | list[str]) -> bool | list[str]:
        if isinstance(value, list):
            for item in value:
                match = _FIGURE_NAME.match(item)
                if not match or match[1] not in cls.FIGURES:
                    known = ", ".join(cls.FIGURES) or "none"
                    raise ValueError(f"{item!r} is not a figure of this table (its figures: "
                                     f"{known}; an amount in one currency: \"name.EUR\")")
        return value

    def is_example(self, name: str, currency: str | None = None) -> bool:
        """Whether figure ``name`` (in ``currency``, for an amount) is an example value.

        Without a currency, an amount counts as an example when it is one in any currency.
        """
        if isinstance(self.example, bool):
            return self.example
        if name in self.example:
            return True
        if currency is None:
            return any(item.startswith(name + ".") for item in self.example)
        return f"{name}.{currency}" in self.example

    def example_names(self) -> list[str]:
        """The figures marked as examples, as written (all of ``FIGURES`` for ``true``)."""
        if self.example is True:
            return list(self.FIGURES)
        return list(self.example) if isinstance(self.example, list) else []


class Amounts(RootModel[dict[str, DecimalText]]):
    """An amount in each of the card's currencies: ``{ EUR = "500.00", RUB = "45000.00" }``.

    A plain amount (``"500.00"``) is stored under the key ``""``: the card's only
    currency, or, on a card with several, an amount that is the same in all of
    them (only 0 is allowed so: see ``RateCard``).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_or_per_currency(cls, value: object) -> object:
        if isinstance(value, dict):
            for key in value:  # "" is a plain amount as stored (model_dump)
                if not isinstance(key, str) or not (key == "" or _CURRENCY.match(key)):
                    raise ValueError(f"{key!r} is not a currency code such as \"EUR\"")
            return value
        return {"": value}

    def of(self, currency: str) -> Decimal:
        """The amount in ``currency`` (a card's validation makes sure there is one)."""
        root = self.root
        return root[currency] if currency in root else root[""]

    @property
    def plain(self) -> bool:
        return "" in self.root


def _zero() -> Amounts:
    return Amounts.model_validate("0")


# -- pricing of a package -------------------------------------------------


class PercentPrice(Figures):
    """A percentage of the license value, with a minimum annual fee (per currency)."""

    FIGURES = ("percent", "minimum")

    kind: Literal["percent"]
    percent: Percent
    minimum: Amounts = Field(default_factory=_zero)


class IncludedPrice(_Strict):
    """No support charge: included in the license or subscription price."""

    kind: Literal["included"]


class FlatPrice(Figures):
    """A fixed annual price, whatever the license value (per currency)."""

    FIGURES = ("price",)

    kind: Literal["flat"]
    price: Amounts


DeploymentPrice = Annotated[PercentPrice | IncludedPrice | FlatPrice, Field(discriminator="kind")]


class FixedEnvironmentPrice(Figures):
    FIGURES = ("price",)

    kind: Literal["fixed"]
    price: Amounts


class PercentEnvironmentPrice(Figures):
    """A percentage of the package's annual support fee, per extra environment."""

    FIGURES = ("percent",)

    kind: Literal["percent"]
    percent: Percent


EnvironmentPrice = Annotated[
    FixedEnvironmentPrice | PercentEnvironmentPrice, Field(discriminator="kind")
]


class Environments(Figures):
    """The environments add-on: included ones, and the yearly price of each further one."""

    FIGURES = ("included", "maximum")

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

_DURATION = re.compile(r"^(\d+)\s*(s|min|h|bd|d)$")
DurationUnit = Literal["seconds", "minutes", "hours", "business_days", "days"]
_UNITS: dict[str, DurationUnit] = {
    "s": "seconds",
    "min": "minutes",
    "h": "hours",
    "bd": "business_days",
    "d": "days",
}
DURATION_HINT = 'write times as "30s", "30min", "4h", "2bd" (business days) or "3d"'


def _parse_duration(text: object) -> dict:
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(DURATION_HINT)
    return {"amount": int(match[1]), "unit": _UNITS[match[2]]}


class Duration(_Strict):
    """A time: an amount of seconds, minutes, hours, business days or days.

    Written ``"4h"``, or ``{ time = "4h", example = true }`` for an example value.
    """

    amount: int = Field(gt=0, le=100_000)
    unit: DurationUnit
    example: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, str):
            return _parse_duration(value)
        if isinstance(value, dict) and "time" in value:
            rest = {key: item for key, item in value.items() if key != "time"}
            return {**_parse_duration(value["time"]), **rest}
        return value

    @property
    def short(self) -> str:
        """As written in a card: "4h", "2bd"."""
        suffix = {unit: short for short, unit in _UNITS.items()}[self.unit]
        return f"{self.amount}{suffix}"


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def known_zone(zone: str) -> str:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r} (an IANA name such as "
                         "\"Europe/Berlin\")") from None
    return zone


class ServiceHours(_Strict):
    """When the service desk works: days, from and to (local time), IANA time zone.

    The offset from UTC is not written: it follows from the zone, with summer
    time, on each date. ``holidays``: ``closed`` (the default) when the desk is
    closed on the card calendar's public holidays, ``open`` when it works them.
    """

    days: list[Weekday] = Field(min_length=1)
    start: dt.time = Field(alias="from")
    end: dt.time = Field(alias="to")
    time_zone: str = Field(description="IANA zone, e.g. Europe/Moscow")
    around_the_clock: bool = False
    holidays: Literal["closed", "open"] = "closed"
    example: bool = Field(default=False, description="true where the hours are an example")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _no_fixed_offset(cls, value: object) -> object:
        if isinstance(value, dict) and "utc_offset" in value:
            raise ValueError("utc_offset is not written any more: the offset follows from "
                             "time_zone on each date, with summer time; remove it")
        return value

    @field_validator("days")
    @classmethod
    def _days_in_order(cls, days: list[str]) -> list[str]:
        if len(set(days)) != len(days):
            raise ValueError("a day is listed twice")
        return sorted(days, key=WEEKDAYS.index)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        return known_zone(zone)

    @model_validator(mode="after")
    def _hours_make_sense(self) -> ServiceHours:
        if self.around_the_clock:
            if len(self.days) != 7:
                raise ValueError("around-the-clock service hours must cover all seven days")
        elif self.end <= self.start:
            raise ValueError("'to' must be later than 'from'")
        return self


# Validation context (``RateCard.model_validate(raw, context={UNCHECKED_CALENDARS:
# True})``): the holidays package is not asked whether it knows a card's calendar.
UNCHECKED_CALENDARS = "unchecked_calendars"


class Calendar(_Strict):
    """The public holidays business days skip: a country's (ISO 3166 code), optionally of
    one of its subdivisions, as the ``holidays`` package knows them.

    That the package knows them is checked when a card is validated, except where the
    validation context says ``UNCHECKED_CALENDARS`` (``quote price``: no price depends on
    the calendar, and loading the package would be a third of the command's time).
    """

    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> Calendar:
        if info.context and info.context.get(UNCHECKED_CALENDARS):
            return self
        from .calendar import check_calendar  # loads the holiday data only when a card does

        check_calendar(self.country, self.subdivision)
        return self


class ScopedDefinition(_Strict):
    """A further definition of a priority, for one scope (say, cloud operations)."""

    scope: Text
    definition: Text


class Priority(_Strict):
    """A priority (or impact level, or severity) with its customer-facing definition."""

    id: str = Field(pattern=r"^[a-z0-9_-]{1,20}$")
    name: Text
    definition: Text
    scoped_definitions: list[ScopedDefinition] = Field(
        default_factory=list, description="further definitions, each for a scope")


class Service(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    name: Text


class Channel(_Strict):
    """A way to reach support (e-mail, phone, portal), for some priorities or packages."""

    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    name: Text
    priorities: list[str] | None = Field(
        default=None, description="the priorities it serves; none: all")
    packages: list[str] | None = Field(default=None, description="the packages offering it; "
                                       "none: all")
    note: Text | None = None

    def serves(self, package_id: str, priority_id: str | None = None) -> bool:
        if self.packages is not None and package_id not in self.packages:
            return False
        return priority_id is None or self.priorities is None or priority_id in self.priorities


class Maintenance(_Strict):
    """How maintenance is announced."""

    planned_notice: Duration = Field(description="planned maintenance is announced this long "
                                     "before")
    emergency_notice: Duration | None = Field(
        default=None, description="emergency maintenance is communicated within this time of "
        "the scheduled time")
    announce_start_and_end: bool = False


class Outage(_Strict):
    """What counts as an outage, and how the customer is kept informed during one."""

    services: list[str] = Field(min_length=1, description='service names, e.g. "SMTP"')
    slower_than: Duration = Field(description="a response slower than this ...")
    lasting: Duration = Field(description="... for at least this long is an outage")
    update_interval: Duration | None = Field(default=None, description="updates during an "
                                             "outage at least this often")
    proactive: bool = Field(default=False, description="the vendor informs the customer when "
                            "it detects an outage")


class Commitments(_Strict):
    """Service commitments beyond response times."""

    communication_language: str | None = Field(
        default=None, description="the language of formal communication (ISO 639 code)")
    support_key: bool = Field(default=False, description="every request quotes the "
                              "customer's support key, which selects the service level")
    request_fields: list[Text] = Field(default_factory=list,
                                       description="what a support request must contain")
    maintenance: Maintenance | None = None
    outage: Outage | None = None
    capacity_notice: Duration | None = Field(
        default=None, description="capacity needs beyond normal growth are agreed this long "
        "before")

    @field_validator("communication_language")
    @classmethod
    def _known_language(cls, code: str | None) -> str | None:
        if code is not None:
            try:
                Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                raise ValueError(f"unknown language {code!r} (an ISO 639 code such as "
                                 "\"en\")") from None
        return code


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
    update_intervals: dict[str, Duration] = Field(
        default_factory=dict, description="status updates at least this often, per priority "
        "id, where given")
    requests_per_year: int | None = Field(
        default=None, ge=1, description="request quota per contract year; none means unlimited"
    )
    services: list[str] = Field(description="ids of the services included")

    def price(self, deployment: str) -> PercentPrice | IncludedPrice | FlatPrice:
        return self.on_site if deployment == "on_site" else self.on_demand


class PointsTier(Figures):
    """A band of the points account's prices, from ``from`` points on."""

    FIGURES = ("price",)

    from_points: int = Field(alias="from", ge=1)
    price: Amounts

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CatalogueItem(Figures):
    FIGURES = ("points",)

    id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    name: Text
    points: int = Field(ge=1)


class Points(Figures):
    """A support-points account: points bought at a price per point in tiers.

    ``tier_pricing``: ``volume`` (every point of a purchase costs the price of the
    tier its quantity falls in) or ``graduated`` (each point costs the price of
    the band it falls in: the first 49 at the first price, and so on).
    """

    FIGURES = ("minimum", "maximum", "tier_pricing")

    name: Text
    minimum: int = Field(default=1, ge=1)
    maximum: int = Field(default=100_000, ge=1, le=1_000_000)
    tier_pricing: Literal["volume", "graduated"]
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

    def tier_of(self, quantity: int) -> PointsTier:
        """The tier whose band ``quantity`` falls in."""
        return [tier for tier in self.tiers if tier.from_points <= quantity][-1]

    def bands(self, quantity: int) -> list[tuple[PointsTier, int]]:
        """(tier, points bought at its price) for a purchase of ``quantity`` points."""
        if self.tier_pricing == "volume":
            return [(self.tier_of(quantity), quantity)]
        bands = []
        for index, tier in enumerate(self.tiers):
            if tier.from_points > quantity:
                break
            following = self.tiers[index + 1].from_points if index + 1 < len(self.tiers) \
                else quantity + 1
            start = max(tier.from_points, 1) if index else 1
            bands.append((tier, min(quantity + 1, following) - start))
        return [(tier, count) for tier, count in bands if count > 0]

    def cost(self, quantity: int, currency: str) -> Decimal:
        return sum((tier.price.of(currency) * count for tier, count in self.bands(quantity)),
                   Decimal(0))


# -- contracts: top-ups, reinstatement, renewals ----------------------------


class Reinstatement(Figures):
    """Support that lapsed is brought back: the back-support for the uncovered days,
    plus ``fee_percent`` of it, plus a new term."""

    FIGURES = ("fee_percent",)

    fee_percent: Percent


class Renewal(Figures):
    """How a contract's next term is priced.

    ``price_lock``: the renewal keeps the prices of the card version the contract
    was sold on (else the version in force on the renewal date applies).
    ``uplift_percent``: yearly price escalation within the renewed term: year k
    costs the annual cost × (1 + uplift)^(k−1). ``prepayment_discounts``: percent
    off a prepaid term of so many years ({"2" = "3", "3" = "5"}).
    """

    FIGURES = ("uplift_percent", "prepayment_discounts")

    price_lock: bool = False
    uplift_percent: Percent = Decimal(0)
    prepayment_discounts: dict[int, Percent] = Field(default_factory=dict)

    @field_validator("prepayment_discounts")
    @classmethod
    def _years_are_terms(cls, table: dict[int, Decimal]) -> dict[int, Decimal]:
        if any(not 2 <= years <= 10 for years in table):
            raise ValueError("prepayment discounts are given for terms of 2 to 10 years")
        return dict(sorted(table.items()))

    def prepayment_discount(self, years: int) -> Decimal:
        return self.prepayment_discounts.get(years, Decimal(0))


class RateCard(Figures):
    """One version of a vendor's rate card."""

    FIGURES = ("max_discount_percent", "minimum_term_years", "maximum_term_years")

    id: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    effective_from: dt.date
    name: Text
    vendor: str = Field(min_length=1)
    currencies: list[str] = Field(min_length=1, description="the currencies the card has "
                                  "price lists in; the first is the default")
    minimum_term_years: int = Field(default=1, ge=1, le=10)
    maximum_term_years: int = Field(default=5, ge=1, le=10)
    max_discount_percent: Percent = Decimal(0)
    license_value: bool = Field(
        default=True, description="false where no price depends on a license value (flat "
        "or included prices only): offers neither ask for nor print one")
    source: str = Field(default="", description="where the figures come from")
    priority_label: Text | None = Field(
        default=None, description='what the card calls a priority ("Impact level", "Severity")'
    )
    priorities: list[Priority] = Field(min_length=1)
    channels: list[Channel] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    packages: list[Package] = Field(min_length=1)
    conditions: list[Text] = Field(default_factory=list)
    commitments: Commitments | None = None
    calendar: Calendar | None = Field(default=None, description="the public holidays business "
                                      "days skip; none: Monday to Friday are business days")
    points: Points | None = None
    top_up_prices: Literal["contract", "current"] = Field(
        default="contract",
        description="licenses added to a running contract are priced with the card version "
        "the contract was sold on (contract) or the version in force (current)")
    reinstatement: Reinstatement | None = None
    renewal: Renewal = Field(default_factory=Renewal)

    @model_validator(mode="before")
    @classmethod
    def _upgrade_legacy(cls, data: object) -> object:
        return upgrade_legacy(data) if isinstance(data, dict) else data

    @property
    def currency(self) -> str:
        """The default currency: the first of ``currencies``."""
        return self.currencies[0]

    @field_validator("currencies")
    @classmethod
    def _known_currencies(cls, codes: list[str]) -> list[str]:
        known = list_currencies()
        for code in codes:
            if code not in known:
                raise ValueError(f"unknown currency {code!r}")
            if minor_units(code) > MAX_CURRENCY_DECIMALS:
                raise ValueError(f"{code} has {minor_units(code)} decimals; issued offers keep "
                                 f"amounts with at most {MAX_CURRENCY_DECIMALS}")
        if len(set(codes)) != len(codes):
            raise ValueError("a currency is listed twice")
        return codes

    @model_validator(mode="after")
    def _references_resolve(self) -> RateCard:
        _unique("priorities", [p.id for p in self.priorities])
        _unique("channels", [c.id for c in self.channels])
        _unique("services", [s.id for s in self.services])
        _unique("packages", [p.id for p in self.packages])
        if self.maximum_term_years < self.minimum_term_years:
            raise CardFieldError("maximum_term_years",
                                 "must be at least minimum_term_years")
        priorities = {p.id for p in self.priorities}
        services = {s.id for s in self.services}
        packages = {p.id for p in self.packages}
        for index, package in enumerate(self.packages):
            where = f"packages.{index}"
            for table in ("response_times", "resolution_times", "update_intervals"):
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
            if not self.license_value:
                for deployment in ("on_site", "on_demand"):
                    if isinstance(package.price(deployment), PercentPrice):
                        raise CardFieldError(
                            f"{where}.{deployment}", "a card without a license value "
                            "(license_value = false) has flat or included prices only")
                if package.on_site != package.on_demand:
                    raise CardFieldError(
                        f"{where}.on_demand", "a card without a license value prices both "
                        "deployments the same (the offer names neither)")
        for index, channel in enumerate(self.channels):
            for name, known in (("priorities", priorities), ("packages", packages)):
                unknown = set(getattr(channel, name) or ()) - known
                if unknown:
                    raise CardFieldError(f"channels.{index}.{name}",
                                         f"unknown {name} {sorted(unknown)}")
        self._amounts_in_every_currency()
        return self

    def _amounts_in_every_currency(self) -> None:
        currencies = set(self.currencies)
        several = len(self.currencies) > 1
        for path, _, node in walk(self):
            if isinstance(node, Figures):
                for name in node.example_names():
                    _, _, code = name.partition(".")
                    if code and code not in currencies:
                        raise CardFieldError(f"{path}.example",
                                             f"{code} is not a currency of this card")
            if not isinstance(node, Amounts):
                continue
            given = set(node.root) - {""}
            if node.plain and (given or (several and node.root[""] != 0)):
                listed = ", ".join(self.currencies)
                raise CardFieldError(path, f"give this amount in each of the card's "
                                           f"currencies ({listed}): {{ {self.currency} = "
                                           f"\"...\", ... }}")
            if not node.plain and given != currencies:
                missing, extra = sorted(currencies - given), sorted(given - currencies)
                detail = (f"no amount in {', '.join(missing)}" if missing
                          else f"{', '.join(extra)} is not a currency of this card")
                raise CardFieldError(path, detail)
            for code, amount in node.root.items():
                code = code or self.currency
                if -amount.as_tuple().exponent > minor_units(code):
                    raise CardFieldError(path, f"{amount} has more decimals than {code} has")

    def package(self, package_id: str) -> Package | None:
        return next((p for p in self.packages if p.id == package_id), None)

    def priority(self, priority_id: str) -> Priority | None:
        return next((p for p in self.priorities if p.id == priority_id), None)

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def channels_for(self, package_id: str, priority_id: str | None = None) -> list[Channel]:
        return [c for c in self.channels if c.serves(package_id, priority_id)]


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


# -- walking a card ----------------------------------------------------------


def walk(model: BaseModel, path: str = "", named: str = ""
         ) -> Iterator[tuple[str, str, BaseModel]]:
    """Every model inside ``model`` (itself first) as (path, named path, model).

    ``path`` counts list items by position ("packages.1.on_site", as errors name
    fields); ``named`` by their id where they have one ("packages.business.on_site").
    """
    yield path, named, model
    if isinstance(model, RootModel):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        here, there = _join(path, name), _join(named, name)
        if isinstance(value, BaseModel):
            yield from walk(value, here, there)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    key = getattr(item, "id", None) or index
                    yield from walk(item, f"{here}.{index}", f"{there}.{key}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from walk(item, f"{here}.{key}", f"{there}.{key}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def example_figures(card: RateCard) -> list[str]:
    """Every figure of ``card`` marked as an example value, as a named path
    ("packages.business.environments.extra.percent", "packages.business.on_site.minimum.RUB")."""
    found = []
    for _, named, node in walk(card):
        if isinstance(node, Figures):
            found.extend(_join(named, name) for name in node.example_names())
        elif isinstance(node, (Duration, ServiceHours)) and node.example:
            found.append(named)
    return found


# -- cards written before currencies, per-figure examples and time zones -------


def upgrade_legacy(data: dict) -> dict:
    """A card as written before (one ``currency``, ``example_prices``, a fixed
    ``utc_offset``), as it reads now. Cards inside issued offers are stored so.

    ``example_prices = true`` meant every price of the card was an example: each
    price is marked so. A points account then sold volume tiers.
    """
    if "currency" not in data or "currencies" in data:
        return data
    data = dict(data)
    data["currencies"] = [data.pop("currency")]
    examples = bool(data.pop("example_prices", False))

    def marked(table: object) -> object:
        if examples and isinstance(table, dict) and table.get("kind") != "included":
            return {**table, "example": True}
        return table

    packages = []
    for package in data.get("packages") or []:
        if not isinstance(package, dict):
            packages.append(package)
            continue
        package = dict(package)
        hours = package.get("service_hours")
        if isinstance(hours, dict):
            package["service_hours"] = {k: v for k, v in hours.items() if k != "utc_offset"}
        for deployment in ("on_site", "on_demand"):
            if deployment in package:
                package[deployment] = marked(package[deployment])
        environments = package.get("environments")
        if isinstance(environments, dict) and "extra" in environments:
            package["environments"] = {**environments,
                                       "extra": marked(environments["extra"])}
        packages.append(package)
    if "packages" in data:
        data["packages"] = packages
    points = data.get("points")
    if isinstance(points, dict):
        points = {**points}
        points.setdefault("tier_pricing", "volume")
        if examples and isinstance(points.get("tiers"), list):
            points["tiers"] = [marked(tier) for tier in points["tiers"]]
        data["points"] = points
    return data
