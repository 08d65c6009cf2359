"""The service-level clock: by when a support request must be answered and resolved.

From a rate card, a package and a priority, and the instant a request
arrives, ``deadlines`` works out the response deadline (and the resolution
deadline, where the package gives one) as instants. The rules, stated once:

1. **The clock starts** when the request arrives if the service desk is open
   then (always, for a 24×7 package); otherwise at the start of the next
   service window (OTRS: "a request outside the Service Level Window counts
   from the start of the next window").
2. **Minutes and hours** count only while the desk is open: within the
   package's service hours, on its days, in its time zone with summer time,
   and not on the card calendar's public holidays unless the hours say
   ``holidays = "open"``. A 24×7 package counts real elapsed time.
3. **Business days** count whole business days of the card's calendar
   (Monday to Friday, or a weekend day declared a working day, and not a
   public holiday), in local wall-clock time: a request at 10:00 on a business
   day is due at 10:00 on the n-th business day after it; a clock that starts
   on another day (or at midnight) runs from the start of the next business
   day, so the deadline is the end of the n-th business day.
4. **Days** are calendar days at the same local wall-clock time.
5. A business-day or day deadline that falls outside the service hours of a
   package that is not 24×7 moves to the start of the next service window.

Wall-clock times across a summer time switch are read as ``quote.core.zones``
says. Hence: a deadline is never before the request; it never lies in closed
hours unless the package is 24×7; a later request never has an earlier
deadline (``tests/unit/test_sla_properties.py``).

``SlaRequest`` and ``SlaAnswer`` are what the command line (``quote sla``) and
the API (``POST /api/v1/sla/deadlines``) read and write; they use the card
version in force today, or the one a request pins (a contract's own).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)

from ..i18n import translations
from .calendar import BusinessDays
from .catalog import LoadedCard, RateBook
from .describe import full_stop, moment, service_hours_text, zone_text
from .errors import N_, FieldError, QuoteInputError
from .pricing import resolve_card
from .rates import WEEKDAYS, Duration, Package, RateCard, ServiceHours
from .request import field_errors, out_of_bounds
from .terms import duration_text
from .zones import UTC, to_instant, to_local, utc_offset_text

ONE_DAY = dt.timedelta(days=1)
SEARCH_DAYS = 800  # a desk closed for longer than this is an error in the card
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(2099, 12, 31, tzinfo=UTC)
_WORKDAYS = frozenset(WEEKDAYS[:5])


class ClockError(ValueError):
    """The service hours never open within ``SEARCH_DAYS`` of an instant."""


class ServiceClock:
    """Open and closed times of one package's service desk."""

    def __init__(self, hours: ServiceHours, days: BusinessDays):
        self.hours = hours
        self.days = days
        self.zone = hours.time_zone
        self.around_the_clock = hours.around_the_clock

    def open_on(self, day: dt.date) -> bool:
        hours = self.hours
        closed_on_holidays = hours.holidays == "closed"
        if closed_on_holidays and self.days.is_holiday(day):
            return False
        if WEEKDAYS[day.weekday()] in hours.days:
            return True
        # a weekend day worked instead of another: open where the desk works every weekday
        return (closed_on_holidays and set(hours.days) >= _WORKDAYS
                and self.days.is_working_weekend_day(day))

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The service window of ``day`` as instants (UTC), or None when closed."""
        if not self.open_on(day):
            return None
        opens = to_instant(dt.datetime.combine(day, self.hours.start), self.zone)
        closes = to_instant(dt.datetime.combine(day, self.hours.end), self.zone)
        return (opens, closes) if closes > opens else None

    def windows_from(self, instant: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The windows that close after ``instant``, in order."""
        day = to_local(instant, self.zone).date() - ONE_DAY
        for _ in range(SEARCH_DAYS):
            window = self.window(day)
            if window is not None and window[1] > instant:
                yield window
            day += ONE_DAY
        raise ClockError(f"the service hours do not open within {SEARCH_DAYS} days of "
                         f"{instant.isoformat()}")

    def is_open(self, instant: dt.datetime) -> bool:
        """Whether ``instant`` lies in a service window (its closing moment included)."""
        if self.around_the_clock:
            return True
        day = to_local(instant, self.zone).date()
        for candidate in (day - ONE_DAY, day):
            window = self.window(candidate)
            if window is not None and window[0] <= instant <= window[1]:
                return True
        return False

    def start(self, instant: dt.datetime) -> dt.datetime:
        """Rule 1: when the clock starts for a request at ``instant``."""
        if self.around_the_clock:
            return instant
        opens, _ = next(self.windows_from(instant))
        return max(instant, opens)

    def settle(self, instant: dt.datetime) -> dt.datetime:
        """Rule 5: ``instant`` if the desk is open then, else the next window's start."""
        if self.is_open(instant):
            return instant
        return self.start(instant)

    def add_open_time(self, start: dt.datetime, length: dt.timedelta) -> dt.datetime:
        """Rule 2: ``length`` of open time after ``start``."""
        if self.around_the_clock:
            return start + length
        remaining = length
        for opens, closes in self.windows_from(start):
            begin = max(start, opens)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("windows_from never ends without raising")

    def add_business_days(self, start: dt.datetime, count: int) -> dt.datetime:
        """Rule 3, in local wall-clock time."""
        local = to_local(start, self.zone)
        day, time = local.date(), local.time()
        if not self.days.is_business_day(day) or time == dt.time():
            first = self.days.next_business_day(day)
            last = self.days.add(first, count - 1)
            due = dt.datetime.combine(last + ONE_DAY, dt.time())
        else:
            due = dt.datetime.combine(self.days.add(day, count), time)
        return to_instant(due, self.zone)

    def add_days(self, start: dt.datetime, count: int) -> dt.datetime:
        """Rule 4."""
        return to_instant(to_local(start, self.zone) + dt.timedelta(days=count), self.zone)

    def deadline(self, requested: dt.datetime, time: Duration
                 ) -> tuple[dt.datetime, dt.datetime]:
        """(when the clock starts, when ``time`` is up) for a request at ``requested``."""
        starts = self.start(requested)
        if time.unit == "business_days":
            due = self.settle(self.add_business_days(starts, time.amount))
        elif time.unit == "days":
            due = self.settle(self.add_days(starts, time.amount))
        else:
            seconds = {"seconds": 1, "minutes": 60, "hours": 3600}[time.unit]
            due = self.add_open_time(starts, dt.timedelta(seconds=seconds * time.amount))
        return starts, due


