"""E-mail from the pages: sales send an offer to the customer, and customers ask for a
lost link again. The mails themselves are made and recorded by ``quote.mail``."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..store import Offer
from ..store.deliveries import deliveries_of
from ..store.models import Delivery
from .auth import requires, staff_user
from .extensions import OfferNumberConverter, limit, now, store
from .i18n import LANGUAGE_NAMES
from .mail import mailer

deliveries = Blueprint("deliveries", __name__)

MAX_MESSAGE = 2000
SENDABLE = ("issued", "accepted")
AN_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # one @, a dot after it, no white space


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _offer_number(value):
    return re.sub(r"\s+", "", value).upper() if isinstance(value, str) else value


class SendForm(FlaskForm):
    """Sales: the offer to the customer, with a message of their own."""

    recipient = StringField(_l("To"), filters=[_stripped], validators=[
        InputRequired(_l("Enter the e-mail address to send the offer to.")),
        Length(max=254), Regexp(AN_EMAIL, message=_l("This is not an e-mail address."))],
        render_kw={"type": "email", "autocomplete": "email"})
    message = TextAreaField(_l("Your message (optional)"), validators=[
        Optional(), Length(max=MAX_MESSAGE)], render_kw={"rows": 5})


class LostLinkForm(FlaskForm):
    """Customers: the offer number and/or the e-mail address the offer was made for."""

    number = StringField(_l("Offer number"), filters=[_offer_number], validators=[
        Optional(), Length(max=20),
        Regexp(f"^{OfferNumberConverter.regex}$",
               message=_l("An offer number looks like Q-2026-000042."))],
        render_kw={"placeholder": "Q-2026-000042"})
    email = StringField(_l("E-mail address"), filters=[_stripped], validators=[
        Optional(), Length(max=254),
        Regexp(AN_EMAIL, message=_l("This is not an e-mail address."))],
        render_kw={"type": "email", "autocomplete": "email"})


def send_form(offer: Offer) -> SendForm:
    form = SendForm()
    if not form.is_submitted():
        form.recipient.data = offer.customer_email
    return form


KIND_NAMES = {
    "offer": _l("Offer to the customer"), "reminder": _l("Reminder to the customer"),
    "link": _l("New link for the customer"), "request_notice": _l("Notice of the request"),
    "acceptance_notice": _l("Notice of the acceptance"),
}
STATUS_NAMES = {"pending": _l("being sent"), "sent": _l("sent"),
                "cancelled": _l("not sent (no longer needed)"),
                "failed": _l("not sent (will be tried again)")}


def delivery_rows(offer: Offer) -> list[dict]:
    """The offer's mails for its staff page, newest first."""
    with store().session(read_only=True) as session:
        found = deliveries_of(session, offer)
        senders = {d.id: d.sender.display_name for d in found if d.sender is not None}
    limit_reached = current_app.config["MAIL_MAX_ATTEMPTS"]
    return [{"kind": str(KIND_NAMES.get(d.kind, d.kind)), "recipient": d.recipient,
             "status": d.status, "attempts": d.attempts, "error": d.error,
             "status_label": (gettext("not sent (gave up)") if d.status == "failed"
                              and d.attempts >= limit_reached
                              else str(STATUS_NAMES.get(d.status, d.status))),
             "sender": senders.get(d.id, ""), "created_at": d.created_at,
             "sent_at": d.sent_at}
            for d in reversed(found)]


def mail_outcome(delivery: Delivery | None) -> dict | None:
    """What the customer's confirmation page says about the mail it just sent."""
    if delivery is None:
        return None
    return {"recipient": delivery.recipient, "sent": delivery.status == "sent"}


@deliveries.post("/offers/<offer:number>/send")
@requires("issue")
def send_offer(number: str):
    """Send the offer (PDF in its language and a link) to the customer, and say to whom."""
    from .offers import readable_offer, status_name  # the offer pages import this module

    offer = readable_offer(number, staff_user())
    form = send_form(offer)
    target = url_for("offers.offer_page", number=number) + "#mail"
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            abort(400)
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(target, 303)
    status = offer.status_on(now().date())
    if status not in SENDABLE:
        flash(gettext("Offer %(number)s is %(status)s; only an issued or accepted offer is "
                      "sent to the customer.", number=number, status=status_name(status)), "error")
        return redirect(target, 303)
    message = (form.message.data or "").strip()
    delivery = mailer().send_offer(offer.id, form.recipient.data, message=message,
                                   sender_id=staff_user().id, now=now())
    language = LANGUAGE_NAMES.get(offer.language, offer.language)
    if delivery.status == "sent":
        what = (gettext("Offer %(number)s was sent to %(recipient)s: the PDF in %(language)s, "
                        "a link to the offer and your message.", number=number,
                        recipient=delivery.recipient, language=language) if message else
                gettext("Offer %(number)s was sent to %(recipient)s: the PDF in %(language)s "
                        "and a link to the offer.", number=number,
                        recipient=delivery.recipient, language=language))
        flash(what, "info")
    else:
        flash(gettext("The e-mail to %(recipient)s could not be sent (%(error)s). It is kept "
                      "and will be sent again later.", recipient=delivery.recipient,
                      error=delivery.error), "error")
    return redirect(target, 303)


@deliveries.route("/lost-link", methods=["GET", "POST"])
@limit("LIMIT_LINK_RESEND", methods=["POST"])
def lost_link():
    """A new link to the address on the offer; the answer is the same whether or not an
    offer matches, and the mail is sent after the answer (so it takes no longer either)."""
    form = LostLinkForm()
    asked = False
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if form.number.data or form.email.data:
                asked = True
                _send_after_the_answer(form.number.data or "", form.email.data or "")
            else:
                form.email.errors = [gettext("Enter the offer number, your e-mail address "
                                             "or both.")]
        status = 200 if asked else 422
    return render_template("web/lost_link.html", form=form, asked=asked), status


def _send_after_the_answer(number: str, email: str) -> None:
    app = current_app._get_current_object()
    moment = now()

    def send() -> None:
        with app.app_context():
            try:
                sent = app.extensions["quote.mail"].send_lost_links(
                    number=number, email=email, now=moment)
            except Exception:  # the visitor has their answer; the log has the rest
                app.logger.exception("lost-link mail failed")
                return
            app.logger.info("a lost link was asked for (offer %s): %s mail(s) sent",
                            number or "-", sent)

    @after_this_request
    def _later(response):
        response.call_on_close(send)
        return response

