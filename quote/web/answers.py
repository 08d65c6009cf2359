"""The customer's answer on the offer's page ``/q/<token>``: accept or decline.

Both forms work without JavaScript and carry a CSRF token; errors are shown at their
fields. What is recorded (who, when, from which address, which document) and the
contract that comes with an acceptance are the lifecycle service's
(``quote.lifecycle.accept_offer``, ``decline_offer``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext

from .. import lifecycle
from ..core.describe import day
from ..store import (
    DocumentChanged,
    IllegalTransition,
    InvalidResponse,
    Offer,
    Respondent,
    check_respondent,
    response_of,
)
from .extensions import limit, now, store, today
from .forms import AcceptForm, DeclineForm
from .i18n import current_language
from .notify import tell_sales_offer_accepted, tell_sales_offer_declined
from .offers import _page, _public, closed_reason, field_problems, relations, status_name

answers = Blueprint("answers", __name__)


def _back(token: str):
    return redirect(url_for("offers.public_offer", token=token), 303)


def _refused(offer: Offer, token: str, message: str, code: int = 409, **forms):
    return _page(offer, public_token=token, general=[message], code=code, **forms)


def _cannot_answer(offer: Offer, token: str, kind: str):
    """The page, if the offer can no longer be answered (409), else None. An answer given
    before is shown again: accepting twice (or declining twice) changes nothing."""
    with store().session(read_only=True) as db:
        response = response_of(db, offer.id)
    language = current_language()
    if response is not None:
        on = day(response.created_at.date(), language)
        if response.kind == kind == "accepted":
            flash(gettext("This offer was accepted on %(date)s by %(name)s; nothing was "
                          "changed.", date=on, name=response.name), "info")
            return _back(token)
        if response.kind == kind == "declined":
            flash(gettext("This offer was declined on %(date)s; nothing was changed.",
                          date=on), "info")
            return _back(token)
        if response.kind == "accepted":
            return _refused(offer, token, gettext(
                "This offer was accepted on %(date)s and cannot be declined.", date=on))
        return _refused(offer, token, gettext(
            "This offer was declined on %(date)s and cannot be accepted. Please ask us for "
            "a new offer.", date=on))
    status = offer.status_on(today())
    reason = closed_reason(offer, status, relations(offer)["successor"])
    if reason is None and status != "issued":  # accepted or declined by staff
        reason = gettext("This offer is %(status)s and cannot be answered any more.",
                         status=status_name(status))
    if reason is not None:
        return _refused(offer, token, reason)
    return None


def _document_changed(offer: Offer, token: str):
    return _refused(offer, token, gettext(
        "The offer you answered is not the one stored under this link; please read it "
        "again."))


@answers.post("/q/<token>/accept")
@limit("LIMIT_PUBLIC_LINK")
def accept(token: str):
    offer = _public(token)
    form = AcceptForm(prefix="accept")
    if not form.validate():  # the CSRF token
        abort(400)
    refused = _cannot_answer(offer, token, "accepted")
    if refused is not None:
        return refused
    person = Respondent(name=form.name.data or "", position=form.position.data or "",
                        purchase_order=form.purchase_order.data or "",
                        remote_addr=request.remote_addr,
                        document_sha256=form.document.data or None)
    problems = field_problems(check_respondent(person.cleaned(), "accepted"), "accept")
    if not form.conditions.data:
        problems["accept-conditions"] = [gettext(
            "Tick the box to accept the offer with its conditions.")]
    if problems:
        return _page(offer, public_token=token, accept_form=form, problems=problems,
                     code=422)
    try:
        with store().session() as db:
            accepted = lifecycle.accept_offer(db, offer.id, by_user_id=None, today=today(),
                                              now=now(), person=person)
    except IllegalTransition:
        return _cannot_answer(offer, token, "accepted") or abort(409)
    except DocumentChanged:
        return _document_changed(offer, token)
    except InvalidResponse as exc:
        return _page(offer, public_token=token, accept_form=form,
                     problems=field_problems(exc.errors, "accept"), code=422)
    assert accepted.response is not None
    if accepted.contract_problem is not None:
        current_app.logger.warning("offer %s accepted by the customer; its contract could "
                                   "not be made: %s", offer.number, accepted.contract_problem)
    if not accepted.replayed:
        tell_sales_offer_accepted(offer, accepted.response, accepted.contract_problem)
    flash(gettext("Thank you: you accepted offer %(number)s. We will be in touch about the "
                  "next steps.", number=offer.number), "info")
    return _back(token)


@answers.post("/q/<token>/decline")
@limit("LIMIT_PUBLIC_LINK")
def decline(token: str):
    offer = _public(token)
    form = DeclineForm(prefix="decline")
    if not form.validate():
        abort(400)
    refused = _cannot_answer(offer, token, "declined")
    if refused is not None:
        return refused
    person = Respondent(name=form.name.data or "", reason=form.reason.data or "",
                        remote_addr=request.remote_addr,
                        document_sha256=form.document.data or None)
    problems = field_problems(check_respondent(person.cleaned(), "declined"), "decline")
    if problems:
        return _page(offer, public_token=token, decline_form=form, problems=problems,
                     code=422)
    try:
        with store().session() as db:
            declined = lifecycle.decline_offer(db, offer.id, person=person, today=today(),
                                               now=now())
    except IllegalTransition:
        return _cannot_answer(offer, token, "declined") or abort(409)
    except DocumentChanged:
        return _document_changed(offer, token)
    if not declined.replayed:
        tell_sales_offer_declined(offer, declined.response)
    flash(gettext("You declined offer %(number)s. Thank you for telling us why.",
                  number=offer.number), "info")
    return _back(token)
