"""Holiday calendars: which days are business days and which are public holidays.

A rate card names a country (and optionally a subdivision) in ``calendar``;
the public holidays come from the ``holidays`` package (python-holidays), which
also knows the days off that governments move onto other dates and the weekend
days that are worked instead (Russia's transfers, for example).

A business day is Monday to Friday, or a weekend day declared a working day,
and not a public holiday. Without a calendar, Monday to Friday are business
days. Holidays are worked out once per country, subdivision and year and kept.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import cache

_lock = threading.Lock()


@dataclass(frozen=True)
class Year:
    """The public holidays of one year, and the weekend days worked instead of others."""

    holidays: frozenset[dt.date]
    working_weekend_days: frozenset[dt.date]


def check_calendar(country: str, subdivision: str | None) -> None:
    """Raise ``ValueError`` when the holidays package does not know the calendar."""
    from holidays.registry import EntityLoader

    # The package's registry knows the countries without loading them; their calendars
    # (all of them load together: a third of a start-up's time) are loaded only for a
    # subdivision's check, or when a calendar is first used.
    if country not in set(EntityLoader.get_country_codes()):
        raise ValueError(f"no holiday calendar for the country {country!r}")
    if subdivision is None:
        return
    import holidays

    subdivisions = list(getattr(holidays, country).subdivisions)
    if subdivision is not None and subdivision not in subdivisions:
        raise ValueError(f"{country} has no subdivision {subdivision!r}; it has "
                         f"{', '.join(subdivisions)}")


@cache
def _year(country: str, subdivision: str | None, year: int) -> Year:
    import holidays

    with _lock:  # the package's objects fill themselves on first use
        days = holidays.country_holidays(country, subdiv=subdivision, years=year)
        return Year(frozenset(d for d in days if d.year == year),
                    frozenset(d for d in getattr(days, "weekend_workdays", ()) if d.year == year))


class BusinessDays:
    """Business days and holidays of one calendar (or of none)."""

    def __init__(self, country: str | None = None, subdivision: str | None = None):
        self.country = country
        self.subdivision = subdivision

    @classmethod
    def of(cls, calendar) -> BusinessDays:
        """For a card's ``calendar`` (a ``quote.core.rates.Calendar`` or None)."""
        if calendar is None:
            return cls()
        return cls(calendar.country, calendar.subdivision)

    def _data(self, day: dt.date) -> Year | None:
        if self.country is None:
            return None
        return _year(self.country, self.subdivision, day.year)

    def is_holiday(self, day: dt.date) -> bool:
        data = self._data(day)
        return data is not None and day in data.holidays

    def is_working_weekend_day(self, day: dt.date) -> bool:
        data = self._data(day)
        return data is not None and day in data.working_weekend_days

    def is_business_day(self, day: dt.date) -> bool:
        if self.is_holiday(day):
            return False
        return day.weekday() < 5 or self.is_working_weekend_day(day)

    def add(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th business day after ``day`` (``day`` itself not counted)."""
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def next_business_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a business day, else the next one."""
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def holidays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days = []
        for year in range(first.year, last.year + 1):
            data = self._data(dt.date(year, 1, 1))
            if data is not None:
                days.extend(d for d in data.holidays if first <= d <= last)
        return sorted(days)
