"""The tables, as typed SQLAlchemy models. The migrations under ``migrations/`` create them."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from functools import cached_property

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quote.core.contract import last_day
from quote.core.offer import OfferDocument

from .types import Money, UtcDateTime

ROLES = ("sales", "finance", "admin")
# Stored states. "expired" is never stored: an issued offer past its
# valid_until day reads as expired (see ``Offer.status_on``).
STORED_STATUSES = ("issued", "accepted", "declined", "withdrawn", "superseded")
STATUSES = ("issued", "accepted", "declined", "expired", "withdrawn", "superseded")
# A customer's answer to an offer (``OfferResponse.kind``).
RESPONSE_KINDS = ("accepted", "declined")
# What a cached PDF was made for: the empty acceptance block, or the filled one.
PDF_FORMS = ("open", "accepted")
# What an offer is for (its request's kind).
OFFER_KINDS = ("new", "top_up", "renewal", "reinstatement")
LANGUAGES = ("en", "de", "ru")
DEPLOYMENTS = ("on_site", "on_demand")
BILLINGS = ("prepaid", "annual")
# Stored contract states. "ended" is never stored: an active contract past its
# last covered day reads as ended (see ``Contract.status_on``).
CONTRACT_STORED_STATUSES = ("active", "cancelled")
CONTRACT_STATUSES = ("active", "ended", "cancelled")
EVENT_KINDS = ("created", "imported", "top_up", "renewal", "reinstatement", "cancelled")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(String(50), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}{'' if self.active else ' disabled'}>"


class ApiToken(Base):
    """A user's API token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)

    user: Mapped[User] = relationship()


class StaffSession(Base):
    """A signed-in browser session. The cookie carries a random token; only its SHA-256
    is stored. Signing out, a new password or disabling the user deletes the row, and
    with it every copy of the cookie stops working."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)

    user: Mapped[User] = relationship()


class OfferCounter(Base):
    """The last offer number drawn in a year."""

    __tablename__ = "offer_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer)


class Offer(Base):
    """An issued offer: the snapshot (``document``) plus columns to filter and total by."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(_in("status", STORED_STATUSES), name="status"),
        CheckConstraint(_in("kind", OFFER_KINDS), name="kind"),
        Index("ix_offers_issued_at", "issued_at"),
        Index("ix_offers_status_valid_until", "status", "valid_until"),
        Index("ix_offers_rate_card_id", "rate_card_id"),
        Index("ix_offers_issuer_id", "issuer_id"),
        Index("ix_offers_contract_id", "contract_id"),
        Index("ix_offers_customer_id", "customer_id"),
        Index("ix_offers_seen_at", "seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: self-service
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5))
    currency: Mapped[str] = mapped_column(String(3))
    rate_card_id: Mapped[str] = mapped_column(String(40))
    rate_card_version: Mapped[str] = mapped_column(String(40))
    rate_card_sha256: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str] = mapped_column(String(30))
    package_name: Mapped[str] = mapped_column(String(200))
    customer_company: Mapped[str] = mapped_column(String(200), default="")
    customer_contact: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    customer_country: Mapped[str] = mapped_column(String(100), default="")
    # company, contact and e-mail case-folded in Python, for a case-insensitive
    # search that treats "Müller" and "ООО" alike on SQLite and PostgreSQL
    customer_search: Mapped[str] = mapped_column(Text, default="")
    subtotal: Mapped[Decimal] = mapped_column(Money)
    discount: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    # OfferDocument.model_dump_json(): request, result and rate card as issued
    document_json: Mapped[str] = mapped_column(Text)
    # what the offer is for (the request's kind), the term it prices (a renewal's: the
    # next term; null for offers issued before contracts were kept), and the contract
    # and customer it belongs to, where known
    kind: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    # when sales (or an admin) first looked at a self-service request; null: not yet
    seen_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # loaded with the offer, so that an offer read in a session still has its
    # lines after the session ends
    lines: Mapped[list[OfferLine]] = relationship(
        back_populates="offer", order_by="OfferLine.position", cascade="all, delete-orphan",
        lazy="selectin")
    replaces: Mapped[Offer | None] = relationship(remote_side=[id])
    issuer: Mapped[User | None] = relationship(foreign_keys=[issuer_id])
    seen_by: Mapped[User | None] = relationship(foreign_keys=[seen_by_id])
    contract: Mapped[Contract | None] = relationship()
    customer: Mapped[Customer | None] = relationship()
    # the customer's answer, if any; load it with the offer where it is shown
    # (``selectinload(Offer.response)``), it is not loaded by default
    response: Mapped[OfferResponse | None] = relationship(viewonly=True, lazy="raise")

    @cached_property
    def document(self) -> OfferDocument:
        """The offer as issued, read back from the snapshot."""
        return OfferDocument.model_validate_json(self.document_json)

    @property
    def document_sha256(self) -> str:
        """The SHA-256 of the snapshot as stored (``document_json``, UTF-8): what a customer
        accepts. It never changes, so it can be computed again from the row at any time."""
        return hashlib.sha256(self.document_json.encode("utf-8")).hexdigest()

    def status_on(self, today: dt.date) -> str:
        """The status as of ``today``: an issued offer past its last valid day is expired."""
        if self.status == "issued" and today > self.valid_until:
            return "expired"
        return self.status

    @property
    def effective_status(self) -> str:
        return self.status_on(dt.datetime.now(dt.UTC).date())

    def __repr__(self) -> str:
        return f"<Offer {self.number} {self.status}>"


