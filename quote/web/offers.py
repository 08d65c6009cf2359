"""Issued offers: issuing from the form, the offer page and its actions, PDFs, and the
customers' self-service links ``/q/<token>``.

Every page and PDF of an issued offer is made from its stored snapshot
(``offer.document``), never from the current rate files.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_wtf import FlaskForm

from .. import lifecycle
from ..core.describe import day, money
from ..core.errors import QuoteInputError
from ..i18n import LANGUAGES
from ..lifecycle import ContractNotActive, OfferDoesNotFit
from ..pdf import offer_filename
from ..store import (
    IllegalTransition,
    InvalidCustomer,
    Issued,
    Offer,
    OfferResponse,
    Respondent,
    UnknownContract,
    body_hash,
    check_respondent,
    event_of_offer,
    find_by_number,
    find_by_token,
    mark_seen,
    replacement_of,
    response_of,
    withdraw,
)
from ..store.deliveries import recent_delivery
from . import mail, pdfs
from .auth import requires, staff_user
from .deliveries import delivery_rows, mail_outcome, send_form
from .extensions import error_json, is_api, limit, now, pdf_response, rates, store, today
from .forms import AcceptForm, ConfirmForm, DeclineForm, OnBehalfForm, Reading, place_errors
from .i18n import current_language, error_text, format_amount_for_entry
from .public import build_form, fit_to_card, price_form, render_form, result_context

offers = Blueprint("offers", __name__)

NEW_LINK = "new_public_link"  # session key: the token of the offer just requested

def status_name(status: str) -> str:
    names = {
        "issued": gettext("Issued"), "accepted": gettext("Accepted"),
        "declined": gettext("Declined"),
        "expired": gettext("Expired"), "withdrawn": gettext("Withdrawn"),
        "superseded": gettext("Superseded"),
    }
    return names.get(status, status)


class ActionForm(FlaskForm):
    """A button that changes an offer: only its CSRF token."""


# Services shared by the pages and the API

def issue_offer(quote_request, result, *, issuer=None, public: bool = False,
                idempotency_key: str | None = None, body: bytes | None = None,
                revises: Offer | None = None) -> Issued:
    """Issue a priced request through the lifecycle service (linked to the contract it
    names and that contract's customer). Raises ``UnknownContract`` and
    ``OfferDoesNotFit`` for a request that names a contract it does not belong to."""
    issuer_id = issuer.id if issuer is not None else None
    with store().session() as db:
        issued = lifecycle.issue_offer(
            db, rates(), quote_request, today=today(), issuer_id=issuer_id, now=now(),
            valid_days=current_app.config["OFFER_VALID_DAYS"], public=public,
            payment_days=current_app.config["PAYMENT_TERMS_DAYS"],
            idempotency_key=idempotency_key,
            body_hash=body_hash(body) if idempotency_key and body else None,
            revises=db.get(Offer, revises.id) if revises is not None else None,
            result=result)
    current_app.logger.info("offer %s issued%s by %s", issued.offer.number,
                            " (replayed)" if issued.replayed else "",
                            issuer.email if issuer is not None else "a customer")
    if public and not issued.replayed:
        # committed above: the mails go out now, and a failed one is kept for a retry
        mail.offer_requested(issued.offer)
    return issued


def contract_problem(exc: Exception) -> str:
    """Why a request cannot be issued for the contract it names, in the page's language."""
    if isinstance(exc, UnknownContract):
        return gettext("There is no contract %(number)s.", number=exc.args[0]
                       if exc.args else "")
    assert isinstance(exc, OfferDoesNotFit)
    return gettext("The offer does not fit contract %(number)s: %(reason)s",
                   number=exc.number, reason=exc.reason)


def find_offer(number: str) -> Offer | None:
    if len(number) > 20:
        return None
    with store().session(read_only=True) as db:
        return find_by_number(db, number)


def readable_offer(number: str, user) -> Offer:
    """The offer ``number``; aborts with 404 if there is none, 403 if ``user`` may not read it."""
    offer = find_offer(number)
    if offer is None:
        if is_api():
            abort(error_json(404, f"there is no offer {number}"))
        abort(404)
    if not user.may_read(offer):
        if is_api():
            abort(error_json(403, "your role may not read this offer"))
        abort(403)
    return offer


def relations(offer: Offer) -> dict:
    """The numbers of the offer this one replaces and of its revision, who issued it,
    the number of the contract it belongs to (named in its request, or linked when it
    was accepted), the customer's answer (``response``) and whether a contract came of
    an acceptance (``contract_missing``: accepted, but the contract it makes or changes
    is not)."""
    with store().session(read_only=True) as db:
        row = db.get(Offer, offer.id)
        assert row is not None
        successor = replacement_of(db, row)
        response = response_of(db, row)
        missing = (row.status == "accepted" and event_of_offer(db, row) is None
                   and (row.kind in ("new", "top_up") or row.contract_id is not None))
        return {"replaces": row.replaces.number if row.replaces is not None else None,
                "successor": successor.number if successor is not None else None,
                "issuer": row.issuer.display_name if row.issuer is not None else None,
                "contract_number": row.contract.number if row.contract is not None
                else row.document.request.contract,
                "response": response, "contract_missing": missing}


def offer_snapshot(offer: Offer) -> dict:
    """What the API says about an issued offer: the stored request and result as issued,
    and the customer's answer."""
    document = offer.document
    related = relations(offer)
    response = related["response"]
    return {
        "number": offer.number,
        "status": offer.status_on(today()),
        "issued_on": document.issued_on.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "language": document.language,
        "replaces": related["replaces"],
        "document_sha256": offer.document_sha256,
        "acceptance": _answer_json(response) if response is not None
        and response.kind == "accepted" else None,
        "decline": _answer_json(response) if response is not None
        and response.kind == "declined" else None,
        "request": document.request.model_dump(mode="json", exclude_none=True),
        "result": document.result.model_dump(mode="json", exclude_none=True),
    }


def _answer_json(response: OfferResponse) -> dict:
    answer = {
        "name": response.name,
        "position": response.position,
        "at": response.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "remote_addr": response.remote_addr,
        "document_sha256": response.document_sha256,
        "recorded_by": response.user.email if response.user is not None else None,
    }
    if response.kind == "accepted":
        answer["purchase_order"] = response.purchase_order
    else:
        answer["reason"] = response.reason
    return answer


def offer_pdf_response(offer: Offer, language: str):
    if language not in LANGUAGES:
        if is_api():
            return error_json(400, "lang must be one of en, de, ru", field="lang")
        abort(404)
    data = pdfs.offer_pdf(offer, language)
    return pdf_response(data, offer_filename(offer.document, language))


def closed_reason(offer: Offer, status: str, successor: str | None) -> str | None:
    """Why the customer can no longer answer the offer (None: they can, or they did)."""
    if status == "expired":
        return gettext("This offer expired on %(date)s and can no longer be accepted. "
                       "Please ask us for a new offer.",
                       date=day(offer.valid_until, current_language()))
    if status == "withdrawn":
        return gettext("This offer was withdrawn and can no longer be accepted.")
    if status == "superseded":
        return gettext("This offer was replaced by offer %(number)s and can no longer be "
                       "accepted.", number=successor or "")
    return None


def answer_facts(response: OfferResponse | None) -> dict | None:
    """The customer's answer as the offer page shows it, in the page's language."""
    if response is None:
        return None
    language = current_language()
    moment = response.created_at.astimezone(dt.UTC)
    return {
        "kind": response.kind, "name": response.name, "position": response.position,
        "purchase_order": response.purchase_order, "reason": response.reason,
        "on": day(moment.date(), language), "at": moment.strftime("%H:%M UTC"),
        "remote_addr": response.remote_addr, "document_sha256": response.document_sha256,
        "recorded_by": response.user.display_name if response.user is not None else None,
    }


def _page(offer: Offer, *, public_token: str | None = None, new_link: str | None = None,
          accept_form: AcceptForm | None = None, decline_form: DeclineForm | None = None,
          problems: dict | None = None, general: list[str] | None = None,
          code: int = 200):
    document = offer.document
    language = current_language()
    status = offer.status_on(today())
    related = relations(offer)
    public = public_token is not None
    if public and status == "issued" and related["response"] is None:
        accept_form = accept_form or AcceptForm(prefix="accept", formdata=None)
        decline_form = decline_form or DeclineForm(prefix="decline", formdata=None)
        accept_form.document.data = decline_form.document.data = offer.document_sha256
    else:
        accept_form = decline_form = None
    context = result_context(document.request, document.result, document.loaded_card(),
                             language)
    if public_token is not None:
        pdf_links = {lang: url_for("offers.public_pdf", token=public_token, language=lang)
                     for lang in LANGUAGES}
    else:
        pdf_links = {lang: url_for("offers.offer_pdf", number=offer.number, language=lang)
                     for lang in LANGUAGES}
    user = staff_user()
    may_act = public_token is None and user.can("issue")
    mail_context = {
        "deliveries": delivery_rows(offer) if public_token is None else [],
        "send_form": send_form(offer) if may_act else None,
        "mailed": mail_outcome(_customer_mail(offer)) if new_link else None,
    }
    return render_template(
        "web/offer.html", offer=offer, document=document, status=status, **mail_context,
        status_label=status_name(status), **related,
        answer=answer_facts(related["response"]),
        closed=closed_reason(offer, status, related["successor"]) if public else None,
        accept_form=accept_form, decline_form=decline_form, problems=problems or {},
        general=general or [], token=public_token,
        pdf_links=pdf_links, public=public, new_link=new_link,
        may_act=may_act, action_form=ActionForm(),
        issued_on=day(document.issued_on, language),
        valid_until=day(document.valid_until, language),
        total=money(document.result.total, document.result.currency, language),
        **context,
    ), code


def _customer_mail(offer: Offer):
    """The mail of the offer to the customer made when they requested it (if any)."""
    with store().session(read_only=True) as db:
        return recent_delivery(db, offer, ("offer",), since=offer.issued_at
                               - dt.timedelta(seconds=1))


# Staff pages

@offers.post("/offers/review")
@requires("issue")
def review_offer():
    """The form's "Issue offer" button (sales, admin): price and show what would be issued,
    with a button that confirms. Nothing is stored."""
    return _review_or_issue(confirmed=False)


@offers.post("/offers/issue")
@requires("issue")
def issue_from_form():
    """The review's confirmation: price again, store, show the offer. Without the
    confirmation (``confirm=1``), or when the figures are no longer those reviewed
    (``reviewed``), this shows the review again and issues nothing."""
    return _review_or_issue(confirmed=request.form.get("confirm") == "1")


# form fields the review does not carry over into its confirmation
_REVIEW_CONTROLS = frozenset({"csrf_token", "action", "confirm", "reviewed", "switch"})


def fingerprint(result) -> str:
    """What a review showed: the priced result's SHA-256."""
    return hashlib.sha256(result.model_dump_json().encode()).hexdigest()


def _review_or_issue(*, confirmed: bool):
    language = current_language()
    form = build_form(language)
    revises_number = request.form.get("revises") or None
    revises = None
    if revises_number:
        revises = readable_offer(revises_number, staff_user())
    reading, quote_request, result, loaded = price_form(form, language)
    if result is None:
        return render_form(form, reading, language, {}, revises=revises_number)
    reviewed = fingerprint(result)
    changed = confirmed and request.form.get("reviewed", reviewed) != reviewed
    if not confirmed or changed:
        return _review(quote_request, result, loaded, language, reviewed, changed=changed,
                       revises=revises_number)
    try:
        issued = issue_offer(quote_request, result, issuer=staff_user(), revises=revises)
    except QuoteInputError as exc:  # a numbered offer names its customer
        place_errors(form, reading, exc.errors)
        return render_form(form, reading, language, result_context(
            quote_request, result, loaded, language), status=422, revises=revises_number)
    except IllegalTransition as exc:
        reading.general.append(_transition_message(exc))
        return render_form(form, reading, language, {}, status=409, revises=revises_number)
    except (UnknownContract, OfferDoesNotFit) as exc:
        reading.general.append(contract_problem(exc))
        return render_form(form, reading, language, {}, status=422, revises=revises_number)
    return redirect(url_for("offers.offer_page", number=issued.offer.number))


def _review(quote_request, result, loaded, language: str, reviewed: str, *, changed: bool,
            revises: str | None):
    valid_until = today() + dt.timedelta(days=current_app.config["OFFER_VALID_DAYS"])
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in _REVIEW_CONTROLS]
    return render_template(
        "web/review.html", fields=fields, reviewed=reviewed, changed=changed,
        revises=revises, customer=quote_request.customer,
        offer_language=quote_request.language, contract=quote_request.contract,
        valid_until=day(valid_until, language),
        payment_days=current_app.config["PAYMENT_TERMS_DAYS"],
        **result_context(quote_request, result, loaded, language))


