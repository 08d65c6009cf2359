"""User management (role ``admin``): list and add users; change a user's e-mail address,
name, phone and role, set their password, disable and enable them, and revoke their API
tokens.

Every form shows all its problems at once, each at its field, and changes nothing while
there is one. An administrator can neither change their own role nor disable themselves,
and the last active administrator stays one (``quote.store.users``). Every change is
logged with the administrator who made it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ..store import (
    ROLES,
    DuplicateEmail,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    LastAdmin,
    PasswordTooShort,
    UserError,
    add_user,
    list_users,
)
from ..store.users import (
    MAX_NAME,
    MAX_PHONE,
    MIN_PASSWORD_LENGTH,
    change_user,
    check_password_policy,
    disable_user,
    enable_user,
    get_user,
    list_api_tokens,
    revoke_api_token,
    revoke_api_tokens,
    set_password,
    user_problems,
)
from .auth import ROLE_NAMES, SESSION_TOKEN, requires
from .extensions import store

admin = Blueprint("admin", __name__)


ROLE_CHOICES = [SelectChoice(role, ROLE_NAMES[role]) for role in ROLES]


class UserForm(FlaskForm):
    email = StringField(_l("E-mail"), render_kw={"type": "email", "autocomplete": "off"})
    display_name = StringField(_l("Name"))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    phone = StringField(_l("Phone"), render_kw={"type": "tel", "autocomplete": "off"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"})
    password_again = PasswordField(_l("Password again"),
                                   render_kw={"autocomplete": "new-password"})


class DetailsForm(FlaskForm):
    email = StringField(_l("E-mail"), render_kw={"type": "email", "autocomplete": "off"})
    display_name = StringField(_l("Name"))
    phone = StringField(_l("Phone"), render_kw={"type": "tel", "autocomplete": "off"})
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), render_kw={"autocomplete": "new-password"})
    password_again = PasswordField(_l("New password again"),
                                   render_kw={"autocomplete": "new-password"})


class ActionForm(FlaskForm):
    """A button's form (disable, enable, revoke): only the CSRF token."""


def _phone_problem() -> str:
    return gettext("A phone number has digits, spaces and + - / ( ) . only, at most "
                   "%(count)s characters.", count=MAX_PHONE)


def _message(problem: UserError) -> str:
    if isinstance(problem, InvalidEmail):
        return gettext("This is not an e-mail address.")
    if isinstance(problem, DuplicateEmail):
        return gettext("A user with this e-mail address exists already.")
    if isinstance(problem, InvalidPhone):
        return _phone_problem()
    if isinstance(problem, InvalidName):
        return gettext("A name has at most %(count)s characters and no control characters.",
                       count=MAX_NAME)
    if isinstance(problem, PasswordTooShort):
        return gettext("The password needs at least %(count)s characters.",
                       count=MIN_PASSWORD_LENGTH)
    if isinstance(problem, LastAdmin):
        return gettext("This is the last active administrator: make another user an "
                       "administrator first.")
    return gettext("Choose one of the roles.")


def _messages(problems: dict[str, UserError]) -> dict[str, list[str]]:
    return {field: [_message(problem)] for field, problem in problems.items()}


def _passwords_differ(form) -> dict[str, list[str]]:
    if (form.password.data or "") != (form.password_again.data or ""):
        return {"password_again": [gettext("The two passwords differ.")]}
    return {}


def _log(text: str, *args) -> None:
    current_app.logger.info("users: " + text + " by %s", *args, current_user.email)


def _back(user_id: int | None = None):
    if user_id is None:
        return redirect(url_for("admin.users"), 303)
    return redirect(url_for("admin.user_page", user_id=user_id), 303)


# The list, and adding a user

def _list_page(form: UserForm, problems: dict, status: int = 200):
    with store().session(read_only=True) as db:
        users = list_users(db)
    return render_template("web/admin/users.html", users=users, form=form, problems=problems,
                           action_form=ActionForm()), status


@admin.get("/users")
@requires("manage_users")
def users():
    return _list_page(UserForm(), {})


@admin.post("/users")
@requires("manage_users")
def add():
    form = UserForm()
    if not form.validate_on_submit():
        abort(400)
    fields = {"email": form.email.data or "", "display_name": form.display_name.data or "",
              "phone": form.phone.data or "", "role": form.role.data}
    password = form.password.data or ""
    try:
        with store().session() as db:
            problems = _messages(user_problems(db, **fields, password=password))
            problems.update(_passwords_differ(form))
            if not problems:
                added = add_user(db, fields["email"], fields["display_name"], password,
                                 role=fields["role"], phone=fields["phone"])
    except DuplicateEmail as exc:  # added by someone else meanwhile
        problems = _messages({"email": exc})
    if problems:
        return _list_page(form, problems, 422)
    _log("%s added (%s)", added.email, added.role)
    flash(gettext("User %(email)s added.", email=added.email), "info")
    return _back()


