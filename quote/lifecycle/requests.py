"""Quote requests built from a stored contract: a top-up, a renewal, a reinstatement.

The request describes the contract as it runs (license value, environments, term,
billing) and names it (``contract``); pricing stays with the core
(``quote.core.pricing.price_quote``), which also refuses what cannot be priced (a
top-up after the contract's end, a renewal term outside the card's bounds, ...).

Which version of the rate card prices it:

- a top-up: the version the contract was sold on, unless that version says
  ``top_up_prices = "current"``; then the version in force on ``today``;
- a renewal or a reinstatement: the version in force on the new term's first day,
  unless the contract's version has ``renewal.price_lock``; then the contract's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from quote.core.catalog import LoadedCard, RateBook
from quote.core.contract import ONE_DAY
from quote.core.errors import N_, FieldError, QuoteInputError
from quote.core.request import Addition, Customer, QuoteRequest, parse_request
from quote.core.tax import vat_id_country, vat_id_problem
from quote.store.models import Contract
from quote.store.models import Customer as StoredCustomer

from .errors import ContractNotActive


def request_customer(customer: StoredCustomer) -> dict:
    """A stored customer as a quote request's ``customer``: the primary contact's name
    and e-mail, and the VAT ID where it has the form of one from the customer's country
    (the tax follows from it)."""
    contact = customer.primary_contact
    data = {"company": customer.company, "country": customer.country,
            "contact": contact.name if contact else "",
            "email": contact.email if contact else ""}
    vat_id = customer.vat_id or ""
    if vat_id and vat_id_problem(vat_id) is None and vat_id_country(vat_id) == customer.country:
        data["vat_id"] = vat_id  # a VAT ID of the customer's country, for reverse charge
    return data


def contract_card(book: RateBook, contract: Contract) -> LoadedCard | None:
    """The rate card version the contract was sold on (None if its file is gone)."""
    return book.version(contract.rate_card_id, contract.rate_card_version)


def _in_force(book: RateBook, contract: Contract, day: dt.date) -> str:
    loaded = book.in_force(contract.rate_card_id, day)
    if loaded is None:
        if contract.rate_card_id in book.versions:
            error = FieldError("rate_card", N_("no version of %(card)s is in force on %(date)s"),
                               {"card": contract.rate_card_id, "date": day})
        else:
            error = FieldError("rate_card", N_("unknown rate card; choose one of %(known)s"),
                               {"known": ", ".join(book.ids())})
        raise QuoteInputError([error])
    return loaded.card.version


def top_up_version(book: RateBook, contract: Contract, today: dt.date) -> str:
    """The card version a top-up of ``contract`` is priced with on ``today``."""
    own = contract_card(book, contract)
    if own is not None and own.card.top_up_prices == "current":
        return _in_force(book, contract, today)
    return contract.rate_card_version  # the core says so if the file is gone


def renewal_version(book: RateBook, contract: Contract, start: dt.date) -> str:
    """The card version a new term of ``contract`` from ``start`` is priced with."""
    own = contract_card(book, contract)
    if own is not None and own.card.renewal.price_lock:
        return contract.rate_card_version
    return _in_force(book, contract, start)


def _base(contract: Contract, *, today: dt.date, language: str | None,
          customer: Customer | Mapping | None, discount_percent, tax_percent,
          tax_reason: str = "") -> dict:
    stored = contract.customer
    if isinstance(customer, Customer):
        customer = customer.model_dump()
    data = {
        "rate_card": contract.rate_card_id, "package": contract.package_id,
        "deployment": contract.deployment, "license_value": str(contract.license_value),
        "currency": contract.currency,
        "environments": contract.environments, "billing": contract.billing,
        "contract": contract.number, "as_of": today.isoformat(),
        "language": language or stored.language,
        "customer": dict(customer) if customer is not None else request_customer(stored),
        "discount_percent": str(discount_percent),
    }
    if tax_percent is not None:  # staff's override; else the tax rules decide
        data.update({"tax_percent": str(tax_percent), "tax_reason": tax_reason})
    return data


def _addition(addition: Addition | Mapping) -> dict:
    if isinstance(addition, Addition):
        return addition.model_dump(mode="json")
    return dict(addition)


def top_up_request(book: RateBook, contract: Contract,
                   additions: Iterable[Addition | Mapping], *, separate_term: bool = False,
                   today: dt.date, language: str | None = None,
                   customer: Customer | Mapping | None = None,
                   discount_percent: Decimal | str = "0",
                   tax_percent: Decimal | str | None = None, tax_reason: str = ""
                   ) -> QuoteRequest:
    """A top-up of ``contract`` by ``additions`` (``{date, license_value, environments}``),
    co-termed or (``separate_term``) as a contract of its own; priced as of ``today``.
    ``language`` and ``customer`` default to the stored customer's. Raises
    ``QuoteInputError`` for additions the request model refuses and
    ``ContractNotActive`` for a cancelled contract (an ended one is refused by the
    core when it is priced: reinstate it instead)."""
    if contract.status != "active":
        raise ContractNotActive(contract.number, contract.status, "topped up")
    data = _base(contract, today=today, language=language, customer=customer,
                 discount_percent=discount_percent, tax_percent=tax_percent,
                 tax_reason=tax_reason)
    data.update({
        "kind": "top_up", "separate_term": separate_term,
        "term_start": contract.term_start.isoformat(), "term_years": contract.term_years,
        "additions": [_addition(a) for a in additions],
        "rate_card_version": top_up_version(book, contract, today),
    })
    return parse_request(data)


def renewal_request(book: RateBook, contract: Contract, *, years: int | None = None,
                    billing: str | None = None, today: dt.date, language: str | None = None,
                    customer: Customer | Mapping | None = None,
                    discount_percent: Decimal | str = "0",
                    tax_percent: Decimal | str | None = None, tax_reason: str = ""
                    ) -> QuoteRequest:
    """The next term of ``contract``: from the day after its end, for ``years`` (default:
    as many as the current term, within the bounds of the card that prices it) with
    ``billing`` (default: the contract's)."""
    if contract.status != "active":
        raise ContractNotActive(contract.number, contract.status, "renewed")
    start = contract.term_end + ONE_DAY
    version = renewal_version(book, contract, start)
    if years is None:
        years = contract.term_years
        loaded = book.version(contract.rate_card_id, version)
        if loaded is not None:
            card = loaded.card
            years = min(max(years, card.minimum_term_years), card.maximum_term_years)
    data = _base(contract, today=today, language=language, customer=customer,
                 discount_percent=discount_percent, tax_percent=tax_percent,
                 tax_reason=tax_reason)
    data.update({
        "kind": "renewal", "term_start": start.isoformat(), "term_years": years,
        "billing": billing or contract.billing, "rate_card_version": version,
    })
    return parse_request(data)


def reinstatement_request(book: RateBook, contract: Contract, *, start: dt.date, years: int,
                          today: dt.date, billing: str | None = None,
                          language: str | None = None,
                          customer: Customer | Mapping | None = None,
                          discount_percent: Decimal | str = "0",
                          tax_percent: Decimal | str | None = None,
                          tax_reason: str = "") -> QuoteRequest:
    """A new term of ``contract`` from ``start`` after its support lapsed: ``lapsed`` is
    the contract's term (its start and last covered day). The core refuses a start
    that leaves no gap (that is a renewal)."""
    data = _base(contract, today=today, language=language, customer=customer,
                 discount_percent=discount_percent, tax_percent=tax_percent,
                 tax_reason=tax_reason)
    data.update({
        "kind": "reinstatement", "term_start": start.isoformat(), "term_years": years,
        "billing": billing or contract.billing,
        "lapsed": {"start": contract.term_start.isoformat(),
                   "end": contract.term_end.isoformat()},
        "rate_card_version": renewal_version(book, contract, start),
    })
    return parse_request(data)
