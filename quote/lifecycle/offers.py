"""Issuing an offer for a request with its links, and accepting it: the contract side.

``issue_offer`` prices a request with the rate book and stores the offer linked to the
contract the request names (and that contract's customer). ``accept_offer`` marks the
offer accepted and, in the same transaction, creates or changes the contract:

| the offer | on acceptance |
| --- | --- |
| ``new`` | a new contract (customer found or created), history ``created`` |
| ``top_up``, co-termed | the contract's license value and environments grow, ``top_up`` |
| ``top_up``, no stored contract | customer and contract as it ran, ``created``; ``top_up`` |
| ``top_up``, ``separate_term`` | a new contract of the same customer, ``created`` |
| ``renewal`` | the term becomes the renewal's (start, years, card version), ``renewal`` |
| ``reinstatement`` | the same, and the contract is active again, ``reinstatement`` |

Accepting an offer again is harmless: the event it made is found (an offer makes at
most one) and returned. A co-termed top-up accepted after another top-up of the same
contract is still applied additively: its additions are added to the contract as it
is then; its price stays the one offered (it was priced on the contract as it was).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from quote.core.catalog import RateBook
from quote.core.contract import ONE_DAY
from quote.core.money import ZERO
from quote.core.offer import (
    DEFAULT_PAYMENT_DAYS,
    DEFAULT_VALID_DAYS,
    OfferDocument,
    offer_document,
    require_customer,
)
from quote.core.pricing import price_quote
from quote.core.request import QuoteRequest
from quote.core.result import QuoteResult
from quote.store.contracts import (
    ContractTerms,
    add_contract,
    add_event,
    contract_by_number,
    event_of_offer,
    locked_contract,
)
from quote.store.customers import (
    NewContact,
    add_customer,
    country_code,
    get_customer,
    matching_customer,
)
from quote.store.models import Contract, ContractEvent, Customer, Offer
from quote.store.offers import Issued, accept, issue, locked_offer, revise, utc_now

from .errors import ContractNotActive, OfferDoesNotFit


def moment(today: dt.date) -> dt.datetime:
    """An issue time on ``today`` (UTC): now, or now's time of day on a configured day."""
    now = utc_now()
    return now if now.date() == today else dt.datetime.combine(today, now.timetz())


def issue_offer(session: Session, book: RateBook, request: QuoteRequest, *, today: dt.date,
                issuer_id: int | None = None, now: dt.datetime | None = None,
                valid_days: int = DEFAULT_VALID_DAYS, customer_id: int | None = None,
                public: bool = False, idempotency_key: str | None = None,
                body_hash: str | None = None, revises: Offer | None = None,
                result: QuoteResult | None = None, contract: Contract | None = None,
                payment_days: int = DEFAULT_PAYMENT_DAYS) -> Issued:
    """Price ``request`` (unless its ``result`` is given) and issue it as an offer, or as
    a revision of ``revises``, linked to the contract it names (``request.contract``,
    ``contract`` if already read) and to that contract's customer, or to
    ``customer_id``. A self-service request (no issuer) that names no contract is linked
    to the known customer it names (the same company in the same country), so that it
    reaches that customer's owner in the sales inbox. Invoices of the offer are payable
    within ``payment_days``. Raises the core's ``QuoteInputError``, ``UnknownContract``,
    and ``OfferDoesNotFit`` for a request that does not belong to the contract it
    names.

    A numbered offer names its customer: company, contact, e-mail and a country the tax
    follows from (``QuoteInputError`` at those fields before a number is drawn)."""
    require_customer(request)
    if request.contract is not None:
        if contract is None or contract.number != request.contract:
            contract = contract_by_number(session, request.contract)
        _check_belongs(request, contract, customer_id)
        customer_id = contract.customer_id
    elif contract is not None:
        raise ValueError("the request names no contract")
    elif issuer_id is None and customer_id is None:
        customer_id = _known_customer(session, request)
    draft = offer_draft(book, request, result or price_quote(request, book, today),
                        today=today, valid_days=valid_days, payment_days=payment_days)
    now = now or moment(today)
    links = {"contract_id": contract.id if contract is not None else None,
             "customer_id": customer_id}
    if revises is not None:
        return revise(session, revises, draft, issuer_id=issuer_id, public=public, now=now,
                      **links)
    return issue(session, draft, issuer_id=issuer_id, public=public, now=now,
                 idempotency_key=idempotency_key, body_hash=body_hash, **links)