# One user: details, password, API tokens

def _user_page(user_id: int, *, details: DetailsForm | None = None,
               password: PasswordForm | None = None, problems: dict | None = None,
               status: int = 200):
    with store().session(read_only=True) as db:
        user = get_user(db, user_id)
        if user is None:
            abort(404)
        tokens = list_api_tokens(db, user)
    if details is None:
        details = DetailsForm(formdata=None, email=user.email, display_name=user.display_name,
                              phone=user.phone, role=user.role)
    return render_template("web/admin/user.html", shown=user, tokens=tokens, details=details,
                           password_form=password or PasswordForm(formdata=None),
                           problems=problems or {}, action_form=ActionForm()), status


@admin.get("/users/<int:user_id>")
@requires("manage_users")
def user_page(user_id: int):
    return _user_page(user_id)


@admin.post("/users/<int:user_id>")
@requires("manage_users")
def change(user_id: int):
    """E-mail address, name, phone and role at once. The phone is printed on the offers
    the user issues from now on (earlier offers keep the one they were issued with)."""
    form = DetailsForm()
    if not form.validate_on_submit():
        abort(400)
    fields = {"email": form.email.data or "", "display_name": form.display_name.data or "",
              "phone": form.phone.data or "", "role": form.role.data}
    try:
        with store().session() as db:
            user = get_user(db, user_id)
            if user is None:
                abort(404)
            before = (user.email, user.display_name, user.phone, user.role)
            problems = _messages(user_problems(db, **fields, user=user))
            if user.id == current_user.id and fields["role"] != user.role:
                problems["role"] = [gettext("You cannot change your own role.")]
            if not problems:
                change_user(db, user, **fields)
                after = (user.email, user.display_name, user.phone, user.role)
    except DuplicateEmail as exc:
        problems = _messages({"email": exc})
    if problems:
        return _user_page(user_id, details=form, problems=problems, status=422)
    if after != before:
        _log("%s changed: e-mail %s, name %r, phone %r, role %s (before: %s, %r, %r, %s)",
             before[0], *after, *before)
    flash(gettext("User %(email)s changed.", email=after[0]), "info")
    return _back(user_id)


@admin.post("/users/<int:user_id>/password")
@requires("manage_users")
def password(user_id: int):
    """A new password, typed twice; every session of the user ends (an administrator
    setting their own keeps this one)."""
    form = PasswordForm()
    if not form.validate_on_submit():
        abort(400)
    new = form.password.data or ""
    problems = _passwords_differ(form)
    try:
        check_password_policy(new)
    except PasswordTooShort as exc:
        problems["password"] = [_message(exc)]
    if problems:
        return _user_page(user_id, password=form, problems=problems, status=422)
    own = user_id == current_user.id
    with store().session() as db:
        user = get_user(db, user_id)
        if user is None:
            abort(404)
        set_password(db, user.email, new, keep_session=session.get(SESSION_TOKEN) if own else None)
    _log("password of %s set", user.email)
    flash(gettext("Password of %(email)s set; their sessions have ended.", email=user.email)
          if not own else gettext("Your password is set; your other sessions have ended."),
          "info")
    return _back(user_id)


@admin.post("/users/<int:user_id>/disable")
@requires("manage_users")
def disable(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if user_id == current_user.id:
        flash(gettext("You cannot disable your own account."), "error")
        return _back()
    try:
        with store().session() as db:
            user = get_user(db, user_id)
            if user is None:
                abort(404)
            disable_user(db, user.email)
            revoked = revoke_api_tokens(db, user)
    except LastAdmin as exc:
        flash(_message(exc), "error")
        return _back()
    _log("%s disabled, %s API token(s) revoked", user.email, revoked)
    flash(gettext("User %(email)s disabled.", email=user.email), "info")
    return _back()


@admin.post("/users/<int:user_id>/enable")
@requires("manage_users")
def enable(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with store().session() as db:
        user = get_user(db, user_id)
        if user is None:
            abort(404)
        enable_user(db, user.email)
    _log("%s enabled", user.email)
    flash(gettext("User %(email)s enabled.", email=user.email), "info")
    return _back()


@admin.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@requires("manage_users")
def revoke(user_id: int, token_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with store().session() as db:
        user = get_user(db, user_id)
        revoked = revoke_api_token(db, user, token_id) if user is not None else None
        if revoked is None:
            abort(404)
    _log("API token %s (%r) of %s revoked", revoked.id, revoked.name, user.email)
    flash(gettext("API token “%(name)s” of %(email)s revoked.",
                  name=revoked.name or gettext("without a name"), email=user.email), "info")
    return _back(user_id)
