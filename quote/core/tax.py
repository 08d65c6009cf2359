"""The seller's tax rules: which VAT an offer carries, from the customer's country and
VAT ID. The customer never sets it; staff may override it with a reason.

The rules are data (``tax/rules.toml``, or the file ``QUOTE_TAX_RULES`` names), validated
on load by the schema below; a broken file is reported with its path and the field at
fault. ``docs/tax.md`` describes every field and works through examples.

The rule, for a seller in an EU member state (``decide``):

1. **domestic**: the customer is in the seller's country: the seller country's rate.
2. **reverse_charge**: a business in another EU member state with a VAT ID of that
   state: 0 %, and the offer says that the customer owes the VAT (reverse charge).
3. **eu_consumer**: anyone else in another EU member state (a consumer, or a business
   without a VAT ID): the seller country's rate; with ``eu_consumers =
   "customer_country"`` (the One-Stop-Shop) the customer country's rate instead.
4. **outside_eu**: a customer outside the EU: ``outside_eu.rate`` (0 %: the service is
   supplied where the customer is), with the note that says so.

A seller outside the EU charges its own rate at home and ``outside_eu`` everywhere else.
Without a country the tax is **undetermined**: the price before tax. A rate set by staff
is an **override** and carries their reason.

A VAT ID is checked for the form its country gives it (``vat_id_problem``), never looked
up online; its prefix must be the customer's country (``EL`` is Greece).
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from .. import resources
from . import checked
from .catalog import Problem, _shown_path
from .countries import country_code, country_codes, country_name
from .errors import N_, FieldError, QuoteInputError
from .rates import Percent, Text, _Strict
from .result import TaxBasis, TaxNote

TAX_RULES_ENV = "QUOTE_TAX_RULES"

# -- VAT IDs -------------------------------------------------------------------

# The VAT ID of each EU member state as it is written without spaces: its prefix, the
# rest as a regular expression, and an example. Greece writes EL; Northern Ireland's XI
# is not a member state's.
VAT_ID_FORMATS: dict[str, tuple[str, str]] = {
    "AT": (r"U[0-9]{8}", "ATU12345678"),
    "BE": (r"[01][0-9]{9}", "BE0123456789"),
    "BG": (r"[0-9]{9,10}", "BG123456789"),
    "CY": (r"[0-9]{8}[A-Z]", "CY12345678X"),
    "CZ": (r"[0-9]{8,10}", "CZ12345678"),
    "DE": (r"[0-9]{9}", "DE123456789"),
    "DK": (r"[0-9]{8}", "DK12345678"),
    "EE": (r"[0-9]{9}", "EE123456789"),
    "EL": (r"[0-9]{9}", "EL123456789"),
    "ES": (r"[0-9A-Z][0-9]{7}[0-9A-Z]", "ESX1234567X"),
    "FI": (r"[0-9]{8}", "FI12345678"),
    "FR": (r"[0-9A-HJ-NP-Z]{2}[0-9]{9}", "FR12345678901"),
    "HR": (r"[0-9]{11}", "HR12345678901"),
    "HU": (r"[0-9]{8}", "HU12345678"),
    "IE": (r"[0-9]{7}[A-W][A-IW]?|[0-9][A-Z+*][0-9]{5}[A-W]", "IE1234567WA"),
    "IT": (r"[0-9]{11}", "IT12345678901"),
    "LT": (r"[0-9]{9}|[0-9]{12}", "LT123456789"),
    "LU": (r"[0-9]{8}", "LU12345678"),
    "LV": (r"[0-9]{11}", "LV12345678901"),
    "MT": (r"[0-9]{8}", "MT12345678"),
    "NL": (r"[0-9]{9}B[0-9]{2}", "NL123456789B01"),
    "PL": (r"[0-9]{10}", "PL1234567890"),
    "PT": (r"[0-9]{9}", "PT123456789"),
    "RO": (r"[1-9][0-9]{1,9}", "RO1234567890"),
    "SE": (r"[0-9]{10}01", "SE123456789001"),
    "SI": (r"[0-9]{8}", "SI12345678"),
    "SK": (r"[0-9]{10}", "SK1234567890"),
}
# The prefix of a VAT ID that is not its country's ISO code.
VAT_PREFIX_COUNTRY = {"EL": "GR"}
# Every VAT ID the format check accepts, as one expression (the API's schema publishes it).
VAT_ID_PATTERN = "^(" + "|".join(
    f"{prefix}({rest})" for prefix, (rest, _) in VAT_ID_FORMATS.items()) + ")?$"
_VAT_ID = {prefix: re.compile(rest) for prefix, (rest, _) in VAT_ID_FORMATS.items()}


def vat_id_country(vat_id: str) -> str | None:
    """The ISO country code of a VAT ID's prefix ("EL123..." is Greece, GR)."""
    prefix = vat_id[:2]
    if prefix not in VAT_ID_FORMATS:
        return None
    return VAT_PREFIX_COUNTRY.get(prefix, prefix)