@offers.get("/offers/<offer:number>")
@requires("read")
def offer_page(number: str):
    """The offer; a salesperson or admin opening a self-service request marks it seen."""
    user = staff_user()
    offer = readable_offer(number, user)
    if offer.issuer_id is None and offer.seen_at is None and user.can("issue"):
        with store().session() as db:
            mark_seen(db, offer.id, user.id, now=now())
    return _page(offer)


@offers.get("/offers/<offer:number>/offer-<language>.pdf")
@requires("read")
def offer_pdf(number: str, language: str):
    offer = readable_offer(number, staff_user())
    return offer_pdf_response(offer, language)


def _transition_message(exc: IllegalTransition) -> str:
    messages = {
        "accepted": gettext("Offer %(number)s is %(status)s and cannot be accepted."),
        "declined": gettext("Offer %(number)s is %(status)s and cannot be declined."),
        "withdrawn": gettext("Offer %(number)s is %(status)s and cannot be withdrawn."),
        "revised": gettext("Offer %(number)s is %(status)s and cannot be revised."),
    }
    return messages[exc.action] % {"number": exc.number, "status": status_name(exc.status)}


def contract_refusal(number: str, exc: Exception) -> str:
    """Why accepting offer ``number`` cannot make or change its contract."""
    return gettext("Offer %(number)s cannot be accepted: %(reason)s", number=number,
                   reason=_reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, InvalidCustomer):
        return "; ".join(error_text(error) for error in exc.errors)
    return str(exc)


