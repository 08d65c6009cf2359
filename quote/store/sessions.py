"""Signed-in staff sessions, recorded on the server.

The browser's (signed) session cookie carries a random token; the database keeps
its SHA-256 with the user and an expiry. A request is signed in only while that
row exists and has not expired, so signing out, changing the password and
disabling the user end every copy of the cookie at once, on every app host that
shares the database.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import StaffSession, User
from .offers import token_hash, utc_now


def start_session(session: Session, user: User, lifetime: dt.timedelta,
                  now: dt.datetime | None = None) -> str:
    """A new session of ``user`` valid for ``lifetime``; returns the token for the cookie.

    Sessions that have expired (anyone's) are deleted on the way.
    """
    now = now or utc_now()
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                             expires_at=now + lifetime))
    session.flush()
    return token


def user_for_session(session: Session, token: str,
                     now: dt.datetime | None = None) -> User | None:
    """The active user of an unexpired session; None for anything else."""
    if not token or len(token) > 200:
        return None
    user = session.scalars(
        select(User).join(StaffSession, StaffSession.user_id == User.id)
        .where(StaffSession.token_hash == token_hash(token),
               StaffSession.expires_at > (now or utc_now()))
    ).one_or_none()
    return user if user is not None and user.active else None


def end_session(session: Session, token: str) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def end_sessions_of(session: Session, user: User, keep: str | None = None) -> int:
    """End every session of ``user`` (new password, disabled) but the one whose token is
    ``keep`` (the user's own, when they set their own password); returns how many ended."""
    statement = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep:
        statement = statement.where(StaffSession.token_hash != token_hash(keep))
    return session.execute(statement).rowcount
