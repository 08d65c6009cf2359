"""``flask --app wsgi users ...`` and ``flask --app wsgi db upgrade``.

    flask --app wsgi users add EMAIL --role sales --name "Anna Berg" [--phone "+49 30 123"]
                                                                       # password prompted twice
    printf '%s\\n' "$PASSWORD" | flask --app wsgi users add EMAIL --password-stdin
    flask --app wsgi users list
    flask --app wsgi users password EMAIL                              # ends their sessions
    flask --app wsgi users phone EMAIL "+49 30 1234567-12"             # "" clears it
    flask --app wsgi users disable EMAIL
    flask --app wsgi users enable EMAIL
    flask --app wsgi users token EMAIL [--name laptop]                  # shown once
    flask --app wsgi customers find TEXT
    flask --app wsgi contracts import FILE.csv [--dry-run]
    flask --app wsgi contracts show C-000001
    flask --app wsgi contracts renewals --due-within 90 [--create [--issuer EMAIL]]

The contract commands are thin: they call ``quote.lifecycle`` and print.
"""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .. import lifecycle
from ..store import (
    ROLES,
    StoreError,
    UserError,
    add_user,
    contract_history,
    disable_user,
    enable_user,
    find_contract,
    find_user,
    list_customers,
    list_users,
)
from ..store.users import create_api_token, revoke_api_tokens, set_password, set_phone

users = AppGroup("users", help="Staff users and their API tokens.")
db = AppGroup("db", help="The database of offers and users.")
customers = AppGroup("customers", help="Customers and their contacts.")
contracts = AppGroup("contracts", help="Support contracts: import, show, renewals.")


def _store():
    return current_app.extensions["quote.store"]


def _rates():
    return current_app.extensions["quote.rates"]


def _today() -> dt.date:
    """The app's ``TODAY`` (tests, demos), else the server's date."""
    configured = current_app.config["TODAY"]
    if configured is None:
        return dt.date.today()
    return configured if isinstance(configured, dt.date) else dt.date.fromisoformat(configured)


def _active_user(session, email: str):
    user = find_user(session, email)
    if user is None or not user.active:
        raise click.ClickException(f"there is no active user with the e-mail address {email}")
    return user


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="sales", show_default=True)
@click.option("--name", "display_name", default="", help="the name shown in the app")
@click.option("--phone", default="", help="printed on the offers the user issues")
@click.option("--password-stdin", is_flag=True,
              help="read the password from the first line of standard input")
def add(email: str, role: str, display_name: str, phone: str, password_stdin: bool) -> None:
    """Add a user; the password is asked twice (at least 12 characters)."""
    password = _read_password(password_stdin)
    try:
        with _store().session() as session:
            user = add_user(session, email, display_name, password, role=role, phone=phone)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"added {user.email} ({user.role})")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("list")
def list_command() -> None:
    """Every user: e-mail, role, active or disabled, name, and the phone if one is set."""
    with _store().session(read_only=True) as session:
        found = list_users(session)
    for user in found:
        state = "active" if user.active else "disabled"
        phone = f"\t{user.phone}" if user.phone else ""
        click.echo(f"{user.email}\t{user.role}\t{state}\t{user.display_name}{phone}")


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


@users.command("phone")
@click.argument("email")
@click.argument("phone")
def phone(email: str, phone: str) -> None:
    """Set the phone number printed on the offers a user issues from now on ("" clears it)."""
    try:
        with _store().session() as session:
            user = set_phone(session, email, phone)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"phone of {user.email}: {user.phone or '(none)'}")