def field_problems(errors, prefix: str = "") -> dict[str, list[str]]:
    """The store's field errors as the page shows them, by the id of the form's field
    (``prefix``: the form's prefix)."""
    problems: dict[str, list[str]] = {}
    for error in errors:
        field_id = f"{prefix}-{error.field}" if prefix else error.field
        problems.setdefault(field_id, []).append(error_text(error))
    return problems


def _back(number: str):
    return redirect(url_for("offers.offer_page", number=number), 303)


def _confirmation(offer: Offer, action: str, form, problems: dict | None = None,
                  code: int = 200):
    """The page that asks staff to confirm ``action`` (accept, withdraw) on ``offer``."""
    language = current_language()
    document = offer.document
    return render_template(
        "web/confirm.html", offer=offer, action=action, form=form, problems=problems or {},
        status_label=status_name(offer.status_on(today())),
        customer=document.request.customer,
        total=money(document.result.total, document.result.currency, language),
        valid_until=day(document.valid_until, language)), code


@offers.route("/offers/<offer:number>/accept", methods=["GET", "POST"])
@requires("issue")
def accept_offer(number: str):
    """Accept the offer for the customer, after a confirmation page naming the customer's
    person who accepted: the contract it makes or changes comes with it."""
    offer = readable_offer(number, staff_user())
    form = OnBehalfForm()
    if offer.status_on(today()) != "issued":
        flash(_transition_message(IllegalTransition(
            number, offer.status_on(today()), "accepted")), "error")
        return _back(number)
    if request.method == "GET":
        return _confirmation(offer, "accept", form)
    if not form.validate():  # the CSRF token
        abort(400)
    person = Respondent(name=form.name.data or "", position=form.position.data or "",
                        purchase_order=form.purchase_order.data or "",
                        remote_addr=request.remote_addr)
    errors = check_respondent(person.cleaned(), "accepted", position_required=False)
    if errors:
        return _confirmation(offer, "accept", form, field_problems(errors), 422)
    try:
        with store().session() as db:
            accepted = lifecycle.accept_offer(db, offer.id, by_user_id=staff_user().id,
                                              today=today(), person=person)
    except IllegalTransition as exc:
        flash(_transition_message(exc), "error")
    except (InvalidCustomer, ContractNotActive, OfferDoesNotFit) as exc:
        flash(contract_refusal(number, exc), "error")
    else:
        current_app.logger.info("offer %s accepted for the customer (%s) by %s", number,
                                person.name, staff_user().email)
        flash(accepted_message(number, accepted), "info")
    return _back(number)


