"""Issuing offers and what happens to them afterwards.

Every function takes the ``Session`` of the caller's transaction
(``with store.session() as session: ...``); nothing commits on its own, so an
exception anywhere in the block rolls back everything, the drawn offer number
included.

Numbers are ``Q-<year>-<6 digits>``, drawn from a per-year counter row by one
upsert, ``INSERT ... ON CONFLICT (year) DO UPDATE SET value = value + 1
RETURNING value``, in the same transaction as the offer. On PostgreSQL the
upsert locks the year's counter row until the transaction ends, so concurrent
issuers wait for each other: numbers are unique, gap-free and increase in
commit order. On SQLite the writing transaction starts with ``BEGIN
IMMEDIATE``, which serializes writers the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from quote.core.offer import OfferDocument, SellerContact
from quote.core.rates import RateCard

from .deliveries import offer_of_link
from .errors import IdempotencyConflict, IllegalTransition, InvalidDraft
from .models import (
    IdempotencyKey,
    Offer,
    OfferCounter,
    OfferLine,
    OfferPdf,
    OfferResponse,
    User,
)

if TYPE_CHECKING:
    from .db import Store

NUMBER_PREFIX = "Q"
LANGUAGES = ("en", "de", "ru")

# render(document, language, acceptance): the PDF; ``acceptance`` is the offer's
# accepted ``OfferResponse`` (the filled acceptance block), or None (the empty one)
Renderer = Callable[[OfferDocument, str, "OfferResponse | None"], bytes]


@dataclass(frozen=True)
class Issued:
    """The outcome of ``issue``.

    ``token`` is the public link's token (``/q/<token>``) of a self-service
    offer. Only its hash is stored, so this is the one time it can be shown;
    it is None for staff offers and for replays. ``replayed`` is True when an
    idempotency key returned an offer issued earlier.
    """

    offer: Offer
    token: str | None = None
    replayed: bool = False


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc_today() -> dt.date:
    return utc_now().date()


def format_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def token_hash(token: str) -> str:
    """The stored form of a public or API token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def body_hash(body: bytes) -> str:
    """The hash an idempotent request is recognised by: SHA-256 of its body, hex."""
    return hashlib.sha256(body).hexdigest()


