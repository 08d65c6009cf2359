"""The app's ``Mailer`` (``quote.mail``), built from the ``MAIL_*`` settings, what the
pages call after an offer has been committed, and the commands ``flask offers remind``
and ``flask mail retry``. See docs/mail.md.

    from quote.web import mail
    mail.offer_requested(offer)                        # after a customer's request
    mail.notify_sales_of_acceptance(offer, name="Eva Muster", position="CFO",
                                    purchase_order="PO-77")   # after an acceptance
"""

from __future__ import annotations

import datetime as dt
import json
import os

import click
from flask import current_app, has_request_context
from flask.cli import AppGroup

from ..mail import (
    MailConfigError,
    Mailer,
    MailSettings,
    mail_settings,
    sender_address,
    transport_for,
)
from ..pdf import Seller
from ..store import Offer
from ..store.models import Delivery
from . import pdfs
from .extensions import now

# Settings of the mails, with their defaults (environment: QUOTE_MAIL_..., QUOTE_PUBLIC_URL).
DEFAULTS = {
    # the address customers reach the app at, for the links in mails; None: in
    # development http://127.0.0.1:5000, in production no link can be written (logged)
    "PUBLIC_URL": None,
    "MAIL_BACKEND": None,  # smtp, folder, log; None: smtp with a server, else folder in dev
    "MAIL_SERVER": None,
    "MAIL_PORT": None,  # None: 587 for starttls, 465 for ssl, 25 for none
    "MAIL_TLS": "starttls",
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SENDER": None,  # None: the seller's name and e-mail (QUOTE_SELLER_*)
    "MAIL_REPLY_TO": None,
    "MAIL_TIMEOUT": 10,
    "MAIL_FOLDER": None,  # None: mail/ in the instance folder
    # who hears of self-service requests when the customer has no salesperson
    "MAIL_SALES_ADDRESS": None,
    "MAIL_STAFF_LANGUAGE": "en",  # the language of the notices to sales
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_REMIND_DAYS": 7,  # flask offers remind: days before an offer's last valid day
    "MAIL_LINK_INTERVAL_MINUTES": 10,  # at most one lost-link mail per offer in this time
    "LIMIT_LINK_RESEND": "5 per hour",
}
DEVELOPMENT_URL = "http://127.0.0.1:5000"


def init_app(app, development: bool) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    _as_typed(app, "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER")
    seller = Seller.from_env()
    settings = mail_settings(app.config, development=development,
                             testing=bool(app.config.get("TESTING")),
                             instance_path=app.instance_path,
                             default_sender=sender_address(seller.name, seller.email))
    public_url = str(app.config["PUBLIC_URL"] or (DEVELOPMENT_URL if development else ""))
    if public_url and not public_url.startswith(("https://", "http://")):
        raise MailConfigError(f"QUOTE_PUBLIC_URL must start with https:// or http://, not "
                             f"{public_url!r}")
    app.extensions["quote.mail"] = Mailer(
        app.extensions["quote.store"], settings, transport_for(settings),
        pdf=_offer_pdf, seller=seller, public_url=public_url,
        sales_address=str(app.config["MAIL_SALES_ADDRESS"] or ""),
        staff_language=str(app.config["MAIL_STAFF_LANGUAGE"]),
        max_attempts=int(app.config["MAIL_MAX_ATTEMPTS"]),
        link_interval=dt.timedelta(minutes=float(app.config["MAIL_LINK_INTERVAL_MINUTES"])))
    _say_where_mail_goes(app, settings, public_url)
    app.cli.add_command(offers_cli)
    app.cli.add_command(mail_cli)


def _as_typed(app, *names: str) -> None:
    """Texts exactly as written in the environment: ``from_prefixed_env`` reads values as
    JSON, which would turn a password ``1e5`` into the number 100000.0."""
    for name in names:
        raw = os.environ.get(f"QUOTE_{name}")
        value = app.config.get(name)
        if raw is not None and value is not None and not isinstance(value, str):
            try:
                same = json.loads(raw) == value
            except ValueError:
                same = False
            if same:
                app.config[name] = raw


