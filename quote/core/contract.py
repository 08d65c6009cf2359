"""Contract years and day counting.

Contract year k (k = 0, 1, ...) runs from the k-th anniversary of the term
start up to the day before the next anniversary. Anniversaries are always
counted from the original start, never chained: a term starting on 29 February
has its anniversaries on 28 February in common years and on 29 February in
leap years. A contract year therefore has 365 or 366 days.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

ONE_DAY = dt.timedelta(days=1)


def anniversary(start: dt.date, years: int) -> dt.date:
    """The ``years``-th anniversary of ``start`` (29 February falls on 28 February)."""
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 2, 28)


class ContractYear(NamedTuple):
    index: int  # 0-based
    start: dt.date
    end: dt.date  # last day, inclusive
    days: int  # days in the year, start and end included (365 or 366)
    ordinal: int  # the first day's ordinal (``start.toordinal()``), to count days by


def contract_years(start: dt.date, years: int) -> list[ContractYear]:
    """The ``years`` contract years of a term from ``start``, in order (each anniversary
    worked out once: it ends one year and starts the next)."""
    result = []
    first, ordinal = start, start.toordinal()
    for k in range(years):
        following = anniversary(start, k + 1)
        following_ordinal = following.toordinal()
        result.append(ContractYear(k, first, following - ONE_DAY, following_ordinal - ordinal,
                                   ordinal))
        first, ordinal = following, following_ordinal
    return result


def last_day(start: dt.date, years: int) -> dt.date:
    """The last day covered by a term of ``years`` contract years."""
    return anniversary(start, years) - ONE_DAY
