"""The OpenAPI document is valid OpenAPI 3.1, made from the models and the rate cards in
force, says exactly what the API accepts, and the API keeps it."""

from __future__ import annotations

import atexit
import copy
import datetime as dt
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from quote import create_app, resources
from quote.core.contract import last_day
from quote.core.countries import country_code
from quote.core.rates import PercentPrice
from quote.core.request import EARLIEST, LATEST, QuoteRequest
from quote.core.tax import vat_id_country
from quote.store import add_user, create_api_token
from quote.web import pdfs

TODAY = "2026-01-15"
PUBLIC = ("/quotes/preview", "/quotes/compare", "/quotes/preview.pdf")


def _api():
    """The app the document is loaded from, and an admin's API token (an app of its own:
    schemathesis' parametrize runs at collection). Previews store nothing, so the tests of
    single requests use it too."""
    folder = Path(tempfile.mkdtemp(prefix="quote-openapi-"))
    atexit.register(shutil.rmtree, folder, True)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TODAY": TODAY,
                      "DATABASE_URL": f"sqlite:///{folder / 'quote.db'}",
                      "RATELIMIT_ENABLED": False})
    with app.extensions["quote.store"].session() as session:
        admin = add_user(session, "admin@example.com", "Admin", "correct horse battery",
                         role="admin")
        token = create_api_token(session, admin, "schemathesis").token
    return app, token


APP, STAFF_TOKEN = _api()
BOOK = APP.extensions["quote.rates"]
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module")
def spec():
    response = APP.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def validator(spec: dict, model: str):
    """A validator of the document's component ``model`` (references resolved in the document)."""
    return jsonschema_rs.validator_for(
        {"$ref": f"#/components/schemas/{model}", "components": spec["components"]},
        validate_formats=True)


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    OPENAPI_31_VALIDATOR.validate(spec)


