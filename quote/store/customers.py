"""Customers and their contacts: checked on the way in, found by any part of a name.

A customer is a company in a country (ISO 3166 alpha-2, checked against Babel's
territory list) with an optional VAT ID, a preferred language for its offers, an
owner (the sales user who looks after it) and one or more contacts, exactly one of
them primary. Every function takes the caller's ``Session`` and commits nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quote.core.countries import country_code, country_codes  # noqa: F401 - the store offers both
from quote.core.errors import N_, FieldError

from .errors import InvalidCustomer
from .models import LANGUAGES, Contact, Customer
from .offers import utc_now

MAX_COMPANY = 200
MAX_NAME = 200
MAX_EMAIL = 254
MAX_VAT_ID = 20
MAX_PER_PAGE = 500


def normalize_vat_id(text: str | None) -> str | None:
    """Upper case without any white space; None when empty. Raises ``ValueError``."""
    if text is None:
        return None
    value = "".join(text.split()).upper()
    if not value:
        return None
    if len(value) > MAX_VAT_ID:
        raise ValueError(N_("must be at most %(max)s characters without spaces"))
    if not value.isprintable():
        raise ValueError(N_("must not contain control characters"))
    return value


def company_key(company: str) -> str:
    """What identifies a company name: case-folded, white space collapsed."""
    return " ".join(company.split()).casefold()


def plausible_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return (bool(local) and "@" not in domain and "." in domain
            and not any(c.isspace() for c in email) and len(email) <= MAX_EMAIL)


def _text_errors(field: str, value: str, maximum: int, *, required: bool = True
                 ) -> list[FieldError]:
    if required and not value.strip():
        return [FieldError(field, N_("is required"))]
    if len(value) > maximum:
        return [FieldError(field, N_("must be at most %(max)s characters long"),
                           {"max": maximum})]
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return [FieldError(field, N_("must not contain control characters"))]
    return []


@dataclass(frozen=True)
class NewContact:
    name: str
    email: str
    position: str | None = None
    primary: bool = False


def contact_errors(contact: NewContact, prefix: str = "") -> list[FieldError]:
    errors = _text_errors(f"{prefix}name", contact.name, MAX_NAME)
    email = contact.email.strip()
    if not email:
        errors.append(FieldError(f"{prefix}email", N_("is required")))
    elif not plausible_email(email):
        errors.append(FieldError(f"{prefix}email", N_("is not an e-mail address")))
    if contact.position:
        errors += _text_errors(f"{prefix}position", contact.position, MAX_NAME)
    return errors


@dataclass(frozen=True)
class CustomerData:
    """A customer's fields as checked: country upper case, VAT ID normalised."""

    company: str
    country: str
    vat_id: str | None
    language: str


def check_customer(company: str, country: str, vat_id: str | None = None,
                   language: str = "en") -> tuple[CustomerData | None, list[FieldError]]:
    """The customer's fields normalised, or the errors per field (``company``,
    ``country``, ``vat_id``, ``language``)."""
    company = " ".join(company.split())
    errors = _text_errors("company", company, MAX_COMPANY)
    code = country_code(country)
    if code is None:
        errors.append(FieldError("country", N_("%(value)s is not an ISO 3166 country code "
                                               "(such as DE, AT, RU)"),
                                 {"value": repr(country.strip())}))
    try:
        vat = normalize_vat_id(vat_id)
    except ValueError as exc:
        errors.append(FieldError("vat_id", str(exc), {"max": MAX_VAT_ID}))
        vat = None
    if language not in LANGUAGES:
        errors.append(FieldError("language", N_("must be one of %(expected)s"),
                                 {"expected": ", ".join(LANGUAGES)}))
    if errors:
        return None, errors
    assert code is not None
    return CustomerData(company, code, vat, language), []


def refresh_search(customer: Customer) -> None:
    """Recompute ``company_key`` and ``search`` from the company and the contacts."""
    customer.company_key = company_key(customer.company)
    parts = [customer.company, customer.vat_id or ""]
    for contact in customer.contacts:
        parts += [contact.name, contact.email]
    customer.search = "\n".join(parts).casefold()


