"""The finance view of issued offers: filtered, sorted, paginated lists, totals, exports.

Totals count each sale once: an offer replaced by a revision (``superseded``), a
withdrawn one and one the customer declined are listed and exported, but not added to
the totals (``UNCOUNTED``), unless the caller asks for every offer (``count_all``).
Exports read the offer's snapshot, so their texts can be written in any language.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ..core.describe import describer, line_description
from ..core.rates import RateCard
from ..core.result import Line, Money, PackageRef, Term
from .models import STATUSES, Contract, Offer, OfferResponse
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


@dataclass(frozen=True)
class ExportRow:
    """One line of one offer, in the export's language: the offer's charges in order,
    then its discount (if it has one) as a line of its own with a negative amount, so that
    the amounts of an offer's rows add up to its net. ``code`` is the line's code
    (``support``, ``addition``, ... or ``discount``), ``kind`` the same in words."""

    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: str
    counted: bool  # the offer adds to the totals (see UNCOUNTED)
    customer_company: str
    package: str
    position: int
    code: str
    kind: str
    description: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class OfferRow:
    """One offer with its figures (subtotal − discount = net; net + tax = total), the offer
    it replaces and its acceptance (if the customer accepted it)."""

    number: str
    issued_on: dt.date
    valid_until: dt.date
    status: str
    counted: bool  # the offer adds to the totals (see UNCOUNTED)
    replaces: str  # the number of the offer this revision replaces, or ""
    customer_company: str
    rate_card: str  # the card's name in the export's language
    rate_card_version: str
    package: str
    currency: str
    subtotal: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    # the day (UTC), the person and their position, the customer's purchase-order number
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
    counted: bool = True  # the offer adds to the totals (see UNCOUNTED)


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


class _Priced(BaseModel):
    """What the line export reads of a snapshot's result (checked to add up when issued)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    package: PackageRef
    deployment: str
    term: Term
    currency: str
    lines: list[Line]
    discount_percent: Money
    discount: Money


class _ResultOf(BaseModel):
    """The priced lines of a stored snapshot, read without its rate card."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    result: _Priced


class _CardOf(BaseModel):
    """The rate card of a stored snapshot."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    card: RateCard
    card_sha256: str


# Rate cards read from snapshots, by the SHA-256 of the card version's file (the same
# file is the same card, so they never go stale).
_cards: dict[str, RateCard] = {}


def snapshot_cards(session: Session, sha256s) -> dict[str, RateCard]:
    """The rate cards offers were priced with, by ``Offer.rate_card_sha256``: each read
    once from one offer's snapshot (then kept), so that texts such as the card's and
    the packages' names can be given in any language, as issued."""
    wanted = set(sha256s)
    missing = wanted - set(_cards)
    if missing and len(_cards) + len(missing) > 64:
        _cards.clear()
        missing = wanted
    if missing:
        first = (select(func.min(Offer.id)).where(Offer.rate_card_sha256.in_(missing))
                 .group_by(Offer.rate_card_sha256))
        for text in session.scalars(select(Offer.document_json).where(Offer.id.in_(first))):
            snapshot = _CardOf.model_validate_json(text)
            _cards[snapshot.card_sha256] = snapshot.card
    return {sha256: _cards[sha256] for sha256 in wanted if sha256 in _cards}


def _matching_cards(session: Session, conditions) -> dict[str, RateCard]:
    return snapshot_cards(session, session.scalars(
        select(Offer.rate_card_sha256).where(*conditions).distinct()))