@users.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable a user: no sign-in, API tokens revoked. Their offers stay."""
    try:
        with _store().session() as session:
            user = disable_user(session, email)
            revoked = revoke_api_tokens(session, user)
    except UserError as exc:  # unknown, or the last active administrator
        raise click.ClickException(str(exc)) from None
    click.echo(f"disabled {user.email}; {revoked} API token(s) revoked")


@users.command("enable")
@click.argument("email")
def enable(email: str) -> None:
    """Let a disabled user sign in again (with their password; API tokens are made anew)."""
    try:
        with _store().session() as session:
            user = enable_user(session, email)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"enabled {user.email}")


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


@customers.command("find")
@click.argument("text", required=False, default="")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
def find_customers_command(text: str, page: int) -> None:
    """Customers whose company, VAT ID or contacts contain TEXT (any case); all without."""
    with _store().session(read_only=True) as session:
        found = list_customers(session, text or None, page=page)
    for customer in found.customers:
        contact = customer.primary_contact
        who = f"{contact.name} <{contact.email}>" if contact else ""
        click.echo(f"{customer.id}\t{customer.company}\t{customer.country}\t"
                   f"{customer.vat_id or ''}\t{who}")
    click.echo(f"{found.count} customer(s), page {found.page} of {found.pages}", err=True)


@contracts.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="check the file and say what would be imported")
@click.option("--by", "by_email", default=None, help="the user recorded as importing them")
def import_command(file, dry_run: bool, by_email: str | None) -> None:
    """Import contracts from a CSV file (see docs/contracts.md): all lines or none."""
    try:
        rows = lifecycle.read_contract_csv(file.read())
    except lifecycle.ImportFileError as exc:
        _fail_with(exc.errors)
    with _store().session() as session:
        by = _active_user(session, by_email).id if by_email else None
        report = lifecycle.import_contracts(session, _rates(), rows, dry_run=dry_run,
                                            by_user_id=by, now=lifecycle.moment(_today()))
    if report.errors:
        _fail_with(report.errors)
    costs: dict[str, object] = {}
    for plan in report.contracts:
        terms, draft = plan.draft.terms, plan.draft
        costs[terms.currency] = costs.get(terms.currency, 0) + draft.annual_cost
        click.echo(f"line {plan.line}\t{plan.number or '-'}\t{draft.customer.company}\t"
                   f"{terms.rate_card_id} {terms.rate_card_version}\t{terms.package_id}\t"
                   f"{terms.term_start} {terms.term_years}y\t{draft.annual_cost} "
                   f"{terms.currency}/year")
    cost = ", ".join(f"{amount} {currency}" for currency, amount in sorted(costs.items()))
    what = "would be imported (dry run: nothing written)" if dry_run else "imported"
    click.echo(f"{len(report.contracts)} contract(s) {what}, {report.new_customers} new "
               f"customer(s), annual cost {cost or '0'}")


def _fail_with(errors) -> None:
    for error in errors:
        click.echo(str(error), err=True)
    raise click.ClickException(f"{len(errors)} error(s): nothing was imported")


@contracts.command("show")
@click.argument("number")
def show_contract(number: str) -> None:
    """A contract: customer, terms, annual cost and history."""
    with _store().session(read_only=True) as session:
        contract = find_contract(session, number)
        if contract is None:
            raise click.ClickException(f"there is no contract {number}")
        history = contract_history(session, contract)
        owner = contract.owner.email if contract.owner is not None else "-"
        offers = {e.id: e.offer.number for e in history if e.offer is not None}
    customer, contact = contract.customer, contract.customer.primary_contact
    cost = lifecycle.annual_cost(_rates(), contract)
    click.echo(f"{contract.number}\t{contract.status_on(_today())}")
    click.echo(f"customer\t{customer.company} ({customer.country})"
               f"{', VAT ID ' + customer.vat_id if customer.vat_id else ''}, "
               f"language {customer.language}"
               f"{f', {contact.name} <{contact.email}>' if contact else ''}")
    click.echo(f"rate card\t{contract.rate_card_id} {contract.rate_card_version}, "
               f"{contract.package_id}, {contract.deployment}")
    click.echo(f"license value\t{contract.license_value} {contract.currency}, "
               f"{contract.environments} environment(s), annual cost "
               f"{cost if cost is not None else '?'} {contract.currency}")
    click.echo(f"term\t{contract.term_start} to {contract.term_end} "
               f"({contract.term_years} year(s)), billed {contract.billing}")
    click.echo(f"owner\t{owner}")
    for event in history:
        added = []
        if event.license_value_added:
            added.append(f"+{event.license_value_added} {contract.currency}")
        if event.environments_added:
            added.append(f"+{event.environments_added} env.")
        click.echo(f"{event.effective_on}\t{event.kind}\t{', '.join(added) or '-'}\t"
                   f"{offers.get(event.id, '-')}\t{event.note}")


@contracts.command("renewals")
@click.option("--due-within", "days", type=click.IntRange(min=0), default=90,
              show_default=True, help="days from today in which the term ends")
@click.option("--create", is_flag=True, help="issue a renewal offer for each due contract "
                                             "that has none")
@click.option("--issuer", "issuer_email", default=None,
              help="the user who issues the offers (default: each contract's owner)")
def renewals(days: int, create: bool, issuer_email: str | None) -> None:
    """List the contracts due for renewal, or (--create) offer their renewals."""
    if not create:
        with _store().session(read_only=True) as session:
            due = lifecycle.due_for_renewal(session, _rates(), today=_today(), within_days=days)
        for item in due:
            contract = item.contract
            cost = f"{item.annual_cost} {contract.currency}" if item.annual_cost else "?"
            offered = f"offered {item.renewal_offer}" if item.renewal_offer else "-"
            click.echo(f"{contract.number}\t{contract.customer.company}\t"
                       f"{contract.term_end}\t{cost}\t{offered}")
        click.echo(f"{len(due)} contract(s) end within {days} days", err=True)
        return
    issuer = None
    if issuer_email:
        with _store().session(read_only=True) as session:
            issuer = _active_user(session, issuer_email).id

    def progress(done: int, total: int) -> None:
        click.echo(f"renewal offers: {done}/{total} contracts", err=True)

    run = lifecycle.create_renewal_offers(
        _store(), _rates(), today=_today(), within_days=days, issuer_id=issuer,
        valid_days=current_app.config["OFFER_VALID_DAYS"], progress=progress,
        now=lifecycle.moment(_today()),
        payment_days=current_app.config["PAYMENT_TERMS_DAYS"])
    for contract, offer in run.created:
        click.echo(f"{contract}\t{offer}")
    for contract, reason in run.failed:
        click.echo(f"{contract}\tnot offered: {reason}", err=True)
    click.echo(f"{run.due} contract(s) due: {len(run.created)} renewal offer(s) created, "
               f"{len(run.offered_before)} offered before, {len(run.failed)} failed")
    if run.failed:
        raise SystemExit(1)


def init_app(app) -> None:
    app.cli.add_command(users)
    app.cli.add_command(db)
    app.cli.add_command(customers)
    app.cli.add_command(contracts)