def _insert(session: Session, model):
    """An upsert-capable INSERT in the session's dialect (imported here: the store's own
    dialect is loaded by its engine; the other one is never needed)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert(model)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert

        return insert(model)
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect}")


def bump_counter(session: Session, model, key: str, value, count: int = 1) -> int:
    """Add ``count`` to the counter row of ``model`` whose ``key`` column is ``value``
    (made at ``count`` if missing) by one upsert, and return the new value; counted only
    if the transaction commits (on PostgreSQL the row stays locked until then)."""
    statement = (
        _insert(session, model)
        .values({key: value, "value": count})
        .on_conflict_do_update(index_elements=[getattr(model, key)],
                               set_={"value": model.value + count})
        .returning(model.value)
    )
    return session.execute(statement).scalar_one()


def draw_number(session: Session, year: int, count: int = 1) -> int:
    """The next sequence number of ``year`` (with ``count``: the last of so many
    consecutive ones); counted only if the transaction commits."""
    return bump_counter(session, OfferCounter, "year", year, count)


def _give_back_number(session: Session, year: int) -> None:
    # Only called while this transaction holds the counter row, right after drawing.
    session.execute(update(OfferCounter).where(OfferCounter.year == year)
                    .values(value=OfferCounter.value - 1))


def _replay(session: Session, user_id: int, key: str, request_hash: str) -> Offer | None:
    earlier = session.get(IdempotencyKey, (user_id, key), populate_existing=True)
    if earlier is None:
        return None
    offer = session.get(Offer, earlier.offer_id)
    assert offer is not None
    if earlier.body_hash != request_hash:
        raise IdempotencyConflict(key, offer.number)
    return offer


def issue(session: Session, draft: OfferDocument, *, issuer_id: int | None = None,
          public: bool = False, idempotency_key: str | None = None,
          body_hash: str | None = None, now: dt.datetime | None = None,
          replaces: Offer | None = None, contract_id: int | None = None,
          customer_id: int | None = None) -> Issued:
    """Give ``draft`` a number and store it as an issued offer.

    The offer is dated ``now`` (UTC; default: the moment the number is drawn)
    and stays valid as many days as the draft's ``valid_until`` is after its
    ``issued_on``. ``issuer_id`` is the issuing user, None for a public
    self-service offer; ``public=True`` gives the offer a token for its public
    link. With ``idempotency_key`` (which needs ``issuer_id`` and the request's
    ``body_hash``) a repeated request returns the offer issued the first time,
    and the same key with another body raises ``IdempotencyConflict``.

    The snapshot gets the issuer's name, e-mail and phone as they are now (the offer's
    named contact, unless the draft names one) and the number of the offer it
    ``replaces``. ``kind`` and ``term_start`` are taken from the document; ``contract_id`` and
    ``customer_id`` link the offer to a stored contract and customer (see
    ``quote.lifecycle.issue_offer``, which finds them from the request).
    """
    if draft.number is not None:
        raise InvalidDraft(f"the document is numbered already ({draft.number})")
    if idempotency_key is not None:
        if issuer_id is None or body_hash is None:
            raise ValueError("an idempotency key needs the issuer and the request's body hash")
        earlier = _replay(session, issuer_id, idempotency_key, body_hash)
        if earlier is not None:
            return Issued(earlier, replayed=True)
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be an aware datetime")

    year = (now or utc_now()).astimezone(dt.UTC).year
    sequence = draw_number(session, year)
    if idempotency_key is not None:
        # A request with the same key may have committed while this one waited
        # for the counter row: look again, now that it is ours.
        assert issuer_id is not None and body_hash is not None
        try:
            earlier = _replay(session, issuer_id, idempotency_key, body_hash)
        except IdempotencyConflict:
            _give_back_number(session, year)
            raise
        if earlier is not None:
            _give_back_number(session, year)
            return Issued(earlier, replayed=True)

    issued_at = (now or utc_now()).astimezone(dt.UTC)  # after the wait: follows number order
    issued_on = issued_at.date()
    document = draft.model_copy(update={
        "number": format_number(year, sequence),
        "issued_on": issued_on,
        "valid_until": issued_on + (draft.valid_until - draft.issued_on),
        "contact": draft.contact or _contacts(session, [issuer_id]).get(issuer_id),
        "replaces": replaces.number if replaces is not None else draft.replaces,
    })
    token = secrets.token_urlsafe(32) if public else None
    offer = _offer_row(document, issued_at)
    offer.issuer_id = issuer_id
    offer.public_token_hash = token_hash(token) if token else None
    offer.replaces_id = replaces.id if replaces is not None else None
    offer.contract_id, offer.customer_id = contract_id, customer_id
    session.add(offer)
    session.flush()
    if idempotency_key is not None:
        assert issuer_id is not None and body_hash is not None
        session.add(IdempotencyKey(user_id=issuer_id, key=idempotency_key, body_hash=body_hash,
                                   offer_id=offer.id, created_at=issued_at))
        session.flush()
    offer.__dict__["document"] = document  # the cached_property, already known
    return Issued(offer, token=token)


def _contacts(session: Session, user_ids: Sequence[int | None]) -> dict[int, SellerContact]:
    """The named contact of each issuing user, as the user is now."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    return {user.id: SellerContact(name=user.display_name, email=user.email,
                                   phone=user.phone or "")
            for user in session.scalars(select(User).where(User.id.in_(wanted)))}


def _offer_row(document: OfferDocument, issued_at: dt.datetime) -> Offer:
    return Offer(**_offer_values(document, issued_at),
                 lines=[OfferLine(**values) for values in _line_values(document)])


