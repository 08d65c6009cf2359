"""A staff session lives on the server: signing out, a new password or a disabled account
ends every copy of the session cookie, and a session lasts a working day."""

from __future__ import annotations

import datetime as dt

import pytest

from quote.store.models import StaffSession
from quote.store.users import disable_user, set_password

NEW_PASSWORD = "another long passphrase"


def _cookie(client, app) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _replay(app, value: str):
    """A new browser that presents a copied session cookie."""
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    return other


def test_a_cookie_replayed_after_sign_out_opens_nothing(app, sign_in):
    client = sign_in("finance")
    copied = _cookie(client, app)
    assert _replay(app, copied).get("/finance/offers").status_code == 200
    client.post("/sign-out")
    response = _replay(app, copied).get("/finance/offers")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


@pytest.mark.parametrize("change", [
    lambda db, email: set_password(db, email, NEW_PASSWORD),
    lambda db, email: disable_user(db, email),
], ids=["new password", "disabled"])
def test_a_new_password_or_a_disabled_account_ends_every_session(app, sign_in, users, change):
    laptop, phone = sign_in("finance"), sign_in("finance")
    with app.extensions["quote.store"].session() as db:
        change(db, users["finance"])
    for client in (laptop, phone):
        assert client.get("/finance/offers").status_code == 302


def test_signing_out_in_one_browser_leaves_the_others_signed_in(sign_in):
    laptop, phone = sign_in("finance"), sign_in("finance")
    laptop.post("/sign-out")
    assert phone.get("/finance/offers").status_code == 200


def test_a_session_ends_after_the_configured_hours(make_app, users):
    app = make_app(STAFF_SESSION_HOURS=8)
    client = app.test_client()
    client.post("/sign-in", data={"email": users["finance"],
                                  "password": "correct horse battery"})
    expires = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).expires
    lifetime = expires.replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=7, minutes=59) < lifetime <= dt.timedelta(hours=8)
    with app.extensions["quote.store"].session() as db:
        record = db.query(StaffSession).one()
        assert record.expires_at - record.created_at == dt.timedelta(hours=8)
        record.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert client.get("/finance/offers").status_code == 302
