"""The sales pipeline's inbox: self-service requests nobody in sales has looked at yet.

A self-service request is an offer a customer issued on the public form
(``issuer_id`` is null). It waits in the inbox until a salesperson or an admin opens
it (or marks it seen): ``seen_at`` and ``seen_by_id`` record who and when. Who is
shown which request:

- admin: every request;
- sales: the requests of customers they own (the customer linked to the offer, see
  ``quote.lifecycle.issue_offer``, has them as ``owner_id``), and every request whose
  customer is not known or has no owner; not those of customers another salesperson
  owns.

Every function takes the caller's ``Session`` and commits nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from .models import Customer, Offer
from .offers import utc_now

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class InboxPage:
    offers: list[Offer]
    page: int
    per_page: int
    count: int  # unseen requests for the user, on all pages

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


def _for(user_id: int | None) -> list[ColumnElement[bool]]:
    """The unseen self-service requests for the salesperson ``user_id`` (None: all)."""
    conditions = [Offer.issuer_id.is_(None), Offer.seen_at.is_(None)]
    if user_id is not None:
        conditions.append(or_(Customer.id.is_(None), Customer.owner_id.is_(None),
                              Customer.owner_id == user_id))
    return conditions


def _inbox(statement, user_id: int | None):
    return (statement.select_from(Offer)
            .outerjoin(Customer, Customer.id == Offer.customer_id).where(*_for(user_id)))


def inbox_count(session: Session, user_id: int | None) -> int:
    """How many unseen requests wait for the salesperson ``user_id`` (None: everyone's)."""
    return session.scalar(_inbox(select(func.count()), user_id)) or 0


def list_inbox(session: Session, user_id: int | None, *, page: int = 1, per_page: int = 50
               ) -> InboxPage:
    """One page of the unseen requests for ``user_id`` (None: all), those waiting longest
    first."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"page must be at least 1 and per_page 1 to {MAX_PER_PAGE}")
    offers = session.scalars(
        _inbox(select(Offer), user_id).order_by(Offer.issued_at, Offer.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return InboxPage(list(offers), page, per_page, inbox_count(session, user_id))


def mark_seen(session: Session, offer: Offer | int, user_id: int, *,
              now: dt.datetime | None = None) -> bool:
    """Record that ``user_id`` looked at the self-service request ``offer``; the first look
    counts. Returns whether this call marked it (False: seen before, or not a request)."""
    offer_id = offer if isinstance(offer, int) else offer.id
    marked = session.execute(
        update(Offer)
        .where(Offer.id == offer_id, Offer.issuer_id.is_(None), Offer.seen_at.is_(None))
        .values(seen_at=now or utc_now(), seen_by_id=user_id)
        .execution_options(synchronize_session=False)).rowcount
    return bool(marked)
