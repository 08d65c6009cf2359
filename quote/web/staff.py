"""``/staff/``: where a signed-in user starts (their role's main page)."""

from __future__ import annotations

from flask import Blueprint, redirect
from flask_login import current_user

from .auth import home_for, requires

staff = Blueprint("staff", __name__)


@staff.get("/")
@requires("read")
def index():
    return redirect(home_for(current_user))
