"""Staff users, their passwords and their API tokens.

Passwords are hashed with the standard library's scrypt (N=2^15, r=8, p=1, a
random 16-byte salt per user) and compared in constant time. API tokens are
random (``secrets.token_urlsafe(32)``) and stored as their SHA-256 only: the
token is shown once, when it is created.

A user's phone number (optional) is printed on the offers they issue, with their name
and e-mail, as the seller's contact. The ``flask users ...`` commands and the admin
page call these functions. At least one active administrator always remains: neither
a change of role nor disabling may take the last one away (``LastAdmin``).

A token's last use is recorded to the minute (``note_api_token_use``), so that a busy
client costs one write a minute, not one per request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import (
    DuplicateEmail,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    InvalidRole,
    LastAdmin,
    PasswordTooShort,
    UnknownUser,
    UserError,
)
from .models import ROLES, ApiToken, User
from .offers import token_hash, utc_now
from .sessions import end_sessions_of

MIN_PASSWORD_LENGTH = 12
MAX_PHONE = 50
MAX_NAME = 200
_PHONE_CHARS = frozenset("0123456789 +-/().")
API_TOKEN_PREFIX = "qt_"
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)
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


def normalize_name(name: str) -> str:
    """A user's name as shown: trimmed; at most ``MAX_NAME`` characters, no control
    characters (``InvalidName``); "" means the e-mail address stands for the name."""
    name = name.strip()
    if len(name) > MAX_NAME or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        raise InvalidName(MAX_NAME)
    return name


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)


def user_problems(session: Session, *, email: str, display_name: str, phone: str, role: str,
                  password: str | None = None, user: User | None = None
                  ) -> dict[str, UserError]:
    """Every problem with a user's fields at once, by field name: for a new user
    (``user`` None, with a password) or for a change of ``user`` (e-mail, name, phone,
    role). Empty when all is well."""
    problems: dict[str, UserError] = {}
    try:
        email = normalize_email(email)
    except InvalidEmail as exc:
        problems["email"] = exc
    else:
        other = find_user(session, email)
        if other is not None and (user is None or other.id != user.id):
            problems["email"] = DuplicateEmail(email)
    for field, check, value in (("display_name", normalize_name, display_name),
                                ("phone", normalize_phone, phone),
                                ("password", check_password_policy, password)):
        if value is None:
            continue
        try:
            check(value)
        except UserError as exc:
            problems[field] = exc
    if role not in ROLES:
        problems["role"] = InvalidRole(role, ROLES)
    elif user is not None and role != "admin" and _is_last_admin(session, user):
        problems["role"] = LastAdmin(user.email)
    return problems


def _first(problems: dict[str, UserError]) -> None:
    if problems:
        raise next(iter(problems.values()))


def _is_last_admin(session: Session, user: User) -> bool:
    """Whether ``user`` is the only active administrator."""
    if user.role != "admin" or not user.active:
        return False
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) == 0


def add_user(session: Session, email: str, display_name: str, password: str,
             role: str = "sales", phone: str = "") -> User:
    """A new active user. No default password: the caller supplies one of 12+ characters.
    Raises the first of ``user_problems``."""
    _first(user_problems(session, email=email, display_name=display_name, phone=phone,
                         role=role, password=password))
    email = normalize_email(email)
    user = User(email=email, display_name=normalize_name(display_name) or email,
                password_hash=hash_password(password), role=role, active=True,
                phone=normalize_phone(phone), created_at=utc_now())
    try:
        with session.begin_nested():  # a concurrent insert of the same e-mail
            session.add(user)
    except IntegrityError:
        raise DuplicateEmail(email) from None
    return user


def change_user(session: Session, user: User, *, email: str, display_name: str, phone: str,
                role: str) -> User:
    """Change a user's e-mail address, name, phone and role at once, or nothing (raises the
    first of ``user_problems``). Offers issued before keep the names they were issued with."""
    _first(user_problems(session, email=email, display_name=display_name, phone=phone,
                         role=role, user=user))
    email = normalize_email(email)
    try:
        with session.begin_nested():  # a concurrent change to the same e-mail
            user.email = email
            user.display_name = normalize_name(display_name) or email
            user.phone = normalize_phone(phone)
            user.role = role
            session.flush()
    except IntegrityError:
        raise DuplicateEmail(email) from None
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())
                           ).one_or_none()


def _known_user(session: Session, email: str) -> User:
    """The user with ``email``, or ``UnknownUser``."""
    user = find_user(session, email)
    if user is None:
        raise UnknownUser(email)
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session, *, include_disabled: bool = True) -> list[User]:
    statement = select(User).order_by(User.email)
    if not include_disabled:
        statement = statement.where(User.active.is_(True))
    return list(session.scalars(statement))


def disable_user(session: Session, email: str) -> User:
    """Disable a user: no sign-in, no API access. Their offers stay. The last active
    administrator cannot be disabled (``LastAdmin``)."""
    user = _known_user(session, email)
    if _is_last_admin(session, user):
        raise LastAdmin(user.email)
    user.active = False
    session.flush()
    end_sessions_of(session, user)
    return user


def enable_user(session: Session, email: str) -> User:
    """Let a disabled user sign in again, with the password they had. Their API tokens
    were revoked when they were disabled; new ones are made as for anyone."""
    user = _known_user(session, email)
    user.active = True
    session.flush()
    return user


def set_phone(session: Session, email: str, phone: str) -> User:
    """Set (or with "" clear) a user's phone number. Offers issued before keep the number
    they were issued with (it is part of their snapshot)."""
    phone = normalize_phone(phone)
    user = _known_user(session, email)
    user.phone = phone
    session.flush()
    return user


def set_password(session: Session, email: str, password: str,
                 keep_session: str | None = None) -> User:
    """A new password; every session of the user ends (but ``keep_session``, the token of
    the session of a user setting their own)."""
    check_password_policy(password)
    user = _known_user(session, email)
    user.password_hash = hash_password(password)
    session.flush()
    end_sessions_of(session, user, keep=keep_session)
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


def find_api_token(session: Session, token: str) -> ApiToken | None:
    """The record of an API token of an active user; None for an unknown token or a
    disabled user."""
    if not token or len(token) > 200:
        return None
    record = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))
                             ).one_or_none()
    return record if record is not None and record.user.active else None


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active user the token belongs to; None for an unknown token or a disabled user."""
    record = find_api_token(session, token)
    return record.user if record is not None else None


def api_token_use_due(record: ApiToken, now: dt.datetime | None = None) -> bool:
    """Whether a use of the token at ``now`` is to be recorded: its last recorded use is
    none or a minute old or older."""
    last = record.last_used_at
    return last is None or (now or utc_now()) - last >= TOKEN_USE_RESOLUTION


def note_api_token_use(session: Session, record: ApiToken,
                       now: dt.datetime | None = None) -> bool:
    """Record that the token was used at ``now``, unless a use within the minute before is
    recorded already (by another request, too); returns whether it wrote."""
    now = now or utc_now()
    return session.execute(
        update(ApiToken).where(ApiToken.id == record.id,
                               or_(ApiToken.last_used_at.is_(None),
                                   ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION))
        .values(last_used_at=now)).rowcount == 1


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's API tokens, oldest first (names and dates; the tokens are not stored)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at, ApiToken.id)))


def revoke_api_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """Delete one API token of ``user``; None when the user has no token ``token_id``."""
    record = session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        return None
    session.delete(record)
    session.flush()
    return record


def revoke_api_tokens(session: Session, user: User) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    for record in tokens:
        session.delete(record)
    session.flush()
    return len(tokens)
