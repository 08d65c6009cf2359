"""The tables, as typed SQLAlchemy models. The migrations under ``migrations/`` create them."""

from __future__ import annotations

import datetime as dt
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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quote.core.offer import OfferDocument

from .types import Money, UtcDateTime

ROLES = ("sales", "finance", "admin")
# Stored states. "expired" is never stored: an issued offer past its
# valid_until day reads as expired (see ``Offer.status_on``).
STORED_STATUSES = ("issued", "accepted", "withdrawn", "superseded")
STATUSES = ("issued", "accepted", "expired", "withdrawn", "superseded")

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
        Index("ix_offers_issued_at", "issued_at"),
        Index("ix_offers_status_valid_until", "status", "valid_until"),
        Index("ix_offers_rate_card_id", "rate_card_id"),
        Index("ix_offers_issuer_id", "issuer_id"),
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

    # loaded with the offer, so that an offer read in a session still has its
    # lines after the session ends
    lines: Mapped[list[OfferLine]] = relationship(
        back_populates="offer", order_by="OfferLine.position", cascade="all, delete-orphan",
        lazy="selectin")
    replaces: Mapped[Offer | None] = relationship(remote_side=[id])
    issuer: Mapped[User | None] = relationship()

    @cached_property
    def document(self) -> OfferDocument:
        """The offer as issued, read back from the snapshot."""
        return OfferDocument.model_validate_json(self.document_json)

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


class IdempotencyKey(Base):
    """An ``Idempotency-Key`` a user sent with a request, and the offer it issued."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