def offer_draft(book: RateBook, request: QuoteRequest, result: QuoteResult, *,
                today: dt.date, valid_days: int = DEFAULT_VALID_DAYS,
                payment_days: int = DEFAULT_PAYMENT_DAYS) -> OfferDocument:
    """The unnumbered offer document of a priced request (with the card version that
    priced it), dated ``today``."""
    loaded = book.version(result.rate_card.id, result.rate_card.version)
    assert loaded is not None, "the result was priced with a card of this book"
    return offer_document(request, result, loaded, issued_on=today, valid_days=valid_days,
                          payment_days=payment_days)


def _known_customer(session: Session, request: QuoteRequest) -> int | None:
    """The stored customer a request's customer data names: the same company in the same
    country (a code or a country's name in en/de/ru), else None."""
    data = request.customer
    country = country_code(data.country, by_name=True) if data.country else None
    if not data.company or country is None:
        return None
    found = matching_customer(session, data.company, country)
    return found.id if found is not None else None


def _check_belongs(request: QuoteRequest, contract: Contract, customer_id: int | None) -> None:
    if request.kind == "new":
        raise OfferDoesNotFit(contract.number, "a new contract's offer cannot name a "
                                               "contract; use top_up, renewal or "
                                               "reinstatement")
    if request.rate_card != contract.rate_card_id:
        raise OfferDoesNotFit(contract.number, f"the contract is on the rate card "
                                               f"{contract.rate_card_id}, not "
                                               f"{request.rate_card}")
    if customer_id is not None and customer_id != contract.customer_id:
        raise OfferDoesNotFit(contract.number, "the contract belongs to another customer")


@dataclass(frozen=True)
class Accepted:
    """The outcome of ``accept_offer``: the offer, the contract it created or changed
    (None for a renewal or reinstatement that names no stored contract: nothing to
    change), the event in the contract's history, and ``replayed`` when the offer
    had been accepted with its contract change before."""

    offer: Offer
    contract: Contract | None
    event: ContractEvent | None
    replayed: bool = False


def accept_offer(session: Session, offer: Offer | int, *, by_user_id: int | None,
                 today: dt.date, customer_id: int | None = None,
                 now: dt.datetime | None = None) -> Accepted:
    """Accept ``offer`` (issued and still valid on ``today``) and apply it to its
    contract in the caller's transaction (see the module's table). ``customer_id``:
    the customer a new contract is for, when the offer's own customer data should not
    be used to find or create one. Raises ``IllegalTransition`` (withdrawn, expired,
    ...), ``ContractNotActive``, ``OfferDoesNotFit`` and ``InvalidCustomer`` (a new
    contract's offer without a company, a country or an e-mail)."""
    row = locked_offer(session, offer)
    if row.status == "accepted":
        event = event_of_offer(session, row)
        if event is not None:
            return Accepted(row, event.contract, event, replayed=True)
        # accepted before without a contract change (by the plain store): apply it now
    else:
        accept(session, row, today=today)
    now = now or utc_now()
    document = row.document
    kind = document.result.kind
    if kind == "new" or (kind == "top_up" and document.result.separate_term):
        contract, event = _new_contract(session, row, document, by_user_id=by_user_id,
                                        customer_id=customer_id, now=now)
        return Accepted(row, contract, event)
    if kind == "top_up" and row.contract_id is None:
        contract, event = _running_contract(session, row, document, by_user_id=by_user_id,
                                            customer_id=customer_id, now=now)
        return Accepted(row, contract, event)
    if row.contract_id is None:
        return Accepted(row, None, None)
    contract = locked_contract(session, row.contract_id)
    apply = {"top_up": _top_up, "renewal": _renewal, "reinstatement": _reinstatement}[kind]
    event = apply(session, row, document, contract, by_user_id=by_user_id, now=now)
    return Accepted(row, contract, event)