def normalized_vat_id(text: str) -> str:
    """A VAT ID as typed ("de 123.456.789"), written the checked way: upper case, without
    spaces, dots or hyphens ("DE123456789")."""
    return re.sub(r"[\s.\-]", "", text).upper()


def vat_id_problem(vat_id: str) -> FieldError | None:
    """What is wrong with the form of ``vat_id`` (written without spaces), or None.

    The field is the request's (``customer.vat_id``)."""
    prefix = vat_id[:2]
    if prefix not in _VAT_ID:
        return FieldError("customer.vat_id", N_(
            "is not the VAT ID of an EU member state: it starts with the country's prefix, "
            "such as DE123456789 (customers outside the EU need none)"))
    if not _VAT_ID[prefix].fullmatch(vat_id[2:]):
        return FieldError("customer.vat_id", N_(
            "does not have the form of a VAT ID from %(prefix)s, such as %(example)s"),
            {"prefix": prefix, "example": VAT_ID_FORMATS[prefix][1]})
    return None


# -- the rules file ------------------------------------------------------------


def _country(value: str) -> str:
    if value not in country_codes():
        raise ValueError(f"{value!r} is not an ISO 3166 country code in capitals, such as "
                         "\"DE\"")
    return value


class Seller(_Strict):
    """The seller's country and VAT ID: they decide what is domestic, and the offer
    prints them."""

    country: str
    vat_id: str = Field(min_length=1)
    example: bool | list[Literal["vat_id"]] = Field(
        default=False, description="true (or [\"vat_id\"]): the VAT ID is an example value")

    @field_validator("country")
    @classmethod
    def _known(cls, code: str) -> str:
        return _country(code)

    @model_validator(mode="after")
    def _vat_id_of_the_country(self) -> Seller:
        if self.country in _EU_PREFIXES:
            problem = vat_id_problem(self.vat_id)
            if problem is not None:
                raise ValueError(f"vat_id {self.vat_id!r} " + problem.message)
            if vat_id_country(self.vat_id) != self.country:
                raise ValueError(f"vat_id {self.vat_id!r} is not a VAT ID of "
                                 f"{self.country}")
        return self

    @property
    def vat_id_is_example(self) -> bool:
        return self.example is True or (isinstance(self.example, list)
                                        and "vat_id" in self.example)


_EU_PREFIXES = {VAT_PREFIX_COUNTRY.get(p, p) for p in VAT_ID_FORMATS}


class OutsideEu(_Strict):
    """Customers outside the EU (and, for a seller outside the EU, everyone abroad)."""

    rate: Percent = Decimal(0)
    note: Text | None = None


class Notes(_Strict):
    reverse_charge: Text