def accepted_message(number: str, accepted) -> str:
    """What staff are told after an acceptance."""
    if accepted.contract is None:
        return gettext("Offer %(number)s accepted.", number=number)
    return gettext("Offer %(number)s accepted; contract %(contract)s is up to date.",
                   number=number, contract=accepted.contract.number)


@offers.post("/offers/<offer:number>/contract")
@requires("issue")
def make_contract(number: str):
    """Make or change the contract of an offer accepted without it (a customer's
    acceptance whose contract could not be made then, e.g. the customer's country was
    missing): the same as accepting it again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    offer = readable_offer(number, staff_user())
    try:
        with store().session() as db:
            accepted = lifecycle.accept_offer(db, offer.id, by_user_id=staff_user().id,
                                              today=today())
    except IllegalTransition as exc:
        flash(_transition_message(exc), "error")
    except (InvalidCustomer, ContractNotActive, OfferDoesNotFit) as exc:
        flash(contract_refusal(number, exc), "error")
    else:
        flash(accepted_message(number, accepted), "info")
    return _back(number)


@offers.route("/offers/<offer:number>/withdraw", methods=["GET", "POST"])
@requires("issue")
def withdraw_offer(number: str):
    """Withdraw the offer, after a confirmation page: the customer can no longer accept it."""
    offer = readable_offer(number, staff_user())
    form = ConfirmForm()
    if request.method == "GET":
        if offer.status_on(today()) not in ("issued", "expired"):
            flash(_transition_message(IllegalTransition(
                number, offer.status_on(today()), "withdrawn")), "error")
            return _back(number)
        return _confirmation(offer, "withdraw", form)
    if not form.validate():
        abort(400)
    try:
        with store().session() as db:
            withdraw(db, offer.id, today=today())
    except IllegalTransition as exc:
        flash(_transition_message(exc), "error")
    else:
        current_app.logger.info("offer %s withdrawn by %s", number, staff_user().email)
        flash(gettext("Offer %(number)s withdrawn: the customer can no longer accept it.",
                      number=number), "info")
    return _back(number)


@offers.get("/offers/<offer:number>/revise")
@requires("issue")
def revise_offer(number: str):
    """The form, filled in with the offer's request; issuing it replaces the offer."""
    offer = readable_offer(number, staff_user())
    language = current_language()
    form = build_form(language)
    prefill(form, offer.document.request, language)
    fit_to_card(form, language)
    return render_form(form, Reading(data=None), language, {}, revises=offer.number)


