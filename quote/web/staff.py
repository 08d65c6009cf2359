"""Staff pages (skeleton). Sign-in arrives with the offer store; until then the
``STAFF_MODE`` setting stands in for a signed-in staff member."""

from __future__ import annotations

from flask import Blueprint, abort, current_app

staff = Blueprint("staff", __name__)


def staff_mode() -> bool:
    return bool(current_app.config["STAFF_MODE"])


@staff.before_request
def _staff_only():
    if not staff_mode():
        abort(404)


@staff.get("/")
def index():
    from flask import redirect, url_for

    return redirect(url_for("public.index"))