class TaxRules(_Strict):
    """A tax rules file."""

    seller: Seller
    eu_consumers: Literal["seller_country", "customer_country"] = "seller_country"
    eu: dict[str, Percent] = Field(description="the EU member states and their standard "
                                               "VAT rates, in percent")
    other: dict[str, Percent] = Field(
        default_factory=dict, description="standard rates of countries outside the EU (the "
        "seller's, if it is there)")
    example: bool | list[str] = Field(
        default=False, description="rates that are example values: true for all, or the "
        'countries ("eu.DE", "other.CH")')
    outside_eu: OutsideEu = Field(default_factory=OutsideEu)
    notes: Notes

    @field_validator("eu", "other")
    @classmethod
    def _countries(cls, table: dict[str, Decimal]) -> dict[str, Decimal]:
        for code in table:
            _country(code)
        return table

    @model_validator(mode="after")
    def _consistent(self) -> TaxRules:
        unknown = sorted(set(self.eu) - _EU_PREFIXES)
        if unknown:
            raise ValueError(f"eu lists {', '.join(unknown)}, which are not EU member states")
        both = sorted(set(self.eu) & set(self.other))
        if both:
            raise ValueError(f"{', '.join(both)} are in eu and in other")
        if self.seller.country not in self.eu and self.seller.country not in self.other:
            raise ValueError(f"the seller's country {self.seller.country} has no rate: list "
                             "it under eu or other")
        if isinstance(self.example, list):
            for name in self.example:
                table, _, code = name.partition(".")
                if table not in ("eu", "other") or code not in getattr(self, table):
                    raise ValueError(f"example names {name!r}, which is no rate of the file "
                                     '(write "eu.DE" or "other.CH")')
        return self

    def rate_of(self, code: str) -> Decimal:
        return self.eu[code] if code in self.eu else self.other[code]

    def is_example(self, code: str) -> bool:
        if isinstance(self.example, bool):
            return self.example
        return f"eu.{code}" in self.example or f"other.{code}" in self.example

    @property
    def seller_in_eu(self) -> bool:
        return self.seller.country in self.eu


@dataclass(frozen=True)
class LoadedTaxRules:
    rules: TaxRules
    path: str
    sha256: str


