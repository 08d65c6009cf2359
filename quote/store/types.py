"""Column types that keep money exact and times in UTC on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_PRECISION = 18
MONEY_SCALE = 2
_CENTS = 10**MONEY_SCALE


def money_column_type() -> TypeEngine:
    """The storage type of a money column, as the migrations create it.

    PostgreSQL: ``NUMERIC(18, 2)``. SQLite: an integer count of cents, because
    SQLite's NUMERIC affinity goes through binary floats.
    """
    return Numeric(MONEY_PRECISION, MONEY_SCALE, asdecimal=True).with_variant(
        BigInteger(), "sqlite")


class Money(TypeDecorator):
    """A ``Decimal`` amount with at most two decimals, stored without loss.

    Floats are refused, and so is an amount with more decimals than the column
    holds: it is never rounded silently. Read back as a ``Decimal`` with
    exactly two decimals (``Decimal("0.30")``) on both backends.
    """

    impl = Numeric(MONEY_PRECISION, MONEY_SCALE, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(MONEY_PRECISION, MONEY_SCALE, asdecimal=True))

    def process_bind_param(self, value, dialect: Dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
        cents = Decimal(value) * _CENTS
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than {MONEY_SCALE} decimals")
        if abs(cents) >= 10**MONEY_PRECISION:
            raise ValueError(f"{value} does not fit NUMERIC({MONEY_PRECISION}, {MONEY_SCALE})")
        if dialect.name == "sqlite":
            return int(cents)
        return Decimal(value)

    def process_result_value(self, value, dialect: Dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-MONEY_SCALE)
        return Decimal(value).quantize(Decimal(1).scaleb(-MONEY_SCALE))

    @property
    def python_type(self) -> type:
        return Decimal


class UtcDateTime(TypeDecorator):
    """An aware UTC ``datetime``; naive values are refused.

    PostgreSQL stores ``timestamptz``; SQLite stores the naive UTC time and the
    zone is put back on reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect: Dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect: Dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    @property
    def python_type(self) -> type:
        return dt.datetime