def clock(card: RateCard, package: Package) -> ServiceClock:
    return ServiceClock(package.service_hours, BusinessDays.of(card.calendar))


@dataclass(frozen=True)
class Deadline:
    kind: Literal["response", "resolution"]
    time: Duration
    starts: dt.datetime  # UTC
    due: dt.datetime  # UTC


@dataclass(frozen=True)
class Deadlines:
    requested: dt.datetime
    response: Deadline
    resolution: Deadline | None


def deadlines(card: RateCard, package: Package, priority_id: str,
              requested: dt.datetime) -> Deadlines:
    """The response and resolution deadlines of a request at ``requested`` (aware)."""
    if requested.tzinfo is None:
        raise ValueError("the request's time needs its UTC offset")
    requested = requested.astimezone(UTC)
    service = clock(card, package)

    def one(kind, time: Duration | None) -> Deadline | None:
        if time is None:
            return None
        starts, due = service.deadline(requested, time)
        return Deadline(kind, time, starts, due)

    response = one("response", package.response_times[priority_id])
    assert response is not None
    return Deadlines(requested, response,
                     one("resolution", package.resolution_times.get(priority_id)))


# -- examples for an offer ------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    priority_id: str
    priority: str
    requested: dt.datetime  # UTC
    deadlines: Deadlines


EXAMPLE_TIME = dt.time(17, 45)
FRIDAY = 4


def example_request(package: Package, first_day: dt.date) -> dt.datetime:
    """The example request: Friday 17:45 in the service hours' zone, the first Friday on or
    after ``first_day``."""
    day = first_day + dt.timedelta(days=(FRIDAY - first_day.weekday()) % 7)
    return to_instant(dt.datetime.combine(day, EXAMPLE_TIME), package.service_hours.time_zone)


def examples(card: RateCard, package: Package, first_day: dt.date,
             language: str) -> list[Example]:
    """For every priority, the deadlines of a request on the first Friday at 17:45."""
    requested = example_request(package, first_day)
    return [Example(p.id, p.name(language), requested, deadlines(card, package, p.id, requested))
            for p in card.priorities]


