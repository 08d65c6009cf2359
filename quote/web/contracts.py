"""Customers and their contracts for staff: find a customer, read a contract and its
history, and start an offer for it (more licenses, a renewal, a reinstatement) in the
quote form, filled in from the contract as it runs.

Sales see the customers they look after (and those nobody looks after yet);
finance and admin see all. The offers themselves are issued by the form's
"Issue offer", through the lifecycle service, linked to the contract.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext

from .. import lifecycle
from ..core.describe import day, money
from ..lifecycle import ContractNotActive
from ..store import Offer
from ..store.contracts import contract_history, find_contract, list_contracts
from ..store.customers import get_customer, list_customers
from .auth import requires, staff_user
from .extensions import rates, store, today
from .forms import Reading
from .i18n import current_language
from .offers import prefill
from .public import build_form, render_form

contracts = Blueprint("contracts", __name__)

PER_PAGE = 50


def _may_see(customer) -> bool:
    return staff_user().may_see(customer)


def _contract_or_404(number: str):
    with store().session(read_only=True) as db:
        contract = find_contract(db, number) if len(number) <= 20 else None
        if contract is None or not _may_see(contract.customer):
            abort(404)
        history = contract_history(db, contract)
        events = [(event, event.offer.number if event.offer is not None else None)
                  for event in history]
        offers = db.query(Offer).filter(Offer.contract_id == contract.id) \
            .order_by(Offer.issued_at.desc()).all()
    return contract, events, offers


@contracts.get("/customers")
@requires("read")
def customer_list():
    text = (request.args.get("q") or "").strip()[:200]
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    with store().session(read_only=True) as db:
        found = list_customers(db, text or None, page=page, per_page=PER_PAGE)
        shown = [c for c in found.customers if _may_see(c)]
    return render_template("web/contracts/customers.html", customers=shown, text=text,
                           found=found)


@contracts.get("/customers/<int:customer_id>")
@requires("read")
def customer_page(customer_id: int):
    with store().session(read_only=True) as db:
        customer = get_customer(db, customer_id)
        if customer is None or not _may_see(customer):
            abort(404)
        contacts = list(customer.contacts)
        held = list_contracts(db, customer_id=customer.id, per_page=200).contracts
        offers = db.query(Offer).filter(Offer.customer_id == customer.id) \
            .order_by(Offer.issued_at.desc()).limit(200).all()
    language = current_language()
    return render_template("web/contracts/customer.html", customer=customer,
                           contacts=contacts, contracts=held, offers=offers,
                           status_on=today(), fmt_day=lambda d: day(d, language))


@contracts.get("/contracts/<number>")
@requires("read")
def contract_page(number: str):
    contract, events, offers = _contract_or_404(number)
    language = current_language()
    annual = lifecycle.annual_cost(rates(), contract)
    return render_template(
        "web/contracts/contract.html", contract=contract, events=events, offers=offers,
        event_names=_event_names(),
        status=contract.status_on(today()),
        annual_cost=money(annual, contract.currency, language) if annual is not None else None,
        fmt_money=lambda amount: money(amount, contract.currency, language),
        fmt_day=lambda d: day(d, language),
        may_offer=staff_user().can("issue"))


def _event_names() -> dict[str, str]:
    return {"created": gettext("Contract made (offer accepted)"),
            "imported": gettext("Imported"), "top_up": gettext("More licenses or environments"),
            "renewal": gettext("Renewed"), "reinstatement": gettext("Support reinstated"),
            "cancelled": gettext("Cancelled")}


def _offer_form(contract, quote_request):
    """The quote form filled in with ``quote_request`` for ``contract``."""
    language = current_language()
    form = build_form(language)
    prefill(form, quote_request, language)
    return render_form(form, Reading(data=None), language, {})


def _offer_from(number: str, make_request):
    """The form for an offer on contract ``number``, with ``make_request(contract)``;
    409 when the contract cannot take it (cancelled)."""
    contract, _, _ = _contract_or_404(number)
    try:
        quote_request = make_request(contract)
    except ContractNotActive:
        abort(409)
    return _offer_form(contract, quote_request)


@contracts.get("/contracts/<number>/top-up")
@requires("issue")
def top_up_form(number: str):
    return _offer_from(number, lambda contract: lifecycle.top_up_request(
        rates(), contract, [], today=today()))


@contracts.get("/contracts/<number>/renewal")
@requires("issue")
def renewal_form(number: str):
    return _offer_from(number, lambda contract: lifecycle.renewal_request(
        rates(), contract, today=today()))


@contracts.get("/contracts/<number>/reinstatement")
@requires("issue")
def reinstatement_form(number: str):
    return _offer_from(number, lambda contract: lifecycle.reinstatement_request(
        rates(), contract, start=today(), years=contract.term_years, today=today()))
