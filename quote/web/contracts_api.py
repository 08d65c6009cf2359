"""The JSON API of customers and contracts, ``/api/v1`` (API token: ``Authorization:
Bearer <token>``): find and create customers, read and enter contracts, and price and
issue a contract's top-up, renewal or reinstatement from the contract as it runs.

The roles are those of the offers: sales see and act on the customers they look
after and those nobody looks after yet (and their contracts), finance reads all,
admin manages all. A customer or contract the caller may not see is answered 404,
as one that does not exist. The rules live in the store and ``quote.lifecycle``;
this module parses, calls and renders (see docs/contracts.md).
"""

from __future__ import annotations

from flask import abort, g, jsonify, request, url_for
from flask_babel import gettext

from .. import lifecycle
from ..core.errors import N_, FieldError, QuoteInputError
from ..core.pricing import price_quote
from ..lifecycle import EXISTS_ALREADY, ContractNotActive, InvalidContract, OfferDoesNotFit
from ..store import (
    IdempotencyConflict,
    InvalidCustomer,
    NewContact,
    Offer,
    add_customer,
    contract_history,
    find_contract,
    get_customer,
    list_contracts,
    list_customers,
    matching_customer,
)
from ..store.contracts import MAX_PER_PAGE
from .api import (
    DISCOUNT_REFUSED,
    TAX_REFUSED,
    BadBody,
    api_blueprint,
    idempotency_conflict,
    idempotency_key,
    input_errors,
    issued_response,
    json_body,
)
from .auth import requires
from .extensions import error_json, now, rates, store, today
from .offers import issue_offer

# The bodies' and answers' models (``.contract_schemas``) are imported by the views that
# use them, at the first such request: a worker may never be asked about contracts.

contracts_api = api_blueprint("contracts_api")

PER_PAGE = 50
MAX_PAGE = 10_000
MAX_SEARCH = 200
STATUSES = ("active", "ended", "cancelled")
NO_CUSTOMER = N_("There is no customer %(id)s.")
NO_CONTRACT = N_("There is no contract %(number)s.")

# The fields of a request made from a contract that a body of each kind sets, by the
# name the body gives them: an error there is the body's (422); an error at any other
# field is the contract's (409), as is one at a field the body left to its default.
_OFFER_TERMS = {"language": "language", "discount_percent": "discount_percent",
                "tax_percent": "tax_percent", "tax_reason": "tax_reason"}
TOP_UP_FIELDS = {"additions": "additions", "separate_term": "separate_term", **_OFFER_TERMS}
RENEWAL_FIELDS = {"term_years": "years", "billing": "billing", **_OFFER_TERMS}
REINSTATEMENT_FIELDS = {"term_start": "start", "term_years": "years", "billing": "billing",
                        **_OFFER_TERMS}
NOT_ACTIVE = {
    "top_up": N_("contract %(number)s is cancelled and cannot be topped up; price a "
                 "reinstatement instead"),
    "renewal": N_("contract %(number)s is cancelled and cannot be renewed; price a "
                  "reinstatement instead"),
}


def _user():
    return g.api_user


def _owner_or_none() -> int | None:
    """Whose customers the caller sees: None for all (finance, admin)."""
    user = _user()
    return None if user.sees_every_customer else user.id