def export_rows(session: Session, filters: OfferFilters | None = None, *,
                today: dt.date | None = None, language: str = "en",
                count_all: bool = False) -> Iterator[ExportRow]:
    """Every line of every offer matching ``filters``, by number then line, described in
    ``language`` from the offer's snapshot (not in the offer's own language): its charges,
    then its discount as a line of its own, so that an offer's lines add up to its net."""
    filters = filters or OfferFilters()
    today = today or utc_today()
    conditions = _conditions(filters, today)
    cards = _matching_cards(session, conditions)
    statement = (
        select(Offer.number, Offer.issued_at, Offer.valid_until,
               status_column(today).label("status"), Offer.customer_company,
               Offer.package_name, Offer.rate_card_sha256, Offer.document_json)
        .where(*conditions)
        .order_by(Offer.number)
        .execution_options(yield_per=200)
    )
    for row in session.execute(statement):
        card = cards[row.rate_card_sha256]
        result = _ResultOf.model_validate_json(row.document_json).result
        package = card.package(result.package.id)
        assert package is not None, f"{row.number}: its card has no package {result.package.id}"
        words = describer(language, result.currency)
        offer = (row.number, row.issued_at.date(), row.valid_until, row.status,
                 counted(row.status, count_all), row.customer_company, package.name(language))
        for position, line in enumerate(result.lines, start=1):
            description = line_description(line, card, package, result.deployment,
                                           result.term.years, language,
                                           currency=result.currency)
            yield ExportRow(*offer, position, line.code, words.line_kind(line.code),
                            description, line.amount, result.currency)
        if result.discount:
            yield ExportRow(*offer, len(result.lines) + 1, "discount",
                            words.line_kind("discount"),
                            words.discount(result.discount_percent), -result.discount,
                            result.currency)


def offer_rows(session: Session, filters: OfferFilters | None = None, *,
               today: dt.date | None = None, language: str = "en",
               count_all: bool = False) -> Iterator[OfferRow]:
    """One row per offer matching ``filters``, by number: its figures, the rate card and
    package named in ``language`` (as the snapshot has them), the offer it replaces and
    its acceptance (if any)."""
    filters = filters or OfferFilters()
    today = today or utc_today()
    conditions = _conditions(filters, today)
    cards = _matching_cards(session, conditions)
    accepted = OfferResponse.__table__.alias("accepted")
    replaced = aliased(Offer)
    statement = (
        select(Offer.number, Offer.issued_at, Offer.valid_until,
               status_column(today).label("status"), replaced.number.label("replaces"),
               Offer.customer_company, Offer.rate_card_id, Offer.rate_card_version,
               Offer.rate_card_sha256, Offer.package_id, Offer.package_name, Offer.currency,
               Offer.subtotal, Offer.discount, Offer.net, Offer.tax, Offer.total,
               accepted.c.created_at.label("accepted_at"), accepted.c.name.label("accepted_by"),
               accepted.c.position.label("accepted_position"), accepted.c.purchase_order)
        .outerjoin(replaced, replaced.id == Offer.replaces_id)
        .outerjoin(accepted, and_(accepted.c.offer_id == Offer.id,
                                  accepted.c.kind == "accepted"))
        .where(*conditions)
        .order_by(Offer.number)
        .execution_options(yield_per=500)
    )
    for row in session.execute(statement):
        card = cards.get(row.rate_card_sha256)
        package = card.package(row.package_id) if card is not None else None
        yield OfferRow(
            row.number, row.issued_at.date(), row.valid_until, row.status,
            counted(row.status, count_all), row.replaces or "", row.customer_company,
            card.name(language) if card is not None else row.rate_card_id,
            row.rate_card_version,
            package.name(language) if package is not None else row.package_name,
            row.currency, row.subtotal, row.discount, row.net, row.tax, row.total,
            _utc(row.accepted_at).date() if row.accepted_at else None,
            row.accepted_by or "", row.accepted_position or "", row.purchase_order or "")


def schedule_rows(session: Session, filters: OfferFilters | None = None, *,
                  today: dt.date | None = None,
                  count_all: bool = False) -> Iterator[ScheduleRow]:
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
        adds = counted(row.status, count_all)
        entries = json.loads(row.document_json)["result"].get("schedule") or []
        if not entries:
            yield ScheduleRow(*offer, None, None, None, None, row.subtotal, row.discount,
                              row.net, row.tax, row.total, row.currency, adds)
        for entry in entries:
            yield ScheduleRow(
                *offer, entry.get("year"), dt.date.fromisoformat(entry["start"]),
                dt.date.fromisoformat(entry["end"]), dt.date.fromisoformat(entry["due"]),
                *(Decimal(entry[name]) for name in ("amount", "discount", "net", "tax",
                                                     "total")),
                row.currency, adds)


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored time read through a table alias (not the model's type): UTC, aware."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(
        dt.UTC)