def _offer_values(document: OfferDocument, issued_at: dt.datetime) -> dict:
    """The columns of an issued offer, copied from its numbered document."""
    result, customer = document.result, document.request.customer
    assert document.number is not None
    return dict(
        number=document.number, status="issued", issued_at=issued_at,
        valid_until=document.valid_until, language=document.language,
        currency=result.currency, rate_card_id=result.rate_card.id,
        rate_card_version=result.rate_card.version, rate_card_sha256=document.card_sha256,
        package_id=result.package.id, package_name=result.package.name,
        customer_company=customer.company, customer_contact=customer.contact,
        customer_email=customer.email, customer_country=customer.country,
        customer_search="\n".join((customer.company, customer.contact,
                                   customer.email)).casefold(),
        subtotal=result.subtotal, discount=result.discount, net=result.net, tax=result.tax,
        total=result.total, document_json=document_json(document),
        kind=result.kind, term_start=result.term.start,
    )


# The JSON of the rate cards snapshots were made of lately, by the card object's identity
# (a loaded rate book hands out the same object for every offer of a card version).
_card_json: dict[int, tuple[RateCard, str]] = {}


def document_json(document: OfferDocument) -> str:
    """``document.model_dump_json()``, the same text, faster for a batch: the rate card,
    most of a snapshot, is serialised once per card object instead of once per offer."""
    card = document.card
    known = _card_json.get(id(card))
    if known is None or known[0] is not card:
        if len(_card_json) >= 32:
            _card_json.clear()
        known = _card_json[id(card)] = (card, card.model_dump_json())
    head = document.model_dump_json(exclude={"card"})
    cut = head.rindex(',"card_sha256":')  # the card comes right before its hash, the last
    return f'{head[:cut]},"card":{known[1]}{head[cut:]}'


def _line_values(document: OfferDocument) -> list[dict]:
    return [dict(position=position, code=line.code, description=line.description,
                 amount=line.amount)
            for position, line in enumerate(document.result.lines, start=1)]


@dataclass(frozen=True)
class BatchDraft:
    """A draft for ``issue_many`` with the contract and customer it belongs to, and its
    issuer if not the batch's."""

    draft: OfferDocument
    contract_id: int | None = None
    customer_id: int | None = None
    issuer_id: int | None = None


def issue_many(session: Session, drafts: Sequence[BatchDraft], *,
               issuer_id: int | None = None, now: dt.datetime | None = None
               ) -> list[tuple[int, str]]:
    """Issue several drafts at once, for a batch job: each as ``issue`` would (consecutive
    numbers drawn together, gap-free; the same issue time), in a few statements instead
    of several per offer. ``issuer_id`` issues the drafts that name no issuer of their
    own. No public links, no idempotency keys. Returns (id, number) of each offer, in
    the order of ``drafts``."""
    if not drafts:
        return []
    for item in drafts:
        if item.draft.number is not None:
            raise InvalidDraft(f"the document is numbered already ({item.draft.number})")
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    year = (now or utc_now()).astimezone(dt.UTC).year
    last = draw_number(session, year, len(drafts))
    issued_at = (now or utc_now()).astimezone(dt.UTC)
    issued_on = issued_at.date()
    numbers = [format_number(year, n) for n in range(last - len(drafts) + 1, last + 1)]
    issuers = [item.issuer_id if item.issuer_id is not None else issuer_id for item in drafts]
    contacts = _contacts(session, issuers)
    documents = [item.draft.model_copy(update={
        "number": number, "issued_on": issued_on,
        "valid_until": issued_on + (item.draft.valid_until - item.draft.issued_on),
        "contact": item.draft.contact or contacts.get(issuer)})
        for item, number, issuer in zip(drafts, numbers, issuers, strict=True)]
    rows = [{**_offer_values(document, issued_at),
             "issuer_id": issuer,
             "status_changed_at": None, "replaces_id": None, "public_token_hash": None,
             "contract_id": item.contract_id, "customer_id": item.customer_id}
            for item, document, issuer in zip(drafts, documents, issuers, strict=True)]
    # Plain executemany inserts of the tables: the driver sends one short prepared
    # statement many times (a multi-row INSERT ... RETURNING of this size costs psycopg
    # more to convert than the server to run); the ids are read back by number.
    offers, lines = Offer.__table__, OfferLine.__table__
    session.execute(insert(offers), rows)
    ids_by_number = {number: offer_id for number, offer_id in session.execute(
        select(offers.c.number, offers.c.id)
        .where(offers.c.number.between(numbers[0], numbers[-1])))}
    ids = [ids_by_number[number] for number in numbers]
    session.execute(insert(lines), [
        {**values, "offer_id": offer_id}
        for offer_id, document in zip(ids, documents, strict=True)
        for values in _line_values(document)])
    return list(zip(ids, numbers, strict=True))


