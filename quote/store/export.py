"""The finance exports of issued offers: every line, every offer, the billing schedule.

They read the offer's snapshot, so their texts can be written in any language. The
lists and their totals are in ``finance.py``; this module (with the snapshots' models)
is imported at the first export, not in every worker's start.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from ..core.describe import describer, line_description
from ..core.rates import RateCard
from ..core.result import Line, Money, PackageRef, Term
from .finance import OfferFilters, _conditions, counted, status_column
from .models import Contract, Offer, OfferResponse
from .offers import utc_today


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