def _new_contract(session: Session, offer: Offer, document: OfferDocument, *,
                  by_user_id: int | None, customer_id: int | None, now: dt.datetime
                  ) -> tuple[Contract, ContractEvent]:
    request, result = document.request, document.result
    package = document.card.package(result.package.id)
    assert package is not None
    if result.separate_term:
        # the top-up's additions as a contract of their own, as they were priced
        license_value = sum((a.license_value for a in request.additions), ZERO)
        environments = package.environments.included + sum(
            a.environments for a in request.additions)
        note = f"separate term of {request.contract}, " if request.contract else ""
    else:
        license_value = (request.license_value or ZERO) + sum(
            (a.license_value for a in request.additions), ZERO)
        environments = (request.environments or package.environments.included) + sum(
            a.environments for a in request.additions)
        note = ""
    origin = None
    if offer.contract_id is not None:
        origin = session.get(Contract, offer.contract_id)
    customer = _customer_of(session, offer, document, customer_id=customer_id,
                            origin=origin, owner_id=offer.issuer_id or by_user_id, now=now)
    terms = ContractTerms(
        rate_card_id=result.rate_card.id, rate_card_version=result.rate_card.version,
        package_id=result.package.id, deployment=result.deployment, currency=result.currency,
        license_value=license_value, environments=environments,
        term_start=result.term.start, term_years=result.term.years, billing=request.billing)
    contract = add_contract(session, customer, terms, event="created",
                            owner_id=offer.issuer_id or by_user_id, offer_id=offer.id,
                            by_user_id=by_user_id, note=f"{note}offer {offer.number}", now=now)
    offer.customer_id = customer.id
    if not result.separate_term:
        offer.contract_id = contract.id
    session.flush()
    event = event_of_offer(session, offer)
    assert event is not None
    return contract, event


def _running_contract(session: Session, offer: Offer, document: OfferDocument, *,
                      by_user_id: int | None, customer_id: int | None, now: dt.datetime
                      ) -> tuple[Contract, ContractEvent]:
    """A co-termed top-up of a running contract that is not stored yet (priced from the
    terms typed into the form or sent to the API): the customer is found or made as for
    a new contract, the contract as the offer describes it before its additions is
    recorded (``created``, without the offer), and then topped up by the offer. A
    stored contract of that customer with the same rate card, package, deployment and
    term start is the same contract: the top-up is applied to it."""
    request, result = document.request, document.result
    customer = _customer_of(session, offer, document, customer_id=customer_id, origin=None,
                            owner_id=offer.issuer_id or by_user_id, now=now)
    contract = session.scalars(select(Contract).where(
        Contract.customer_id == customer.id, Contract.rate_card_id == result.rate_card.id,
        Contract.package_id == result.package.id, Contract.deployment == result.deployment,
        Contract.term_start == result.term.start).order_by(Contract.id).limit(1)).first()
    if contract is None:
        package = document.card.package(result.package.id)
        assert package is not None
        terms = ContractTerms(
            rate_card_id=result.rate_card.id, rate_card_version=result.rate_card.version,
            package_id=result.package.id, deployment=result.deployment,
            currency=result.currency, license_value=request.license_value or ZERO,
            environments=request.environments or package.environments.included,
            term_start=result.term.start, term_years=result.term.years,
            billing=request.billing)
        contract = add_contract(session, customer, terms, event="created",
                                owner_id=offer.issuer_id or by_user_id, by_user_id=by_user_id,
                                note=f"running before offer {offer.number}, recorded with it",
                                now=now)
    else:
        contract = locked_contract(session, contract)
    offer.customer_id = customer.id
    offer.contract_id = contract.id
    event = _top_up(session, offer, document, contract, by_user_id=by_user_id, now=now)
    return contract, event


