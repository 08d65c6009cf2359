"""Customers' answers to offers: an acceptance or a decline, recorded once per offer.

The status change itself is ``quote.store.offers.accept`` / ``decline``; the lifecycle
service (``quote.lifecycle.accept_offer``, ``decline_offer``) changes the status, records
the answer and, for an acceptance, the contract, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.errors import N_, FieldError
from .errors import InvalidInput
from .models import Offer, OfferResponse
from .offers import utc_now

# the longest texts a response keeps (the columns' sizes)
NAME_LENGTH, POSITION_LENGTH, ORDER_LENGTH, REASON_LENGTH = 200, 200, 100, 2000


class InvalidResponse(InvalidInput):
    """The person or the reason given with an answer is refused; ``errors`` name each
    field (``name``, ``position``, ``purchase_order``, ``reason``, ``conditions``)."""


class DocumentChanged(Exception):
    """The answer names another document than the offer's snapshot (its SHA-256)."""

    def __init__(self, number: str):
        self.number = number
        super().__init__(f"the document answered is not offer {number} as it is stored")


@dataclass(frozen=True)
class Respondent:
    """Who answers an offer for the customer, and from where.

    ``purchase_order``: the customer's purchase-order number (acceptance, optional);
    ``reason``: why the offer is declined (decline, required); ``remote_addr``: the
    address the answer came from as the app sees it; ``document_sha256``: the snapshot
    the person saw, when known (checked against the offer's)."""

    name: str
    position: str = ""
    purchase_order: str = ""
    reason: str = ""
    remote_addr: str | None = None
    document_sha256: str | None = None

    def cleaned(self) -> Respondent:
        return Respondent(self.name.strip(), self.position.strip(),
                          self.purchase_order.strip(), self.reason.strip(), self.remote_addr,
                          self.document_sha256)


def _has_control(text: str, *, lines: bool = False) -> bool:
    allowed = "\n\r\t" if lines else ""
    return any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in text)


def check_respondent(person: Respondent, kind: str, *, position_required: bool = True
                     ) -> list[FieldError]:
    """What is wrong with ``person`` for an answer of ``kind`` (accepted or declined);
    the messages are the pricing core's (translated in its catalogue).

    An acceptance needs a name and (``position_required``) a position, a decline a name
    and a reason; texts are trimmed, within their lengths, without control characters.
    """
    errors: list[FieldError] = []
    fields = (("name", person.name, NAME_LENGTH, True, False),
              ("position", person.position, POSITION_LENGTH,
               kind == "accepted" and position_required, False),
              ("purchase_order", person.purchase_order, ORDER_LENGTH, False, False),
              ("reason", person.reason, REASON_LENGTH, kind == "declined", True))
    for field, text, most, required, lines in fields:
        if required and not text.strip():
            errors.append(FieldError(field, N_("is required")))
        elif len(text.strip()) > most:
            errors.append(FieldError(field, N_("must be at most %(max_length)s characters "
                                               "long"), {"max_length": most}))
        elif _has_control(text, lines=lines):
            errors.append(FieldError(field, N_("must not contain control characters")))
    return errors


def response_of(session: Session, offer: Offer | int) -> OfferResponse | None:
    """The customer's answer to ``offer``, if any."""
    offer_id = offer if isinstance(offer, int) else offer.id
    return session.scalars(
        select(OfferResponse).where(OfferResponse.offer_id == offer_id)).one_or_none()


def record_response(session: Session, offer: Offer, kind: str, person: Respondent, *,
                    user_id: int | None = None, now: dt.datetime | None = None
                    ) -> OfferResponse:
    """Store the answer ``kind`` to ``offer`` (whose status the caller has just changed).
    ``user_id``: the staff member recording it for the customer. Raises
    ``InvalidResponse`` and ``DocumentChanged``."""
    person = person.cleaned()
    errors = check_respondent(person, kind, position_required=user_id is None)
    if errors:
        raise InvalidResponse(errors)
    digest = offer.document_sha256
    if person.document_sha256 is not None and person.document_sha256 != digest:
        raise DocumentChanged(offer.number)
    response = OfferResponse(
        offer_id=offer.id, kind=kind, name=person.name, position=person.position,
        purchase_order=person.purchase_order if kind == "accepted" else "",
        reason=person.reason if kind == "declined" else "", document_sha256=digest,
        remote_addr=(person.remote_addr or None) and person.remote_addr[:45],
        user_id=user_id, created_at=(now or utc_now()).astimezone(dt.UTC))
    session.add(response)
    session.flush()
    return response
