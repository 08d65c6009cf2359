"""The JSON API, ``/api/v1``: rate cards, quote previews, package comparison, offer PDF,
service-level deadlines, and for staff with an API token issued offers.

Previews store nothing. Errors always have the body ``{"errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext

from ..core.errors import N_, QuoteInputError
from ..core.pricing import price_quote
from ..core.request import QuoteRequest, json_number, parse_request
from ..i18n import LANGUAGES
from ..lifecycle import OfferDoesNotFit
from ..store import IdempotencyConflict, UnknownContract
from .auth import api_user_from_token, requires
from .extensions import error_json, limit, rates, today
from .i18n import current_language, error_text
from .offers import issue_offer, offer_pdf_response, offer_snapshot, readable_offer
from .pdfs import draft_pdf_response, pdf_limits, refuse_when_busy
from .present import card_summary, card_view, comparison
from .schemas import RateCardList

MAX_IDEMPOTENCY_KEY = 200
DISCOUNT_REFUSED = N_("a discount can only be given by staff")
TAX_REFUSED = N_("the tax follows from the customer's country and VAT ID; only staff may "
                 "set another rate")


class BadBody(Exception):
    def __init__(self, status: int, message: str, field: str = ""):
        self.status = status
        self.message = message
        self.field = field


def _bad_body(error: BadBody):
    return error_json(error.status, error.message, field=error.field)


def input_errors(errors, status: int = 422):
    """The answer to ``FieldError``s: one entry per field, in the request's language."""
    response = jsonify({"errors": [
        {"field": e.field, "message": error_text(e)} for e in errors
    ]})
    response.status_code = status
    return response


def _input_error(error: QuoteInputError):
    return input_errors(error.errors)


def known_language():
    if not request.query_string:  # most API requests: no ?lang= to check (nor to parse)
        return None
    asked = request.args.getlist("lang")
    if any(value not in LANGUAGES for value in asked) or len(asked) > 1:
        return error_json(400, "lang must be one of en, de, ru", field="lang")
    return None


def api_blueprint(name: str) -> Blueprint:
    """A blueprint of the JSON API: its errors as JSON, ``?lang=`` checked."""
    blueprint = Blueprint(name, __name__)
    blueprint.register_error_handler(BadBody, _bad_body)
    blueprint.register_error_handler(QuoteInputError, _input_error)
    blueprint.before_request(known_language)
    return blueprint


api = api_blueprint("api")


def json_body() -> object:
    # the Content-Type as JSON clients send it needs no parsing of its parameters
    if (request.environ.get("CONTENT_TYPE") != "application/json"
            and request.mimetype != "application/json"):
        raise BadBody(415, "send the request as JSON with Content-Type: application/json")
    raw = request.get_data(cache=False)  # raises 413 above MAX_CONTENT_LENGTH
    try:
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=json_number)
    except (ValueError, RecursionError) as exc:
        raise BadBody(400, f"the body is not valid JSON: {exc}") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _quote_request() -> QuoteRequest:
    """The body as a quote request; a discount or a tax rate without a sales or admin
    token is 403 (the tax follows from the customer's country and VAT ID)."""
    body = json_body()
    if isinstance(body, dict) and not token_may("issue"):
        for name in ("tax_percent", "tax_reason"):
            if body.get(name) is not None:
                raise BadBody(403, gettext(TAX_REFUSED), field=name)
    quote_request = parse_request(body)
    if quote_request.discount_percent and not token_may("issue"):
        raise BadBody(403, gettext(DISCOUNT_REFUSED), field="discount_percent")
    most = current_app.config["PUBLIC_MAX_ADDITIONS"]
    if len(quote_request.additions) > most and not _has_token():
        raise BadBody(403, f"without a staff API token a request carries at most {most} "
                           "additions", field="additions")
    return quote_request


def token_may(permission: str) -> bool:
    user = api_user_from_token()
    return user is not None and user.can(permission)


def _has_token() -> bool:
    return api_user_from_token() is not None


def _preview_limit():
    """Previews are public and rate-limited; requests with a valid API token are not."""
    return limit("LIMIT_PREVIEW", exempt_when=_has_token)


@api.get("/rate-cards")
def list_rate_cards():
    language = current_language()
    on = today()
    listing = RateCardList(as_of=on, language=language,
                           rate_cards=[card_summary(c, language)
                                       for c in rates().cards_in_force(on)])
    return listing.model_dump(mode="json", exclude_none=True)


