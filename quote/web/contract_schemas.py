"""Bodies and answers of the JSON API's customer and contract endpoints.

The bodies are checked here for their shape (the same expressions the OpenAPI
document publishes); what a body means is then checked where the rules live: a
customer by the store (``quote.store.customers``), a contract by
``quote.lifecycle.check_contract`` (the import's checks), a top-up, renewal or
reinstatement by the pricing core. The API takes some texts more strictly than
the store does, so that its document can say exactly what it accepts: country
codes in capitals, ids and e-mail addresses without white space around them,
VAT IDs of letters, digits, dots, hyphens and spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from ..core.errors import N_, FieldError, QuoteInputError
from ..core.patterns import CONTROL, REASON_PATTERN, SPACE
from ..core.request import (
    MAX_ADDITIONS,
    MAX_ENVIRONMENTS,
    MAX_YEARS,
    OVERRIDE_WITH_REASON,
    Addition,
    Amount,
    Billing,
    CurrencyCode,
    Deployment,
    IsoDate,
    Language,
    PercentText,
    field_errors,
)
from ..core.result import Money, Term
from ..store.customers import MAX_COMPANY, MAX_EMAIL, MAX_NAME, MAX_VAT_ID, country_codes

# The largest id of a stored row (a 32-bit integer column on PostgreSQL).
MAX_ID = 2**31 - 1
MAX_CONTACTS = 20
# A text with a character that is not white space, and no control character.
NAME_PATTERN = rf"^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
# An id of a rate card, its version or a package: taken as it is, no white space.
ID_PATTERN = rf"^[^{CONTROL}{SPACE}]+$"
# An e-mail address: something, one "@", a dot after it, no white space.
EMAIL_PATTERN = rf"^[^@{CONTROL}{SPACE}]+@[^@{CONTROL}{SPACE}]*\.[^@{CONTROL}{SPACE}]*$"
# A VAT ID: letters, digits, dots and hyphens, at most 20 of them, spaces anywhere.
VAT_ID_PATTERN = rf"^ *([A-Za-z0-9.\-] *){{0,{MAX_VAT_ID}}}$"


def _text(pattern: str, message: str, max_length: int | None = None):
    """A text matching ``pattern`` (``message`` when it does not), published with it."""
    matcher = re.compile(pattern)

    def check(value: str) -> str:
        if not matcher.fullmatch(value):
            raise ValueError(message)
        return value

    schema = {"type": "string", "pattern": pattern}
    if max_length is not None:
        schema["maxLength"] = max_length
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(check),
                     WithJsonSchema(schema)]


Name = _text(NAME_PATTERN, N_("must not be empty or only white space, nor contain control "
                              "characters"), MAX_NAME)
Company = _text(NAME_PATTERN, N_("must not be empty or only white space, nor contain control "
                                 "characters"), MAX_COMPANY)
Email = _text(EMAIL_PATTERN, N_("is not an e-mail address"), MAX_EMAIL)
VatId = _text(VAT_ID_PATTERN, N_("must be letters, digits, dots, hyphens and spaces: at most "
                                 "20 characters without the spaces"))
CardId = _text(ID_PATTERN, N_("must not contain white space or control characters"), 40)
PackageId = _text(ID_PATTERN, N_("must not contain white space or control characters"), 30)
Reason = _text(REASON_PATTERN, N_("must not be empty or only white space, nor contain "
                                  "control characters"), 200)
NOT_A_COUNTRY = N_("must be an ISO 3166 country code in capitals, such as DE, AT, RU")
NOT_A_FIELD = N_("is not a field of this request")
NOT_WITH_CUSTOMER = N_("is not given with customer: the contract is for that customer")
CUSTOMER_FIELDS = ("company", "country", "vat_id", "language", "contact_name",
                   "contact_email")
NEW_CUSTOMER_NEEDS = ("company", "country", "contact_name", "contact_email")


def parse_body(model: type[BaseModel], data: object):
    """Validate decoded JSON as ``model``; raise ``QuoteInputError`` per field (also for
    the rules across its fields, ``cross_field_errors``)."""
    if not isinstance(data, dict):
        raise QuoteInputError([FieldError("", N_("the request must be a JSON object"))])
    try:
        body = model.model_validate(data)
    except ValidationError as exc:
        raise QuoteInputError(field_errors(exc, unknown_field=NOT_A_FIELD)) from None
    errors = body.cross_field_errors() if hasattr(body, "cross_field_errors") else []
    if errors:
        raise QuoteInputError(errors)
    return body


def _countries(schema: dict) -> None:
    """The country codes, as an expression (read when the document is made): an "enum" of
    some 250 codes would have every one tried by a client that tries each value."""
    schema["pattern"] = f"^({'|'.join(sorted(country_codes()))})$"


class _Body(BaseModel):
    # built at first use, not in every worker's start (as the core's models)
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _country():
    return Field(description="ISO 3166 alpha-2 code in capitals (DE, AT, RU)",
                 json_schema_extra=_countries)


def _vat_id():
    return Field(default=None, description="optional; stored in capitals without spaces "
                 "(\"de 123 456 789\" is DE123456789)")


def _is_country(code: str | None) -> str | None:
    if code is not None and code not in country_codes():
        raise ValueError(NOT_A_COUNTRY)
    return code


class NewContactBody(_Body):
    name: Name
    email: Email
    position: Name | None = None


class NewCustomer(_Body):
    """A customer to create. The first contact is the primary one: its name and e-mail go
    into the customer's offers."""

    company: Company = Field(description="the company's name; white space is collapsed")
    country: str = _country()
    vat_id: VatId | None = _vat_id()
    language: Language = Field(default="en", description="the language of its offers")
    contacts: list[NewContactBody] = Field(min_length=1, max_length=MAX_CONTACTS)

    @field_validator("country")
    @classmethod
    def _country_code(cls, code: str | None) -> str | None:
        return _is_country(code)


