"""The quote request: what a caller asks to be priced.

The same model validates the command line's JSON, the API's body and (through
the form) the web page. Shapes and bounds are checked here; what depends on a
rate card (package, currency decimals, dates inside the term) is checked by
``quote.core.pricing``.

Bounds (documented in the README):

- license values: 0 to 999,999,999,999 in the card's currency, at most the
  currency's decimals; plain decimal strings such as "12000.50" (no sign,
  spaces or leading zeros), or a whole JSON number (a JSON number with a
  fractional part is refused because it may already have lost digits);
- term: 1 to 10 contract years, and within the card's minimum and maximum;
- environments: 1 to 100 in all; additions: at most 100;
- dates: ISO ``YYYY-MM-DD`` between 2000-01-01 and 2099-12-31;
- discount and a tax override: 0 to 100 percent, at most 4 decimals; the tax
  follows from the customer's country and VAT ID (``quote.core.tax``) unless staff
  set ``tax_percent``, with a ``tax_reason``;
- a VAT ID: an EU member state's, written without spaces in the form its country
  gives it, its prefix the customer's country;
- ids (rate card, package) are taken as they are, never trimmed;
- customer texts: at most 200 characters each (country 100, e-mail 254) as
  sent, without control characters; white space around them is dropped. The
  e-mail is taken as it is: one "@", a dot after it, no white space.

The expressions the texts are matched with are in ``quote.core.patterns``;
the JSON schema of the model publishes the same ones.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import N_, FieldError, QuoteInputError
from .money import AmountError, parse_decimal
from .patterns import (
    DATE_PATTERN,
    EMAIL_PATTERN,
    PLAIN_NUMBER_PATTERN,
    REASON_PATTERN,
    TEXT_PATTERN,
    decimal_pattern,
)
from .tax import VAT_ID_PATTERN, check_customer_tax, vat_id_problem

MAX_AMOUNT = Decimal("999999999999")
MAX_YEARS = 10
MAX_ENVIRONMENTS = 100
MAX_ADDITIONS = 100
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)

PERCENT_DECIMALS = 4

AMOUNT_PATTERN = decimal_pattern(MAX_AMOUNT)
PERCENT_PATTERN = decimal_pattern(Decimal(100), PERCENT_DECIMALS)
DATE_BOUNDS = N_("must lie between %(first)s and %(last)s")
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER_PATTERN)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TEXT = re.compile(TEXT_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)


def json_number(text: str) -> int | float:
    """A JSON number written with a fraction or an exponent, as a request reads it.

    For ``json.loads(..., parse_float=json_number)``. A whole number stays whole
    however it is written (``12000.0``, ``1.2e4``), as JSON Schema counts it an
    integer; any other number becomes a float, which amounts refuse.
    """
    number = Decimal(text)
    if number.adjusted() < 18 and number == number.to_integral_value():
        return int(number)
    return float(text)


def _amount(value: object) -> Decimal:
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        # the usual case, written as it should be: only the bound is left to check
        number = Decimal(value)
        if number > MAX_AMOUNT:
            raise ValueError(N_("must be at most 999999999999"))
        return number
    if isinstance(value, (bool, float)):
        raise ValueError(N_(
            'write amounts as decimal strings such as "12000.50"; '
            "a JSON number with a fraction may already have lost digits"
        ))
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(N_('must be a decimal string such as "12000.50"'))
    try:
        number = parse_decimal(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if number < 0:
        raise ValueError(N_("must not be negative"))
    if number > MAX_AMOUNT:
        raise ValueError(N_("must be at most 999999999999"))
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValueError(N_('must be written without spaces, a sign or leading zeros, '
                            'such as "12000.50"'))
    return number


def _percent(value: object) -> Decimal:
    number = _amount(value)  # a whole number, or a plain decimal string: digits after its dot
    if number > 100:
        raise ValueError(N_("must be between 0 and 100"))
    if isinstance(value, str) and "." in value \
            and len(value) - value.index(".") - 1 > PERCENT_DECIMALS:
        raise ValueError(N_("must have at most 4 decimals"))
    return number


def _iso_date(value: object) -> dt.date:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" == value[7] \
            and value.isascii():
        # the usual case without the regular expression: ``fromisoformat`` reads ASCII
        # digits only, so a text it reads with the dashes there is written YYYY-MM-DD
        # (``tests/unit/test_request_parsing.py`` compares the two over any text)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:  # not a date: the slower checks below say why
            pass
        else:
            if not EARLIEST <= day <= LATEST:
                raise out_of_bounds()
            return day
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(N_("is not a date of the calendar")) from None
    else:
        raise ValueError(N_('must be a date written as YYYY-MM-DD, such as "2026-03-01"'))
    if not EARLIEST <= day <= LATEST:
        raise out_of_bounds()
    return day


def out_of_bounds() -> PydanticCustomError:
    """The error of a date outside ``EARLIEST`` to ``LATEST``: its bounds stay dates, so
    that a page writes them as it writes dates (``field_errors``, ``DATE_BOUNDS``)."""
    return PydanticCustomError("date_bounds", "must lie between {first} and {last}",
                               {"first": EARLIEST, "last": LATEST})


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({
        "anyOf": [{"type": "string", "pattern": AMOUNT_PATTERN},
                  {"type": "integer", "minimum": 0, "maximum": int(MAX_AMOUNT)}],
        "description": 'a plain decimal string from 0 to 999999999999 ("12000.50": no sign, '
                       "spaces or leading zeros), or a whole JSON number; a JSON number "
                       "with a fractional part is refused",
    }),
]
PercentText = Annotated[
    Decimal,
    BeforeValidator(_percent),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({
        "anyOf": [{"type": "string", "pattern": PERCENT_PATTERN},
                  {"type": "integer", "minimum": 0, "maximum": 100}],
        "description": 'a percentage from 0 to 100 with at most 4 decimals, written like an '
                       'amount ("19", "7.5")',
    }),
]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN,
                    "examples": ["2026-03-01"]}),
]
def _currency_code(value: object) -> str:
    if not isinstance(value, str) or len(value) != 3 or not (value.isascii()
                                                            and value.isupper()
                                                            and value.isalpha()):
        raise ValueError(N_('must be a currency code of three capital letters, such as "EUR"'))
    return value


CurrencyCode = Annotated[
    str,
    BeforeValidator(_currency_code),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["EUR"]}),
]
Deployment = Literal["on_site", "on_demand"]
Language = Literal["en", "de", "ru"]
Kind = Literal["new", "top_up", "renewal", "reinstatement"]
Billing = Literal["prepaid", "annual"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _printable(text: str) -> bool:
    """``text`` matches ``TEXT_PATTERN`` (no control characters). A printable text does,
    and most are (``isprintable`` is false for every control character, and also for
    separators other than the space, which the expression decides)."""
    return text.isprintable() or _TEXT.fullmatch(text) is not None


def _email(text: str) -> bool:
    """``text`` matches ``EMAIL_PATTERN``: empty, or one "@" with a dot after it, and no
    control character or white space. A printable text without a space has neither (every
    other white space is a separator or a control character, which are not printable);
    anything else is matched with the expression."""
    if text.isprintable() and " " not in text and text.count("@") == 1 \
            and "." in text[text.index("@"):]:
        return True
    return _EMAIL.fullmatch(text) is not None


def _text(max_length: int, pattern: str = TEXT_PATTERN):
    """A customer text: its length is checked as sent; the validators match ``pattern``."""
    return Field(default="", max_length=max_length, json_schema_extra={"pattern": pattern})


class Customer(_Input):
    """Who the offer is for. Texts are checked as sent, then white space around them is
    dropped; the e-mail is taken as it is. The tax follows from ``country`` (an ISO code
    or the name in English, German or Russian) and ``vat_id``."""

    company: str = _text(200)
    contact: str = _text(200)
    email: str = _text(254, EMAIL_PATTERN)
    country: str = _text(100)
    vat_id: str = Field(
        default="", max_length=14, json_schema_extra={"pattern": VAT_ID_PATTERN},
        description="the VAT ID of a business in the EU, written without spaces with its "
        "country's prefix (DE123456789, ATU12345678); its prefix must be the country's")

    @field_validator("vat_id")
    @classmethod
    def _printable_vat_id(cls, text: str) -> str:
        if not _printable(text):
            raise ValueError(N_("must not contain control characters"))
        return text

    @field_validator("company", "contact", "country")
    @classmethod
    def _printable_trimmed(cls, text: str) -> str:
        if not _printable(text):
            raise ValueError(N_("must not contain control characters"))
        return text.strip()

    @field_validator("email")
    @classmethod
    def _plausible_email(cls, email: str) -> str:
        if not _email(email):
            if not _printable(email):
                raise ValueError(N_("must not contain control characters"))
            raise ValueError(N_("is not an e-mail address"))
        return email


# An addition adds licenses (a license value above 0) or environments, or both: a
# plain decimal string above 0 has a digit other than 0.
_ADDS_SOMETHING = {
    "anyOf": [
        {"required": ["license_value"],
         "properties": {"license_value": {"minimum": 1, "pattern": "[1-9]"}}},
        {"required": ["environments"], "properties": {"environments": {"minimum": 1}}},
    ],
}


class Addition(_Input):
    """Licenses and/or environments added to the contract on ``date`` (at least one)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_ADDS_SOMETHING)

    date: IsoDate
    license_value: Amount = Decimal(0)
    environments: int = Field(default=0, ge=0, le=MAX_ENVIRONMENTS, strict=True)

    @model_validator(mode="after")
    def _adds_something(self) -> Addition:
        if self.license_value == 0 and self.environments == 0:
            raise ValueError(N_("an addition must add licenses or environments"))
        return self


