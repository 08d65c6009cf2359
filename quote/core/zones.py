"""Time zones from the IANA database (``zoneinfo``): offsets on the dates concerned,
summer time switches, and local wall-clock times that survive them.

A zone's offset from UTC is never written in a rate card: it is looked up for
the dates in question. ``transitions`` finds when a zone's offset changes in a
period (Berlin twice a year; Moscow not since 2014), ``offsets_between`` the
offsets a period sees.

Local times around a switch: ``to_instant`` reads a wall-clock time that does
not exist (02:30 on the night clocks go forward) as the moment the clocks
jump, and a time that occurs twice (02:30 on the night they go back) as its
first occurrence; ``to_local`` writes an instant of the repeated hour's
second pass as the end of the repetition. Both are monotone: a later instant
never gets an earlier wall-clock time, and the other way round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _offset(instant: dt.datetime, tz: ZoneInfo) -> dt.timedelta:
    return instant.astimezone(tz).utcoffset()  # type: ignore[return-value]


def _switch(low: dt.datetime, high: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first instant in (low, high] with high's offset (low and high differ)."""
    target = _offset(high, tz)
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + _SECOND
        if _offset(middle, tz) == target:
            high = middle
        else:
            low = middle
    return high


@dataclass(frozen=True)
class Transition:
    """The zone's offset changes from ``before`` to ``after`` at ``instant`` (UTC)."""

    instant: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    summer: bool  # the offset after it is summer (daylight saving) time

    @property
    def local_date(self) -> dt.date:
        return (self.instant + self.after).date()


@lru_cache(maxsize=512)
def transitions(name: str, first: dt.date, last: dt.date) -> tuple[Transition, ...]:
    """Every change of the zone's offset between ``first`` and ``last`` (dates, both included)."""
    tz = zone(name)
    found = []
    previous = dt.datetime.combine(first, dt.time(), tzinfo=UTC) - ONE_DAY
    before = _offset(previous, tz)
    day = first
    while day <= last + ONE_DAY:
        instant = dt.datetime.combine(day, dt.time(), tzinfo=UTC)
        offset = _offset(instant, tz)
        if offset != before:
            switch = _switch(previous, instant, tz)
            local = switch.astimezone(tz)
            if first <= (switch + offset).date() <= last:
                found.append(Transition(switch, before, offset, bool(local.dst())))
            before = offset
        previous = instant
        day += ONE_DAY
    return tuple(found)


@dataclass(frozen=True)
class Offsets:
    """The offsets a zone has in a period: ``standard`` and, with summer time, ``summer``.

    When the zone's offsets changed otherwise in the period (a new standard
    offset), ``changes`` lists every change and ``standard`` is the offset on the
    first day.
    """

    standard: dt.timedelta
    summer: dt.timedelta | None
    changes: tuple[Transition, ...]


@lru_cache(maxsize=512)
def offsets_between(name: str, first: dt.date, last: dt.date) -> Offsets:
    tz = zone(name)
    start = dt.datetime.combine(first, dt.time(12), tzinfo=UTC)
    offset = _offset(start, tz)
    switches = transitions(name, first, last)
    seen = {(offset, bool(start.astimezone(tz).dst()))}
    seen.update((s.after, s.summer) for s in switches)
    standards = {o for o, summer in seen if not summer}
    summers = {o for o, summer in seen if summer}
    if len(standards) <= 1 and len(summers) <= 1:
        if not standards:  # the whole period in summer time
            return Offsets(offset, None, ())
        return Offsets(standards.pop(), summers.pop() if summers else None, ())
    return Offsets(offset, None, switches)


def utc_offset_text(offset: dt.timedelta) -> str:
    """"UTC+3", "UTC+5:30", "UTC−3" (with a minus sign), "UTC" for no offset."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


# -- wall-clock times ------------------------------------------------------------


def to_instant(local: dt.datetime, name: str) -> dt.datetime:
    """The instant (UTC) of a wall-clock time in zone ``name``.

    A time in a gap (clocks going forward) is the instant the clocks jump; a
    repeated time (clocks going back) is its first occurrence.
    """
    tz = zone(name)
    local = local.replace(tzinfo=None)
    first = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == local:
        return first
    # a gap: fold=1 reads the time with the offset after the jump (earlier instant)
    low = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if low > first:
        low, first = first, low
    return _switch(low, first, tz)


def to_local(instant: dt.datetime, name: str) -> dt.datetime:
    """The wall-clock time (naive) of ``instant`` in zone ``name``; the second pass of a
    repeated hour reads as the end of the repetition."""
    tz = zone(name)
    local = instant.astimezone(tz)
    naive = local.replace(tzinfo=None)
    if local.fold == 0 or naive.replace(tzinfo=tz, fold=0).utcoffset() == local.utcoffset():
        return naive
    # second pass: the repetition ends where the wall clock reaches times it has not shown
    low, high = naive, naive + (naive.replace(tzinfo=tz, fold=0).utcoffset()
                                - local.utcoffset())
    while high - low > _SECOND:
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if middle <= low:
            middle = low + _SECOND
        repeated = (middle.replace(tzinfo=tz, fold=0).utcoffset()
                    != middle.replace(tzinfo=tz, fold=1).utcoffset())
        if repeated:
            low = middle
        else:
            high = middle
    return high
