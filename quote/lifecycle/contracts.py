"""Contracts entered by hand or imported: one set of checks for both, and cancelling.

The values come as texts, keyed by the import's column names (``FIELDS``), as a
CSV file or a form gives them. ``check_contract`` turns them into a ``ContractDraft``
or a list of errors, each naming the field; ``create_contract`` stores one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from quote.core.catalog import RateBook
from quote.core.errors import N_, FieldError, QuoteInputError
from quote.core.money import minor_units
from quote.core.pricing import Contract as CardPrices
from quote.core.pricing import price_with_card
from quote.core.request import DATE_BOUNDS, EARLIEST, LATEST, parse_request
from quote.store.contracts import (
    ContractTerms,
    add_contract,
    add_event,
    locked_contract,
    same_contract,
)
from quote.store.customers import (
    CustomerData,
    NewContact,
    add_contact,
    add_customer,
    check_customer,
    contact_by_email,
    contact_errors,
    get_customer,
    matching_customer,
)
from quote.store.errors import InvalidInput
from quote.store.models import BILLINGS, DEPLOYMENTS, Contract, ContractEvent, Customer, User
from quote.store.users import find_user

from .errors import ContractNotActive

# The fields of a contract, in the order of an import file's columns.
FIELDS = ("company", "country", "vat_id", "language", "contact_name", "contact_email",
          "rate_card", "card_version", "package", "deployment", "currency", "license_value",
          "environments", "term_start", "term_years", "billing", "owner_email")
REQUIRED = ("company", "country", "contact_name", "contact_email", "rate_card", "package",
            "deployment", "license_value", "term_start", "term_years")
CUSTOMER_FIELDS = ("company", "country", "vat_id", "language", "contact_name",
                   "contact_email")
_PLAIN_DECIMAL = re.compile(r"^[0-9]{1,12}(\.[0-9]+)?$")
_WHOLE = re.compile(r"^[0-9]{1,3}$")
# the core's request fields, as the contract's fields
_CORE_FIELDS = {"rate_card_version": "card_version", "license_value": "license_value",
                "environments": "environments", "term_years": "term_years",
                "term_start": "term_start", "package": "package", "rate_card": "rate_card",
                "deployment": "deployment", "billing": "billing", "currency": "currency"}
# what pricing the contract's term needs: with an error in one of these it is not priced
_CONTRACT_FIELDS = frozenset({"rate_card", "card_version", "package", "deployment",
                              "currency", "license_value", "environments", "term_start",
                              "term_years", "billing"})


@dataclass(frozen=True)
class ContractDraft:
    """A contract as checked, not stored yet. ``customer`` is None when the contract is
    for a customer given by id."""

    customer: CustomerData | None
    contact: NewContact | None
    terms: ContractTerms
    owner_id: int | None
    annual_cost: Decimal


def annual_cost(book: RateBook, contract: Contract) -> Decimal | None:
    """What ``contract`` costs a year as it runs now, on the card version it was sold on
    (None if that version's file is gone)."""
    loaded = book.version(contract.rate_card_id, contract.rate_card_version)
    package = loaded.card.package(contract.package_id) if loaded else None
    if loaded is None or package is None:
        return None
    prices = CardPrices(loaded.card, package, contract.deployment, contract.currency)
    return prices.annual_cost(contract.license_value, contract.environments)


def _date(text: str) -> dt.date:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(N_('must be a date written as YYYY-MM-DD, such as "2026-03-01"'))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(N_("is not a date of the calendar")) from None
    if not EARLIEST <= day <= LATEST:
        raise _OutOfBounds(DATE_BOUNDS)
    return day


class _OutOfBounds(ValueError):
    """A date outside ``EARLIEST`` to ``LATEST``; its message names the bounds as dates."""

    params = {"first": EARLIEST, "last": LATEST}


class _Owners:
    """Owner e-mail addresses looked up once each."""

    def __init__(self, session: Session):
        self.session, self.found = session, {}

    def __call__(self, email: str) -> User | None:
        key = email.strip().lower()
        if key not in self.found:
            user = find_user(self.session, key)
            self.found[key] = user if user is not None and user.active else None
        return self.found[key]


def check_contract(session: Session, book: RateBook, values: Mapping[str, str | None], *,
                   customer_id: int | None = None, owners: _Owners | None = None
                   ) -> tuple[ContractDraft | None, list[FieldError]]:
    """Check a contract given as texts (see ``FIELDS``); returns the draft or the errors,
    each naming its field. With ``customer_id`` the customer's fields are not needed.

    Formats are checked here (dates ``YYYY-MM-DD``, amounts as plain decimals with a
    dot, whole numbers); the rest by pricing the contract's term with the pricing core
    on its card version (unknown package, years outside the card's bounds, too many
    environments, more decimals than the currency has, ...), so that the rules live
    in one place.
    """
    text = {name: (values.get(name) or "").strip() for name in FIELDS}
    errors: list[FieldError] = []
    required = REQUIRED if customer_id is None else tuple(
        f for f in REQUIRED if f not in CUSTOMER_FIELDS)
    for name in required:
        if not text[name]:
            errors.append(FieldError(name, N_("is required")))
    missing = {e.field for e in errors}

    customer = contact = None
    if customer_id is None:
        customer, found = check_customer(text["company"], text["country"],
                                         text["vat_id"] or None, text["language"] or "en")
        contact = NewContact(text["contact_name"], text["contact_email"], primary=True)
        found += [FieldError(f"contact_{e.field}", e.template, e.params)
                  for e in contact_errors(contact)]
        errors += [e for e in found if e.field not in missing]  # "is required" said once
        if found or missing & set(CUSTOMER_FIELDS):
            customer = contact = None

    term_start = None
    if "term_start" not in missing:
        try:
            term_start = _date(text["term_start"])
        except _OutOfBounds as exc:
            errors.append(FieldError("term_start", str(exc), exc.params))
        except ValueError as exc:
            errors.append(FieldError("term_start", str(exc)))
    years = None
    if "term_years" not in missing:
        if _WHOLE.match(text["term_years"]):
            years = int(text["term_years"])
        else:
            errors.append(FieldError("term_years", N_("must be a whole number")))
    environments = None
    if text["environments"]:
        if _WHOLE.match(text["environments"]) and int(text["environments"]) >= 1:
            environments = int(text["environments"])
        else:
            errors.append(FieldError("environments", N_("must be a whole number of at least "
                                                        "1")))
    license_value = None
    if "license_value" not in missing:
        if _PLAIN_DECIMAL.match(text["license_value"]):
            license_value = Decimal(text["license_value"])
        else:
            errors.append(FieldError("license_value", N_(
                "%(value)s is not an amount: write a plain decimal with a dot and no "
                "grouping, such as 12000.50"), {"value": repr(text["license_value"])}))
    if "deployment" not in missing and text["deployment"] not in DEPLOYMENTS:
        errors.append(FieldError("deployment", N_("must be one of %(expected)s"),
                                 {"expected": ", ".join(DEPLOYMENTS)}))
    billing = text["billing"] or "prepaid"
    if billing not in BILLINGS:
        errors.append(FieldError("billing", N_("must be one of %(expected)s"),
                                 {"expected": ", ".join(BILLINGS)}))
    owner = None
    if text["owner_email"]:
        owner = (owners or _Owners(session))(text["owner_email"])
        if owner is None:
            errors.append(FieldError("owner_email", N_("there is no active user with the "
                                                       "e-mail address %(email)s"),
                                     {"email": text["owner_email"]}))

    loaded = None
    card_id, version = text["rate_card"], text["card_version"]
    if card_id and card_id not in book.versions:
        errors.append(FieldError("rate_card", N_("unknown rate card; choose one of "
                                                 "%(known)s"), {"known": ", ".join(book.ids())}))
    elif card_id and version:
        loaded = book.version(card_id, version)
        if loaded is None:
            errors.append(FieldError("card_version", N_("%(card)s has no version %(version)s; "
                                                        "it has %(known)s"),
                                     {"card": card_id, "version": version,
                                      "known": ", ".join(v.card.version
                                                         for v in book.versions[card_id])}))
    elif card_id and term_start is not None:
        loaded = book.in_force(card_id, term_start)
        if loaded is None:
            errors.append(FieldError("card_version", N_(
                "no version of %(card)s is in force on the term start %(date)s; name the "
                "version the contract was sold on"),
                {"card": card_id, "date": term_start}))
    if loaded is not None and text["package"] and loaded.card.package(text["package"]) is None:
        errors.append(FieldError("package", N_("unknown package; this rate card offers "
                                               "%(known)s"),
                                 {"known": ", ".join(p.id for p in loaded.card.packages)}))

    currency = text["currency"].upper() or (loaded.card.currency if loaded else "")
    if loaded is not None and currency not in loaded.card.currencies:
        errors.append(FieldError("currency", N_("must be one of %(expected)s"),
                                 {"expected": ", ".join(loaded.card.currencies)}))

    # the term is priced when everything it needs is right, so that errors of the
    # customer's fields and of the contract's come in one pass
    if loaded is None or any(e.field in _CONTRACT_FIELDS for e in errors):
        return None, errors
    assert term_start is not None and years is not None and license_value is not None
    try:
        request = parse_request({
            "rate_card": card_id, "package": text["package"],
            "deployment": text["deployment"], "license_value": str(license_value),
            "currency": currency,
            "term_start": term_start.isoformat(), "term_years": years,
            "environments": environments, "billing": billing,
            "rate_card_version": loaded.card.version, "as_of": term_start.isoformat()})
        result = price_with_card(request, loaded, term_start)
    except QuoteInputError as exc:
        errors += [FieldError(_CORE_FIELDS.get(e.field, e.field), e.template, e.params)
                   for e in exc.errors]
    if errors:
        return None, errors
    package = loaded.card.package(text["package"])
    assert package is not None and result.annual_cost is not None
    terms = ContractTerms(
        rate_card_id=card_id, rate_card_version=loaded.card.version, package_id=package.id,
        deployment=text["deployment"], currency=currency,
        license_value=license_value.quantize(Decimal(1).scaleb(-minor_units(currency))),
        environments=environments or package.environments.included, term_start=term_start,
        term_years=years, billing=billing)
    return ContractDraft(customer, contact, terms, owner.id if owner else None,
                         result.annual_cost), []


def customer_for(session: Session, draft: ContractDraft, *, owner_id: int | None,
                 now: dt.datetime | None = None) -> Customer:
    """The stored customer a checked contract belongs to: the same company (compared
    case-insensitively) in the same country, else a new one. A contact with an e-mail
    the customer does not have yet is added to it."""
    assert draft.customer is not None and draft.contact is not None
    customer = matching_customer(session, draft.customer.company, draft.customer.country)
    if customer is None:
        return add_customer(session, company=draft.customer.company,
                            country=draft.customer.country, vat_id=draft.customer.vat_id,
                            language=draft.customer.language, owner_id=owner_id,
                            contacts=[draft.contact], now=now)
    if contact_by_email(customer, draft.contact.email) is None:
        add_contact(session, customer, NewContact(draft.contact.name, draft.contact.email))
    return customer


# A contract entered again: the error that names it (field "" for the whole contract).
EXISTS_ALREADY = N_("contract %(number)s of this customer exists already (the same rate "
                    "card, package, deployment and term start)")


class InvalidContract(InvalidInput):
    """A contract's data is refused; ``errors`` names each field."""


def create_contract(session: Session, book: RateBook, values: Mapping[str, str | None], *,
                    by_user_id: int | None = None, customer_id: int | None = None,
                    only_customers_of: int | None = None,
                    now: dt.datetime | None = None) -> Contract:
    """Store one contract entered by hand (the same fields and checks as an import line;
    the history says ``created``). The customer is ``customer_id``'s, else found or
    created from the values. ``only_customers_of``: a user who may only add contracts
    to customers they look after or nobody does (a salesperson; a new customer is
    theirs). A contract the customer has already (the same rate card, package,
    deployment and term start) is refused, as by the import. Raises
    ``InvalidContract`` with every error; nothing is written then."""
    draft, errors = check_contract(session, book, values, customer_id=customer_id)
    customer = None
    if customer_id is not None:
        customer = get_customer(session, customer_id)
        if customer is None:
            errors.append(FieldError("customer", N_("there is no customer %(id)s"),
                                     {"id": customer_id}))
    elif draft is not None and draft.customer is not None:
        customer = matching_customer(session, draft.customer.company, draft.customer.country)
    if (customer is not None and only_customers_of is not None
            and customer.owner_id not in (None, only_customers_of)):
        errors.append(FieldError("customer" if customer_id is not None else "company", N_(
            "%(company)s (%(country)s) is looked after by someone else: they or an "
            "administrator can add its contracts"),
            {"company": customer.company, "country": customer.country}))
    if customer is not None and draft is not None:
        same = same_contract(session, customer.id, draft.terms)
        if same is not None:
            errors.append(FieldError("", EXISTS_ALREADY, {"number": same.number}))
    if errors:
        raise InvalidContract(errors)
    assert draft is not None
    owner_id = draft.owner_id
    if owner_id is None and only_customers_of is not None:
        owner_id = only_customers_of
    if customer is None:
        customer = customer_for(session, draft, owner_id=owner_id, now=now)
    elif draft.contact is not None and contact_by_email(customer, draft.contact.email) is None:
        add_contact(session, customer, NewContact(draft.contact.name, draft.contact.email))
    return add_contract(session, customer, draft.terms, event="created",
                        owner_id=owner_id, by_user_id=by_user_id,
                        note="entered by hand", now=now)


def cancel_contract(session: Session, contract: Contract | int, *, today: dt.date,
                    by_user_id: int | None = None, note: str = "",
                    now: dt.datetime | None = None) -> ContractEvent:
    """Cancel a contract (its history says ``cancelled``, effective ``today``). A
    cancelled contract is neither topped up nor renewed; it can be reinstated."""
    row = locked_contract(session, contract)
    if row.status == "cancelled":
        raise ContractNotActive(row.number, row.status, "cancelled")
    row.status = "cancelled"
    return add_event(session, row, "cancelled", today, note=note, by_user_id=by_user_id,
                     now=now)