class OfferLine(Base):
    """One line item of an issued offer, for exports."""

    __tablename__ = "offer_lines"
    __table_args__ = (UniqueConstraint("offer_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money)

    offer: Mapped[Offer] = relationship(back_populates="lines")


class OfferPdf(Base):
    """A rendered PDF of an offer in one language, so a second download costs no render."""

    __tablename__ = "offer_pdfs"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # "open": rendered with the empty acceptance block; "accepted": with the acceptance
    made_for: Mapped[str] = mapped_column(String(20), default="open", server_default="open")


class OfferResponse(Base):
    """A customer's answer to an offer: accepted (name, position, purchase order) or
    declined (with a reason); at most one per offer. ``document_sha256`` is the SHA-256
    of the snapshot answered (``Offer.document_sha256``), ``remote_addr`` the address the
    answer came from, ``user_id`` the staff member who recorded it for the customer
    (None: the customer answered through the offer's link)."""

    __tablename__ = "offer_responses"
    __table_args__ = (CheckConstraint(_in("kind", RESPONSE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offers.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    purchase_order: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    document_sha256: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def on_behalf(self) -> bool:
        """Recorded by staff for the customer, not given through the offer's link."""
        return self.user_id is not None


class IdempotencyKey(Base):
    """An ``Idempotency-Key`` a user sent with a request, and the offer it issued."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Counter(Base):
    """The last number drawn of a named sequence (``contracts``: C-000001, ...)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Customer(Base):
    """A company that buys support, with its contacts.

    ``company_key`` is the company name case-folded with its white space collapsed:
    the same company (in the same country) is recognised by it. ``search`` is the
    company, the VAT ID and every contact's name and e-mail case-folded in Python,
    for a case-insensitive substring search on both backends.
    """

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(_in("language", LANGUAGES), name="language"),
        Index("ix_customers_company_key_country", "company_key", "country"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company: Mapped[str] = mapped_column(String(200))
    company_key: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2, upper case
    vat_id: Mapped[str | None] = mapped_column(String(20))  # upper case, no spaces
    language: Mapped[str] = mapped_column(String(2), default="en")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    search: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", order_by="Contact.id", cascade="all, delete-orphan",
        lazy="selectin")
    owner: Mapped[User | None] = relationship()

    @property
    def primary_contact(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), None)

    def __repr__(self) -> str:
        return f"<Customer {self.id} {self.company} {self.country}>"


# At most one primary contact per customer (the store keeps at least one): a partial
# index, WHERE is_primary (migrations/versions/0003_contracts.py). Its condition is
# given to the dialect a store connects with (``partial_indexes_for``), not written here
# as sqlite_where and postgresql_where: naming a dialect's option loads that dialect, so
# the app on SQLite would load SQLAlchemy's PostgreSQL dialect, and the other way round.
PRIMARY_CONTACT = Index("ix_contacts_primary", "customer_id", unique=True)
PARTIAL_DIALECTS = ("sqlite", "postgresql")


def partial_indexes_for(dialect: str) -> None:
    """Give the partial indexes their condition in ``dialect`` (a store's)."""
    if dialect not in PARTIAL_DIALECTS:
        return
    options = PRIMARY_CONTACT.dialect_options[dialect]
    if options.get("where") is None:
        options["where"] = text("is_primary")


class Contact(Base):
    """A person at a customer; exactly one contact of a customer is its primary one."""

    __tablename__ = "contacts"
    __table_args__ = (PRIMARY_CONTACT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    position: Mapped[str | None] = mapped_column(String(200))
    is_primary: Mapped[bool] = mapped_column(default=False)

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Contract(Base):
    """A running (or past) support contract: what was sold, on which card version, and
    its current term. ``term_end`` (the last covered day) is kept in step with
    ``term_start`` and ``term_years`` by ``set_term``, so that due dates are queried in
    SQL. ``license_value`` and ``environments`` are the contract as it runs now, after
    every accepted top-up."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(_in("status", CONTRACT_STORED_STATUSES), name="status"),
        CheckConstraint(_in("deployment", DEPLOYMENTS), name="deployment"),
        CheckConstraint(_in("billing", BILLINGS), name="billing"),
        CheckConstraint("term_years BETWEEN 1 AND 10", name="term_years"),
        CheckConstraint("environments >= 1", name="environments"),
        Index("ix_contracts_status_term_end", "status", "term_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    rate_card_id: Mapped[str] = mapped_column(String(40))
    rate_card_version: Mapped[str] = mapped_column(String(40))
    package_id: Mapped[str] = mapped_column(String(30))
    deployment: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    license_value: Mapped[Decimal] = mapped_column(Money)
    environments: Mapped[int] = mapped_column(Integer)
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_years: Mapped[int] = mapped_column(Integer)
    term_end: Mapped[dt.date] = mapped_column(Date)
    billing: Mapped[str] = mapped_column(String(20), default="prepaid")
    status: Mapped[str] = mapped_column(String(20), default="active")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    # loaded with the contract, so that a contract read in a session can be turned
    # into a quote request after the session ends
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    owner: Mapped[User | None] = relationship()

    def set_term(self, start: dt.date, years: int) -> None:
        self.term_start, self.term_years = start, years
        self.term_end = last_day(start, years)

    def status_on(self, today: dt.date) -> str:
        """``cancelled``; ``ended`` after the last covered day; else ``active``."""
        if self.status == "active" and today > self.term_end:
            return "ended"
        return self.status

    def __repr__(self) -> str:
        return f"<Contract {self.number} {self.status}>"


class ContractEvent(Base):
    """One step in a contract's history. ``offer_id`` is the accepted offer that made the
    change (at most one event per offer: accepting it again finds this one)."""

    __tablename__ = "contract_events"
    __table_args__ = (
        CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    license_value_added: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    environments_added: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    contract: Mapped[Contract] = relationship()
    offer: Mapped[Offer | None] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContractEvent {self.kind} {self.effective_on}>"


DELIVERY_KINDS = ("offer", "request_notice", "reminder", "link", "acceptance_notice")
DELIVERY_STATUSES = ("pending", "sent", "failed", "cancelled")


class Delivery(Base):
    """One e-mail about an offer: to whom, what kind, and how sending it went.

    A delivery is recorded before it is sent (``pending``) and ends ``sent`` or
    ``failed``, or ``cancelled`` when what it says no longer holds (a reminder of an
    offer accepted meanwhile); a failed one is tried again (``flask mail retry``)
    until it is sent or has had ``MAIL_MAX_ATTEMPTS`` attempts. ``link_hash`` is the
    SHA-256 of the token of the ``/q/<token>`` link the mail carries (each mail its
    own link; only the hash is stored, as for the offer's own link). ``details`` is
    JSON: what the mail says beyond the offer (the salesperson's message, who
    accepted).
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint(_in("kind", DELIVERY_KINDS), name="kind"),
        CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
        Index("ix_deliveries_offer_id_kind", "offer_id", "kind"),
        Index("ix_deliveries_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    offer: Mapped[Offer] = relationship()
    sender: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.kind} {self.recipient} {self.status}>"