class NewContract(_Body):
    """One running contract entered by hand: the fields and checks of a line of the
    contract import (docs/contracts.md), as JSON. For an existing customer give its id
    (``customer``) and none of the customer's fields; else the customer is the same
    company in the same country if there is one, or a new customer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"required": ["customer"], "properties": {"customer": {"type": "integer"}}},
        "then": {"properties": {name: False for name in CUSTOMER_FIELDS}},
        "else": {"required": list(NEW_CUSTOMER_NEEDS),
                 "properties": {name: {"type": "string"} for name in NEW_CUSTOMER_NEEDS}},
    })

    customer: int | None = Field(default=None, ge=1, le=MAX_ID, strict=True,
                                 description="the id of an existing customer")
    company: Company | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code in capitals",
                                json_schema_extra=_countries)
    vat_id: VatId | None = _vat_id()
    language: Language | None = Field(default=None, description="default: en")
    contact_name: Name | None = None
    contact_email: Email | None = None
    rate_card: CardId
    card_version: CardId | None = Field(
        default=None, description="the version it was sold on; default: the version in "
                                  "force on the term start")
    package: PackageId
    deployment: Deployment
    currency: CurrencyCode | None = Field(default=None, description="one of the card's "
                                          "currencies; default: its first")
    license_value: Amount = Field(description="0 on a card without a license value")
    environments: int | None = Field(default=None, ge=1, le=MAX_ENVIRONMENTS, strict=True,
                                     description="environments in all; default: the "
                                                 "package's included number")
    term_start: IsoDate = Field(description="the current term's first day")
    term_years: int = Field(ge=1, le=MAX_YEARS, strict=True)
    billing: Billing = "prepaid"
    owner_email: Email | None = Field(
        default=None, description="the active user who looks after the contract (and a new "
                                  "customer); default: a sales caller")

    @field_validator("country")
    @classmethod
    def _country_code(cls, code: str | None) -> str | None:
        return _is_country(code)

    def cross_field_errors(self) -> list[FieldError]:
        if self.customer is not None:
            return [FieldError(name, NOT_WITH_CUSTOMER) for name in CUSTOMER_FIELDS
                    if name in self.model_fields_set]
        return [FieldError(name, N_("is required")) for name in NEW_CUSTOMER_NEEDS
                if getattr(self, name) is None]

    def values(self) -> dict[str, str | None]:
        """The contract as the import's texts, for ``lifecycle.create_contract``."""
        return {
            "company": self.company, "country": self.country, "vat_id": self.vat_id,
            "language": self.language, "contact_name": self.contact_name,
            "contact_email": self.contact_email, "rate_card": self.rate_card,
            "card_version": self.card_version, "package": self.package,
            "deployment": self.deployment, "currency": self.currency,
            "license_value": str(self.license_value),
            "environments": str(self.environments) if self.environments else None,
            "term_start": self.term_start.isoformat(), "term_years": str(self.term_years),
            "billing": self.billing, "owner_email": self.owner_email,
        }