def _customer_of(session: Session, offer: Offer, document: OfferDocument, *,
                 customer_id: int | None, origin: Contract | None, owner_id: int | None,
                 now: dt.datetime) -> Customer:
    for known in (customer_id, offer.customer_id,
                  origin.customer_id if origin is not None else None):
        if known is not None:
            customer = get_customer(session, known)
            if customer is None:
                raise LookupError(f"no customer with id {known}")
            return customer
    data = document.request.customer
    country = country_code(data.country, by_name=True) or data.country
    if data.company and country_code(country):
        found = matching_customer(session, data.company, country)
        if found is not None:
            return found
    return add_customer(session, company=data.company, country=country,
                        vat_id=data.vat_id or None,
                        language=document.language, owner_id=owner_id,
                        contacts=[NewContact(data.contact or data.email, data.email)],
                        now=now)


def _note(offer: Offer, contract: Contract, priced: QuoteRequest) -> str:
    note = f"offer {offer.number}"
    if (priced.license_value or ZERO, priced.environments or contract.environments) != (
            contract.license_value, contract.environments):
        note += (f"; priced on {priced.license_value} and {priced.environments} "
                 f"environment(s), the contract had {contract.license_value} and "
                 f"{contract.environments}: applied additively")
    return note


def _top_up(session: Session, offer: Offer, document: OfferDocument, contract: Contract, *,
            by_user_id: int | None, now: dt.datetime) -> ContractEvent:
    if contract.status != "active":
        raise ContractNotActive(contract.number, contract.status, "topped up")
    request = document.request
    added_value = sum((a.license_value for a in request.additions), ZERO)
    added_environments = sum(a.environments for a in request.additions)
    package = document.card.package(contract.package_id)
    maximum = package.environments.maximum if package is not None else None
    if maximum is not None and contract.environments + added_environments > maximum:
        raise OfferDoesNotFit(offer.number, f"contract {contract.number} would have "
                                            f"{contract.environments + added_environments} "
                                            f"environments, more than the package's "
                                            f"{maximum}")
    note = _note(offer, contract, request)
    contract.license_value += added_value
    contract.environments += added_environments
    first = min((a.date for a in request.additions), default=document.result.as_of)
    return add_event(session, contract, "top_up", first, offer_id=offer.id,
                     license_value_added=added_value, environments_added=added_environments,
                     note=note, by_user_id=by_user_id, now=now)


def _renewal(session: Session, offer: Offer, document: OfferDocument, contract: Contract, *,
             by_user_id: int | None, now: dt.datetime) -> ContractEvent:
    if contract.status != "active":
        raise ContractNotActive(contract.number, contract.status, "renewed")
    term = document.result.term
    if term.start != contract.term_end + ONE_DAY:
        raise OfferDoesNotFit(offer.number, f"the renewal starts on {term.start}, but "
                                            f"contract {contract.number} runs to "
                                            f"{contract.term_end}")
    return _new_term(session, offer, document, contract, "renewal", by_user_id=by_user_id,
                     now=now)


def _reinstatement(session: Session, offer: Offer, document: OfferDocument,
                   contract: Contract, *, by_user_id: int | None, now: dt.datetime
                   ) -> ContractEvent:
    term = document.result.term
    if term.start <= contract.term_end + ONE_DAY:
        raise OfferDoesNotFit(offer.number, f"contract {contract.number} runs to "
                                            f"{contract.term_end}: there is no lapse "
                                            f"before {term.start} to reinstate")
    contract.status = "active"
    return _new_term(session, offer, document, contract, "reinstatement",
                     by_user_id=by_user_id, now=now)


def _new_term(session: Session, offer: Offer, document: OfferDocument, contract: Contract,
              kind: str, *, by_user_id: int | None, now: dt.datetime) -> ContractEvent:
    result = document.result
    before = f"{contract.term_start} to {contract.term_end}"
    contract.set_term(result.term.start, result.term.years)
    contract.rate_card_version = result.rate_card.version
    contract.billing = document.request.billing
    note = (f"offer {offer.number}: term {result.term.start} to {result.term.end} "
            f"({result.term.years} year(s), card version {result.rate_card.version}); "
            f"before: {before}")
    return add_event(session, contract, kind, result.term.start, offer_id=offer.id,
                     note=note, by_user_id=by_user_id, now=now)