def add_customer(session: Session, *, company: str, country: str, vat_id: str | None = None,
                 language: str = "en", owner_id: int | None = None,
                 contacts: Iterable[NewContact] = (), now: dt.datetime | None = None
                 ) -> Customer:
    """A new customer with one or more contacts (the first is primary unless one is
    marked). Raises ``InvalidCustomer`` naming every field at fault
    (``contacts.0.email``, ...)."""
    data, errors = check_customer(company, country, vat_id, language)
    contacts = list(contacts)
    if not contacts:
        errors.append(FieldError("contacts", N_("a customer needs at least one contact")))
    for index, contact in enumerate(contacts):
        errors += contact_errors(contact, f"contacts.{index}.")
    if sum(1 for c in contacts if c.primary) > 1:
        errors.append(FieldError("contacts", N_("only one contact can be the primary one")))
    if errors:
        raise InvalidCustomer(errors)
    assert data is not None
    primary = next((i for i, c in enumerate(contacts) if c.primary), 0)
    customer = Customer(
        company=data.company, country=data.country, vat_id=data.vat_id,
        language=data.language, owner_id=owner_id, created_at=now or utc_now(),
        contacts=[Contact(name=" ".join(c.name.split()), email=c.email.strip(),
                          position=(c.position or "").strip() or None,
                          is_primary=index == primary)
                  for index, c in enumerate(contacts)])
    refresh_search(customer)
    session.add(customer)
    session.flush()
    return customer


def add_contact(session: Session, customer: Customer, contact: NewContact) -> Contact:
    """Another contact of ``customer``; with ``primary`` it becomes the primary one."""
    errors = contact_errors(contact)
    if errors:
        raise InvalidCustomer(errors)
    row = Contact(name=" ".join(contact.name.split()), email=contact.email.strip(),
                  position=(contact.position or "").strip() or None, is_primary=False)
    customer.contacts.append(row)
    session.flush()
    if contact.primary or customer.primary_contact is None:
        set_primary_contact(session, customer, row)
    refresh_search(customer)
    session.flush()
    return row


def set_primary_contact(session: Session, customer: Customer, contact: Contact) -> None:
    if contact.customer_id != customer.id:
        raise ValueError("the contact belongs to another customer")
    for other in customer.contacts:
        if other.is_primary and other is not contact:
            other.is_primary = False
    session.flush()  # the old primary first: at most one primary at any moment
    contact.is_primary = True
    session.flush()


def contact_by_email(customer: Customer, email: str) -> Contact | None:
    wanted = email.strip().casefold()
    return next((c for c in customer.contacts if c.email.casefold() == wanted), None)


def get_customer(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def matching_customer(session: Session, company: str, country: str) -> Customer | None:
    """The customer that is the same company: the same name, compared case-insensitively
    (white space collapsed), in the same country; the oldest if there are several."""
    return session.scalars(
        select(Customer).where(Customer.country == country.strip().upper(),
                               Customer.company_key == company_key(company))
        .order_by(Customer.id).limit(1)).one_or_none()


@dataclass(frozen=True)
class CustomerPage:
    customers: list[Customer]
    page: int
    per_page: int
    count: int  # customers matching, on all pages

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


def list_customers(session: Session, text: str | None = None, *, page: int = 1,
                   per_page: int = 50) -> CustomerPage:
    """One page of customers by company name; with ``text``, only those whose company,
    VAT ID or any contact's name or e-mail contains it, in any case ("müller" finds
    "MÜLLER GmbH", "ромашка" finds "ООО «Ромашка»"; ``%`` and ``_`` are literal)."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"page must be at least 1 and per_page 1 to {MAX_PER_PAGE}")
    conditions = []
    if text and text.strip():
        conditions.append(Customer.search.contains(" ".join(text.split()).casefold(),
                                                   autoescape=True))
    count = session.scalar(select(func.count()).select_from(Customer).where(*conditions))
    customers = session.scalars(
        select(Customer).where(*conditions).order_by(Customer.company_key, Customer.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return CustomerPage(list(customers), page, per_page, count or 0)


def find_customers(session: Session, text: str, *, page: int = 1, per_page: int = 50
                   ) -> CustomerPage:
    """The customers whose company or contacts contain ``text`` (see ``list_customers``)."""
    return list_customers(session, text, page=page, per_page=per_page)