class _OfferTerms(_Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": OVERRIDE_WITH_REASON})

    language: Language | None = Field(default=None, description="the offer's language; "
                                      "default: the customer's")
    discount_percent: PercentText = Field(
        default=Decimal(0), description="up to the contract's rate card's limit; only with "
                                        "the token of a sales or admin user")
    tax_percent: PercentText | None = Field(
        default=None, examples=["7"],
        description="sales and admin only: a tax rate instead of the one the tax rules give "
                    "for the customer's country and VAT ID; needs tax_reason")
    tax_reason: Reason | None = Field(
        default=None,
        description="with tax_percent and only then: why the rate differs from the tax rules")

    def cross_field_errors(self) -> list[FieldError]:
        """A tax rate comes with its reason, and a reason only with a rate."""
        if self.tax_percent is not None and self.tax_reason is None:
            return [FieldError("tax_reason", N_("is required with tax_percent: say why the "
                                                "rate differs from the tax rules"))]
        if self.tax_percent is None and "tax_reason" in self.model_fields_set:
            return [FieldError("tax_reason", N_("is only given with tax_percent, the rate it "
                                                "explains"))]
        return []


class TopUpBody(_OfferTerms):
    """More licenses and/or environments for a running contract."""

    additions: list[Addition] = Field(
        min_length=1, max_length=MAX_ADDITIONS,
        description="each on a day within the contract's term; the environments of all "
                    "additions together stay within the package's maximum")
    separate_term: bool = Field(
        default=False, strict=True,
        description="the additions as a contract of their own from the first addition's "
                    "date, for the card's minimum term, instead of co-terming")


class RenewalBody(_OfferTerms):
    """The contract's next term, from the day after its end."""

    years: int | None = Field(default=None, ge=1, le=MAX_YEARS, strict=True,
                              description="default: as many as the current term, within the "
                                          "bounds of the card that prices the renewal")
    billing: Billing | None = Field(default=None, description="default: the contract's")


class ReinstatementBody(_OfferTerms):
    """A new term for a contract whose support lapsed (it ended, or was cancelled)."""

    start: IsoDate | None = Field(default=None, description="the new term's first day, after "
                                  "a gap of a day at least; default: today")
    years: int | None = Field(default=None, ge=1, le=MAX_YEARS, strict=True,
                              description="default: as many as the lapsed term")
    billing: Billing | None = Field(default=None, description="default: the contract's")


# Answers

class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ContactView(_View):
    name: str
    email: str
    position: str | None = None
    primary: bool


class CustomerSummary(_View):
    id: int
    company: str
    country: str
    vat_id: str | None = None
    language: Literal["en", "de", "ru"]
    owner: str | None = Field(default=None, description="the e-mail address of the user who "
                              "looks after the customer")
    primary_contact: ContactView | None = None


class ContractSummary(_View):
    number: str = Field(examples=["C-000001"])
    customer: int = Field(description="the customer's id")
    company: str
    rate_card: str
    rate_card_version: str = Field(description="the version the contract was sold on")
    package: str
    deployment: Literal["on_site", "on_demand"]
    currency: str
    license_value: Money = Field(description="as it runs now, after every accepted top-up")
    environments: int
    term: Term
    billing: Literal["prepaid", "annual"]
    status: Literal["active", "ended", "cancelled"] = Field(
        description="as of today: an active contract past its last covered day has ended")


class CustomerView(CustomerSummary):
    contacts: list[ContactView]
    contracts: list[ContractSummary]


class _Page(_View):
    page: int
    per_page: int
    count: int = Field(description="matches on all pages")
    pages: int


class CustomerList(_Page):
    customers: list[CustomerSummary]


class ContractList(_Page):
    contracts: list[ContractSummary]


class EventView(_View):
    kind: Literal["created", "imported", "top_up", "renewal", "reinstatement", "cancelled"]
    effective_on: dt.date
    offer: str | None = Field(default=None, description="the accepted offer that made it")
    license_value_added: Money
    environments_added: int
    note: str


class OfferRef(_View):
    number: str
    kind: Literal["new", "top_up", "renewal", "reinstatement"]
    status: Literal["issued", "accepted", "expired", "withdrawn", "superseded"]
    issued_on: dt.date
    total: Money
    currency: str


class ContractView(ContractSummary):
    """A contract: what runs now, what it costs a year, its history and its offers."""

    owner: str | None = Field(default=None, description="the e-mail address of the user who "
                              "looks after the contract")
    annual_cost: Money | None = Field(default=None, description="what it costs a year as it "
                                      "runs, on the card version it was sold on (none if that "
                                      "version's file is gone)")
    history: list[EventView]
    offers: list[OfferRef] = Field(description="the offers issued for it, newest first")


# Answers from stored rows (read within the session that loaded them)

def contact_view(contact) -> ContactView:
    return ContactView(name=contact.name, email=contact.email, position=contact.position,
                       primary=contact.is_primary)


def _customer_fields(customer) -> dict:
    primary = customer.primary_contact
    return {"id": customer.id, "company": customer.company, "country": customer.country,
            "vat_id": customer.vat_id, "language": customer.language,
            "owner": customer.owner.email if customer.owner is not None else None,
            "primary_contact": contact_view(primary) if primary is not None else None}


def customer_summary(customer) -> CustomerSummary:
    return CustomerSummary(**_customer_fields(customer))


def _contract_fields(contract, today: dt.date) -> dict:
    return {
        "number": contract.number, "customer": contract.customer_id,
        "company": contract.customer.company, "rate_card": contract.rate_card_id,
        "rate_card_version": contract.rate_card_version, "package": contract.package_id,
        "deployment": contract.deployment, "currency": contract.currency,
        "license_value": contract.license_value, "environments": contract.environments,
        "term": Term(start=contract.term_start, end=contract.term_end,
                     years=contract.term_years),
        "billing": contract.billing, "status": contract.status_on(today),
    }


def contract_summary(contract, today: dt.date) -> ContractSummary:
    return ContractSummary(**_contract_fields(contract, today))


def customer_view(customer, contracts, today: dt.date) -> CustomerView:
    return CustomerView(**_customer_fields(customer),
                        contacts=[contact_view(c) for c in customer.contacts],
                        contracts=[contract_summary(c, today) for c in contracts])


def contract_view(contract, events, offers, annual_cost: Decimal | None,
                  today: dt.date) -> ContractView:
    """The contract with its ``events`` (in the order they happened) and ``offers``."""
    return ContractView(
        **_contract_fields(contract, today),
        owner=contract.owner.email if contract.owner is not None else None,
        annual_cost=annual_cost,
        history=[EventView(kind=e.kind, effective_on=e.effective_on,
                           offer=e.offer.number if e.offer is not None else None,
                           license_value_added=e.license_value_added,
                           environments_added=e.environments_added, note=e.note)
                 for e in events],
        offers=[OfferRef(number=o.number, kind=o.kind, status=o.status_on(today),
                         issued_on=o.issued_at.date(), total=o.total, currency=o.currency)
                for o in offers])