def test_every_component_is_a_valid_json_schema(spec):
    for name, schema in spec["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_the_request_schema_is_the_cores(spec):
    """The core's QuoteRequest gives every field's shape; the rate cards only narrow it."""
    expected = QuoteRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = spec["components"]["schemas"]
    core = schemas["QuoteRequest"]
    assert core["properties"] == expected["properties"]
    assert core["required"] == expected["required"]
    assert core["additionalProperties"] is False
    for name in ("Addition", "Customer"):
        assert schemas[name] == expected["$defs"][name]
    for name, rules in (("PublicQuoteRequest", "PublicRateCardRules"),
                        ("StaffQuoteRequest", "RateCardRules")):
        assert schemas[name]["allOf"] == [{"$ref": "#/components/schemas/QuoteRequest"},
                                          {"$ref": f"#/components/schemas/{rules}"}]
        for rule in schemas[rules]["oneOf"]:
            assert set(rule["properties"]) <= set(core["properties"])
            assert rule["properties"]["additions"]["items"]["properties"].keys() <= \
                schemas["Addition"]["properties"].keys()


def test_every_endpoint_is_documented(spec):
    documented = {f"/api/v1{path}" for path in spec["paths"]}
    routes = {rule.rule.replace("<card_id>", "{card_id}").replace("<offer:number>", "{number}")
              for rule in APP.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.endpoint not in
              ("api.openapi", "api.docs")}
    assert routes == documented


def test_the_document_is_made_from_the_rate_cards_in_force_once(make_app, tmp_path):
    rates = tmp_path / "rates"
    rates.mkdir()
    shutil.copy(resources.rates_dir() / "otrs.toml", rates)
    app = make_app(RATES_DIR=str(rates))
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").json
    card_id = spec["paths"]["/rate-cards/{card_id}"]["get"]["parameters"][0]["schema"]
    assert card_id["enum"] == ["otrs"]
    (rules,) = spec["components"]["schemas"]["RateCardRules"]["oneOf"]
    assert rules["properties"]["rate_card"] == {"const": "otrs"}
    assert rules["properties"]["package"]["enum"] == ["quick_start", "basic", "professional",
                                                      "enterprise"]
    assert rules["properties"]["points"] == {"type": "null"}
    (made,) = app.extensions["quote.openapi"].values()
    client.get("/api/v1/docs")
    assert list(app.extensions["quote.openapi"].values()) == [made]


def test_the_rate_limited_endpoints_list_429(make_app, make_request):
    client = make_app(RATELIMIT_ENABLED=True, LIMIT_PREVIEW="1 per minute").test_client()
    spec = client.get("/api/v1/openapi.json").json
    errors = validator(spec, "ErrorResponse")
    for path in PUBLIC:
        client.post(f"/api/v1{path}", json=make_request())
        limited = client.post(f"/api/v1{path}", json=make_request())
        assert limited.status_code == 429
        documented = spec["paths"][path]["post"]["responses"]["429"]
        errors.validate(limited.json)
        retry_after = documented["headers"]["Retry-After"]["schema"]["pattern"]
        assert re.fullmatch(retry_after, limited.headers["Retry-After"])


def test_every_example_is_valid_and_priced_for_the_role_that_may_send_it(spec):
    examples = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            model = content["schema"]["$ref"].rsplit("/", 1)[1]
            check = validator(spec, model)
            staff = operation.get("security") == [{"bearer": []}]  # a token is required
            headers = STAFF if staff else {}
            for name, example in content["examples"].items():
                check.validate(example["value"])
                response = APP.test_client().open(f"/api/v1{path}", method=method,
                                                  json=example["value"], headers=headers)
                assert response.status_code in (200, 201), (path, name, response.json)
                examples += 1
    cards = spec["paths"]["/rate-cards/{card_id}"]["get"]["parameters"][0]["schema"]["enum"]
    # three previews, issuing and the deadlines, one example per card
    assert examples == 5 * len(cards)


def bpm(**overrides) -> dict:
    """A bpm'online body; on a card without a license value (OTRS, maxence) none unless an
    override gives one."""
    body = {"rate_card": "bpmonline", "package": "business", "deployment": "on_site",
            "license_value": "12000.00", "term_start": "2026-01-01"}
    body.update(overrides)
    if body["rate_card"] in ("otrs", "maxence") and "license_value" not in overrides:
        del body["license_value"]
    return body


# Bodies at the edges: the document accepts exactly those the server prices.
EDGES = [
    bpm(),
    bpm(license_value="0"),
    bpm(license_value="999999999999.00"),
    bpm(license_value=999999999999),
    bpm(license_value="999999999999.01"),
    bpm(license_value="12000.005"),
    bpm(license_value=".5"),
    bpm(license_value=" 12"),
    bpm(license_value="-0"),
    bpm(license_value="0012"),
    bpm(license_value="1e3"),
    bpm(license_value=12000.0),  # a whole number, written with a fraction
    bpm(license_value=12000.5),
    bpm(term_years=2.0),
    bpm(environments=3.0),
    bpm(rate_card=" bpmonline"),
    bpm(package="gold"),
    bpm(package="quick_start"),
    bpm(term_years=5),
    bpm(term_years=6),
    bpm(environments=20),
    bpm(environments=21),
    bpm(environments=None, points=None, as_of=None),
    bpm(points=10),
    bpm(rate_card="maxence", package="basic", points=10),
    bpm(rate_card="maxence", package="basic", points=9),
    bpm(rate_card="maxence", package="basic", points=10001),
    bpm(rate_card="maxence", package="basic", term_years=2),
    bpm(rate_card="otrs", package="enterprise", license_value="1.5"),
    bpm(existing_contract=True),
    bpm(existing_contract=False),
    bpm(existing_contract=True, additions=[{"date": "2026-03-01", "environments": 1}]),
    bpm(rate_card="maxence", package="basic", existing_contract=True, points=50),
    bpm(additions=[{"date": "2026-03-01"}]),
    bpm(additions=[{"date": "2026-03-01", "license_value": "0.00"}]),
    bpm(additions=[{"date": "2026-03-01", "license_value": "0.01"}]),
    bpm(additions=[{"date": "2026-03-01", "license_value": 0, "environments": 19}]),
    bpm(additions=[{"date": "2026-03-01", "environments": 20}]),
    bpm(additions=[{"date": "2026-03-01", "license_value": "1.001"}]),
    bpm(discount_percent="0"),
    bpm(discount_percent="0.0000"),
    bpm(discount_percent=0),
    bpm(tax_percent=None),
    bpm(customer={"country": "Deutschland", "vat_id": "DE123456789"}),
    bpm(customer={"country": "AT", "vat_id": "ATU12345678"}),
    bpm(customer={"vat_id": "EL123456789"}),
    bpm(customer={"vat_id": "ATU1234567"}),
    bpm(customer={"vat_id": "de123456789"}),
    bpm(customer={"vat_id": "DE 123456789"}),
    bpm(customer={"vat_id": "CHE123456789"}),
    bpm(customer={"vat_id": "NL123456789B01"}),
    bpm(customer={"country": "Narnia"}),  # a preview without a country it knows: before tax
    bpm(term_start="2099-12-31"),
    bpm(term_start="2100-01-01"),
    bpm(term_start="2026-02-29"),
    bpm(term_start="2028-02-29"),
    bpm(customer={"company": " ACME ", "email": "ann@example.com"}),
    bpm(customer={"company": "x" * 199 + "  "}),
    bpm(customer={"company": "ACME\t"}),
    bpm(customer={"email": " ann@example.com"}),
    bpm(customer={"email": "ann@example"}),
    bpm(customer={"email": "ann\u00a0b@example.com"}),
    bpm(customer={"country": "Deutschland\u2028"}),
    bpm(language="de"),
    bpm(language=" de"),
    bpm(extra=1),
    # currencies: the card's lists, each with its decimals
    bpm(currency="RUB"),
    bpm(currency="USD", license_value="12000.01"),
    bpm(currency=None),
    bpm(currency="GBP"),
    bpm(currency="rub"),
    bpm(rate_card="otrs", package="basic", currency="USD"),
    bpm(rate_card="open-xchange", package="standard", currency="USD"),
    # license values: required, none on a card without one, never zero where the fee is a
    # percentage without a minimum, no license additions where they change nothing
    bpm(license_value=None),
    bpm(rate_card="otrs", package="basic"),
    bpm(rate_card="otrs", package="basic", license_value="0.00"),
    bpm(rate_card="otrs", package="basic", license_value=0),
    bpm(rate_card="otrs", package="basic", license_value="12000.00"),
    bpm(rate_card="otrs", package="basic",
        additions=[{"date": "2026-03-01", "license_value": "1"}]),
    bpm(rate_card="otrs", package="basic", additions=[{"date": "2026-03-01",
                                                        "environments": 1}]),
    bpm(package="basic", license_value="0"),
    bpm(package="basic", license_value="0.01"),
    bpm(package="basic", deployment="on_demand", license_value="0"),
    bpm(package="basic", deployment="on_demand",
        additions=[{"date": "2026-03-01", "license_value": "100.00"}]),
    bpm(package="basic", deployment="on_demand",
        additions=[{"date": "2026-03-01", "environments": 1}]),
    bpm(package="basic", license_value="0", existing_contract=True, separate_term=True,
        additions=[{"date": "2026-03-01", "license_value": "100.00"}]),
    bpm(package="basic", license_value="0", existing_contract=True, separate_term=True,
        additions=[{"date": "2026-03-01", "environments": 1}]),
]


@pytest.mark.parametrize("body", EDGES)
def test_the_document_and_the_server_agree(spec, body):
    valid = validator(spec, "PublicQuoteRequest").is_valid(body)
    response = APP.test_client().post("/api/v1/quotes/preview", json=body)
    assert response.status_code == (200 if valid else 422), response.json


@pytest.mark.parametrize("discount", ["15", "15.0000", 15, 15.0, "15.0001", 16, "7.5"])
def test_a_discount_agrees_with_the_staff_schema(spec, discount):
    body = bpm(discount_percent=discount)
    client = APP.test_client()
    anonymous = client.post("/api/v1/quotes/preview", json=body)
    assert not validator(spec, "PublicQuoteRequest").is_valid(body)
    assert anonymous.status_code == 403
    assert anonymous.json["errors"][0]["field"] == "discount_percent"
    staff = client.post("/api/v1/quotes/preview", json=body, headers=STAFF)
    valid = validator(spec, "StaffQuoteRequest").is_valid(body)
    assert staff.status_code == (200 if valid else 422)


@pytest.mark.parametrize(("tax", "valid"), [
    ({"tax_percent": "7", "tax_reason": "reduced rate agreed with the tax office"}, True),
    ({"tax_percent": 7, "tax_reason": "reduced rate"}, True),
    ({"tax_percent": "7"}, False),
    ({"tax_percent": "7", "tax_reason": "   "}, False),
    ({"tax_percent": "100.00001", "tax_reason": "too precise"}, False),
    ({"tax_reason": "a reason without a rate"}, False),
    ({"tax_percent": None, "tax_reason": "a reason without a rate"}, False),
])
def test_a_tax_rate_agrees_with_the_staff_schema(spec, tax, valid):
    body = bpm(**tax)
    client = APP.test_client()
    anonymous = client.post("/api/v1/quotes/preview", json=body)
    assert not validator(spec, "PublicQuoteRequest").is_valid(body)
    assert anonymous.status_code == 403
    assert anonymous.json["errors"][0]["field"] in ("tax_percent", "tax_reason")
    staff = client.post("/api/v1/quotes/preview", json=body, headers=STAFF)
    assert validator(spec, "StaffQuoteRequest").is_valid(body) == valid
    assert staff.status_code == (200 if valid else 422), staff.json


@pytest.mark.parametrize(("customer", "valid"), [
    ({"company": "Muster GmbH", "contact": "Erika Mustermann", "email": "e@example.de",
      "country": "DE"}, True),
    ({"company": "Muster GmbH", "contact": "Erika Mustermann", "email": "e@example.de"},
     False),
    ({"company": " ", "contact": "Erika Mustermann", "email": "e@example.de",
      "country": "DE"}, False),
    ({}, False),
])
def test_issuing_needs_the_customer_the_schema_names(spec, customer, valid):
    body = bpm(customer=customer, as_of=TODAY)
    assert validator(spec, "IssueQuoteRequest").is_valid(body) == valid
    response = APP.test_client().post("/api/v1/quotes", json=body, headers=STAFF)
    assert response.status_code == (201 if valid else 422), response.json


# The API against its own document (schemathesis, every check).

STAFF_PATHS = r"^/quotes(/\{number\}(\.pdf)?)?$"


@schema.auth().apply_to(path_regex=STAFF_PATHS)
class StaffToken:
    """The endpoints that require a token get an admin's; the previews are called without."""

    def get(self, case, context):
        return STAFF_TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.hook
def map_case(context, case):
    """Valid bodies follow the rules across fields that the document states in words."""
    if case.meta is not None and case.meta.generation.mode.is_positive \
            and isinstance(case.body, dict) and "term_start" in case.body:
        case.body = within_the_rules_across_fields(case.body)
    return case


def within_the_rules_across_fields(body: dict) -> dict:
    """``body``, valid by the document, moved into the rules JSON Schema cannot express.

    Only values the document already allows are replaced by other allowed values, and only
    where a rule relates several fields. Numbers may come as whole floats (2.0), which JSON
    Schema counts as integers.
    """
    body = copy.deepcopy(body)
    # 0. The customer's country is one the server knows (an ISO code or a name), and a VAT
    #    ID's prefix is the country's: a given country becomes the VAT ID's, or Germany.
    customer = body.get("customer")
    if isinstance(customer, dict):
        if customer.get("vat_id"):
            customer["country"] = vat_id_country(customer["vat_id"])
        elif customer.get("country") and not country_code(customer["country"],
                                                          by_name=True):
            customer["country"] = "DE"
    today = dt.date.fromisoformat(TODAY)
    loaded = BOOK.in_force(body["rate_card"], today)
    card = loaded.card
    # 1. as_of chooses the card version: keep it within the days of the version in force
    #    today, whose rules the document writes.
    if body.get("as_of") is not None:
        later = [v.card.effective_from for v in BOOK.versions[card.id]
                 if v.card.effective_from > card.effective_from]
        until = min(later) - dt.timedelta(days=1) if later else LATEST
        as_of = dt.date.fromisoformat(body["as_of"])
        body["as_of"] = min(max(as_of, card.effective_from), until).isoformat()
    # 1b. A top-up prices a contract that runs on the pricing day (as_of, else today): a
    #     term that ended before that day starts on it instead.
    if body.get("kind") == "top_up" or body.get("existing_contract") is True:
        on = dt.date.fromisoformat(body.get("as_of") or TODAY)
        if last_day(dt.date.fromisoformat(body["term_start"]),
                    int(body.get("term_years", 1))) < on:
            body["term_start"] = on.isoformat()
    # 1c. A reinstatement's lapsed contract ends (after it starts) at least two days before
    #     the new term starts: support lapsed for a day at least.
    if body.get("kind") == "reinstatement" and isinstance(body.get("lapsed"), dict):
        lapsed = body["lapsed"]
        first, last = sorted(dt.date.fromisoformat(lapsed[k]) for k in ("start", "end"))
        new_start = dt.date.fromisoformat(body["term_start"])
        if new_start - dt.timedelta(days=2) >= EARLIEST:
            last = min(last, new_start - dt.timedelta(days=2))
        else:
            body["term_start"] = (last + dt.timedelta(days=2)).isoformat()
        lapsed["start"], lapsed["end"] = min(first, last).isoformat(), last.isoformat()
    # 2. Every addition's date lies within the term (term_start and term_years).
    start = dt.date.fromisoformat(body["term_start"])
    end = min(last_day(start, int(body.get("term_years", 1))), LATEST)
    days = (end - start).days + 1
    additions = body.get("additions", [])
    for addition in additions:
        day = dt.date.fromisoformat(addition["date"])
        if not start <= day <= end:
            addition["date"] = (start + dt.timedelta(days=(day - start).days % days)).isoformat()
    # 3. The request's environments and those of all additions together stay within the
    #    package's maximum; an addition left without environments adds a license instead.
    #    Where licenses cannot be added (a card or price without a license value), the
    #    request's environments make room for the first addition and an addition left
    #    with nothing to add is dropped.
    package = card.package(body["package"])
    rules = package.environments
    most = rules.maximum if rules.extra is not None else rules.included
    total = int(body.get("environments") or rules.included)
    licensed = card.license_value and isinstance(package.price(body["deployment"]),
                                                 PercentPrice)
    if additions and not licensed:
        first = int(additions[0].get("environments", 0))
        if total + first > most:
            body["environments"] = total = max(1, most - first)
    kept = []
    for addition in additions:
        added = min(int(addition.get("environments", 0)), most - total)
        if added != addition.get("environments", 0):
            addition["environments"] = added
            if added == 0 and Decimal(str(addition.get("license_value", 0))) == 0:
                if not licensed:
                    continue
                addition["license_value"] = "1"
        total += added
        kept.append(addition)
    if "additions" in body:
        body["additions"] = kept
    return body


def quick_pdf(document, language) -> bytes:
    """A stand-in for the renderer: a PDF takes half a second to render, and the PDF tests
    (tests/integration/pdf) read real ones back; every request here is still validated and
    priced. The documented examples are rendered for real above."""
    return b"%PDF-1.7\n%%EOF\n"


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_api_keeps_its_own_document(case):
    """Every schema-valid request is accepted and every other refused with a 4xx, no input
    makes a 500, and every answer has a documented status, headers and body."""
    with mock.patch.object(pdfs, "render_offer", quick_pdf):
        case.call_and_validate()



def _issued_offer() -> str:
    """The number of an offer issued through the API (the staff example of the first card)."""
    spec = APP.test_client().get("/api/v1/openapi.json").json
    content = spec["paths"]["/quotes"]["post"]["requestBody"]["content"]["application/json"]
    example = next(iter(content["examples"].values()))["value"]
    response = APP.test_client().post("/api/v1/quotes", json=example, headers=STAFF)
    assert response.status_code == 201, response.json
    return response.json["number"]


# The endpoints of an issued offer once more, with the number of one that exists (above they
# get made-up numbers: 404).
issued = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP).include(
    path_regex=r"^/quotes/\{number\}")
issued.config.update(parameters={"number": _issued_offer()})
issued.auth()(StaffToken)


@issued.parametrize()
@settings(max_examples=10, deadline=None)
def test_an_issued_offer_keeps_the_document(case):
    with mock.patch.object(pdfs, "render_offer", quick_pdf):
        case.call_and_validate()