def local_text(instant: dt.datetime, zone: str, language: str) -> str:
    """"Monday, 28 December 2026, 12:45" in the wall-clock time of ``zone``."""
    return moment(to_local(instant, zone), language)


@dataclass(frozen=True)
class SlaRow:
    """One priority's example deadlines, in words, in the service hours' zone."""

    priority: str
    requested: str
    response: str
    resolution: str | None
    sentence: str  # "A priority 1 request on Friday … is answered by …"


def sla_rows(card: RateCard, package: Package, first_day: dt.date,
             language: str) -> list[SlaRow]:
    """The deadlines of a request on the first Friday from ``first_day`` at 17:45."""
    zone = package.service_hours.time_zone
    _ = translations(language).gettext
    rows = []
    for example in examples(card, package, first_day, language):
        requested = local_text(example.requested, zone, language)
        response = local_text(example.deadlines.response.due, zone, language)
        resolution = example.deadlines.resolution
        resolved = local_text(resolution.due, zone, language) if resolution else None
        sentence = _("%(priority)s: a request on %(requested)s is answered by %(response)s") % {
            "priority": example.priority, "requested": requested, "response": response}
        if resolved:
            sentence += _(" and resolved by %(resolution)s") % {"resolution": resolved}
        rows.append(SlaRow(example.priority, requested, response, resolved,
                           full_stop(sentence)))
    return rows


# -- the request and the answer of ``quote sla`` and the API ----------------------------


_LEAP_SECOND = re.compile(r"^(.{17}):60")


def _aware(value: object) -> dt.datetime:
    """An RFC 3339 date and time with its offset (a leap second is the second after :59)."""
    if isinstance(value, dt.datetime):
        moment_ = value
    elif isinstance(value, str) and 16 <= len(value) <= MAX_TIME_LENGTH and value[4:5] == "-":
        text, leap = _LEAP_SECOND.subn(r"\1:59", value.upper())
        try:
            moment_ = dt.datetime.fromisoformat(text) + dt.timedelta(seconds=leap)
        except ValueError:
            raise ValueError(N_("is not a date and time of the calendar")) from None
    else:
        raise ValueError(N_('must be a date and time with its UTC offset, such as '
                            '"2026-12-24T17:45+01:00"'))
    if moment_.tzinfo is None or moment_.utcoffset() is None:
        raise ValueError(N_('needs its UTC offset, such as "2026-12-24T17:45+01:00"'))
    if not EARLIEST.year <= moment_.year <= LATEST.year:
        raise out_of_bounds()
    return moment_


@cache
def zone_names() -> frozenset[str]:
    """The IANA zones a request may name (those of the machine's time zone database)."""
    return frozenset(available_timezones())


def _zone_name(value: object) -> str:
    if not isinstance(value, str) or value not in zone_names():
        raise ValueError(N_('must be an IANA time zone such as "Europe/Berlin"'))
    return value


MAX_TIME_LENGTH = 64
AwareTime = Annotated[
    dt.datetime,
    BeforeValidator(_aware),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": "^20[0-9]{2}-",
                    "maxLength": MAX_TIME_LENGTH,
                    "description": "an RFC 3339 date and time with its offset, in the years "
                                   "2000 to 2099",
                    "examples": ["2026-12-24T17:45:00+01:00"]}),
]
ZoneName = Annotated[
    str,
    BeforeValidator(_zone_name),
    WithJsonSchema({"type": "string", "description": "an IANA time zone of the server's "
                    "database", "examples": ["Europe/Berlin"]}),
]


class SlaRequest(BaseModel):
    """When must a request be answered and resolved?"""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    rate_card: str = Field(min_length=1, max_length=40, examples=["bpmonline"])
    package: str = Field(min_length=1, max_length=30, examples=["basic"])
    priority: str = Field(min_length=1, max_length=20, examples=["1"],
                          description="a priority (severity, impact level) id of the card")
    requested_at: AwareTime = Field(description="when the request arrives, with its UTC "
                                    "offset")
    time_zone: ZoneName | None = Field(
        default=None, description="the customer's IANA time zone for local times; default: "
        "the offset of requested_at")
    language: Literal["en", "de", "ru"] = "en"
    rate_card_version: str | None = Field(
        default=None, min_length=1, max_length=40,
        description="use this version of the card (a contract's own) instead of the one in "
        "force today")


