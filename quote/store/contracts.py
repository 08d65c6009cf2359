"""Contracts and their history, as stored. What may be stored is decided by
``quote.lifecycle`` (which knows the rate cards); this module writes and reads rows.

Numbers are ``C-<6 digits>`` (``C-000001``), drawn from the ``contracts`` row of the
``counters`` table by one upsert in the creating transaction, as offer numbers are:
unique, and gap-free when transactions commit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .customers import looked_after_by
from .errors import UnknownContract
from .models import CONTRACT_STATUSES, Contract, ContractEvent, Counter, Customer, Offer
from .offers import bump_counter, utc_now

CONTRACT_PREFIX = "C"
COUNTER = "contracts"
MAX_PER_PAGE = 500


def format_contract_number(sequence: int) -> str:
    return f"{CONTRACT_PREFIX}-{sequence:06d}"


def draw_contract_numbers(session: Session, count: int = 1) -> list[str]:
    """``count`` consecutive new contract numbers, counted only if the transaction commits
    (on PostgreSQL the counter row stays locked until then)."""
    if count < 1:
        return []
    last = bump_counter(session, Counter, "name", COUNTER, count)
    return [format_contract_number(n) for n in range(last - count + 1, last + 1)]


@dataclass(frozen=True)
class ContractTerms:
    """What a contract is: checked against its rate card by ``quote.lifecycle``."""

    rate_card_id: str
    rate_card_version: str
    package_id: str
    deployment: str
    currency: str
    license_value: Decimal
    environments: int
    term_start: dt.date
    term_years: int
    billing: str = "prepaid"


def add_contract(session: Session, customer: Customer, terms: ContractTerms, *,
                 event: str, owner_id: int | None = None, offer_id: int | None = None,
                 by_user_id: int | None = None, note: str = "",
                 number: str | None = None, now: dt.datetime | None = None,
                 flush: bool = True) -> Contract:
    """A new active contract of ``customer`` with its first event (``created`` or
    ``imported``, recording the license value and environments it starts with),
    effective on the term start. ``number``: one drawn before (an import draws many at
    once); default: the next one. ``flush=False`` leaves the inserts to the next flush
    (an import flushes once)."""
    now = now or utc_now()
    contract = Contract(
        number=number or draw_contract_numbers(session)[0], customer=customer,
        rate_card_id=terms.rate_card_id, rate_card_version=terms.rate_card_version,
        package_id=terms.package_id, deployment=terms.deployment, currency=terms.currency,
        license_value=terms.license_value, environments=terms.environments,
        billing=terms.billing, status="active", owner_id=owner_id, created_at=now)
    contract.set_term(terms.term_start, terms.term_years)
    session.add(contract)
    session.add(ContractEvent(
        contract=contract, kind=event, effective_on=terms.term_start, offer_id=offer_id,
        license_value_added=terms.license_value, environments_added=terms.environments,
        note=note, user_id=by_user_id, created_at=now))
    if flush:
        session.flush()
    return contract


def add_event(session: Session, contract: Contract, kind: str, effective_on: dt.date, *,
              offer_id: int | None = None, license_value_added: Decimal = Decimal(0),
              environments_added: int = 0, note: str = "", by_user_id: int | None = None,
              now: dt.datetime | None = None) -> ContractEvent:
    """Record a change of ``contract`` in its history."""
    event = ContractEvent(
        contract=contract, kind=kind, effective_on=effective_on, offer_id=offer_id,
        license_value_added=license_value_added, environments_added=environments_added,
        note=note, user_id=by_user_id, created_at=now or utc_now())
    session.add(event)
    session.flush()
    return event


def locked_contract(session: Session, contract: Contract | int) -> Contract:
    """The contract's row, read again and locked until the transaction ends
    (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's writing transactions are
    serialised anyway)."""
    contract_id = contract if isinstance(contract, int) else contract.id
    row = session.get(Contract, contract_id, with_for_update={"of": Contract},
                      populate_existing=True)
    if row is None:
        raise LookupError(f"no contract with id {contract_id}")
    return row


def get_contract(session: Session, contract_id: int) -> Contract | None:
    return session.get(Contract, contract_id)


def find_contract(session: Session, number: str) -> Contract | None:
    if len(number) > 20:
        return None
    return session.scalars(
        select(Contract).where(Contract.number == number.strip().upper())).one_or_none()


def contract_by_number(session: Session, number: str) -> Contract:
    """The contract ``number``; ``UnknownContract`` if there is none."""
    contract = find_contract(session, number)
    if contract is None:
        raise UnknownContract(number)
    return contract


def contract_history(session: Session, contract: Contract) -> list[ContractEvent]:
    """The contract's events in the order they happened."""
    return list(session.scalars(
        select(ContractEvent).where(ContractEvent.contract_id == contract.id)
        .order_by(ContractEvent.id)))


