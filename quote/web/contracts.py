"""Customers and their contracts for staff: find a customer, read a contract and its
history, start an offer for it (more licenses, a renewal, a reinstatement) in the
quote form, filled in from the contract as it runs, and enter a running contract by
hand (``/contracts/new``, with the contract import's checks).

Sales see the customers they look after (and those nobody looks after yet);
finance and admin see all. The offers themselves are issued by the form's
"Issue offer", through the lifecycle service, linked to the contract.
"""

from __future__ import annotations

import json
from decimal import Decimal

from babel import Locale
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from .. import lifecycle
from ..core.describe import day, money
from ..lifecycle import ContractNotActive
from ..store import InvalidInput, Offer
from ..store.contracts import contract_history, find_contract, list_contracts
from ..store.customers import MAX_PER_PAGE as MAX_CUSTOMERS
from ..store.customers import country_codes, get_customer, list_customers
from ..store.users import list_users
from .auth import requires, staff_user
from .extensions import rates, store, today
from .forms import ContractForm, Reading
from .i18n import (
    AmountEntryError,
    current_language,
    error_text,
    example_amount,
    parse_local_amount,
)
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
            "entered": gettext("Contract entered"),
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


# A running contract entered by hand

def _visible_customers(db, chosen: int | None) -> list:
    """The customers the user may add a contract to, by name (the first
    ``MAX_CUSTOMERS``; a chosen one further down the list is added)."""
    shown = [c for c in list_customers(db, per_page=MAX_CUSTOMERS).customers if _may_see(c)]
    if chosen is not None and all(c.id != chosen for c in shown):
        customer = get_customer(db, chosen)
        if customer is not None and _may_see(customer):
            shown.insert(0, customer)
    return shown


def _country_choices(language: str) -> list[SelectChoice]:
    names = Locale(language).territories
    codes = sorted(country_codes(), key=lambda code: names.get(code, code).casefold())
    return [SelectChoice("", "–")] + [SelectChoice(code, names.get(code, code))
                                      for code in codes]


def _card_choices(form: ContractForm, language: str) -> str:
    """Fit the card-dependent choices (versions, packages, currencies) to the chosen
    card; returns every card's choices as JSON for static/web/contract.js."""
    book = rates()
    data = {}
    for card_id in book.ids():
        versions = book.versions[card_id]
        latest = book.latest(card_id)
        assert latest is not None
        data[card_id] = {
            "name": latest.card.name(language),
            "versions": [["", gettext("The version in force on the term start")]] + [
                [v.card.version, gettext("%(version)s (from %(date)s)", version=v.card.version,
                                         date=day(v.card.effective_from, language))]
                for v in versions],
            "packages": [[p.id, p.name(language)] for p in latest.card.packages],
            "currencies": [[c, c] for c in latest.card.currencies],
        }
    form.rate_card.choices = [SelectChoice(i, d["name"]) for i, d in data.items()]
    if form.rate_card.data not in data:
        form.rate_card.data = next(iter(data), "")
    chosen = data.get(form.rate_card.data, {"versions": [], "packages": [], "currencies": []})
    form.card_version.choices = [SelectChoice(v, label) for v, label in chosen["versions"]]
    form.package.choices = [SelectChoice(v, label) for v, label in chosen["packages"]]
    form.currency.choices = [SelectChoice(v, label) for v, label in chosen["currencies"]]
    return json.dumps(data, ensure_ascii=False)


def _entry_page(form: ContractForm, language: str, problems: dict, general: list,
                status: int = 200):
    cards = _card_choices(form, language)
    return render_template("web/contracts/new_contract.html", form=form, problems=problems,
                           general=general, cards_data=cards,
                           example=example_amount(language)), status


@contracts.route("/contracts/new", methods=["GET", "POST"])
@requires("issue")
def new_contract():
    """A running contract from before the service, entered by hand (sales, admin): for a
    customer chosen from the list or a new one; a salesperson's new customer is theirs."""
    language = current_language()
    user = staff_user()
    form = ContractForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)  # the CSRF token is missing or stale
    chosen_text = (form.customer.data if request.method == "POST"
                   else request.args.get("customer", "")) or ""
    chosen = int(chosen_text) if chosen_text.isdigit() and len(chosen_text) < 10 else None
    with store().session(read_only=True) as db:
        if chosen is not None:
            customer = get_customer(db, chosen)
            if customer is not None and not _may_see(customer):
                abort(403 if request.method == "POST" else 404)
        customers = _visible_customers(db, chosen)
        owners = [u for u in list_users(db, include_disabled=False) if u.role == "sales"] \
            if user.can("read_all") else []
    form.customer.choices = [SelectChoice("", gettext("A new customer (enter it below)"))] + [
        SelectChoice(str(c.id), f"{c.company} ({c.country})") for c in customers]
    form.country.choices = _country_choices(language)
    if user.can("read_all"):
        form.owner_email.choices = [SelectChoice("", gettext("Nobody yet"))] + [
            SelectChoice(u.email, f"{u.display_name} ({u.email})") for u in owners]
    else:
        del form.owner_email
    if request.method == "GET":
        form.customer.data = str(chosen) if chosen is not None else ""
        form.language.data = language
        return _entry_page(form, language, {}, [])

    problems: dict[str, list[str]] = {}
    if chosen_text and chosen is None:
        problems["customer"] = [gettext("Choose a customer from the list.")]
    values = {name: form[name].data or "" for name in lifecycle.FIELDS
              if name in form and name != "license_value"}
    try:
        amount = parse_local_amount(form.license_value.data or "", language)
    except AmountEntryError as exc:
        problems["license_value"] = [exc.translated(gettext, str(form.license_value.label.text))]
        amount = None
    card = rates().latest(values.get("rate_card", ""))
    if amount is None and card is not None and not card.card.license_value:
        amount = Decimal(0)  # a card that prices by no license value asks for none
    values["license_value"] = format(amount, "f") if amount is not None else ""
    number = None
    if problems:
        # the rest is still checked, so that every error shows in one pass; nothing is
        # written
        with store().session(read_only=True) as db:
            _, errors = lifecycle.check_contract(
                db, rates(), {**values, "license_value": values["license_value"] or "0"},
                customer_id=chosen)
    else:
        try:
            with store().session() as db:
                contract = lifecycle.create_contract(
                    db, rates(), values, by_user_id=user.id, customer_id=chosen,
                    only_customers_of=None if user.can("read_all") else user.id)
                number, company = contract.number, contract.customer.company
        except InvalidInput as exc:
            errors = exc.errors
    if number is None:
        general = []
        for error in errors:
            if error.field in problems:
                continue  # said already, in the page's terms
            if error.field in form:
                problems.setdefault(error.field, []).append(error_text(error))
            else:
                general.append(error_text(error))
        return _entry_page(form, language, problems, general, 422)
    flash(gettext("Contract %(number)s of %(company)s entered.", number=number,
                  company=company), "info")
    return redirect(url_for("contracts.contract_page", number=number), 303)