class Lapse(_Input):
    """The contract whose support lapsed, for a reinstatement."""

    start: IsoDate = Field(description="its original term start (its contract years count "
                                       "the uncovered days)")
    end: IsoDate = Field(description="its last covered day")


# A tax override comes with its reason, and a reason only with an override (the API's
# staff schema states it; a stored offer's request is read without it).
_OVERRIDE = {"required": ["tax_percent"], "properties": {"tax_percent": {"not": {"type": "null"}}}}
OVERRIDE_WITH_REASON = [
    {"if": _OVERRIDE, "then": {"required": ["tax_reason"],
                               "properties": {"tax_reason": {"type": "string"}}}},
    {"if": {"required": ["tax_reason"]}, "then": _OVERRIDE},
]


def no_additions() -> list[Addition]:
    """A new empty list: the default of ``additions``. (A plain function: pydantic reads
    the signature of a default factory, and a built-in's, such as ``list``'s, is parsed
    with Python's tokenizer, which compiles its regular expressions at its first use:
    about 1.5 % of a ``quote price``.)"""
    return []


class QuoteRequest(_Input):
    """What to price. See the module's docstring for the bounds.

    ``kind`` says what the offer is: a ``new`` contract; a ``top_up`` of a running
    contract (the term and ``license_value``/``environments`` describe the contract
    as it runs; only the additions are charged); a ``renewal`` (the term is the next
    term, priced by the card's renewal rules); a ``reinstatement`` of support that
    lapsed (``lapsed`` is the old contract; the term is the new one).
    """

    rate_card: str = Field(min_length=1, max_length=40,
                           description="the id of a rate card")
    package: str = Field(min_length=1, max_length=30,
                         description="the id of one of the rate card's packages")
    deployment: Deployment
    license_value: Amount | None = Field(
        default=None, description="required where the rate card prices by license value; "
        "not given (or 0) for a card without one")
    currency: CurrencyCode | None = Field(
        default=None, description="one of the rate card's currencies; default: the card's "
        "first")
    term_start: IsoDate
    term_years: int = Field(default=1, ge=1, le=MAX_YEARS, strict=True)
    environments: int | None = Field(
        default=None, ge=1, le=MAX_ENVIRONMENTS, strict=True,
        description="environments in all; default: the package's included number",
    )
    additions: list[Addition] = Field(default_factory=no_additions, max_length=MAX_ADDITIONS)
    points: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)
    kind: Kind = "new"
    existing_contract: bool = Field(
        default=False, strict=True,
        description="true: price only the additions to a running contract "
        "that started on term_start and runs term_years years (the same as kind top_up)",
    )
    billing: Billing = Field(
        default="prepaid",
        description="prepaid: the whole term is invoiced at once; annual: each contract "
        "year at its start (a top-up then runs to the end of the current contract year)")
    separate_term: bool = Field(
        default=False, strict=True,
        description="top-up only: the additions become a contract of their own from the "
        "first addition's date, for the card's minimum term, instead of co-terming")
    lapsed: Lapse | None = Field(default=None, description="reinstatement only: the lapsed "
                                 "contract")
    rate_card_version: str | None = Field(
        default=None, min_length=1, max_length=40,
        description="price with this version of the card (the one a contract was sold on) "
        "instead of the one in force on as_of")
    contract: str | None = Field(default=None, max_length=20, examples=["C-000042"],
                                 description="the number of the contract this offer "
                                 "belongs to")
    discount_percent: PercentText = Decimal(0)
    tax_percent: PercentText | None = Field(
        default=None, examples=["7"],
        description="staff only: a tax rate instead of the one the tax rules give for the "
        "customer's country and VAT ID; needs tax_reason")
    tax_reason: str | None = Field(
        default=None, max_length=200, json_schema_extra={"pattern": REASON_PATTERN},
        description="staff only, with tax_percent and only then: why the rate differs from "
        "the tax rules (stored with the offer and shown on its page)")
    language: Language = "en"
    customer: Customer = Field(default_factory=Customer)
    as_of: IsoDate | None = Field(
        default=None, description="the date whose rate card version applies; default today"
    )


    @field_validator("tax_reason")
    @classmethod
    def _reason_text(cls, reason: str | None) -> str | None:
        if reason is None:
            return None
        if not _printable(reason):
            raise ValueError(N_("must not contain control characters"))
        return reason.strip()

    @model_validator(mode="after")
    def _kind_and_existing_contract_agree(self) -> QuoteRequest:
        fields = self.__dict__  # the fields as validated (cheaper to read than by name)
        existing_contract, kind = fields["existing_contract"], fields["kind"]
        if existing_contract and kind == "new":
            self.kind = "top_up"
        elif kind == "top_up":
            self.existing_contract = True
        elif existing_contract:
            raise ValueError(N_("existing_contract is only for a top-up"))
        return self


