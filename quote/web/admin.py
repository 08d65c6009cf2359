"""User management (role ``admin``): list, add, change role and phone, disable."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
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
    InvalidPhone,
    PasswordTooShort,
    add_user,
    list_users,
)
from ..store.users import (
    MAX_PHONE,
    MIN_PASSWORD_LENGTH,
    disable_user,
    get_user,
    revoke_api_tokens,
    set_phone,
)
from .auth import ROLE_NAMES, requires
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


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class PhoneForm(FlaskForm):
    phone = StringField(_l("Phone"), render_kw={"type": "tel"})


class DisableForm(FlaskForm):
    pass


def _phone_problem() -> str:
    return gettext("A phone number has digits, spaces and + - / ( ) . only, at most "
                   "%(count)s characters.", count=MAX_PHONE)


def _page(form: UserForm, problems: dict, status: int = 200):
    with store().session(read_only=True) as db:
        users = list_users(db)
    return render_template("web/admin/users.html", users=users, form=form, problems=problems,
                           role_form=RoleForm, phone_form=PhoneForm,
                           disable_form=DisableForm()), status


@admin.get("/users")
@requires("manage_users")
def users():
    return _page(UserForm(), {})


@admin.post("/users")
@requires("manage_users")
def add():
    form = UserForm()
    problems: dict[str, list[str]] = {}
    if not form.validate_on_submit():
        abort(400)
    password = form.password.data or ""
    if password != (form.password_again.data or ""):
        problems["password_again"] = [gettext("The two passwords differ.")]
    else:
        try:
            with store().session() as db:
                add_user(db, form.email.data or "", form.display_name.data or "", password,
                         role=form.role.data, phone=form.phone.data or "")
        except InvalidEmail:
            problems["email"] = [gettext("This is not an e-mail address.")]
        except DuplicateEmail:
            problems["email"] = [gettext("A user with this e-mail address exists already.")]
        except InvalidPhone:
            problems["phone"] = [_phone_problem()]
        except PasswordTooShort:
            problems["password"] = [gettext("The password needs at least %(count)s characters.",
                                            count=MIN_PASSWORD_LENGTH)]
    if problems:
        return _page(form, problems, 422)
    flash(gettext("User %(email)s added.", email=form.email.data.strip().lower()), "info")
    return redirect(url_for("admin.users"), 303)


@admin.post("/users/<int:user_id>/role")
@requires("manage_users")
def change_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user_id == current_user.id:
        flash(gettext("You cannot change your own role."), "error")
        return redirect(url_for("admin.users"), 303)
    with store().session() as db:
        user = get_user(db, user_id)
        if user is None:
            abort(404)
        user.role = form.role.data
    flash(gettext("Role of %(email)s changed.", email=user.email), "info")
    return redirect(url_for("admin.users"), 303)


@admin.post("/users/<int:user_id>/phone")
@requires("manage_users")
def change_phone(user_id: int):
    """The phone printed on the offers the user issues from now on (earlier offers keep
    the one they were issued with)."""
    form = PhoneForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with store().session() as db:
            user = get_user(db, user_id)
            if user is None:
                abort(404)
            set_phone(db, user.email, form.phone.data or "")
    except InvalidPhone:
        flash(_phone_problem(), "error")
        return redirect(url_for("admin.users"), 303)
    flash(gettext("Phone of %(email)s changed.", email=user.email), "info")
    return redirect(url_for("admin.users"), 303)


@admin.post("/users/<int:user_id>/disable")
@requires("manage_users")
def disable(user_id: int):
    if not DisableForm().validate_on_submit():
        abort(400)
    if user_id == current_user.id:
        flash(gettext("You cannot disable your own account."), "error")
        return redirect(url_for("admin.users"), 303)
    with store().session() as db:
        user = get_user(db, user_id)
        if user is None:
            abort(404)
        disable_user(db, user.email)
        revoke_api_tokens(db, user)
    flash(gettext("User %(email)s disabled.", email=user.email), "info")
    return redirect(url_for("admin.users"), 303)
