"""Contract years and day counting.

Contract year k (k = 0, 1, ...) runs from the k-th anniversary of the term
start up to the day before the next anniversary. Anniversaries are always
counted from the original start, never chained: a term starting on 29 February
has its anniversaries on 28 February in common years and on 29 February in
leap years. A contract year therefore has 365 or 366 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


def anniversary(start: dt.date, years: int) -> dt.date:
    """The ``years``-th anniversary of ``start`` (29 February falls on 28 February)."""
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 2, 28)


@dataclass(frozen=True)
class ContractYear:
    index: int  # 0-based
    start: dt.date
    end: dt.date  # last day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def contract_years(start: dt.date, years: int) -> list[ContractYear]:
    return [
        ContractYear(k, anniversary(start, k), anniversary(start, k + 1) - ONE_DAY)
        for k in range(years)
    ]


def last_day(start: dt.date, years: int) -> dt.date:
    """The last day covered by a term of ``years`` contract years."""
    return anniversary(start, years) - ONE_DAY