def parse_request(data: object) -> QuoteRequest:
    """Validate decoded JSON as a quote request; raise ``QuoteInputError`` per field.

    Beyond the model: the form of a VAT ID and its country, and that a tax override comes
    with its reason and a reason only with an override (a stored offer's request is read
    by the model alone, as it was checked when it was made)."""
    if not isinstance(data, dict):
        raise QuoteInputError([FieldError("", "the request must be a JSON object")])
    try:
        # the model's validator itself: model_validate's keywords cost more than a field
        request = QuoteRequest.__pydantic_validator__.validate_python(data)
    except ValidationError as exc:
        raise QuoteInputError(field_errors(exc)) from None
    errors = []
    if request.customer.vat_id:
        problem = vat_id_problem(request.customer.vat_id)
        errors += [problem] if problem is not None else check_customer_tax(request)
    if request.tax_percent is not None and not request.tax_reason:
        errors.append(FieldError("tax_reason", N_(
            "is required with tax_percent: say why the rate differs from the tax rules")))
    elif request.tax_percent is None and "tax_reason" in data:  # given, even as null
        errors.append(FieldError("tax_reason", N_(
            "is only given with tax_percent, the rate it explains")))
    if errors:
        raise QuoteInputError(errors)
    return request


# Pydantic's error types, as messages of our own catalogue (so they translate).
# The parameters come from the error's context.
_MESSAGES = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a field of a quote request"),
    "literal_error": N_("must be one of %(expected)s"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "string_type": N_("must be a text"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("must be at most %(max_length)s characters long"),
    "less_than_equal": N_("must be at most %(le)s"),
    "greater_than_equal": N_("must be at least %(ge)s"),
    "too_long": N_("must have at most %(max_length)s entries"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "dict_type": N_("must be an object"),
}


def field_errors(exc: ValidationError, *, unknown_field: str | None = None
                 ) -> list[FieldError]:
    """Pydantic's errors as ``FieldError``s with dotted field paths and catalogue messages.
    ``unknown_field``: the message for a field the model does not have (default: "is not a
    field of a quote request")."""
    errors = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        context = error.get("ctx") or {}
        template = _MESSAGES.get(error["type"])
        if error["type"] == "extra_forbidden" and unknown_field is not None:
            template = unknown_field
        if error["type"] == "date_bounds":
            errors.append(FieldError(field, DATE_BOUNDS,
                                     {"first": context["first"], "last": context["last"]}))
        elif template is not None:
            params = {name: str(context[name]) for name in ("expected", "max_length", "le", "ge")
                      if name in context and f"%({name})s" in template}
            errors.append(FieldError(field, template, params))
        else:
            # Our validators raise ValueError(N_(...)): the text is the catalogue's msgid.
            errors.append(FieldError(field, error["msg"].removeprefix("Value error, ")))
    return errors