def prefill(form, quote_request, language: str) -> None:
    """Put a stored request back into the form, amounts written the page's way."""
    form.rate_card.data = quote_request.rate_card
    form.package.data = quote_request.package
    form.deployment.data = quote_request.deployment
    form.license_value.data = (format_amount_for_entry(quote_request.license_value, language)
                               if quote_request.license_value is not None else "")
    form.currency.data = quote_request.currency or ""
    form.term_start.data = quote_request.term_start.isoformat()
    form.term_years.data = str(quote_request.term_years)
    form.environments.data = (str(quote_request.environments)
                              if quote_request.environments is not None else "")
    form.points.data = str(quote_request.points) if quote_request.points else ""
    if form.tax_percent is not None and quote_request.tax_reason:
        # staff's override and its reason; an offer stored before the tax rules carries a
        # rate typed on the form without one: the rules decide its revision
        form.tax_percent.data = format_amount_for_entry(quote_request.tax_percent, language)
        form.tax_reason.data = quote_request.tax_reason
    if form.discount_percent:
        form.discount_percent.data = format_amount_for_entry(quote_request.discount_percent,
                                                             language)
    form.language.data = quote_request.language
    form.entry_language.data = language
    form.kind.data = quote_request.kind
    form.billing.data = quote_request.billing
    form.separate_term.data = quote_request.separate_term
    form.contract.data = quote_request.contract or ""
    form.rate_card_version.data = quote_request.rate_card_version or ""
    if quote_request.lapsed is not None:
        form.lapsed_start.data = quote_request.lapsed.start.isoformat()
        form.lapsed_end.data = quote_request.lapsed.end.isoformat()
    while len(form.additions.entries) < len(quote_request.additions):
        form.additions.append_entry()
    for entry, addition in zip(form.additions.entries, quote_request.additions, strict=False):
        entry.form.date.data = addition.date.isoformat()
        entry.form.license_value.data = (
            format_amount_for_entry(addition.license_value, language)
            if addition.license_value else "")
        entry.form.environments.data = str(addition.environments) if addition.environments \
            else ""
    customer = quote_request.customer
    for name in ("company", "contact", "email", "country", "vat_id"):
        form.customer.form[name].data = getattr(customer, name) or ""


