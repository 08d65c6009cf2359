"""Staff sign-in (Flask-Login), roles, and API tokens.

Roles and what they allow (least privilege: every view names what it needs):

- ``sales``: issue offers (with a discount up to the rate card's limit), accept,
  withdraw and revise them; read the offers they issued and self-service requests;
  the customers they look after (and those nobody looks after yet) and their
  contracts.
- ``finance``: read every offer, download its PDFs, the finance list and CSV export;
  read every customer and contract.
- ``admin``: manage users, and everything sales may do, on every offer, customer and
  contract.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from ..store.sessions import end_session, start_session, user_for_session
from ..store.users import (
    api_token_use_due,
    find_api_token,
    note_api_token_use,
    verify_password,
)
from .extensions import error_json, is_api, limit, store

PERMISSIONS: dict[str, frozenset[str]] = {
    "issue": frozenset({"sales", "admin"}),       # issue, accept, withdraw, revise; discounts
    "read_all": frozenset({"finance", "admin"}),  # every offer, not only one's own
    "read": frozenset({"sales", "finance", "admin"}),
    "finance": frozenset({"finance"}),            # finance list and export
    "manage_users": frozenset({"admin"}),
}

ROLE_NAMES = {"sales": _l("Sales"), "finance": _l("Finance"), "admin": _l("Administrator")}

login_manager = LoginManager()
login_manager.session_protection = "strong"
auth = Blueprint("auth", __name__)


class StaffUser:
    """The signed-in user, as Flask-Login wants it; a copy of the stored row."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user):
        self.id = user.id
        self.email = user.email
        self.display_name = user.display_name
        self.role = user.role
        self.is_active = bool(user.active)

    def get_id(self) -> str:
        return str(self.id)

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    @property
    def role_name(self) -> str:
        return str(ROLE_NAMES.get(self.role, self.role))

    def may_read(self, offer) -> bool:
        """Finance and admin read every offer; sales their own and the self-service requests."""
        if self.can("read_all"):
            return True
        return self.can("read") and offer.issuer_id in (None, self.id)

    @property
    def sees_every_customer(self) -> bool:
        return self.can("read_all")

    def may_see(self, customer) -> bool:
        """Finance and admin see every customer (and its contracts); sales the customers
        they look after and those nobody looks after yet."""
        if self.sees_every_customer:
            return True
        return self.can("read") and customer.owner_id in (None, self.id)


class Anonymous(AnonymousUserMixin):
    role = None
    id = None

    def can(self, permission: str) -> bool:
        return False

    def may_read(self, offer) -> bool:
        return False

    sees_every_customer = False

    def may_see(self, customer) -> bool:
        return False


login_manager.anonymous_user = Anonymous


SESSION_TOKEN = "sid"  # session key: the token of the server-side session record


@login_manager.user_loader
def _load_user(user_id: str):
    """The user of this browser session, while its server-side record lives (see
    ``quote.store.sessions``): a cookie replayed after sign-out is anonymous."""
    token = session.get(SESSION_TOKEN)
    if not token or not isinstance(token, str):
        return None
    with store().session(read_only=True) as db:
        user = user_for_session(db, token)
    if user is None or str(user.id) != user_id:
        return None
    return StaffUser(user)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    app.register_blueprint(auth)

    @app.context_processor
    def _user():
        return {"user": current_user, "role_names": ROLE_NAMES}


def staff_user():
    """The signed-in user of a page, or of an API request with a valid bearer token."""
    if is_api():
        return g.get("api_user") or Anonymous()
    return current_user


def is_staff() -> bool:
    """A signed-in user, or an API request with a valid token."""
    if is_api():
        return api_user_from_token() is not None
    return bool(current_user.is_authenticated)


def can(permission: str) -> bool:
    return staff_user().can(permission)


def requires(permission: str):
    """Only for users with ``permission``: pages redirect anonymous users to the sign-in
    page, the API answers 401; a signed-in user without the permission gets 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if is_api():
                denied = _api_user_or_error()
                if denied is not None:
                    return denied
                if not g.api_user.can(permission):
                    return error_json(403, "your role may not use this endpoint")
                return view(*args, **kwargs)
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_user_from_token():
    """The active user of the request's bearer token, remembered in ``g``; None without one."""
    if "api_user" not in g:
        token = bearer_token()
        user = None
        if token:
            with store().session(read_only=True) as db:
                record = find_api_token(db, token)
                user = StaffUser(record.user) if record is not None else None
            if record is not None and api_token_use_due(record):
                with store().session() as db:
                    note_api_token_use(db, record)
        g.api_user = user
    return g.api_user


def _api_user_or_error():
    if api_user_from_token() is not None:
        return None
    message = ("send a valid API token: Authorization: Bearer <token>"
               if bearer_token() is None else "the API token is not valid")
    response = error_json(401, message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="quote"'
    return response


# Sign-in and sign-out

class SignInForm(FlaskForm):
    email = StringField(_l("E-mail"), render_kw={"type": "email", "autocomplete": "username"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "current-password"})


class SignOutForm(FlaskForm):
    pass


# A local path with an optional query: RFC 3986 characters only, so no control
# character, space or backslash reaches the Location header.
_URL_CHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@/%"
_LOCAL_PATH = re.compile(rf"/(?!/)[{_URL_CHARS}]*(\?[{_URL_CHARS}?]*)?")


def _safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (then the user's home page)."""
    if not target or len(target) > 2000 or not _LOCAL_PATH.fullmatch(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user) -> str:
    if user.can("manage_users"):
        return url_for("admin.users")
    if user.can("finance"):
        return url_for("finance.offer_list")
    return url_for("public.index")


@auth.route("/sign-in", methods=["GET", "POST"])
@limit("LIMIT_SIGN_IN", methods=["POST"])
def sign_in():
    form = SignInForm()
    error = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            with store().session(read_only=True) as db:
                user = verify_password(db, form.email.data or "", form.password.data or "")
            if user is not None:
                lifetime = dt.timedelta(hours=current_app.config["STAFF_SESSION_HOURS"])
                with store().session() as db:
                    token = start_session(db, user, lifetime)
                _fresh_session()  # no session fixation: a fresh session for the signed-in user
                session[SESSION_TOKEN] = token
                session.permanent = True
                login_user(StaffUser(user))
                current_app.logger.info("sign-in: %s (%s)", user.email, user.role)
                return redirect(_safe_next(request.args.get("next")) or home_for(StaffUser(user)))
        error = gettext("The e-mail address or the password is wrong, or the account is "
                        "disabled.")
        status = 401
    return render_template("web/sign_in.html", form=form, error=error), status


@auth.post("/sign-out")
def sign_out():
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        with store().session() as db:
            end_session(db, token)
    logout_user()
    _fresh_session()
    return redirect(url_for("public.index"))


def _fresh_session() -> None:
    """Empty the session, keeping only the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
