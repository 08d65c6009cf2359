"""The JSON API, ``/api/v1``: rate cards, quote previews, package comparison, offer PDF.

Nothing is stored. Errors always have the body ``{"errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_babel import gettext

from ..core.errors import N_, FieldError, QuoteInputError
from ..core.offer import offer_document
from ..core.pricing import price_quote
from ..core.request import QuoteRequest, parse_request
from ..i18n import LANGUAGES
from .app import error_json, pdf_interface, rates, today
from .i18n import current_language
from .openapi import openapi_document
from .present import card_summary, card_view, comparison
from .schemas import RateCardList

api = Blueprint("api", __name__)

DISCOUNT_REFUSED = N_("a discount can only be given by staff")


class BadBody(Exception):
    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message


@api.errorhandler(BadBody)
def _bad_body(error: BadBody):
    return error_json(error.status, error.message)


@api.errorhandler(QuoteInputError)
def _input_error(error: QuoteInputError):
    response = jsonify({"errors": [
        {"field": e.field, "message": e.translated(gettext)} for e in error.errors
    ]})
    response.status_code = 422
    return response


def _json_body() -> object:
    if request.mimetype != "application/json":
        raise BadBody(415, "send the request as JSON with Content-Type: application/json")
    raw = request.get_data(cache=False)  # raises 413 above MAX_CONTENT_LENGTH
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise BadBody(400, f"the body is not valid JSON: {exc}") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _quote_request() -> QuoteRequest:
    quote_request = parse_request(_json_body())
    if quote_request.discount_percent and not current_app.config["STAFF_MODE"]:
        raise QuoteInputError([FieldError("discount_percent", DISCOUNT_REFUSED)])
    return quote_request


@api.before_request
def _known_language():
    asked = request.args.getlist("lang")
    if any(value not in LANGUAGES for value in asked) or len(asked) > 1:
        return error_json(400, "lang must be one of en, de, ru", field="lang")
    return None


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
    return card_view(loaded, current_language()).model_dump(mode="json", exclude_none=True)


@api.post("/quotes/preview")
def preview():
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())
    return result.model_dump(mode="json", exclude_none=True)


@api.post("/quotes/compare")
def compare():
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())  # refuses what no package can price
    loaded = rates().in_force(quote_request.rate_card, result.as_of)
    compared = comparison(quote_request, loaded, result.as_of, quote_request.language)
    return compared.model_dump(mode="json", exclude_none=True)


@api.post("/quotes/preview.pdf")
def preview_pdf():
    quote_request = _quote_request()
    result = price_quote(quote_request, rates(), today())
    render_offer = pdf_interface()[0]
    if render_offer is None:
        return error_json(503, "PDF rendering unavailable")
    loaded = rates().in_force(quote_request.rate_card, result.as_of)
    document = offer_document(quote_request, result, loaded)
    return pdf_response(render_offer(document, document.language),
                        f"offer-draft-{document.language}.pdf")


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@api.get("/docs")
def docs():
    return render_template("web/api_docs.html", spec=openapi_document())