# Reading

def get_offer(session: Session, offer_id: int) -> Offer | None:
    return session.get(Offer, offer_id)


def find_by_number(session: Session, number: str) -> Offer | None:
    return session.scalars(select(Offer).where(Offer.number == number)).one_or_none()


def find_by_token(session: Session, token: str) -> Offer | None:
    """The public offer whose link carries ``token``; None for an unknown token.

    Only the token's SHA-256 is stored and looked up, so the database never
    holds a usable link and the lookup compares no secret byte by byte. The
    offer's own link (shown once when a customer requests it) and the link of
    every e-mail sent about it all open it.
    """
    if not token or len(token) > 200:
        return None
    hashed = token_hash(token)
    offer = session.scalars(
        select(Offer).where(Offer.public_token_hash == hashed)).one_or_none()
    if offer is None:  # the link of an e-mail about the offer (each mail has its own)
        offer = offer_of_link(session, hashed)
    return offer


def replacement_of(session: Session, offer: Offer) -> Offer | None:
    """The revision that replaced ``offer``, if any."""
    return session.scalars(select(Offer).where(Offer.replaces_id == offer.id)).one_or_none()


# Status transitions

def _locked(session: Session, offer: Offer | int) -> Offer:
    offer_id = offer if isinstance(offer, int) else offer.id
    row = session.get(Offer, offer_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise LookupError(f"no offer with id {offer_id}")
    return row


def locked_offer(session: Session, offer: Offer | int) -> Offer:
    """The offer's row, read again and locked until the transaction ends."""
    return _locked(session, offer)


def _change(offer: Offer, status: str) -> None:
    offer.status = status
    offer.status_changed_at = utc_now()


def accept(session: Session, offer: Offer | int, *, today: dt.date | None = None) -> Offer:
    """Mark an issued, still valid offer as accepted."""
    return _answered(session, offer, "accepted", today)


def decline(session: Session, offer: Offer | int, *, today: dt.date | None = None) -> Offer:
    """Mark an issued, still valid offer as declined by the customer."""
    return _answered(session, offer, "declined", today)


def _answered(session: Session, offer: Offer | int, answer: str,
              today: dt.date | None) -> Offer:
    """The customer's answer (``accepted``, ``declined``) to an issued, still valid offer."""
    row = _locked(session, offer)
    status = row.status_on(today or utc_today())
    if status != "issued":
        raise IllegalTransition(row.number, status, answer)
    _change(row, answer)
    session.flush()
    return row


def withdraw(session: Session, offer: Offer | int, *, today: dt.date | None = None) -> Offer:
    """Withdraw an offer that was not accepted (an expired one may be withdrawn too)."""
    row = _locked(session, offer)
    status = row.status_on(today or utc_today())
    if status not in ("issued", "expired"):
        raise IllegalTransition(row.number, status, "withdrawn")
    _change(row, "withdrawn")
    session.flush()
    return row


def revise(session: Session, offer: Offer | int, draft: OfferDocument, *,
           issuer_id: int | None = None, public: bool = False,
           now: dt.datetime | None = None, contract_id: int | None = None,
           customer_id: int | None = None) -> Issued:
    """Issue ``draft`` as a revision of ``offer``: a new number, ``replaces_id`` the old offer.

    The old offer (issued or expired, never accepted or withdrawn) becomes
    ``superseded``; a declined offer may be revised too (the answer to its reason) and
    stays ``declined``, so that the customer's answer is kept. An offer is revised at
    most once (revise the revision). The revision belongs to the old offer's contract
    and customer unless others are given.
    """
    row = _locked(session, offer)
    status = row.status_on((now or utc_now()).astimezone(dt.UTC).date())
    if status not in ("issued", "expired", "declined"):
        raise IllegalTransition(row.number, status, "revised")
    issued = issue(session, draft, issuer_id=issuer_id, public=public, now=now, replaces=row,
                   contract_id=contract_id if contract_id is not None else row.contract_id,
                   customer_id=customer_id if customer_id is not None else row.customer_id)
    if status != "declined":
        _change(row, "superseded")
    session.flush()
    return issued


# PDF cache
#
# A cached PDF says what it was made for (``made_for``): "open", with the empty
# acceptance block, or "accepted", with the acceptance filled in. Only a PDF made for
# the offer's present form is served; an acceptance makes the open ones stale.

def pdf_form(acceptance: OfferResponse | None) -> str:
    """What a PDF of an offer with this acceptance is made for: "open" or "accepted"."""
    return "accepted" if acceptance is not None else "open"


def acceptance_of(session: Session, offer: Offer | int) -> OfferResponse | None:
    """The offer's recorded acceptance, if it was accepted with one."""
    offer_id = offer if isinstance(offer, int) else offer.id
    return session.scalars(select(OfferResponse).where(
        OfferResponse.offer_id == offer_id, OfferResponse.kind == "accepted")).one_or_none()


def cached_pdf(session: Session, offer: Offer, language: str, made_for: str = "open"
               ) -> bytes | None:
    """The offer's PDF in ``language`` if it was rendered before for ``made_for``."""
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    cached = session.get(OfferPdf, (offer.id, language))
    return cached.pdf if cached is not None and cached.made_for == made_for else None


def keep_pdf(session: Session, offer: Offer, language: str, pdf: bytes,
             made_for: str = "open") -> None:
    """Cache a rendered PDF. When another process cached one for the same ``made_for``
    first, theirs stays; one made for another form of the offer is replaced."""
    if not isinstance(pdf, bytes):
        raise TypeError(f"a PDF is bytes, not {type(pdf).__name__}")
    statement = _insert(session, OfferPdf).values(
        offer_id=offer.id, language=language, pdf=pdf, created_at=utc_now(), made_for=made_for)
    session.execute(statement.on_conflict_do_update(
        index_elements=[OfferPdf.offer_id, OfferPdf.language],
        set_={"pdf": statement.excluded.pdf, "created_at": statement.excluded.created_at,
              "made_for": statement.excluded.made_for},
        where=OfferPdf.made_for != statement.excluded.made_for))


def pdf_for(store: Store, offer: Offer, language: str, render: Renderer) -> bytes:
    """The offer's PDF in ``language``, rendered by ``render(document, language,
    acceptance)`` only once for each form of the offer (open, accepted).

    The render runs outside any transaction: no lock is held while it takes its
    time (on SQLite, issuing goes on meanwhile), and the PDF is stored after it in
    a short writing transaction of its own. Two processes rendering the same PDF
    at once both render; the first to store it wins, and both answer the same
    document. A PDF rendered while the offer was being accepted may be stored as
    "open" after the acceptance: it is never served as the accepted one, and the
    next request renders that again.
    """
    with store.session(read_only=True) as session:
        acceptance = acceptance_of(session, offer)
        made_for = pdf_form(acceptance)
        cached = cached_pdf(session, offer, language, made_for)
    if cached is not None:
        return cached
    pdf = render(offer.document, language, acceptance)
    with store.session() as session:
        keep_pdf(session, offer, language, pdf, made_for)
    return pdf


def forget_pdfs(session: Session, offer: Offer | None = None) -> int:
    """Drop cached PDFs (of one offer, or all after a renderer change); returns how many."""
    statement = delete(OfferPdf)
    if offer is not None:
        statement = statement.where(OfferPdf.offer_id == offer.id)
    return session.execute(statement).rowcount
