"""The finance view of issued offers: filtered, sorted, paginated lists, totals, exports."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from .models import STATUSES, Contract, Offer, OfferLine, OfferResponse
from .offers import utc_today

# "expiring": the issued offers still valid first, those that run out soonest first,
# then every other offer, newest first (the sales pipeline's order)
SORTS = ("number", "date", "total", "customer", "expiring")
MAX_PER_PAGE = 500


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
    totals: dict[str, CurrencyTotals] = field(default_factory=dict)  # by currency

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


@dataclass(frozen=True)
class ExportRow:
    """One line item of one offer, with the offer's figures repeated."""

    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: str
    customer_company: str
    package: str
    line_code: str
    line_description: str
    amount: Decimal
    currency: str
    net: Decimal
    tax: Decimal
    total: Decimal
    # the acceptance, if the offer was accepted with one: the day (UTC), the person and
    # their position, the customer's purchase-order number
    accepted_on: dt.date | None = None
    accepted_by: str = ""
    accepted_position: str = ""
    purchase_order: str = ""


EXPORT_COLUMNS = tuple(ExportRow.__dataclass_fields__)


@dataclass(frozen=True)
class ScheduleRow:
    """What one offer charges for one contract year, as its billing schedule says: the
    amounts to invoice and when (``due``). ``year`` is None for a reinstatement's uncovered
    days before its term; an offer stored without a schedule has one row of its totals
    with no year and no dates."""

    number: str
    status: str
    customer_company: str
    contract: str
    kind: str
    year: int | None
    start: dt.date | None
    end: dt.date | None
    due: dt.date | None
    amount: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    currency: str


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
                page: int = 1, per_page: int = 50, *, today: dt.date | None = None
                ) -> OfferPage:
    """One page of the offers matching ``filters``, and their totals per currency.

    ``sort``: number, date, total, customer or expiring (see ``SORTS``); a leading "-"
    sorts descending (not for expiring).
    ``page`` counts from 1.
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
    totals = {
        row.currency: CurrencyTotals(row.currency, row.count, row.net, row.tax, row.total)
        for row in session.execute(
            select(Offer.currency, func.count().label("count"),
                   func.sum(Offer.net).label("net"), func.sum(Offer.tax).label("tax"),
                   func.sum(Offer.total).label("total"))
            .where(*conditions).group_by(Offer.currency).order_by(Offer.currency)
        )
    }
    count = sum(t.count for t in totals.values())
    return OfferPage(list(offers), page, per_page, count, totals)


def export_rows(session: Session, filters: OfferFilters | None = None, *,
                today: dt.date | None = None) -> Iterator[ExportRow]:
    """One row per line item of every offer matching ``filters``, by number then line,
    with the offer's acceptance (if any) on each of its lines."""
    filters = filters or OfferFilters()
    today = today or utc_today()
    accepted = OfferResponse.__table__.alias("accepted")
    statement = (
        select(Offer.number, Offer.issued_at, Offer.valid_until,
               status_column(today).label("status"), Offer.customer_company,
               Offer.package_name, OfferLine.code, OfferLine.description, OfferLine.amount,
               Offer.currency, Offer.net, Offer.tax, Offer.total,
               accepted.c.created_at.label("accepted_at"), accepted.c.name.label("accepted_by"),
               accepted.c.position.label("accepted_position"),
               accepted.c.purchase_order)
        .join(OfferLine, OfferLine.offer_id == Offer.id)
        .outerjoin(accepted, and_(accepted.c.offer_id == Offer.id,
                                  accepted.c.kind == "accepted"))
        .where(*_conditions(filters, today))
        .order_by(Offer.number, OfferLine.position)
        .execution_options(yield_per=500)
    )
    for row in session.execute(statement):
        yield ExportRow(row.number, row.issued_at.date(), row.valid_until, row.status,
                        row.customer_company, row.package_name, row.code, row.description,
                        row.amount, row.currency, row.net, row.tax, row.total,
                        _utc(row.accepted_at).date() if row.accepted_at else None,
                        row.accepted_by or "", row.accepted_position or "",
                        row.purchase_order or "")


def schedule_rows(session: Session, filters: OfferFilters | None = None, *,
                  today: dt.date | None = None) -> Iterator[ScheduleRow]:
    """The billing schedule of every offer matching ``filters``, by number then contract
    year: one row per entry, read from the offer's snapshot (the schedule as issued)."""
    filters = filters or OfferFilters()
    today = today or utc_today()
    statement = (
        select(Offer.number, status_column(today).label("status"), Offer.customer_company,
               Contract.number.label("contract"), Offer.kind, Offer.currency,
               Offer.subtotal, Offer.discount, Offer.net, Offer.tax, Offer.total,
               Offer.document_json)
        .outerjoin(Contract, Contract.id == Offer.contract_id)
        .where(*_conditions(filters, today))
        .order_by(Offer.number)
        .execution_options(yield_per=200)
    )
    for row in session.execute(statement):
        offer = (row.number, row.status, row.customer_company, row.contract or "", row.kind)
        entries = json.loads(row.document_json)["result"].get("schedule") or []
        if not entries:
            yield ScheduleRow(*offer, None, None, None, None, row.subtotal, row.discount,
                              row.net, row.tax, row.total, row.currency)
        for entry in entries:
            yield ScheduleRow(
                *offer, entry.get("year"), dt.date.fromisoformat(entry["start"]),
                dt.date.fromisoformat(entry["end"]), dt.date.fromisoformat(entry["due"]),
                *(Decimal(entry[name]) for name in ("amount", "discount", "net", "tax",
                                                     "total")),
                row.currency)


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored time read through a table alias (not the model's type): UTC, aware."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(
        dt.UTC)