def _say_where_mail_goes(app, settings: MailSettings, public_url: str) -> None:
    if settings.backend == "none":
        app.logger.error(
            "mail: QUOTE_MAIL_SERVER is not set, so no e-mail is sent: every mail (offers "
            "to customers, notices to sales, reminders) is recorded as a failed delivery. "
            "Set QUOTE_MAIL_SERVER (docs/mail.md) and run flask mail retry to send them.")
    else:
        app.logger.info("mail: %s", settings.describe())
    if not public_url:
        app.logger.error(
            "mail: QUOTE_PUBLIC_URL is not set, so mails with a link to an offer cannot be "
            "written (they are recorded as failed). Set it to the address customers reach "
            "the app at, e.g. https://quote.example.com.")


def mailer() -> Mailer:
    return current_app.extensions["quote.mail"]


def _offer_pdf(offer: Offer, language: str) -> bytes:
    """The offer's PDF for a mail, as its pages serve it: from the store's cache, else
    rendered within the render slots and the time limit (on the command line in a
    request context of its own, as a visitor without a staff account)."""
    if has_request_context():
        return pdfs.offer_pdf(offer, language)
    with current_app.test_request_context():
        return pdfs.offer_pdf(offer, language)


def _now() -> dt.datetime:
    return now() if has_request_context() else dt.datetime.now(dt.UTC)


def offer_requested(offer: Offer) -> tuple[Delivery | None, Delivery | None]:
    """After a customer's request has been committed: the offer to the customer, a notice
    to sales. Returns both deliveries (None: no address)."""
    try:
        return mailer().offer_requested(offer.id, now=_now())
    except Exception:  # the offer is committed and its link shown: the request succeeds
        current_app.logger.exception("the mails about offer %s could not be recorded",
                                     offer.number)
        return None, None


def notify_sales_of_acceptance(offer: Offer, *, name: str, position: str = "",
                               purchase_order: str = "",
                               accepted_at: dt.datetime | None = None) -> Delivery | None:
    """After a customer's acceptance has been committed: tell the offer's salesperson
    (its issuer, else the customer's owner, else ``MAIL_SALES_ADDRESS``)."""
    moment = _now()
    return mailer().notify_sales_of_acceptance(
        offer.id, name=name, position=position, purchase_order=purchase_order,
        accepted_at=accepted_at or moment, now=moment)


# Command line: flask --app wsgi offers remind, flask --app wsgi mail retry

offers_cli = AppGroup("offers", help="Offers: reminders before they expire.")
mail_cli = AppGroup("mail", help="E-mail deliveries: send the failed ones again.")


def _today() -> dt.date:
    configured = current_app.config["TODAY"]
    if configured is None:
        return dt.date.today()
    return configured if isinstance(configured, dt.date) else dt.date.fromisoformat(configured)


def _cli_now() -> dt.datetime:
    moment = dt.datetime.now(dt.UTC)
    return dt.datetime.combine(_today(), moment.timetz())


def _retried(run) -> str:
    return f"{len(run.sent)} failed mail(s) sent again, {len(run.failed)} still failing"


@offers_cli.command("remind")
@click.option("--days", type=click.IntRange(min=0, max=365), default=None,
              help="remind of offers whose last valid day is at most this many days away "
                   "(default: MAIL_REMIND_DAYS)")
def remind(days: int | None) -> None:
    """E-mail each customer whose offer expires soon a reminder, once per offer (for cron);
    failed mails are sent again first."""
    days = int(current_app.config["MAIL_REMIND_DAYS"]) if days is None else days
    run = mailer().remind(today=_today(), days=days, now=_cli_now())
    for number in run.sent:
        click.echo(f"{number}\treminded")
    for number in run.failed:
        click.echo(f"{number}\treminder not sent (kept for a retry)", err=True)
    click.echo(f"{run.due} offer(s) expire within {days} days without a reminder: "
               f"{len(run.sent)} reminded, {len(run.failed)} failed; {_retried(run.retried)}")
    if run.failed or run.retried.failed:
        raise SystemExit(1)


@mail_cli.command("retry")
def retry() -> None:
    """Send the failed mails again (each up to MAIL_MAX_ATTEMPTS attempts in all)."""
    run = mailer().retry(now=_cli_now())
    click.echo(_retried(run))
    if run.failed:
        raise SystemExit(1)
