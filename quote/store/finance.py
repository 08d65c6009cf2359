"""The finance view of issued offers: filtered, sorted, paginated lists, totals, exports.

Totals count each sale once: an offer replaced by a revision (``superseded``), a
withdrawn one and one the customer declined are listed and exported, but not added to
the totals (``UNCOUNTED``), unless the caller asks for every offer (``count_all``).
The exports (the lines, the offers, the billing schedule) are in ``export.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from .models import STATUSES, Offer
from .offers import utc_today

# "expiring": the issued offers still valid first, those that run out soonest first,
# then every other offer, newest first (the sales pipeline's order)
SORTS = ("number", "date", "total", "customer", "expiring")
MAX_PER_PAGE = 500
# stored statuses of offers that are not added to the totals: each sale counts once, in
# its latest version, and only while it is one
UNCOUNTED = ("superseded", "withdrawn", "declined")


def counted(status: str, count_all: bool = False) -> bool:
    """Whether an offer of ``status`` (stored or as read on a day) adds to the totals."""
    return count_all or status not in UNCOUNTED


@dataclass(frozen=True)
class OfferFilters:
    """Which offers to list; every criterion is optional and they all apply together.

    ``issued_from``/``issued_to``: issue dates (UTC), both included.
    ``status``: as read on ``today`` (so "expired" and "issued" exclude each other).
    ``customer``: a case-insensitive substring of the company, contact or e-mail.
    ``search``: the same, or a part of the offer's number ("000042", "q-2026-0000").
    """

    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    status: str | None = None
    rate_card: str | None = None
    customer: str | None = None
    issuer_id: int | None = None
    search: str | None = None

    def __post_init__(self):
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"{self.status!r} is not a status; choose one of "
                             f"{', '.join(STATUSES)}")


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    count: int
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class OfferPage:
    offers: list[Offer]
    page: int
    per_page: int
    count: int  # offers matching the filters, on all pages
    # by currency: the matching offers that count (see UNCOUNTED), or all with count_all
    totals: dict[str, CurrencyTotals] = field(default_factory=dict)
    left_out: int = 0  # matching offers not added to the totals

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


def status_column(today: dt.date) -> ColumnElement[str]:
    """The status as read on ``today``: issued offers past their valid_until day are expired."""
    return case(
        (and_(Offer.status == "issued", Offer.valid_until < today), literal("expired")),
        else_=Offer.status,
    )


def _conditions(filters: OfferFilters, today: dt.date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.issued_from is not None:
        conditions.append(Offer.issued_at >= _midnight(filters.issued_from))
    if filters.issued_to is not None:
        conditions.append(Offer.issued_at < _midnight(filters.issued_to + dt.timedelta(days=1)))
    if filters.status == "expired":
        conditions += [Offer.status == "issued", Offer.valid_until < today]
    elif filters.status == "issued":
        conditions += [Offer.status == "issued", Offer.valid_until >= today]
    elif filters.status is not None:
        conditions.append(Offer.status == filters.status)
    if filters.rate_card:
        conditions.append(Offer.rate_card_id == filters.rate_card)
    if filters.customer and filters.customer.strip():
        conditions.append(Offer.customer_search.contains(filters.customer.strip().casefold(),
                                                         autoescape=True))
    if filters.issuer_id is not None:
        conditions.append(Offer.issuer_id == filters.issuer_id)
    if filters.search and filters.search.strip():
        text = filters.search.strip()
        conditions.append(or_(Offer.number.contains(text.upper(), autoescape=True),
                              Offer.customer_search.contains(text.casefold(),
                                                             autoescape=True)))
    return conditions


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _order(sort: str, today: dt.date) -> list:
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTS)} "
                         "(with a leading - for descending)")
    if key == "expiring":
        running = and_(Offer.status == "issued", Offer.valid_until >= today)
        return [case((running, 0), else_=1), case((running, Offer.valid_until)),
                Offer.issued_at.desc(), Offer.id.desc()]
    column = {"number": Offer.number, "date": Offer.issued_at, "total": Offer.total,
              "customer": func.lower(Offer.customer_company)}[key]
    descending = sort.startswith("-")
    tie = Offer.id.desc() if descending else Offer.id.asc()
    return [column.desc() if descending else column.asc(), tie]


def list_offers(session: Session, filters: OfferFilters | None = None, sort: str = "-date",
                page: int = 1, per_page: int = 50, *, today: dt.date | None = None,
                count_all: bool = False) -> OfferPage:
    """One page of the offers matching ``filters``, and their totals per currency.

    ``sort``: number, date, total, customer or expiring (see ``SORTS``); a leading "-"
    sorts descending (not for expiring).
    ``page`` counts from 1.
    The totals leave out superseded, withdrawn and declined offers (``UNCOUNTED``; their
    number is ``left_out``), or add every matching offer with ``count_all``.
    """
    filters = filters or OfferFilters()
    today = today or utc_today()
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"page must be at least 1 and per_page 1 to {MAX_PER_PAGE}")
    conditions = _conditions(filters, today)
    offers = session.scalars(
        select(Offer).where(*conditions).order_by(*_order(sort, today))
        .options(selectinload(Offer.response))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    uncounted = case((Offer.status.in_(UNCOUNTED), 1), else_=0).label("uncounted")
    sums: dict[str, list] = {}
    count = left_out = 0
    for row in session.execute(
            select(Offer.currency, uncounted, func.count().label("count"),
                   func.sum(Offer.net).label("net"), func.sum(Offer.tax).label("tax"),
                   func.sum(Offer.total).label("total"))
            .where(*conditions).group_by(Offer.currency, uncounted)
            .order_by(Offer.currency)):
        count += row.count
        if row.uncounted and not count_all:
            left_out += row.count
            continue
        figures = sums.setdefault(row.currency, [0, Decimal("0.00"), Decimal("0.00"),
                                                 Decimal("0.00")])
        figures[0] += row.count
        figures[1] += row.net
        figures[2] += row.tax
        figures[3] += row.total
    totals = {currency: CurrencyTotals(currency, *figures)
              for currency, figures in sums.items()}
    return OfferPage(list(offers), page, per_page, count, totals, left_out)