class TaxFileError(Exception):
    """The tax rules file is broken; ``problems`` names the file and each field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def tax_rules_path(environ: Mapping[str, str] | None = None) -> Path:
    """``QUOTE_TAX_RULES`` if set, else the shipped ``tax/rules.toml``."""
    environ = os.environ if environ is None else environ
    configured = environ.get(TAX_RULES_ENV)
    return Path(configured).expanduser() if configured else resources.tax_rules_file()


def parse_tax_rules(data: bytes, path: str) -> LoadedTaxRules:
    """A tax rules file's bytes, validated; raises ``TaxFileError``. Rules that validated
    once are read from the cache of validated files (``quote.core.checked``)."""
    kept = checked.key("tax rules", data)
    found = checked.read(kept)
    if isinstance(found, TaxRules):
        return LoadedTaxRules(found, path, hashlib.sha256(data).hexdigest())
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TaxFileError([Problem(path, "", "is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxFileError([Problem(path, "", f"is not valid TOML: {exc}")]) from None
    try:
        rules = TaxRules.model_validate(raw)
    except ValidationError as exc:
        raise TaxFileError([
            Problem(path, ".".join(str(part) for part in error["loc"]),
                    error["msg"].removeprefix("Value error, "))
            for error in exc.errors(include_url=False)]) from None
    checked.write(kept, rules)
    return LoadedTaxRules(rules, path, hashlib.sha256(data).hexdigest())


def load_tax_rules(path: Path | str | None = None) -> LoadedTaxRules:
    """Load the tax rules (default: ``tax_rules_path()``); raises ``TaxFileError``."""
    file = tax_rules_path() if path is None else Path(path)
    if not file.is_file():
        raise TaxFileError([Problem(str(file), "", "tax rules file not found")])
    return parse_tax_rules(file.read_bytes(), _shown_path(file))


# -- deciding ------------------------------------------------------------------


def _note(text: Text | None) -> TaxNote | None:
    return None if text is None else TaxNote.built(en=text.en, de=text.de, ru=text.ru)


def decide(rules: TaxRules, country: str | None, vat_id: str | None = None,
           business: bool = True) -> TaxBasis:
    """The tax of an offer to a customer in ``country`` (ISO code; None: not known) with
    ``vat_id`` (checked for its form already), a ``business`` or a consumer."""
    seller = rules.seller
    common = {"country": country, "customer_vat_id": vat_id or None,
              "seller_country": seller.country, "seller_vat_id": seller.vat_id}

    def at_rate_of(code: str, rule: str) -> TaxBasis:
        return TaxBasis.built(rule=rule, rate=rules.rate_of(code), rate_country=code,
                              example=rules.is_example(code), **common)

    if country is None:
        return TaxBasis.built(rule="undetermined", rate=Decimal(0), **common)
    if country == seller.country:
        return at_rate_of(seller.country, "domestic")
    if rules.seller_in_eu and country in rules.eu:
        if business and vat_id and vat_id_country(vat_id) == country:
            return TaxBasis.built(rule="reverse_charge", rate=Decimal(0),
                                  note=_note(rules.notes.reverse_charge), **common)
        if rules.eu_consumers == "customer_country":
            return at_rate_of(country, "eu_consumer")
        return at_rate_of(seller.country, "eu_consumer")
    return TaxBasis.built(rule="outside_eu", rate=rules.outside_eu.rate,
                          note=_note(rules.outside_eu.note), **common)


def customer_country(text: str) -> str | None:
    """The ISO code of a customer's country as written in a request (a code or a name in
    English, German or Russian), None if it names none."""
    return country_code(text, by_name=True) if text else None


def tax_of_request(request, rules: TaxRules | None) -> TaxBasis | None:
    """The tax basis of a quote request: staff's override with its reason, else the rules'
    decision for the customer (None without rules and override: 0 %, as before rules)."""
    customer = request.customer
    country = customer_country(customer.country)
    if request.tax_percent is not None:
        return TaxBasis.built(rule="override", rate=request.tax_percent, country=country,
                              customer_vat_id=customer.vat_id or None, reason=request.tax_reason,
                              seller_country=rules.seller.country if rules else None,
                              seller_vat_id=rules.seller.vat_id if rules else None)
    if rules is None:
        return None
    business = bool(customer.company or customer.vat_id)
    return decide(rules, country, customer.vat_id or None, business)


def check_customer_tax(request) -> list[FieldError]:
    """What the tax needs of a request's customer that the model alone cannot check: the
    VAT ID's prefix is the country's."""
    customer = request.customer
    if not customer.vat_id:
        return []
    country = customer_country(customer.country)
    own = vat_id_country(customer.vat_id)
    if country is not None and own is not None and own != country:
        return [FieldError("customer.vat_id", N_(
            "is a VAT ID from %(prefix)s, but the customer's country is %(country)s"),
            {"prefix": customer.vat_id[:2], "country": country})]
    return []


def require_country(request) -> None:
    """A numbered offer's customer names a country the tax can follow from."""
    text = request.customer.country
    if text and customer_country(text) is None:
        raise QuoteInputError([FieldError("customer.country", N_(
            "is not a country we know: write its name or its ISO code, such as DE"))])


# -- in words --------------------------------------------------------------------


def tax_label(basis: TaxBasis | None, rate_text: str, language: str) -> str:
    """The offer's tax line: "VAT 19 % (Germany)", "VAT 0 % (reverse charge)", ...

    ``rate_text`` is the rate as the language writes it ("19 %")."""
    from ..i18n import translations

    _ = translations(language).gettext
    if basis is None:
        return _("Tax (%(percent)s)") % {"percent": rate_text}
    where = country_name(basis.rate_country, language) if basis.rate_country else ""
    if basis.rule in ("domestic", "eu_consumer") and where:
        return _("VAT %(percent)s (%(country)s)") % {"percent": rate_text, "country": where}
    if basis.rule == "reverse_charge":
        return _("VAT %(percent)s (reverse charge)") % {"percent": rate_text}
    if basis.rule == "outside_eu":
        return _("VAT %(percent)s (customer outside the EU)") % {"percent": rate_text}
    if basis.rule == "override":
        return _("VAT %(percent)s (set by our sales team)") % {"percent": rate_text}
    return _("VAT: follows from the customer's country")


def tax_note(basis: TaxBasis | None, language: str) -> str | None:
    """The note the offer prints about its tax, in ``language``."""
    if basis is None or basis.note is None:
        return None
    return getattr(basis.note, language if language in ("en", "de", "ru") else "en")
