"""The customer and contract endpoints in the OpenAPI document (``quote.web.openapi``).

The bodies are the models of ``quote.web.contract_schemas``. A contract entered by
hand is narrowed per rate card in force (``ContractRules``: its packages, term
years, environments, license values), as a quote request is. What depends on the
stored contract a top-up, renewal or reinstatement is for (the days of its term,
its package's environments, its card's discount limit and term years) cannot be
said in JSON Schema; the descriptions state it, and the server answers 422 at the
body's field (409 where the contract itself cannot take the offer).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product

from ..core.catalog import LoadedCard
from ..core.money import minor_units
from ..core.patterns import decimal_pattern
from ..core.request import MAX_AMOUNT, PERCENT_DECIMALS
from .contract_schemas import MAX_ID
from .extensions import ContractNumberConverter

EXAMPLE_START, EXAMPLE_ADDITION = "2026-03-01", "2026-09-01"
CONTRACT_NUMBER = {
    "name": "number", "in": "path", "required": True,
    "description": "the contract number, e.g. C-000042",
    "schema": {"type": "string", "pattern": f"^{ContractNumberConverter.regex}$"},
}
CUSTOMER_ID = {
    "name": "customer_id", "in": "path", "required": True,
    "description": "the customer's id",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
CONTRACT_RULES = (
    "Checked by the server across fields, beyond what JSON Schema can say: without "
    "card_version, a version of the rate card must be in force on term_start (its "
    "effective_from on or before it). The rules written here are those of the versions in "
    "force today."
)
FROM_THE_CONTRACT = (
    "Checked by the server against the stored contract, beyond what JSON Schema can say: "
    "additions lie within the contract's term (term start to its last covered day), with "
    "license values within the decimals of the contract's currency, and "
    "their environments, with the contract's, stay within its package's maximum (with no "
    "license additions where the package's fee does not depend on the license value, and "
    "none on a card without one); years lie within the bounds of the card version that "
    "prices the offer; a reinstatement starts later than the day after the contract's "
    "end; discount_percent is at most the contract's rate card's limit. An error at a "
    "field the body gives is answered 422 at that field, one the contract causes (it "
    "ended, or a default such as a reinstatement's start of today does not fit it) 409."
)


def contract_rules(cards: list[LoadedCard], license_rules,
                   versions: dict[str, list[str]] | None = None) -> dict:
    """What a contract entered by hand may be on the rate cards ``cards``: one schema per
    card and group of packages with the same limit on environments. ``license_rules(card)``:
    where a zero license value is refused (a percentage fee with no minimum)."""
    rules = []
    for loaded in cards:
        card = loaded.card
        by_decimals: dict[int, list[str]] = {}
        for code in card.currencies:
            by_decimals.setdefault(minor_units(code), []).append(code)
        groups: dict[int, list[str]] = {}
        for package in card.packages:
            limits = package.environments
            most = limits.included if limits.extra is None else limits.maximum
            groups.setdefault(most, []).append(package.id)
        zero_refused = license_rules(card)
        for (most, packages), (decimals, codes) in product(groups.items(),
                                                           by_decimals.items()):
            if card.license_value:
                license_value = {"pattern": decimal_pattern(MAX_AMOUNT, decimals)}
            else:
                license_value = {"pattern": decimal_pattern(0, decimals), "maximum": 0}
            rule = {
                "title": f"{card.id} {card.version}: {', '.join(packages)} in "
                         f"{', '.join(codes)}",
                "properties": {
                    "rate_card": {"const": card.id},
                    "card_version": {"enum": [
                        None, *((versions or {}).get(card.id) or [card.version])]},
                    "package": {"enum": packages},
                    "currency": {"enum": [None, *codes] if card.currency in codes
                                 else codes},
                    "license_value": license_value,
                    "term_years": {"minimum": card.minimum_term_years,
                                   "maximum": card.maximum_term_years},
                    "environments": {"maximum": most},
                },
            }
            if card.currency not in codes:
                rule["required"] = ["currency"]
            if zero_refused:
                rule["allOf"] = zero_refused
            rules.append(rule)
    return {
        "description": (
            "What the rate cards in force allow a contract entered by hand, one schema per "
            "rate card (and group of its packages): packages, term years, environments, "
            "currencies, license values (within the currency's decimals; 0 on a card "
            "without one; above 0 where a fee is a percentage with no minimum). "
            + CONTRACT_RULES),
        "oneOf": rules,
    }


def offer_rules(cards: list[LoadedCard]) -> dict:
    """The discount a body for a contract's offer may give: at most the highest limit of
    the cards in force (the contract's own card's limit is checked by the server)."""
    limit = max((loaded.card.max_discount_percent for loaded in cards), default=Decimal(0))
    decimals = max((minor_units(code) for loaded in cards for code in loaded.card.currencies),
                   default=0)
    return {
        "description": "The discount: at most the largest limit of the rate cards in force; "
                       "added license values: at most the decimals of their currencies "
                       "(the contract's currency's are checked by the server). "
                       + FROM_THE_CONTRACT,
        "properties": {
            "discount_percent": {"pattern": decimal_pattern(limit, PERCENT_DECIMALS),
                                 "maximum": int(limit)},
            "additions": {"items": {"properties": {"license_value": {
                "pattern": decimal_pattern(MAX_AMOUNT, decimals)}}}},
        },
    }


def components(cards: list[LoadedCard], license_rules, component,
               versions: dict[str, list[str]] | None = None) -> dict:
    """The components of the bodies' rules; ``component(name)``: a reference to one."""
    return {
        "ContractRules": contract_rules(cards, license_rules, versions),
        "ContractRequest": {
            "description": "One contract entered by hand, on a rate card in force.",
            "allOf": [component("NewContract"), component("ContractRules")]},
        "ContractOfferRules": offer_rules(cards),
        **{f"{name}Request": {
            "description": description,
            "allOf": [component(f"{name}Body"), component("ContractOfferRules")]}
           for name, description in (
               ("TopUp", "More licenses and/or environments for a running contract."),
               ("Renewal", "The contract's next term."),
               ("Reinstatement", "A new term after the contract's support lapsed."))},
    }


