"""The renewal run: one renewal offer for every contract that ends soon.

``due_for_renewal`` lists the active contracts whose term ends within so many days
(with their annual cost and the renewal offer they have, if any);
``create_renewal_offers`` issues a renewal offer for each that has none, priced by
the pricing core, linked to the contract and its customer, in the customer's
language, issued by the given user or else by the contract's owner. Running it again
makes no second offer for the same contract and term: a renewal offer for that term
that is issued (and still valid) or accepted counts; a withdrawn, superseded or
expired one does not, so the next run offers again.

Contracts are handled in batches, one transaction each. Within a batch the
contracts' rows are locked (PostgreSQL; SQLite serialises writers anyway) and the
offers looked for again, so two runs at the same time cannot both offer; the batch's
offers are stored together (``quote.store.offers.issue_many``: one number draw and
two inserts per batch), linked like ``issue_offer`` links them. A contract the core
cannot price (a card version whose file is gone, a term the new card does not sell)
is reported and skipped; the others go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from quote.core.catalog import RateBook
from quote.core.errors import QuoteInputError
from quote.core.offer import DEFAULT_PAYMENT_DAYS, DEFAULT_VALID_DAYS
from quote.core.pricing import price_quote
from quote.store.contracts import contracts_due, due_keys, open_renewal_offers
from quote.store.db import Store
from quote.store.models import Contract
from quote.store.offers import BatchDraft, issue_many

from .contracts import annual_cost
from .errors import LifecycleError
from .offers import moment, offer_draft, require_customer
from .requests import renewal_request

BATCH = 100


@dataclass(frozen=True)
class DueContract:
    contract: Contract
    annual_cost: Decimal | None  # as it runs now; None if its card version is gone
    renewal_offer: str | None  # the number of its open renewal offer


def due_for_renewal(session: Session, book: RateBook, *, today: dt.date, within_days: int
                    ) -> list[DueContract]:
    """The active contracts whose term ends within ``within_days`` of ``today``, by end."""
    due = contracts_due(session, today, within_days)
    offered = open_renewal_offers(session, due, today)
    return [DueContract(c, annual_cost(book, c), offered.get(c.id)) for c in due]


@dataclass
class RenewalRun:
    due: int = 0
    created: list[tuple[str, str]] = field(default_factory=list)  # (contract, offer)
    offered_before: list[tuple[str, str]] = field(default_factory=list)  # (contract, offer)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (contract, reason)


Progress = Callable[[int, int], None]


def create_renewal_offers(store: Store, book: RateBook, *, today: dt.date, within_days: int,
                          issuer_id: int | None, valid_days: int = DEFAULT_VALID_DAYS,
                          progress: Progress | None = None, batch: int = BATCH,
                          now: dt.datetime | None = None,
                          payment_days: int = DEFAULT_PAYMENT_DAYS) -> RenewalRun:
    """Issue a renewal offer for every contract due within ``within_days`` of ``today``
    that has no open one (see the module's docstring), by ``issuer_id``, or (None) each
    by the contract's owner; ``progress(done, total)`` is called after each batch.
    Returns what was created, found and refused."""
    with store.session(read_only=True) as session:
        due = due_keys(session, today, within_days)
        offered = open_renewal_offers(session, due, today)
    run = RenewalRun(due=len(due))
    run.offered_before += [(c.number, offered[c.id]) for c in due if c.id in offered]
    todo = [c.id for c in due if c.id not in offered]
    last = today + dt.timedelta(days=within_days)
    for start in range(0, len(todo), batch):
        ids = todo[start:start + batch]
        with store.session() as session:
            contracts = session.scalars(
                select(Contract).where(Contract.id.in_(ids)).order_by(Contract.term_end,
                                                                     Contract.number)
                .with_for_update(of=Contract).execution_options(populate_existing=True)).all()
            offered = open_renewal_offers(session, contracts, today)
            drafts, numbers = [], []
            for contract in contracts:
                if contract.id in offered:
                    run.offered_before.append((contract.number, offered[contract.id]))
                    continue
                if contract.status != "active" or not today <= contract.term_end <= last:
                    continue  # renewed, cancelled or changed since it was listed
                try:
                    request = renewal_request(book, contract, today=today)
                    require_customer(request)
                    result = price_quote(request, book, today)
                except (QuoteInputError, LifecycleError) as exc:
                    run.failed.append((contract.number, str(exc)))
                    continue
                draft = offer_draft(book, request, result, today=today, valid_days=valid_days,
                                    payment_days=payment_days)
                drafts.append(BatchDraft(draft, contract.id, contract.customer_id,
                                         issuer_id if issuer_id is not None
                                         else contract.owner_id))
                numbers.append(contract.number)
            issued = issue_many(session, drafts, now=now or moment(today))
            run.created += [(contract, offer) for contract, (_, offer)
                            in zip(numbers, issued, strict=True)]
        if progress is not None:
            progress(min(start + batch, len(todo)), len(todo))
    return run
