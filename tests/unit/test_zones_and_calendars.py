"""Time zones with summer time, and holiday calendars for business days."""

from __future__ import annotations

import datetime as dt

import pytest

from quote.core.calendar import BusinessDays
from quote.core.zones import offsets_between, to_instant, to_local, transitions, utc_offset_text

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# -- summer time -----------------------------------------------------------------------


@pytest.mark.parametrize(("year", "spring", "autumn"), [
    # the last Sunday of March and of October, at 01:00 UTC
    (2026, "2026-03-29T01:00Z", "2026-10-25T01:00Z"),
    (2027, "2027-03-28T01:00Z", "2027-10-31T01:00Z"),
    (2028, "2028-03-26T01:00Z", "2028-10-29T01:00Z"),
])
def test_berlin_switches_twice_a_year(year, spring, autumn):
    forward, back = transitions("Europe/Berlin", dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert (forward.instant, forward.before, forward.after, forward.summer) == (
        at(spring), HOUR, 2 * HOUR, True)
    assert (back.instant, back.before, back.after, back.summer) == (
        at(autumn), 2 * HOUR, HOUR, False)
    offsets = offsets_between("Europe/Berlin", dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert (offsets.standard, offsets.summer) == (HOUR, 2 * HOUR)


def test_moscow_has_not_switched_since_2014():
    assert transitions("Europe/Moscow", dt.date(2015, 1, 1), dt.date(2035, 12, 31)) == ()
    offsets = offsets_between("Europe/Moscow", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (offsets.standard, offsets.summer, offsets.changes) == (3 * HOUR, None, ())
    # the last change: from UTC+4 all year back to UTC+3 on 26 October 2014
    (last,) = transitions("Europe/Moscow", dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    assert (last.instant, last.before, last.after) == (at("2014-10-25T22:00Z"), 4 * HOUR,
                                                       3 * HOUR)


@pytest.mark.parametrize(("offset", "text"), [
    (dt.timedelta(hours=3), "UTC+3"), (dt.timedelta(hours=5, minutes=30), "UTC+5:30"),
    (dt.timedelta(hours=-5), "UTC\u22125"), (dt.timedelta(0), "UTC"),
])
def test_offsets_are_written_short(offset, text):
    assert utc_offset_text(offset) == text


def test_wall_clock_times_across_the_switches():
    # 02:30 does not exist on 29 March 2026 in Berlin: it is read as the jump itself
    assert to_instant(dt.datetime(2026, 3, 29, 2, 30), "Europe/Berlin") == at(
        "2026-03-29T01:00Z")
    assert to_instant(dt.datetime(2026, 3, 29, 3, 0), "Europe/Berlin") == at(
        "2026-03-29T01:00Z")
    # 02:30 happens twice on 25 October 2026: the first time counts
    assert to_instant(dt.datetime(2026, 10, 25, 2, 30), "Europe/Berlin") == at(
        "2026-10-25T00:30Z")
    # the second pass of the repeated hour reads as its end, so wall-clock time never
    # runs backwards
    assert to_local(at("2026-10-25T00:59Z"), "Europe/Berlin") == dt.datetime(
        2026, 10, 25, 2, 59)
    assert to_local(at("2026-10-25T01:05Z"), "Europe/Berlin") == dt.datetime(
        2026, 10, 25, 3, 0)
    assert to_local(at("2026-10-25T02:00Z"), "Europe/Berlin") == dt.datetime(
        2026, 10, 25, 3, 0)


# -- holidays ---------------------------------------------------------------------------


RUSSIA = BusinessDays("RU")
GERMANY = BusinessDays("DE")


def test_russian_new_year_holidays_and_moved_days_off():
    days = RUSSIA.holidays_between(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert days == [dt.date(2026, 1, d) for d in range(1, 10)]  # 1-8, and the 9th moved
    assert RUSSIA.is_holiday(dt.date(2026, 12, 31))  # moved from 4 January
    assert RUSSIA.is_holiday(dt.date(2026, 3, 9))  # 8 March fell on a Sunday
    assert not RUSSIA.is_business_day(dt.date(2026, 1, 9))
    assert RUSSIA.is_business_day(dt.date(2026, 1, 12))


def test_a_russian_saturday_worked_instead_of_a_monday():
    # 1 November 2025 (Saturday) was worked so that 3 November could be a day off
    assert RUSSIA.is_working_weekend_day(dt.date(2025, 11, 1))
    assert RUSSIA.is_business_day(dt.date(2025, 11, 1))
    assert not RUSSIA.is_business_day(dt.date(2025, 11, 3))
    assert not RUSSIA.is_business_day(dt.date(2025, 11, 4))  # Unity Day


def test_german_public_holidays():
    assert GERMANY.holidays_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == [
        dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 5, 1),
        dt.date(2026, 5, 14), dt.date(2026, 5, 25), dt.date(2026, 10, 3),
        dt.date(2026, 12, 25), dt.date(2026, 12, 26)]
    # a subdivision adds its own: Corpus Christi in North Rhine-Westphalia
    assert BusinessDays("DE", "NW").is_holiday(dt.date(2026, 6, 4))
    assert GERMANY.is_business_day(dt.date(2026, 6, 4))


def test_business_days_skip_weekends_and_holidays():
    # from Thursday 24 December 2026: Friday 25th and Saturday 26th are holidays in
    # Germany, so the first business day after it is Monday 28th
    assert GERMANY.add(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 28)
    assert GERMANY.add(dt.date(2026, 12, 24), 3) == dt.date(2026, 12, 30)
    # Russia: 30 December 2026 + 2 business days: 31 Dec and 1-8 January are days off,
    # 9 January 2027 is a Saturday
    assert RUSSIA.add(dt.date(2026, 12, 30), 2) == dt.date(2027, 1, 12)
    # without a calendar only weekends are skipped
    assert BusinessDays().add(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 25)
