"""Staff users, their passwords and their API tokens.

Passwords are hashed with the standard library's scrypt (N=2^15, r=8, p=1, a
random 16-byte salt per user) and compared in constant time. API tokens are
random (``secrets.token_urlsafe(32)``) and stored as their SHA-256 only: the
token is shown once, when it is created.

A user's phone number (optional) is printed on the offers they issue, with their name
and e-mail, as the seller's contact. The ``flask users add/list/phone/disable``
commands and the admin page call these functions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import (
    DuplicateEmail,
    InvalidEmail,
    InvalidPhone,
    InvalidRole,
    PasswordTooShort,
    UnknownUser,
)
from .models import ROLES, ApiToken, User
from .offers import token_hash, utc_now
from .sessions import end_sessions_of

MIN_PASSWORD_LENGTH = 12
MAX_PHONE = 50
_PHONE_CHARS = frozenset("0123456789 +-/().")
API_TOKEN_PREFIX = "qt_"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


# Passwords

def hash_password(password: str) -> str:
    """``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (salt and hash in base64)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, **_SCRYPT)
    return "$".join(["scrypt", str(_SCRYPT["n"]), str(_SCRYPT["r"]), str(_SCRYPT["p"]),
                     _b64(salt), _b64(digest)])


def check_password(stored: str, password: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * (n + p + 2), dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# A hash to check against when the e-mail is unknown, so that the answer takes
# as long as for a known user (built on first use, not at import).
_dummy_hash: str | None = None


def _waste_time(password: str) -> None:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_urlsafe(16))
    check_password(_dummy_hash, password)


# Users

def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if (email.count("@") != 1 or not email.split("@")[0] or "." not in email.split("@")[1]
            or any(c.isspace() for c in email) or len(email) > 254):
        raise InvalidEmail(email)
    return email


def normalize_phone(phone: str) -> str:
    """A phone number as it is printed: white space collapsed; "" for none. Digits, spaces
    and ``+ - / ( ) .`` only, at least one digit, at most ``MAX_PHONE`` characters;
    raises ``InvalidPhone`` otherwise."""
    phone = " ".join(phone.split())
    if phone and (len(phone) > MAX_PHONE or not set(phone) <= _PHONE_CHARS
                  or not any(c.isdigit() for c in phone)):
        raise InvalidPhone(phone, MAX_PHONE)
    return phone


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)


def add_user(session: Session, email: str, display_name: str, password: str,
             role: str = "sales", phone: str = "") -> User:
    """A new active user. No default password: the caller supplies one of 12+ characters."""
    email = normalize_email(email)
    phone = normalize_phone(phone)
    if role not in ROLES:
        raise InvalidRole(role, ROLES)
    check_password_policy(password)
    if find_user(session, email) is not None:
        raise DuplicateEmail(email)
    user = User(email=email, display_name=display_name.strip() or email,
                password_hash=hash_password(password), role=role, active=True,
                phone=phone, created_at=utc_now())
    try:
        with session.begin_nested():  # a concurrent insert of the same e-mail
            session.add(user)
    except IntegrityError:
        raise DuplicateEmail(email) from None
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())
                           ).one_or_none()


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session, *, include_disabled: bool = True) -> list[User]:
    statement = select(User).order_by(User.email)
    if not include_disabled:
        statement = statement.where(User.active.is_(True))
    return list(session.scalars(statement))


def disable_user(session: Session, email: str) -> User:
    """Disable a user: no sign-in, no API access. Their offers stay."""
    user = find_user(session, email)
    if user is None:
        raise UnknownUser(email)
    user.active = False
    session.flush()
    end_sessions_of(session, user)
    return user


def set_phone(session: Session, email: str, phone: str) -> User:
    """Set (or with "" clear) a user's phone number. Offers issued before keep the number
    they were issued with (it is part of their snapshot)."""
    phone = normalize_phone(phone)
    user = find_user(session, email)
    if user is None:
        raise UnknownUser(email)
    user.phone = phone
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    check_password_policy(password)
    user = find_user(session, email)
    if user is None:
        raise UnknownUser(email)
    user.password_hash = hash_password(password)
    session.flush()
    end_sessions_of(session, user)
    return user


def verify_password(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (unknown, wrong or disabled)."""
    user = find_user(session, email)
    if user is None:
        _waste_time(password)
        return None
    if not check_password(user.password_hash, password):
        return None
    return user if user.active else None


# API tokens

@dataclass(frozen=True)
class NewApiToken:
    """A token just created: ``token`` is shown once and never stored."""

    token: str
    record: ApiToken


def create_api_token(session: Session, user: User, name: str = "") -> NewApiToken:
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=token_hash(token), name=name,
                      created_at=utc_now())
    session.add(record)
    session.flush()
    return NewApiToken(token, record)


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active user the token belongs to; None for an unknown token or a disabled user."""
    if not token or len(token) > 200:
        return None
    user = session.scalars(
        select(User).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(token))
    ).one_or_none()
    return user if user is not None and user.active else None


def revoke_api_tokens(session: Session, user: User) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    for record in tokens:
        session.delete(record)
    session.flush()
    return len(tokens)
