"""The API's OpenAPI 3.1 document, generated from the pydantic models and the rate cards.

The shapes of a request are the pricing core's ``QuoteRequest`` (the component
of that name), a priced quote its ``QuoteResult``. What the rate cards in force
allow on top of those shapes (their packages, term years, environments, support
points, the currency's decimals and the discount limit) is written from the
rate cards themselves (``RateCardRules``, and ``PublicRateCardRules`` without a
discount), so the document is made per app and per set of card versions in
force (``quote.web.api`` keeps it). A body the document calls valid is priced;
every other body is refused.

Two rules across fields cannot be said in JSON Schema; the descriptions state
them: every addition's date lies within the term, and the environments of all
additions together stay within the package's maximum. ``as_of`` chooses the
card version, and the rules written here are those of the versions in force
today.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from pydantic.json_schema import models_json_schema

from ..core.catalog import LoadedCard
from ..core.money import minor_units
from ..core.patterns import REASON_PATTERN, decimal_pattern
from ..core.rates import PercentPrice
from ..core.request import MAX_AMOUNT, OVERRIDE_WITH_REASON, PERCENT_DECIMALS, QuoteRequest
from ..core.result import QuoteResult
from ..core.sla import SlaAnswer, SlaRequest, zone_names
from .extensions import OfferNumberConverter
from .schemas import Comparison, ErrorResponse, OfferSnapshot, RateCardList, RateCardView

MAX_BODY = "64 KiB"
OFFER_NUMBER_PATTERN = f"^{OfferNumberConverter.regex}$"
REF = "#/components/schemas/{model}"
BAD_LANG = "lang is not en, de or ru (or given twice)"
EXAMPLE_START, EXAMPLE_ADDITION = "2026-03-01", "2026-09-01"  # within any term

CROSS_FIELD_RULES = (
    "Checked by the server across fields, beyond what JSON Schema can say: every "
    "addition's date lies within the term (term_start to the day before its term_years-th "
    "anniversary), and the request's environments (default: the package's included "
    "number) and the environments of all additions together stay within the maximum "
    "that bounds environments here. as_of (default: today) chooses the version of the "
    "rate card in force on that day; these rules are those of the versions in force "
    "today (GET /rate-cards), and an as_of before a version took effect (its "
    "effective_from) is priced with the version before it or, without one, refused. "
    "A customer's VAT ID has its country's prefix (EL for Greece), and its country, when "
    "given, is one the server knows: an ISO 3166 code or a name in English, German or "
    "Russian. The tax follows from them by the seller's tax rules (docs/tax.md): without "
    "a country the price is the price before tax."
)


# What a numbered offer needs of its customer (a preview needs none of it).
_SOMETHING = {"type": "string", "minLength": 1, "pattern": REASON_PATTERN}
NAMED_CUSTOMER = {
    "required": ["customer"],
    "properties": {"customer": {
        "required": ["company", "contact", "email", "country"],
        "properties": {"company": _SOMETHING, "contact": _SOMETHING, "country": _SOMETHING,
                       "email": {"minLength": 1}},
    }},
}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": REF.format(
                model="ErrorResponse")}}}}


def _json(ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": ref}}}}


def _pdf(description: str) -> dict:
    return {"description": description,
            "content": {"application/pdf": {"schema": {
                "type": "string", "contentMediaType": "application/pdf"}}}}


LANG_PARAMETER = {
    "name": "lang", "in": "query", "required": False,
    "description": "language of the texts; default: Accept-Language, then English",
    "schema": {"type": "string", "enum": ["en", "de", "ru"]},
}
NUMBER_PARAMETER = {
    "name": "number", "in": "path", "required": True,
    "description": "the offer number, e.g. Q-2026-000042",
    "schema": {"type": "string", "pattern": OFFER_NUMBER_PATTERN},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "any string of 1 to 200 characters, new for every new offer",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
OFFER_LINKS = {
    name: {"operationId": operation, "parameters": {"number": "$response.body#/number"},
           "description": description}
    for name, operation, description in (
        ("ShowOffer", "showOffer", "the offer just issued"),
        ("ShowOfferPdf", "showOfferPdf", "its PDF"),
    )
}


def _too_many(limit: str) -> dict:
    return {
        "description": f"too many requests from this address (at most {limit}); requests "
                       "with a valid API token are not limited",
        "headers": {"Retry-After": {"description": "seconds to wait",
                                    "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
        "content": {"application/json": {"schema": {"$ref": REF.format(
            model="ErrorResponse")}}},
    }


@cache
def _model_schemas() -> tuple[dict, dict]:
    """The components made from the pydantic models (the same for every app)."""
    keys, top = models_json_schema(
        [(QuoteRequest, "validation"), (QuoteResult, "serialization"),
         (ErrorResponse, "serialization"), (RateCardList, "serialization"),
         (RateCardView, "serialization"), (Comparison, "serialization"),
         (OfferSnapshot, "serialization"), (SlaRequest, "validation"),
         (SlaAnswer, "serialization")],
        ref_template=REF,
    )
    return {model.__name__: keys[(model, mode)]["$ref"] for model, mode in keys}, top["$defs"]


# A zero amount, however written: "0", "0.00", 0 (JSON Schema counts 0.0 an integer too).
ZERO = {"anyOf": [{"type": "string", "pattern": r"^0(\.0+)?$"},
                  {"type": "integer", "maximum": 0}]}


def _currency_is(codes: list[str], default: str) -> dict:
    """A request whose currency is one of ``codes`` (an absent one is the card's default)."""
    if default in codes:
        return {"properties": {"currency": {"enum": [None, *codes]}}}
    return {"required": ["currency"], "properties": {"currency": {"enum": codes}}}


def _license_rules(card) -> list[dict]:
    """The license values and license additions a card's packages take: none on a card
    without a license value; no license addition where a package's price for a deployment
    does not depend on it; no zero license value where its fee is a percentage with no
    minimum (a top-up priced as a contract of its own then needs an added license)."""
    rules = []
    for package in card.packages:
        for deployment in ("on_site", "on_demand"):
            price = package.price(deployment)
            chosen = {"required": ["package", "deployment"],
                      "properties": {"package": {"const": package.id},
                                     "deployment": {"const": deployment}}}
            if not isinstance(price, PercentPrice):
                if card.license_value:
                    rules.append({"if": chosen, "then": {"properties": {"additions": {
                        "items": {"properties": {"license_value": ZERO}}}}}})
                continue
            free = [code for code in card.currencies if not price.minimum.of(code)]
            if not free:
                continue
            separate = {"required": ["separate_term"],
                        "properties": {"separate_term": {"const": True}}}
            when = {"allOf": [chosen, _currency_is(free, card.currency)]}
            rules.append({"if": {"allOf": [when, {"not": separate}]},
                          "then": {"properties": {"license_value": {"not": ZERO}}}})
            rules.append({"if": {"allOf": [when, separate]}, "then": {"properties": {
                "additions": {"contains": {"required": ["license_value"], "properties": {
                    "license_value": {"not": ZERO}}}}}}})
    return rules


def card_rules(loaded: LoadedCard, discount: bool,
               versions: list[str] | None = None) -> list[dict]:
    """What one rate card version allows: one schema per group of packages with the same
    limits on environments and group of currencies with the same decimals. ``discount``: up
    to the card's limit, else none. ``versions``: the card's versions a request may pin
    (default: this one)."""
    card = loaded.card
    versions = versions or [card.version]
    by_decimals: dict[int, list[str]] = {}
    for code in card.currencies:
        by_decimals.setdefault(minor_units(code), []).append(code)
    license_rules = _license_rules(card)
    if card.points is None:
        points = {"type": "null"}
    else:
        points = {"minimum": card.points.minimum, "maximum": card.points.maximum}
    limit = card.max_discount_percent if discount else Decimal(0)
    groups: dict[tuple[int, int], list[str]] = {}
    for package in card.packages:
        rules = package.environments
        # (environments in all, environments one addition may add): without further
        # environments the included ones and none; else up to the maximum, and an addition
        # at most maximum - 1, since a request has at least one environment.
        bounds = ((rules.included, 0) if rules.extra is None
                  else (rules.maximum, rules.maximum - 1))
        groups.setdefault(bounds, []).append(package.id)
    rules = []
    for (most, most_added), packages in groups.items():
        for decimals, codes in by_decimals.items():
            if card.license_value:  # required, within the currency's decimals
                license_value = {"type": ["string", "integer"],
                                 "pattern": decimal_pattern(MAX_AMOUNT, decimals)}
                added = {"pattern": decimal_pattern(MAX_AMOUNT, decimals)}
            else:  # none, or zero
                license_value = added = {"pattern": decimal_pattern(0, decimals),
                                         "maximum": 0}
            rule = {
                "title": f"{card.id} {card.version}: {', '.join(packages)} in "
                         f"{', '.join(codes)}",
                "properties": {
                    "rate_card": {"const": card.id},
                    "package": {"enum": packages},
                    "currency": {"enum": [None, *codes] if card.currency in codes else codes},
                    "license_value": license_value,
                    "term_years": {"minimum": card.minimum_term_years,
                                   "maximum": card.maximum_term_years},
                    "environments": {"maximum": most},
                    "additions": {"items": {"properties": {
                        "license_value": added, "environments": {"maximum": most_added}}}},
                    "points": points,
                    "discount_percent": {"pattern": decimal_pattern(limit, PERCENT_DECIMALS),
                                         "maximum": int(limit)},
                    "rate_card_version": {"enum": [None, *versions]},
                    **({} if card.reinstatement else {"kind": {"not": {"const":
                                                                       "reinstatement"}}}),
                },
            }
            if card.license_value:
                rule["required"] = ["license_value"]
            if card.currency not in codes:
                rule.setdefault("required", []).append("currency")
            if license_rules:
                rule["allOf"] = license_rules
            rules.append(rule)
    return rules


def rate_card_rules(cards: list[LoadedCard], discount: bool,
                    versions: dict[str, list[str]] | None = None) -> dict:
    """What the rate cards ``cards`` allow, for requests with or without a discount (and,
    without, without a tax rate: the tax follows from the customer)."""
    rules = {
        "description": (
            "What the rate cards in force allow, one schema per rate card (and group of "
            "its packages and currencies): packages, currencies, term years, environments, "
            "support points (only on cards that sell them), license values (required where "
            "the card prices by them, within the currency's decimals; none or 0 on a card "
            "without one; above 0 where a fee is a percentage with no minimum; no license "
            "additions where a package's price does not depend on them) and "
            + ("the discount limit. " if discount
               else "no discount and no tax rate (the tax follows from the customer). ")
            + "A top-up (kind top_up or existing_contract: true) needs an addition or "
            "support points; separate_term is a top-up's and needs an addition; lapsed is "
            "given for a reinstatement and only then. "
            + CROSS_FIELD_RULES
        ),
        "oneOf": [rule for loaded in cards
                  for rule in card_rules(loaded, discount, (versions or {}).get(loaded.card.id))],
        "allOf": KIND_RULES + (OVERRIDE_WITH_REASON if discount else []),
    }
    if not discount:
        rules["properties"] = {"tax_percent": {"type": "null"}, "tax_reason": {"not": {}}}
    return rules


def _is(name: str, value) -> dict:
    return {"required": [name], "properties": {name: {"const": value}}}


_TOP_UP = {"anyOf": [_is("kind", "top_up"), _is("existing_contract", True)]}
_WITH_ADDITIONS = {"required": ["additions"], "properties": {"additions": {"minItems": 1}}}

# What the kind of an offer asks of the other fields (the same on every card).
KIND_RULES = [
    # existing_contract: true is a top-up, never a renewal or a reinstatement
    {"if": _is("existing_contract", True),
     "then": {"properties": {"kind": {"enum": ["new", "top_up"]}}}},
    # a top-up needs an addition or support points
    {"if": _TOP_UP,
     "then": {"anyOf": [_WITH_ADDITIONS, {"required": ["points"],
                                          "properties": {"points": {"type": "integer"}}}]}},
    # a separate term is a top-up's, and needs an addition
    {"if": _is("separate_term", True), "then": {"allOf": [_TOP_UP, _WITH_ADDITIONS]}},
    # a reinstatement, and only a reinstatement, names the lapsed contract
    {"if": _is("kind", "reinstatement"),
     "then": {"required": ["lapsed"], "properties": {"lapsed": {"type": "object"}}},
     "else": {"properties": {"lapsed": {"type": "null"}}}},
]


def _example(loaded: LoadedCard, discount: bool) -> dict:
    """A request for the card's first package that the document and the server accept."""
    card = loaded.card
    package = card.packages[0]
    decimals = minor_units(card.currency)
    example = {
        "rate_card": card.id,
        "package": package.id,
        "deployment": "on_site",
        "currency": card.currency,
        "term_start": EXAMPLE_START,
        "term_years": card.minimum_term_years,
        "language": "en",
        "customer": {"company": "Example GmbH", "contact": "Erika Mustermann",
                     "email": "buyer@example.com", "country": "DE"},
    }
    if card.license_value:
        example["license_value"] = ("12000" if decimals == 0
                                    else "12000." + "5".ljust(min(decimals, 2), "0"))
    if isinstance(package.on_site, PercentPrice):
        example["additions"] = [{"date": EXAMPLE_ADDITION, "license_value": "3000"}]
    elif package.environments.extra is not None:
        example["additions"] = [{"date": EXAMPLE_ADDITION, "environments": 1}]
    if card.points is not None:
        example["points"] = card.points.minimum
    if discount and card.max_discount_percent >= 1:
        example["discount_percent"] = str(min(int(card.max_discount_percent), 5))
    return example


def _examples(cards: list[LoadedCard], discount: bool) -> dict:
    return {loaded.card.id: {"summary": loaded.card.name("en"),
                             "value": _example(loaded, discount)} for loaded in cards}


def sla_rules(cards: list[LoadedCard], versions: dict[str, list[str]] | None = None) -> dict:
    """What a deadline request may name: per rate card in force, its packages and
    priorities; the time zones of the server's database."""
    return {
        "description": "The rate cards in force today (or a version of one a request pins), "
                       "their packages and priorities, and the IANA time zones the server "
                       "knows.",
        "oneOf": [
            {"title": f"{loaded.card.id} {loaded.card.version}",
             "properties": {
                 "rate_card": {"const": loaded.card.id},
                 "package": {"enum": [p.id for p in loaded.card.packages]},
                 "priority": {"enum": [p.id for p in loaded.card.priorities]},
                 "rate_card_version": {"enum": [
                     None, *((versions or {}).get(loaded.card.id) or [loaded.card.version])]},
             }}
            for loaded in cards],
        "properties": {"time_zone": {"enum": [None, *sorted(zone_names())]}},
    }


def _sla_examples(cards: list[LoadedCard]) -> dict:
    return {loaded.card.id: {"summary": loaded.card.name("en"), "value": {
        "rate_card": loaded.card.id, "package": loaded.card.packages[0].id,
        "priority": loaded.card.priorities[0].id,
        "requested_at": "2026-12-24T17:45:00+01:00", "time_zone": "Europe/Berlin",
        "language": "en"}} for loaded in cards}


def openapi_document(cards: list[LoadedCard], preview_limit: str,
                     versions: dict[str, list[str]] | None = None) -> dict:
    """The document for the rate card versions ``cards`` (those in force today) and the
    previews' rate limit (``LIMIT_PREVIEW``, e.g. "120 per minute")."""
    ref, models = _model_schemas()
    request = REF.format(model="QuoteRequest")
    schemas = {
        **models,
        "RateCardRules": rate_card_rules(cards, discount=True, versions=versions),
        "PublicRateCardRules": rate_card_rules(cards, discount=False, versions=versions),
        "PublicQuoteRequest": {
            "description": "A quote request as anyone may send it: without a discount and "
                           "without a tax rate (the tax follows from the customer's country "
                           "and VAT ID).",
            "allOf": [{"$ref": request}, {"$ref": REF.format(model="PublicRateCardRules")}],
        },
        "StaffQuoteRequest": {
            "description": "A quote request sent with the API token of a sales or admin "
                           "user: a discount up to the rate card's limit, and a tax rate "
                           "instead of the tax rules' with its reason.",
            "allOf": [{"$ref": request}, {"$ref": REF.format(model="RateCardRules")}],
        },
        "IssueQuoteRequest": {
            "description": "A staff quote request to be issued as a numbered offer: it "
                           "names the customer's company, contact, e-mail and country.",
            "allOf": [{"$ref": REF.format(model="StaffQuoteRequest")}, NAMED_CUSTOMER],
        },
        "SlaRules": sla_rules(cards, versions),
        "DeadlinesRequest": {
            "description": "A deadline request for the rate cards in force.",
            "allOf": [{"$ref": REF.format(model="SlaRequest")},
                      {"$ref": REF.format(model="SlaRules")}],
        },
    }

    def body(model: str, discount: bool) -> dict:
        return {"required": True, "content": {"application/json": {
            "schema": {"$ref": REF.format(model=model)},
            "examples": _examples(cards, discount)}}}

    body_errors = {
        "400": _error("the body is not valid JSON, or lang is not en, de or ru"),
        "413": _error(f"the body is larger than {MAX_BODY}"),
        "415": _error("the body is not sent as application/json"),
        "422": _error("the request cannot be priced; one error per field"),
    }
    public_errors = {
        **body_errors,
        "403": _error('a discount or a tax rate without the API token of a sales or admin '
                      'user (field "discount_percent", "tax_percent" or "tax_reason"), or '
                      'more additions than a request without a staff token may carry (field '
                      '"additions")'),
        "429": _too_many(preview_limit),
    }
    busy = {"description": "the host renders as many PDFs as it may at once, or this one "
                           "took longer than the render time limit: try again later",
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
            "content": {"application/json": {"schema": {"$ref": REF.format(
                model="ErrorResponse")}}}}
    public = (
        "Anyone may call it, without a discount (PublicQuoteRequest). With the API token "
        "of a sales or admin user the request may give a discount up to the rate card's "
        "limit (StaffQuoteRequest); with any valid API token no rate limit applies."
    )
    optional_token = [{}, {"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "quote API",
            "version": "1",
            "description": (
                "Support pricing and quotation. Amounts are plain decimal strings "
                '("12000.50": no sign, spaces or leading zeros); a whole JSON number is '
                "accepted for an amount, a JSON number with a fractional part is refused. "
                "Previews store nothing; the endpoints of issued offers need a staff API "
                "token (Authorization: Bearer). "
                f"Request bodies are limited to {MAX_BODY}. A discount needs the token of "
                "a sales or admin user (403 without). The previews are rate-limited (429) "
                "for requests without a valid token. The request schemas are written from "
                "the rate cards in force today."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/rate-cards": {"get": {
                "operationId": "listRateCards",
                "summary": "The rate cards in force today",
                "parameters": [LANG_PARAMETER],
                "responses": {"200": _json(ref["RateCardList"], "the rate cards in force"),
                              "400": _error(BAD_LANG)},
            }},
            "/rate-cards/{card_id}": {"get": {
                "operationId": "showRateCard",
                "summary": "One rate card in force today: packages, prices, service levels",
                "parameters": [
                    {"name": "card_id", "in": "path", "required": True,
                     "description": "the id of a rate card in force today",
                     "schema": {"type": "string",
                                "enum": [loaded.card.id for loaded in cards]}},
                    LANG_PARAMETER,
                    {"name": "currency", "in": "query", "required": False,
                     "description": "the price list to show amounts from: one of the card's "
                     "currencies; default: its first",
                     "schema": {"type": "string", "pattern": "^[A-Z]{3}$"}},
                ],
                "responses": {"200": _json(ref["RateCardView"], "the rate card"),
                              "400": _error(BAD_LANG + ", or currency is given twice"),
                              "404": _error("no such rate card is in force today, or it has "
                                            "no price list in that currency")},
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
                "security": optional_token,
                "parameters": [LANG_PARAMETER],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": REF.format(model="DeadlinesRequest")},
                    "examples": _sla_examples(cards)}}},
                "responses": {"200": _json(ref["SlaAnswer"], "the deadlines"),
                              **body_errors,
                              "422": _error("the request cannot be answered; one error per "
                                            "field"),
                              "429": _too_many(preview_limit)},
            }},
            "/quotes/preview": {"post": {
                "operationId": "previewQuote",
                "summary": "Price a request (nothing is stored)",
                "description": public,
                "security": optional_token,
                "parameters": [LANG_PARAMETER],
                "requestBody": body("PublicQuoteRequest", discount=False),
                "responses": {"200": _json(ref["QuoteResult"], "the priced quote"),
                              **public_errors},
            }},
            "/quotes/compare": {"post": {
                "operationId": "compareQuote",
                "summary": "Price a request with every package of its rate card",
                "description": public,
                "security": optional_token,
                "parameters": [LANG_PARAMETER],
                "requestBody": body("PublicQuoteRequest", discount=False),
                "responses": {"200": _json(ref["Comparison"], "every package, priced"),
                              **public_errors},
            }},
            "/quotes/preview.pdf": {"post": {
                "operationId": "previewOfferPdf",
                "summary": "The offer as a draft PDF (offer-draft-<lang>.pdf)",
                "description": public,
                "security": optional_token,
                "parameters": [LANG_PARAMETER],
                "requestBody": body("PublicQuoteRequest", discount=False),
                "responses": {"200": _pdf("the offer PDF"), **public_errors, "503": busy},
            }},
            "/quotes": {"post": {
                "operationId": "issueOffer",
                "summary": "Issue an offer (roles sales, admin): priced, numbered and stored",
                "description": (
                    "With an `Idempotency-Key` header, repeating the request with the same key "
                    "and the same body returns the offer issued the first time (200, header "
                    "`Idempotent-Replayed: true`) instead of a new one; the same key with "
                    "another body is a conflict (409). Keys are per user."),
                "security": [{"bearer": []}],
                "parameters": [LANG_PARAMETER, IDEMPOTENCY_KEY],
                "requestBody": body("IssueQuoteRequest", discount=True),
                "responses": {
                    "201": {**_json(ref["OfferSnapshot"], "the offer, issued now"),
                            "headers": {"Location": {
                                "description": "the offer's URL", "required": True,
                                "schema": {"type": "string"}}},
                            "links": OFFER_LINKS},
                    "200": {**_json(ref["OfferSnapshot"], "the offer issued earlier with this "
                                                          "Idempotency-Key and body"),
                            "headers": {
                                "Location": {"description": "the offer's URL",
                                             "required": True, "schema": {"type": "string"}},
                                "Idempotent-Replayed": {"required": True,
                                                        "schema": {"const": "true"}}}},
                    **body_errors,
                    "400": _error("the body is not valid JSON, lang is not en, de or ru, or "
                                  "the Idempotency-Key is empty or too long"),
                    "401": _error("no valid API token"),
                    "403": _error("the token's role may not issue offers"),
                    "404": _error('the request names a contract that does not exist (field '
                                  '"contract")'),
                    "409": _error("the Idempotency-Key was used before with another body "
                                  '(field "Idempotency-Key", naming that offer), or the offer '
                                  'cannot belong to the contract it names (another rate card '
                                  'or customer; field "contract")'),
                },
            }},
            "/quotes/{number}": {"get": {
                "operationId": "showOffer",
                "summary": "An issued offer: number, status, request and result as issued",
                "security": [{"bearer": []}],
                "parameters": [NUMBER_PARAMETER, LANG_PARAMETER],
                "responses": {
                    "200": _json(ref["OfferSnapshot"], "the offer"),
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
                    "200": _pdf("the offer PDF (offer-<number>-<lang>.pdf)"),
                    "503": busy,
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