# Customers: requesting an offer, and the self-service link

@offers.post("/request")
@limit("LIMIT_PUBLIC_REQUEST")
def request_offer():
    """The public form's "Request this offer": stored without discount, link shown once."""
    language = current_language()
    form = build_form(language)
    reading, quote_request, result, loaded = price_form(form, language)
    discount = (request.form.get("discount_percent") or "").strip()
    if discount and discount not in ("0", "0,00", "0.00"):
        reading.general.append(gettext("A discount can only be given by staff."))
        return render_form(form, reading, language, {}, status=422)
    if result is None:
        return render_form(form, reading, language, {})
    if result.discount_percent:
        abort(422)
    try:
        issued = issue_offer(quote_request, result, public=True)
    except QuoteInputError as exc:  # no number without company, contact, e-mail, country
        place_errors(form, reading, exc.errors)
        return render_form(form, reading, language, result_context(
            quote_request, result, loaded, language), status=422)
    # Post/redirect/get: reloading the confirmation never requests a second offer.
    # The session remembers, once, that this link is new, so the page can say so.
    session[NEW_LINK] = issued.token
    return redirect(url_for("offers.public_offer", token=issued.token), code=303)


def _public(token: str) -> Offer:
    with store().session(read_only=True) as db:
        offer = find_by_token(db, token)
    if offer is None:
        abort(404)
    return offer


@offers.get("/q/<token>")
@limit("LIMIT_PUBLIC_LINK")
def public_offer(token: str):
    offer = _public(token)
    is_new = session.get(NEW_LINK) == token
    if is_new:
        session.pop(NEW_LINK)
    new_link = url_for("offers.public_offer", token=token, _external=True) if is_new else None
    response = current_app.make_response(_page(offer, public_token=token, new_link=new_link))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@offers.get("/q/<token>/offer-<language>.pdf")
@limit("LIMIT_PUBLIC_LINK")
@pdfs.pdf_limits()
def public_pdf(token: str, language: str):
    return offer_pdf_response(_public(token), language)