def _arg(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadBody(400, gettext("%(name)s is given twice", name=name), field=name)
    return values[0] if values else None


def _whole(name: str, default: int | None, highest: int) -> int | None:
    text = _arg(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= highest:
        raise BadBody(400, gettext("%(name)s must be a whole number from 1 to %(highest)s",
                                   name=name, highest=highest), field=name)
    return int(text)


def _paging() -> dict:
    return {"page": _whole("page", 1, MAX_PAGE),
            "per_page": _whole("per_page", PER_PAGE, MAX_PER_PAGE)}


def _not_found(message: str, field: str = ""):
    abort(error_json(404, message, field=field))


def _visible_customer(db, customer_id: int, field: str = ""):
    from .contract_schemas import MAX_ID

    customer = get_customer(db, customer_id) if customer_id <= MAX_ID else None
    if customer is None or not _user().may_see(customer):
        _not_found(gettext(NO_CUSTOMER, id=customer_id), field)
    return customer


def _visible_contract(db, number: str):
    contract = find_contract(db, number)
    if contract is None or not _user().may_see(contract.customer):
        _not_found(gettext(NO_CONTRACT, number=number))
    return contract


def _created(body: dict, location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# Customers

@contracts_api.get("/customers")
@requires("read")
def list_customers_():
    from .contract_schemas import CustomerList, customer_summary

    text = _arg("q")
    if text is not None and len(text) > MAX_SEARCH:
        raise BadBody(400, gettext("q must be at most %(max)s characters long", max=MAX_SEARCH),
                      field="q")
    paging = _paging()
    with store().session(read_only=True) as db:
        found = list_customers(db, text, owner_or_none=_owner_or_none(), **paging)
        answer = CustomerList(customers=[customer_summary(c) for c in found.customers],
                              count=found.count, pages=found.pages, **paging)
    return answer.model_dump(mode="json", exclude_none=True)


@contracts_api.get("/customers/<int:customer_id>")
@requires("read")
def show_customer(customer_id: int):
    from .contract_schemas import customer_view

    with store().session(read_only=True) as db:
        customer = _visible_customer(db, customer_id)
        held = list_contracts(db, customer_id=customer.id, per_page=MAX_PER_PAGE).contracts
        answer = customer_view(customer, held, today())
    return answer.model_dump(mode="json", exclude_none=True)


@contracts_api.post("/customers")
@requires("issue")
def create_customer():
    from .contract_schemas import NewCustomer, customer_view, parse_body

    body = parse_body(NewCustomer, json_body())
    try:
        with store().session() as db:
            same = matching_customer(db, body.company, body.country)
            if same is not None:
                return _same_customer(same)
            customer = add_customer(
                db, company=body.company, country=body.country, vat_id=body.vat_id,
                language=body.language, owner_id=_owner_or_none(), now=now(),
                contacts=[NewContact(c.name, c.email, c.position) for c in body.contacts])
            answer = customer_view(customer, [], today())
    except InvalidCustomer as exc:
        return input_errors(exc.errors)
    return _created(answer.model_dump(mode="json", exclude_none=True),
                    url_for(".show_customer", customer_id=answer.id))


def _same_customer(same, field: str = "company"):
    """409: the company is a customer already (named, if the caller may see it)."""
    if _user().may_see(same):
        message = gettext("%(company)s (%(country)s) is a customer already: customer "
                          "%(id)s", company=same.company, country=same.country, id=same.id)
    else:
        message = gettext("%(company)s (%(country)s) is a customer already, looked after by "
                          "someone else", company=same.company, country=same.country)
    return error_json(409, message, field=field)


# Contracts

@contracts_api.get("/contracts")
@requires("read")
def list_contracts_():
    from .contract_schemas import MAX_ID, ContractList, contract_summary

    customer_id = _whole("customer", None, MAX_ID)
    status = _arg("status")
    if status is not None and status not in STATUSES:
        raise BadBody(400, gettext("status must be one of %(expected)s",
                                   expected=", ".join(STATUSES)), field="status")
    paging = _paging()
    with store().session(read_only=True) as db:
        if customer_id is not None:
            _visible_customer(db, customer_id, field="customer")
        found = list_contracts(db, customer_id=customer_id, status=status, today=today(),
                               owner_or_none=_owner_or_none(), **paging)
        answer = ContractList(contracts=[contract_summary(c, today()) for c in found.contracts],
                              count=found.count, pages=found.pages, **paging)
    return answer.model_dump(mode="json", exclude_none=True)


@contracts_api.get("/contracts/<contract:number>")
@requires("read")
def show_contract(number: str):
    with store().session(read_only=True) as db:
        contract = _visible_contract(db, number)
        answer = _contract_view(db, contract)
    return answer.model_dump(mode="json", exclude_none=True)


def _contract_view(db, contract):
    from .contract_schemas import contract_view

    offers = db.query(Offer).filter(Offer.contract_id == contract.id) \
        .order_by(Offer.issued_at.desc(), Offer.id.desc()).all()
    return contract_view(contract, contract_history(db, contract), offers,
                         lifecycle.annual_cost(rates(), contract), today())


@contracts_api.post("/contracts")
@requires("issue")
def create_contract():
    """One contract entered by hand, with the import's checks."""
    from .contract_schemas import NewContract, parse_body

    body = parse_body(NewContract, json_body())
    user = _user()
    salesperson = None if user.sees_every_customer else user.id
    if salesperson is not None and body.owner_email is not None \
            and body.owner_email.lower() != user.email:
        raise BadBody(403, gettext("sales enter the contracts they look after themselves"),
                      field="owner_email")
    with store().session() as db:
        if body.customer is not None:
            _visible_customer(db, body.customer, field="customer")
        else:
            same = matching_customer(db, body.company, body.country)
            if same is not None and not user.may_see(same):
                return _same_customer(same)
        try:
            contract = lifecycle.create_contract(db, rates(), body.values(), by_user_id=user.id,
                                                 customer_id=body.customer,
                                                 only_customers_of=salesperson, now=now())
        except InvalidContract as exc:  # nothing was written
            return _contract_refused(exc.errors)
        answer = _contract_view(db, contract)
    return _created(answer.model_dump(mode="json", exclude_none=True),
                    url_for(".show_contract", number=answer.number))


def _contract_refused(errors):
    """422 with every error; 409 for a contract the customer has already; 404 for an owner
    who is no active user."""
    if all(e.template == EXISTS_ALREADY for e in errors):
        return input_errors(errors, 409)
    if all(e.field == "owner_email" for e in errors):
        return input_errors(errors, 404)
    return input_errors(errors)


# Offers from a contract: top-up, renewal, reinstatement

def _contract(number: str):
    """The contract ``number`` as the caller may see it (with its customer), or 404."""
    with store().session(read_only=True) as db:
        return _visible_contract(db, number)


def _body(model):
    """The body as ``model``; a discount needs the token of a sales or admin user (403)."""
    from .contract_schemas import parse_body

    body = parse_body(model, json_body())
    if not _user().can("issue"):
        if body.discount_percent:
            raise BadBody(403, gettext(DISCOUNT_REFUSED), field="discount_percent")
        for name in ("tax_percent", "tax_reason"):
            if getattr(body, name) is not None:
                raise BadBody(403, gettext(TAX_REFUSED), field=name)
    return body


def _offer_terms(body) -> dict:
    return {"today": today(), "language": body.language,
            "discount_percent": body.discount_percent, "tax_percent": body.tax_percent,
            "tax_reason": body.tax_reason or ""}


def _priced(contract, body, kind: str, fields: dict[str, str]):
    """The request of ``kind`` from the contract and the body, priced by the core. An
    error at a field the body gave is answered 422 at that field; any other is the
    contract's (ended, cancelled, its card version gone, ...): 409."""
    terms = _offer_terms(body)
    try:
        if kind == "top_up":
            quote_request = lifecycle.top_up_request(
                rates(), contract, body.additions, separate_term=body.separate_term, **terms)
        elif kind == "renewal":
            quote_request = lifecycle.renewal_request(
                rates(), contract, years=body.years, billing=body.billing, **terms)
        else:
            quote_request = lifecycle.reinstatement_request(
                rates(), contract, start=body.start or today(),
                years=body.years or contract.term_years, billing=body.billing, **terms)
        return quote_request, price_quote(quote_request, rates(), today())
    except ContractNotActive:
        abort(error_json(409, gettext(NOT_ACTIVE[kind], number=contract.number)))
    except QuoteInputError as exc:
        sent = set(body.model_fields_set)
        if sent & {"tax_percent", "tax_reason"}:  # a tax rate and its reason go together
            sent |= {"tax_percent", "tax_reason"}
        abort(_refusal(exc, fields, sent))


def _refusal(exc: QuoteInputError, fields: dict[str, str], sent: set[str]):
    given, contract_errors = [], []
    for error in exc.errors:
        head, dot, rest = error.field.partition(".")
        name = fields.get(head)
        if not error.field:
            given.append(error)
        elif name is not None and name in sent:
            given.append(FieldError(name + dot + rest, error.template, error.params))
        else:
            contract_errors.append(FieldError("", error.template, error.params))
    if contract_errors:
        return input_errors(contract_errors, 409)
    return input_errors(given)


def _preview(number: str, model, kind: str, fields: dict[str, str]):
    contract = _contract(number)
    body = _body(model)
    _, result = _priced(contract, body, kind, fields)
    return result.model_dump(mode="json", exclude_none=True)


def _issue(number: str, model, kind: str, fields: dict[str, str]):
    """Issue the offer of ``kind`` for the contract (``Idempotency-Key``: the same key and
    body for the same contract give the same offer)."""
    key = idempotency_key()
    contract = _contract(number)
    body = _body(model)
    quote_request, result = _priced(contract, body, kind, fields)
    same_request = f"{kind} {contract.number} {body.model_dump_json()}".encode()
    try:
        issued = issue_offer(quote_request, result, issuer=_user(), idempotency_key=key,
                             body=same_request)
    except IdempotencyConflict as exc:
        return idempotency_conflict(exc)
    except OfferDoesNotFit as exc:
        return error_json(409, str(exc))
    return issued_response(issued)


@contracts_api.post("/contracts/<contract:number>/top-up/preview")
@requires("read")
def top_up_preview(number: str):
    from .contract_schemas import TopUpBody

    return _preview(number, TopUpBody, "top_up", TOP_UP_FIELDS)


@contracts_api.post("/contracts/<contract:number>/top-up")
@requires("issue")
def issue_top_up(number: str):
    from .contract_schemas import TopUpBody

    return _issue(number, TopUpBody, "top_up", TOP_UP_FIELDS)


@contracts_api.post("/contracts/<contract:number>/renewal/preview")
@requires("read")
def renewal_preview(number: str):
    from .contract_schemas import RenewalBody

    return _preview(number, RenewalBody, "renewal", RENEWAL_FIELDS)


@contracts_api.post("/contracts/<contract:number>/renewal")
@requires("issue")
def issue_renewal(number: str):
    from .contract_schemas import RenewalBody

    return _issue(number, RenewalBody, "renewal", RENEWAL_FIELDS)


@contracts_api.post("/contracts/<contract:number>/reinstatement/preview")
@requires("read")
def reinstatement_preview(number: str):
    from .contract_schemas import ReinstatementBody

    return _preview(number, ReinstatementBody, "reinstatement", REINSTATEMENT_FIELDS)