def _customer_example() -> dict:
    return {"company": "Example GmbH", "country": "DE", "vat_id": "DE 123 456 789",
            "language": "de",
            "contacts": [{"name": "Erika Mustermann", "email": "erika@example.com"}]}


def _contract_example(loaded: LoadedCard) -> dict:
    card = loaded.card
    decimals = minor_units(card.currency)
    return {"company": "Example GmbH", "country": "DE", "contact_name": "Erika Mustermann",
            "contact_email": "erika@example.com", "rate_card": card.id,
            "card_version": card.version, "package": card.packages[0].id,
            "deployment": "on_site",
            "license_value": ("12000.00" if decimals == 2 else "12000")
            if card.license_value else "0",
            "term_start": EXAMPLE_START, "term_years": card.minimum_term_years,
            "billing": "annual"}


OFFER_EXAMPLES = {
    "TopUpRequest": {"licenses": {
        "summary": "more licenses on a day within the contract's term",
        "value": {"additions": [{"date": EXAMPLE_ADDITION, "license_value": "6000.00"}]}}},
    "RenewalRequest": {"renewal": {
        "summary": "one more year, billed annually", "value": {"years": 1,
                                                               "billing": "annual"}}},
    "ReinstatementRequest": {"reinstatement": {
        "summary": "a new year from 1 February 2026 (for a contract that ended before)",
        "value": {"start": "2026-02-01", "years": 1}}},
}


