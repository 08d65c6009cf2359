"""E-mail deliveries about offers: recorded before sending, then marked sent or failed.

A delivery is claimed before each attempt by one conditional ``UPDATE`` (its status
and attempt count as read), so two processes retrying at once never send the same
mail twice: the second finds the row changed and leaves it. A claimed delivery is
``pending`` with ``last_attempt_at`` set; one left pending longer than ``stale_after``
(the process died while sending) may be claimed again.

Every function takes the caller's ``Session``; nothing commits on its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from .models import DELIVERY_KINDS, Delivery, Offer

MAX_RECIPIENT = 254
MAX_ERROR = 2000


def add_delivery(session: Session, offer: Offer | int, kind: str, recipient: str,
                 language: str, *, details: dict | None = None, sender_id: int | None = None,
                 now: dt.datetime) -> Delivery:
    """Record a mail to send, already claimed for its first attempt (``pending``, one
    attempt, ``last_attempt_at`` = ``now``)."""
    if kind not in DELIVERY_KINDS:
        raise ValueError(f"{kind!r} is not one of {', '.join(DELIVERY_KINDS)}")
    if not recipient or len(recipient) > MAX_RECIPIENT:
        raise ValueError(f"a recipient has 1 to {MAX_RECIPIENT} characters")
    delivery = Delivery(
        offer_id=offer if isinstance(offer, int) else offer.id, kind=kind,
        recipient=recipient, language=language, status="pending", attempts=1, error="",
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        sender_id=sender_id, message_id="", created_at=now, last_attempt_at=now)
    session.add(delivery)
    session.flush()
    return delivery


def claim(session: Session, delivery_id: int, *, now: dt.datetime, max_attempts: int,
          stale_after: dt.timedelta) -> Delivery | None:
    """Claim a failed delivery (or one left pending longer than ``stale_after``) for
    another attempt; None when it is sent, claimed by someone else, or out of attempts."""
    row = session.get(Delivery, delivery_id, populate_existing=True)
    if row is None or not _may_retry(row, now, max_attempts, stale_after):
        return None
    claimed = session.execute(
        update(Delivery)
        .where(Delivery.id == row.id, Delivery.status == row.status,
               Delivery.attempts == row.attempts)
        .values(status="pending", attempts=row.attempts + 1, last_attempt_at=now)
    ).rowcount
    if claimed != 1:
        return None
    return session.get(Delivery, delivery_id, populate_existing=True)


def _may_retry(row: Delivery, now: dt.datetime, max_attempts: int,
               stale_after: dt.timedelta) -> bool:
    if row.attempts >= max_attempts:
        return False
    if row.status == "failed":
        return True
    return (row.status == "pending" and row.last_attempt_at is not None
            and row.last_attempt_at <= now - stale_after)


def set_link(session: Session, delivery_id: int, link_hash: str) -> None:
    """The hash of the token of the link this attempt's mail carries (replacing the link of
    an earlier attempt, which reached nobody)."""
    session.execute(update(Delivery).where(Delivery.id == delivery_id)
                    .values(link_hash=link_hash))


def mark_sent(session: Session, delivery_id: int, *, message_id: str,
              now: dt.datetime) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id)
                    .values(status="sent", error="", message_id=message_id[:255], sent_at=now))


def mark_failed(session: Session, delivery_id: int, error: str) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id)
                    .values(status="failed", error=(error or "unknown error")[:MAX_ERROR]))


def mark_cancelled(session: Session, delivery_id: int, reason: str) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id)
                    .values(status="cancelled", error=reason[:MAX_ERROR]))


def deliveries_of(session: Session, offer: Offer | int) -> list[Delivery]:
    """The offer's deliveries, oldest first."""
    offer_id = offer if isinstance(offer, int) else offer.id
    return list(session.scalars(select(Delivery).where(Delivery.offer_id == offer_id)
                                .order_by(Delivery.id)))


def get_delivery(session: Session, delivery_id: int) -> Delivery | None:
    return session.get(Delivery, delivery_id)


def due_for_retry(session: Session, *, now: dt.datetime, max_attempts: int,
                  stale_after: dt.timedelta) -> list[int]:
    """The ids of the deliveries another attempt is due for, oldest first."""
    return list(session.scalars(
        select(Delivery.id)
        .where(Delivery.attempts < max_attempts,
               or_(Delivery.status == "failed",
                   and_(Delivery.status == "pending",
                        Delivery.last_attempt_at <= now - stale_after)))
        .order_by(Delivery.id)))


def offer_of_link(session: Session, link_hash: str) -> Offer | None:
    """The offer whose e-mailed link has the token hash ``link_hash``."""
    return session.scalars(select(Offer).join(Delivery, Delivery.offer_id == Offer.id)
                           .where(Delivery.link_hash == link_hash)).one_or_none()


def recent_delivery(session: Session, offer: Offer | int, kinds: Sequence[str], *,
                    since: dt.datetime) -> Delivery | None:
    """The newest delivery of one of ``kinds`` for the offer recorded after ``since``."""
    offer_id = offer if isinstance(offer, int) else offer.id
    return session.scalars(
        select(Delivery).where(Delivery.offer_id == offer_id, Delivery.kind.in_(kinds),
                               Delivery.created_at > since)
        .order_by(Delivery.id.desc()).limit(1)).first()


def offers_to_remind(session: Session, *, today: dt.date, days: int
                     ) -> list[tuple[Offer, Delivery]]:
    """Issued offers whose last valid day is within ``days`` days from ``today`` (today
    included), that were e-mailed to the customer (a sent ``offer`` delivery) and have
    no reminder yet (of any status: a failed reminder is retried, not made again).
    Each with the newest sent offer delivery, whose recipient the reminder goes to."""
    sent = aliased(Delivery)
    reminder = aliased(Delivery)
    newest = (select(sent.id).where(sent.offer_id == Offer.id, sent.kind == "offer",
                                    sent.status == "sent")
              .order_by(sent.id.desc()).limit(1).correlate(Offer).scalar_subquery())
    rows = session.execute(
        select(Offer, Delivery)
        .join(Delivery, Delivery.id == newest)
        .where(Offer.status == "issued", Offer.valid_until >= today,
               Offer.valid_until <= today + dt.timedelta(days=days),
               ~exists().where(reminder.offer_id == Offer.id, reminder.kind == "reminder"))
        .order_by(Offer.valid_until, Offer.id)).all()
    return [(offer, delivery) for offer, delivery in rows]


def read_details(delivery: Delivery) -> dict:
    try:
        details = json.loads(delivery.details or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}