def parse_sla_request(data: object) -> SlaRequest:
    if not isinstance(data, dict):
        raise QuoteInputError([FieldError("", "the request must be a JSON object")])
    try:
        return SlaRequest.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        for error in errors:  # the quote request's wording for unknown fields
            if error.template == "is not a field of a quote request":
                errors[errors.index(error)] = FieldError(error.field, NOT_A_FIELD)
        raise QuoteInputError(errors) from None


NOT_A_FIELD = N_("is not a field of this request")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class TimeView(_Out):
    amount: int
    unit: Literal["seconds", "minutes", "hours", "business_days", "days"]
    text: str = Field(description="in the requested language")
    example: bool = Field(description="true where the card marks the time as an example "
                          "value")


class DeadlineView(_Out):
    time: TimeView
    clock_starts: dt.datetime = Field(description="when the clock starts (UTC): the request, "
                                      "or the start of the next service window")
    due: dt.datetime = Field(description="the deadline (UTC)")
    due_local: dt.datetime = Field(description="the deadline in the customer's time zone")
    due_service: dt.datetime = Field(description="the deadline in the service hours' zone")
    text: str = Field(description="the deadline in words, in the service hours' zone")


class SlaAnswer(_Out):
    rate_card: str
    rate_card_version: str
    package: str
    package_name: str
    priority: str
    priority_name: str
    language: Literal["en", "de", "ru"]
    requested_at: dt.datetime
    time_zone: str = Field(description="the customer's zone: an IANA name or the fixed "
                           "offset of requested_at")
    service_time_zone: str = Field(description="the IANA zone of the service hours")
    service_hours: str = Field(description="the service hours in words")
    around_the_clock: bool
    response: DeadlineView
    resolution: DeadlineView | None = None


def _resolve(request: SlaRequest, book: RateBook, today: dt.date) -> LoadedCard:
    return resolve_card(book, request.rate_card, request.rate_card_version, today)


def answer(request: SlaRequest, book: RateBook, today: dt.date) -> SlaAnswer:
    """The deadlines of ``request`` with the card version in force ``today`` (or the
    version the request pins: a contract's own)."""
    loaded = _resolve(request, book, today)
    card = loaded.card
    package = card.package(request.package)
    if package is None:
        raise QuoteInputError([FieldError(
            "package", N_("unknown package; this rate card offers %(known)s"),
            {"known": ", ".join(p.id for p in card.packages)})])
    priority = card.priority(request.priority)
    if priority is None:
        raise QuoteInputError([FieldError(
            "priority", N_("unknown priority; this rate card has %(known)s"),
            {"known": ", ".join(p.id for p in card.priorities)})])
    try:
        found = deadlines(card, package, priority.id, request.requested_at)
    except ClockError:
        raise QuoteInputError([FieldError("requested_at", N_(
            "the service hours do not open within two years of this time"))]) from None
    language = request.language
    customer: dt.tzinfo
    if request.time_zone:
        customer, customer_name = ZoneInfo(request.time_zone), request.time_zone
    else:
        customer = request.requested_at.tzinfo  # type: ignore[assignment]
        customer_name = utc_offset_text(request.requested_at.utcoffset() or dt.timedelta())
    hours = package.service_hours
    zone = hours.time_zone
    day = found.requested.date()

    def view(deadline: Deadline | None) -> DeadlineView | None:
        if deadline is None:
            return None
        first, last = deadline.starts.date(), deadline.due.date()
        words = local_text(deadline.due, zone, language) + " (" + zone_text(
            zone, language, first, last) + ")"
        return DeadlineView(
            time=TimeView(amount=deadline.time.amount, unit=deadline.time.unit,
                          text=duration_text(deadline.time, language),
                          example=deadline.time.example),
            clock_starts=deadline.starts, due=deadline.due,
            due_local=deadline.due.astimezone(customer),
            due_service=deadline.due.astimezone(ZoneInfo(zone)), text=words)

    response = view(found.response)
    assert response is not None
    return SlaAnswer(
        rate_card=card.id, rate_card_version=card.version, package=package.id,
        package_name=package.name(language), priority=priority.id,
        priority_name=priority.name(language), language=language,
        requested_at=request.requested_at, time_zone=customer_name,
        service_time_zone=zone,
        service_hours=service_hours_text(hours, language, day, day + dt.timedelta(days=30),
                                          card.calendar),
        around_the_clock=hours.around_the_clock, response=response,
        resolution=view(found.resolution),
    )