def event_of_offer(session: Session, offer: Offer) -> ContractEvent | None:
    """The event an accepted offer made, if it made one."""
    return session.scalars(
        select(ContractEvent).where(ContractEvent.offer_id == offer.id)).one_or_none()


@dataclass(frozen=True)
class ContractPage:
    contracts: list[Contract]
    page: int
    per_page: int
    count: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


def list_contracts(session: Session, *, customer_id: int | None = None,
                   status: str | None = None, today: dt.date | None = None,
                   owner_or_none: int | None = None, page: int = 1, per_page: int = 50
                   ) -> ContractPage:
    """One page of contracts by number: of one customer, if given; with ``status``
    (``active``, ``ended``, ``cancelled``) only those in that status on ``today`` (an
    active contract past its last covered day has ended); ``owner_or_none``: only the
    contracts of customers that user looks after or nobody does."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"page must be at least 1 and per_page 1 to {MAX_PER_PAGE}")
    conditions = [] if customer_id is None else [Contract.customer_id == customer_id]
    if status is not None:
        if today is None:
            raise ValueError("a status needs the day it is read on (today)")
        conditions += _in_status(status, today)
    if owner_or_none is not None:
        conditions.append(Contract.customer_id.in_(
            select(Customer.id).where(looked_after_by(owner_or_none))))
    count = session.scalar(select(func.count()).select_from(Contract).where(*conditions))
    contracts = session.scalars(select(Contract).where(*conditions).order_by(Contract.number)
                                .limit(per_page).offset((page - 1) * per_page)).all()
    return ContractPage(list(contracts), page, per_page, count or 0)


def _in_status(status: str, today: dt.date) -> list:
    """The conditions of ``Contract.status_on(today) == status``."""
    if status == "active":
        return [Contract.status == "active", Contract.term_end >= today]
    if status == "ended":
        return [Contract.status == "active", Contract.term_end < today]
    if status == "cancelled":
        return [Contract.status == "cancelled"]
    raise ValueError(f"{status!r} is not a contract status; one of {', '.join(CONTRACT_STATUSES)}")


def same_contract(session: Session, customer_id: int, terms: ContractTerms) -> Contract | None:
    """The customer's contract on the same rate card, package, deployment and term start
    as ``terms``, if there is one: the same contract, as the import counts it."""
    return session.scalars(
        select(Contract).where(Contract.customer_id == customer_id,
                               Contract.rate_card_id == terms.rate_card_id,
                               Contract.package_id == terms.package_id,
                               Contract.deployment == terms.deployment,
                               Contract.term_start == terms.term_start)
        .order_by(Contract.id).limit(1)).one_or_none()


def _due(today: dt.date, within_days: int) -> list:
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    last = today + dt.timedelta(days=within_days)
    return [Contract.status == "active", Contract.term_end >= today, Contract.term_end <= last]


def contracts_due(session: Session, today: dt.date, within_days: int) -> list[Contract]:
    """Active contracts whose term ends within ``within_days`` days from ``today``
    (today included), by end date. A contract whose renewal was accepted runs on to
    the renewed term's end, so it is due again only near that one."""
    return list(session.scalars(select(Contract).where(*_due(today, within_days))
                                .order_by(Contract.term_end, Contract.number)))


def due_keys(session: Session, today: dt.date, within_days: int) -> list:
    """``contracts_due`` as rows of (id, number, term_end) only: for a batch job that
    reads each contract again when it gets to it."""
    return list(session.execute(
        select(Contract.id, Contract.number, Contract.term_end)
        .where(*_due(today, within_days)).order_by(Contract.term_end, Contract.number)))


def open_renewal_offers(session: Session, contracts: Sequence, today: dt.date
                        ) -> dict[int, str]:
    """For each contract (or row with ``id`` and ``term_end``) that has one, the number
    of its renewal offer for the next term (starting the day after its end) that is
    issued and still valid on ``today``, or accepted; by contract id. Withdrawn,
    superseded and expired offers do not count."""
    next_start = {c.id: c.term_end + dt.timedelta(days=1) for c in contracts}
    ids = list(next_start)
    found: dict[int, str] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        # only the contracts' own offers are read (through their index) and their status
        # is looked at here: a condition on the status would lead SQLite to the status
        # index, through every issued offer
        rows = session.execute(
            select(Offer.contract_id, Offer.number, Offer.term_start, Offer.status,
                   Offer.valid_until)
            .where(Offer.contract_id.in_(chunk), Offer.kind == "renewal")
            .order_by(Offer.id))
        for contract_id, number, term_start, status, valid_until in rows:
            open_ = status == "accepted" or (status == "issued" and valid_until >= today)
            if open_ and term_start == next_start[contract_id]:
                found.setdefault(contract_id, number)
    return found
