"""The API's OpenAPI 3.1 document, generated from the pydantic models.

The request schema is the pricing core's ``QuoteRequest``, the preview answer
its ``QuoteResult``; nothing here is a hand-written schema.
"""

from __future__ import annotations

from functools import cache

from pydantic.json_schema import models_json_schema

from ..core.request import QuoteRequest
from ..core.result import QuoteResult
from ..core.sla import SlaAnswer, SlaRequest
from .schemas import Comparison, ErrorResponse, OfferSnapshot, RateCardList, RateCardView

MAX_BODY = "64 KiB"
REF = "#/components/schemas/{model}"
BAD_LANG = "lang is not en, de or ru (or given twice)"


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                                 "ErrorResponse"}}}}


def _json(ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": ref}}}}


LANG_PARAMETER = {
    "name": "lang", "in": "query", "required": False,
    "description": "language of the texts; default: Accept-Language, then English",
    "schema": {"type": "string", "enum": ["en", "de", "ru"]},
}


NUMBER_PARAMETER = {
    "name": "number", "in": "path", "required": True,
    "description": "the offer number, e.g. Q-2026-000042",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "any string of 1 to 200 characters, new for every new offer",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


@cache
def openapi_document() -> dict:
    keys, top = models_json_schema(
        [(QuoteRequest, "validation"), (QuoteResult, "serialization"),
         (ErrorResponse, "serialization"), (RateCardList, "serialization"),
         (RateCardView, "serialization"), (Comparison, "serialization"),
         (OfferSnapshot, "serialization"), (SlaRequest, "validation"),
         (SlaAnswer, "serialization")],
        ref_template=REF,
    )
    ref = {model: keys[(model, mode)]["$ref"] for model, mode in keys}
    schemas = top["$defs"]

    body_errors = {
        "400": _error("the body is not valid JSON, or lang is not en, de or ru"),
        "413": _error(f"the body is larger than {MAX_BODY}"),
        "415": _error("the body is not sent as application/json"),
        "422": _error("the request cannot be priced; one error per field"),
    }
    quote_body = {"required": True,
                  "content": {"application/json": {"schema": {"$ref": ref[QuoteRequest]}}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "quote API",
            "version": "1",
            "description": (
                "Support pricing and quotation. Amounts are decimal strings "
                '("12000.50"); a JSON integer is accepted for an amount, a JSON number '
                "with a fraction is refused. Previews store nothing; the endpoints of issued "
                "offers need a staff API token (Authorization: Bearer). "
                f"Request bodies are limited to {MAX_BODY}. A discount is refused "
                "without the token of a sales or admin user. Public endpoints are "
                "rate-limited (429)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/rate-cards": {"get": {
                "operationId": "listRateCards",
                "summary": "The rate cards in force today",
                "parameters": [LANG_PARAMETER],
                "responses": {"200": _json(ref[RateCardList], "the rate cards in force"),
                              "400": _error(BAD_LANG)},
            }},
            "/rate-cards/{card_id}": {"get": {
                "operationId": "showRateCard",
                "summary": "One rate card in force today: packages, prices, service levels",
                "parameters": [
                    {"name": "card_id", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    LANG_PARAMETER,
                    {"name": "currency", "in": "query", "required": False,
                     "description": "the price list to show amounts from: one of the card's "
                     "currencies; default: its first",
                     "schema": {"type": "string", "pattern": "^[A-Z]{3}$"}},
                ],
                "responses": {"200": _json(ref[RateCardView], "the rate card"),
                              "400": _error(BAD_LANG + ", or the card has no such currency"),
                              "404": _error("no such rate card is in force today")},
            }},
            "/sla/deadlines": {"post": {
                "operationId": "slaDeadlines",
                "summary": "When a support request must be answered and resolved",
                "description": (
                    "From the rate card in force on the request's date: the response (and, "
                    "where the package gives one, resolution) deadline as an instant and in "
                    "local times, following the package's service hours, time zone with "
                    "summer time and the card's holiday calendar; a request outside the "
                    "service hours counts from the start of the next window."),
                "parameters": [LANG_PARAMETER],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": ref[SlaRequest]}}}},
                "responses": {"200": _json(ref[SlaAnswer], "the deadlines"),
                              **body_errors,
                              "422": _error("the request cannot be answered; one error per "
                                            "field")},
            }},
            "/quotes/preview": {"post": {
                "operationId": "previewQuote",
                "summary": "Price a request (nothing is stored)",
                "parameters": [LANG_PARAMETER],
                "requestBody": quote_body,
                "responses": {"200": _json(ref[QuoteResult], "the priced quote"),
                              **body_errors},
            }},
            "/quotes/compare": {"post": {
                "operationId": "compareQuote",
                "summary": "Price a request with every package of its rate card",
                "parameters": [LANG_PARAMETER],
                "requestBody": quote_body,
                "responses": {"200": _json(ref[Comparison], "every package, priced"),
                              **body_errors},
            }},
            "/quotes/preview.pdf": {"post": {
                "operationId": "previewOfferPdf",
                "summary": "The offer as a draft PDF (offer-draft-<lang>.pdf)",
                "parameters": [LANG_PARAMETER],
                "requestBody": quote_body,
                "responses": {
                    "200": {"description": "the offer PDF",
                            "content": {"application/pdf": {
                                "schema": {"type": "string", "contentMediaType":
                                           "application/pdf"}}}},
                    **body_errors,
                },
            }},
            "/quotes": {"post": {
                "operationId": "issueOffer",
                "summary": "Issue an offer (roles sales, admin): priced, numbered and stored",
                "description": (
                    "With an `Idempotency-Key` header, repeating the request with the same key "
                    "and the same body returns the offer issued the first time (200, header "
                    "`Idempotent-Replayed: true`) instead of a new one; the same key with "
                    "another body is refused (422). Keys are per user."),
                "security": [{"bearer": []}],
                "parameters": [LANG_PARAMETER, IDEMPOTENCY_KEY],
                "requestBody": quote_body,
                "responses": {
                    "201": _json(ref[OfferSnapshot], "the offer, issued now"),
                    "200": _json(ref[OfferSnapshot], "the offer issued earlier with this "
                                                     "Idempotency-Key and body"),
                    **body_errors,
                    "401": _error("no valid API token"),
                    "403": _error("the token's role may not issue offers"),
                    "422": _error("the request cannot be priced (one error per field), or "
                                  "the Idempotency-Key was used with another body"),
                },
            }},
            "/quotes/{number}": {"get": {
                "operationId": "showOffer",
                "summary": "An issued offer: number, status, request and result as issued",
                "security": [{"bearer": []}],
                "parameters": [NUMBER_PARAMETER, LANG_PARAMETER],
                "responses": {
                    "200": _json(ref[OfferSnapshot], "the offer"),
                    "400": _error(BAD_LANG),
                    "401": _error("no valid API token"),
                    "403": _error("the token's user may not read this offer"),
                    "404": _error("there is no such offer"),
                },
            }},
            "/quotes/{number}.pdf": {"get": {
                "operationId": "showOfferPdf",
                "summary": "An issued offer as PDF, in lang (default: the offer's language)",
                "security": [{"bearer": []}],
                "parameters": [NUMBER_PARAMETER, LANG_PARAMETER],
                "responses": {
                    "200": {"description": "the offer PDF (offer-<number>-<lang>.pdf)",
                            "content": {"application/pdf": {
                                "schema": {"type": "string", "contentMediaType":
                                           "application/pdf"}}}},
                    "400": _error(BAD_LANG),
                    "401": _error("no valid API token"),
                    "403": _error("the token's user may not read this offer"),
                    "404": _error("there is no such offer"),
                },
            }},
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "a staff user's API token (flask --app wsgi users token EMAIL)",
            }},
        },
    }