def paths(cards: list[LoadedCard], ref: dict, common: dict) -> dict:
    """The paths of customers and contracts. ``ref``: the models' references;
    ``common``: what the document's other endpoints use too (``component(name)``,
    ``error(description)``, ``json(ref, description)``, the parameters ``lang`` and
    ``idempotency_key``, the answers ``body_errors``, the ``offer_links``)."""
    lang, body_errors = common["lang"], common["body_errors"]
    component, error, json_answer = common["component"], common["error"], common["json"]
    token = [{"bearer": []}]
    unauthorised = {"401": error("no valid API token")}
    bad_query = error("lang is not en, de or ru, or a query parameter is given twice or "
                      "is not one the endpoint takes")
    page_parameters = [
        {"name": "page", "in": "query", "required": False, "description": "default: 1",
         "schema": {"type": "integer", "minimum": 1, "maximum": 10_000}},
        {"name": "per_page", "in": "query", "required": False, "description": "default: 50",
         "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    ]
    not_yours = ("a customer the caller may not see (sales: one another salesperson looks "
                 "after) is answered as one that does not exist")

    def body(model: str, examples: dict) -> dict:
        return {"required": True, "content": {"application/json": {
            "schema": component(model), "examples": examples}}}

    def created(model: str, description: str) -> dict:
        return {**json_answer(ref[model], description),
                "headers": {"Location": {"description": "its URL", "required": True,
                                         "schema": {"type": "string"}}}}

    contract_refused = error(
        "the contract cannot take this offer: it is cancelled, it ended (a top-up then "
        "offers a reinstatement), or a default the body left out does not fit it; the "
        "errors name no field of the body")
    no_contract = error("there is no such contract, or the caller may not see it")

    def preview(operation: str, summary: str, model: str) -> dict:
        return {"post": {
            "operationId": operation, "summary": summary,
            "description": "Priced from the contract as it runs, as POST /quotes/preview "
                           "answers (nothing is stored). Roles sales (their customers' "
                           "contracts), finance, admin; a discount or a tax rate needs a sales "
                           "or admin token. " + FROM_THE_CONTRACT,
            "security": token, "parameters": [CONTRACT_NUMBER, lang],
            "requestBody": body(model, OFFER_EXAMPLES[model]),
            "responses": {
                "200": json_answer(ref["QuoteResult"], "the priced offer, with its billing "
                                                       "schedule"),
                **body_errors, **unauthorised,
                "403": error('a discount or a tax rate without the token of a sales or admin '
                             'user (field "discount_percent", "tax_percent" or "tax_reason")'),
                "404": no_contract, "409": contract_refused,
            }}}

    def issue(operation: str, summary: str, model: str) -> dict:
        snapshot = ref["OfferSnapshot"]
        location = {"description": "the offer's URL", "required": True,
                    "schema": {"type": "string"}}
        return {"post": {
            "operationId": operation, "summary": summary,
            "description": "Issues the offer (roles sales, admin) linked to the contract and "
                           "its customer, priced as the preview prices it. With an "
                           "`Idempotency-Key` header the same key and body for the same "
                           "contract return the offer issued the first time (200, "
                           "`Idempotent-Replayed: true`); the same key with another body or "
                           "contract is a conflict (409). " + FROM_THE_CONTRACT,
            "security": token, "parameters": [CONTRACT_NUMBER, lang, common["idempotency_key"]],
            "requestBody": body(model, OFFER_EXAMPLES[model]),
            "responses": {
                "201": {**json_answer(snapshot, "the offer, issued now"),
                        "headers": {"Location": location}, "links": common["offer_links"]},
                "200": {**json_answer(snapshot, "the offer issued earlier with this "
                                                "Idempotency-Key and body"),
                        "headers": {"Location": location, "Idempotent-Replayed": {
                            "required": True, "schema": {"const": "true"}}}},
                **body_errors,
                "400": error("the body is not valid JSON, lang is not en, de or ru, or the "
                             "Idempotency-Key is empty or too long"),
                **unauthorised,
                "403": error("the token's role may not issue offers"),
                "404": no_contract,
                "409": error("the contract cannot take this offer (see the preview), or the "
                             'Idempotency-Key was used before with another body (field '
                             '"Idempotency-Key", naming that offer)'),
            }}}

    return {
        "/customers": {
            "get": {
                "operationId": "listCustomers",
                "summary": "Find customers by company, VAT ID, contact name or e-mail",
                "description": "Any case, any part of the text; by company name, in pages. "
                               "Sales see the customers they look after and those nobody "
                               "looks after yet; finance and admin all.",
                "security": token,
                "parameters": [
                    {"name": "q", "in": "query", "required": False,
                     "description": "a part of the company, VAT ID, a contact's name or "
                                    "e-mail; default: every customer",
                     "schema": {"type": "string", "maxLength": 200}},
                    *page_parameters, lang],
                "responses": {"200": json_answer(ref["CustomerList"], "one page of customers"),
                              "400": bad_query, **unauthorised},
            },
            "post": {
                "operationId": "createCustomer",
                "summary": "Create a customer (roles sales, admin)",
                "description": "The first contact is the primary one. A customer created by "
                               "a salesperson is looked after by them; one created by an "
                               "admin by nobody yet. The same company (its name compared "
                               "in any case, white space collapsed) in the same country is "
                               "the same customer: a conflict (409) that names it.",
                "security": token, "parameters": [lang],
                "requestBody": body("NewCustomer", {"customer": {
                    "summary": "a customer with its contact", "value": _customer_example()}}),
                "responses": {
                    "201": created("CustomerView", "the customer, created now"),
                    **body_errors,
                    "422": error("the customer's data is refused; one error per field "
                                 "(contacts.0.email, ...)"),
                    **unauthorised,
                    "403": error("the token's role may not create customers"),
                    "409": error('the same company in the same country is a customer already '
                                 '(field "company"; named if the caller may see it)'),
                },
            },
        },
        "/customers/{customer_id}": {"get": {
            "operationId": "showCustomer",
            "summary": "A customer with its contacts and contracts",
            "security": token, "parameters": [CUSTOMER_ID, lang],
            "responses": {"200": json_answer(ref["CustomerView"], "the customer"),
                          "400": error("lang is not en, de or ru"), **unauthorised,
                          "404": error(f"there is no such customer; {not_yours}")},
        }},
        "/contracts": {
            "get": {
                "operationId": "listContracts",
                "summary": "Contracts by number, of one customer or in one status",
                "security": token,
                "parameters": [
                    {"name": "customer", "in": "query", "required": False,
                     "description": "only this customer's contracts",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
                    {"name": "status", "in": "query", "required": False,
                     "description": "only contracts in this status today (an active "
                                    "contract past its last covered day has ended)",
                     "schema": {"type": "string", "enum": ["active", "ended", "cancelled"]}},
                    *page_parameters, lang],
                "responses": {
                    "200": json_answer(ref["ContractList"], "one page of contracts"),
                    "400": bad_query, **unauthorised,
                    "404": error(f'there is no such customer (field "customer"); {not_yours}'),
                },
            },
            "post": {
                "operationId": "createContract",
                "summary": "Enter a running contract by hand (roles sales, admin)",
                "description": (
                    "The fields and checks of a line of the contract import (docs/contracts"
                    ".md): the contract's term is priced by the core on its card version. "
                    "The customer is the one given by id, else the same company in the "
                    "same country, else a new one (a new contact e-mail is added to an "
                    "existing customer). A salesperson enters contracts they look after "
                    "(owner_email: none or their own). The customer's contract on the "
                    "same rate card, package, deployment and term start exists already: "
                    "409, naming it. " + CONTRACT_RULES),
                "security": token, "parameters": [lang],
                "requestBody": body("ContractRequest", {
                    loaded.card.id: {"summary": loaded.card.name("en"),
                                     "value": _contract_example(loaded)}
                    for loaded in cards}),
                "responses": {
                    "201": created("ContractView", "the contract, entered now"),
                    **body_errors,
                    "422": error("the contract is refused; one error per field, named as the "
                                 "import's columns"),
                    **unauthorised,
                    "403": error('the token\'s role may not enter contracts, or a salesperson '
                                 'names another owner (field "owner_email")'),
                    "404": error('there is no such customer (field "customer"; or one the '
                                 'caller may not see), or no active user with the owner\'s '
                                 'e-mail address (field "owner_email")'),
                    "409": error("the customer has this contract already, or the company is "
                                 "a customer someone else looks after"),
                },
            },
        },
        "/contracts/{number}": {"get": {
            "operationId": "showContract",
            "summary": "A contract: what runs now, its annual cost, its history and offers",
            "security": token, "parameters": [CONTRACT_NUMBER, lang],
            "responses": {"200": json_answer(ref["ContractView"], "the contract"),
                          "400": error("lang is not en, de or ru"), **unauthorised,
                          "404": no_contract},
        }},
        "/contracts/{number}/top-up/preview": preview(
            "previewTopUp", "Price more licenses or environments for a running contract",
            "TopUpRequest"),
        "/contracts/{number}/top-up": issue(
            "issueTopUp", "Issue the top-up offer of a running contract", "TopUpRequest"),
        "/contracts/{number}/renewal/preview": preview(
            "previewRenewal", "Price the contract's next term", "RenewalRequest"),
        "/contracts/{number}/renewal": issue(
            "issueRenewal", "Issue the offer of the contract's next term", "RenewalRequest"),
        "/contracts/{number}/reinstatement/preview": preview(
            "previewReinstatement", "Price a new term after the contract's support lapsed",
            "ReinstatementRequest"),
    }