@api.get("/rate-cards/<card_id>")
def show_rate_card(card_id: str):
    loaded = rates().in_force(card_id, today())
    if loaded is None:
        return error_json(404, f"no rate card {card_id!r} is in force today")
    currencies = request.args.getlist("currency")
    if len(currencies) > 1:
        return error_json(400, "currency is given twice", field="currency")
    if currencies and currencies[0] not in loaded.card.currencies:
        return error_json(404, f"{card_id} has no price list in {currencies[0]!r}; it has "
                               f"{', '.join(loaded.card.currencies)}", field="currency")
    view = card_view(loaded, current_language(), currencies[0] if currencies else None,
                     today())
    return view.model_dump(mode="json", exclude_none=True)


@api.post("/sla/deadlines")
@_preview_limit()
def sla_deadlines():
    """When a support request must be answered (and resolved), from the rate card."""
    from ..core.sla import answer, parse_sla_request  # the clock, at its first question

    found = answer(parse_sla_request(json_body()), rates(), today())
    return found.model_dump(mode="json", exclude_none=True)


@api.post("/quotes/preview")
@_preview_limit()
def preview():
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())
    return result.model_dump(mode="json", exclude_none=True)


@api.post("/quotes/compare")
@_preview_limit()
def compare():
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())  # refuses what no package can price
    loaded = rates().priced_with(result)
    compared = comparison(quote_request, loaded, result.as_of, quote_request.language,
                          result.tax_basis, texts=True)
    return compared.model_dump(mode="json", exclude_none=True)


@api.post("/quotes/preview.pdf")
@_preview_limit()
@pdf_limits()
def preview_pdf():
    refuse_when_busy()
    quote_request = _quote_request()

    def priced():
        result = price_quote(quote_request, rates(), today())
        return result, rates().priced_with(result)

    return draft_pdf_response(quote_request, priced)


# Issued offers (API token: Authorization: Bearer <token>)

@api.post("/quotes")
@requires("issue")
def issue_quote():
    """Issue an offer. ``Idempotency-Key``: the same key and request give the same offer (200).

    The request is compared as validated, so the same JSON written with other
    white space or key order is the same request.
    """
    key = idempotency_key()
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())
    try:
        issued = issue_offer(quote_request, result, issuer=g.api_user,
                             idempotency_key=key, body=quote_request.model_dump_json().encode())
    except UnknownContract as exc:  # the contract the request names does not exist
        return error_json(404, str(exc), field="contract")
    except OfferDoesNotFit as exc:  # it exists, but the offer cannot belong to it
        return error_json(409, str(exc), field="contract")
    except IdempotencyConflict as exc:
        return idempotency_conflict(exc)
    return issued_response(issued)


def idempotency_key() -> str | None:
    """The request's ``Idempotency-Key`` header (None without one); 400 if it is empty or
    too long."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise BadBody(400, f"Idempotency-Key must have 1 to {MAX_IDEMPOTENCY_KEY} characters",
                      field="Idempotency-Key")
    return key


def idempotency_conflict(exc: IdempotencyConflict):
    return error_json(409, f"the Idempotency-Key {exc.key!r} was used before with another "
                           f"request body (offer {exc.number}); use a new key for a new "
                           "request", field="Idempotency-Key")


def issued_response(issued):
    """An issued offer's snapshot: 201 with its URL, or 200 when an Idempotency-Key
    replayed it."""
    response = jsonify(offer_snapshot(issued.offer))
    response.status_code = 200 if issued.replayed else 201
    response.headers["Location"] = url_for("api.show_quote", number=issued.offer.number)
    if issued.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@api.get("/quotes/<offer:number>")
@requires("read")
def show_quote(number: str):
    offer = readable_offer(number, g.api_user)
    return offer_snapshot(offer)


@api.get("/quotes/<offer:number>.pdf")
@requires("read")
def quote_pdf(number: str):
    offer = readable_offer(number, g.api_user)
    language = request.args.get("lang") or offer.language
    return offer_pdf_response(offer, language)


def _document() -> dict:
    """The OpenAPI document of the rate cards in force today, made once per app for each
    set of card versions."""
    cards = rates().cards_in_force(today())
    key = tuple((loaded.card.id, loaded.card.version) for loaded in cards)
    documents = current_app.extensions.setdefault("quote.openapi", {})
    if key not in documents:
        # the document's generator (pydantic's JSON schemas of every body) loads when the
        # document is first asked for, not in every worker's start
        from .openapi import openapi_document

        versions = {loaded.card.id: [v.card.version for v in rates().versions[loaded.card.id]]
                    for loaded in cards}
        documents[key] = openapi_document(cards, current_app.config["LIMIT_PREVIEW"],
                                          versions)
    return documents[key]


@api.get("/openapi.json")
def openapi():
    return jsonify(_document())


@api.get("/docs")
def docs():
    return render_template("web/api_docs.html", spec=_document())
