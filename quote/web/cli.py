"""``flask --app wsgi users ...`` and ``flask --app wsgi db upgrade``.

    flask --app wsgi users add EMAIL --role sales --name "Anna Berg"   # password prompted twice
    printf '%s\\n' "$PASSWORD" | flask --app wsgi users add EMAIL --password-stdin
    flask --app wsgi users list
    flask --app wsgi users password EMAIL                              # ends their sessions
    flask --app wsgi users disable EMAIL
    flask --app wsgi users token EMAIL [--name laptop]                  # shown once
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..store import ROLES, StoreError, UnknownUser, add_user, disable_user, find_user, list_users
from ..store.users import create_api_token, revoke_api_tokens, set_password

users = AppGroup("users", help="Staff users and their API tokens.")
db = AppGroup("db", help="The database of offers and users.")


def _store():
    return current_app.extensions["quote.store"]


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="sales", show_default=True)
@click.option("--name", "display_name", default="", help="the name shown in the app")
@click.option("--password-stdin", is_flag=True,
              help="read the password from the first line of standard input")
def add(email: str, role: str, display_name: str, password_stdin: bool) -> None:
    """Add a user; the password is asked twice (at least 12 characters)."""
    password = _read_password(password_stdin)
    try:
        with _store().session() as session:
            user = add_user(session, email, display_name, password, role=role)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"added {user.email} ({user.role})")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("list")
def list_command() -> None:
    """Every user: e-mail, role, active or disabled, name."""
    with _store().session(read_only=True) as session:
        found = list_users(session)
    for user in found:
        state = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{user.role}\t{state}\t{user.display_name}")


@users.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True,
              help="read the password from the first line of standard input")
def password(email: str, password_stdin: bool) -> None:
    """Set a user's password (asked twice); every session of the user ends."""
    new = _read_password(password_stdin)
    try:
        with _store().session() as session:
            user = set_password(session, email, new)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"password of {user.email} changed; their sessions have ended")


@users.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable a user: no sign-in, API tokens revoked. Their offers stay."""
    try:
        with _store().session() as session:
            user = disable_user(session, email)
            revoked = revoke_api_tokens(session, user)
    except UnknownUser as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"disabled {user.email}; {revoked} API token(s) revoked")


@users.command("token")
@click.argument("email")
@click.option("--name", default="", help="what the token is for")
def token(email: str, name: str) -> None:
    """Create an API token for a user; it is printed once and cannot be shown again."""
    with _store().session() as session:
        user = find_user(session, email)
        if user is None or not user.active:
            raise click.ClickException(f"there is no active user with the e-mail address "
                                       f"{email}")
        created = create_api_token(session, user, name)
    click.echo(created.token)


@db.command("upgrade")
def upgrade() -> None:
    """Bring the schema to the latest migration (alembic upgrade head)."""
    _store().migrate()
    click.echo("database is up to date")


def init_app(app) -> None:
    app.cli.add_command(users)
    app.cli.add_command(db)
