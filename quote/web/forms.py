"""The quote form: fields, reading typed input into a quote request, placing errors.

Numbers are typed in the page's language and read by ``parse_local_amount``;
everything else is checked by the pricing core, whose errors are placed next to
the field they name. Empty addition rows are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from ..core.contract import last_day
from ..core.errors import N_, FieldError
from ..core.tax import normalized_vat_id
from .i18n import (
    AmountEntryError,
    error_text,
    format_amount_for_entry,
    parse_local_amount,
    unfinished_amount,
)

MAX_ROWS = 100
ADDITION_ROW = re.compile(r"additions-(\d+)-")


class AdditionForm(Form):
    date = StringField(_l("Date"), render_kw={"type": "date"})
    license_value = StringField(_l("Added license value"), render_kw={"inputmode": "decimal"})
    environments = StringField(_l("Added environments"), render_kw={"inputmode": "numeric"})

    def is_empty(self, license_value: bool = True) -> bool:
        fields = (self.date, self.license_value, self.environments) if license_value \
            else (self.date, self.environments)
        return not any((f.data or "").strip() for f in fields)


class CustomerForm(Form):
    company = StringField(_l("Company"), render_kw={"autocomplete": "organization"})
    contact = StringField(_l("Contact person"), render_kw={"autocomplete": "name"})
    email = StringField(_l("E-mail"), render_kw={"type": "email", "autocomplete": "email"})
    country = StringField(_l("Country"), render_kw={"autocomplete": "country-name"})
    vat_id = StringField(_l("VAT ID (EU businesses)"), render_kw={"autocomplete": "off",
                                                                 "spellcheck": "false"})


KINDS = [SelectChoice("new", _l("A new contract")),
         SelectChoice("top_up", _l("More for a running contract")),
         SelectChoice("renewal", _l("Renewal of a contract")),
         SelectChoice("reinstatement", _l("Reinstating support that lapsed"))]
PUBLIC_KINDS = ("new", "top_up")


class QuoteForm(FlaskForm):
    entry_language = HiddenField()
    contract = HiddenField()  # the stored contract an offer belongs to (staff only)
    rate_card_version = HiddenField()  # the contract's own card version (staff only)
    kind = SelectField(_l("The offer is for"), validate_choice=False, choices=KINDS)
    billing = SelectField(_l("Billing"), validate_choice=False, choices=[
        SelectChoice("prepaid", _l("The whole term in advance")),
        SelectChoice("annual", _l("Every contract year"))])
    separate_term = BooleanField(_l("Price the additions as a contract of their own"))
    lapsed_start = StringField(_l("Lapsed contract: start"), render_kw={"type": "date"})
    lapsed_end = StringField(_l("Lapsed contract: last covered day"),
                             render_kw={"type": "date"})
    rate_card = SelectField(_l("Rate card"), validate_choice=False)
    package = SelectField(_l("Package"), validate_choice=False)
    deployment = SelectField(_l("Deployment"), validate_choice=False, choices=[
        SelectChoice("on_site", _l("On-site licenses")),
        SelectChoice("on_demand", _l("On-demand subscription"))])
    license_value = StringField(_l("License value"), render_kw={"inputmode": "decimal"})
    currency = SelectField(_l("Currency"), validate_choice=False)
    term_start = StringField(_l("Term start"), render_kw={"type": "date"})
    term_years = StringField(_l("Term (years)"), default="1",
                             render_kw={"inputmode": "numeric"})
    environments = StringField(_l("Environments in all"), render_kw={"inputmode": "numeric"})
    additions = FieldList(FormField(AdditionForm), min_entries=3, max_entries=MAX_ROWS)
    points = StringField(_l("Support points"), render_kw={"inputmode": "numeric"})
    # staff only: a tax rate instead of the tax rules' (with the reason, stored)
    tax_percent = StringField(_l("Tax rate instead of the rules' (%)"),
                              render_kw={"inputmode": "decimal"})
    tax_reason = StringField(_l("Reason for that tax rate"))
    discount_percent = StringField(_l("Discount (%)"), default="0",
                                   render_kw={"inputmode": "decimal"})
    language = SelectField(_l("Language of the offer"), validate_choice=False, choices=[
        SelectChoice("en", "English"), SelectChoice("de", "Deutsch"),
        SelectChoice("ru", "Русский")])
    customer = FormField(CustomerForm)


def speak_to_customers(form: QuoteForm, cards, language: str) -> None:
    """The words of the public form for customers, who know products, not rate cards:
    the card is their vendor's product (grouped by vendor), the deployment is how they
    have the software. Staff keep the words of the rate cards."""
    form.rate_card.label.text = gettext("Product")
    vendors: dict[str, list[SelectChoice]] = {}
    for loaded in cards:
        card = loaded.card
        vendors.setdefault(card.vendor, []).append(
            SelectChoice(card.id, card.name(language)))
    form.rate_card.choices = vendors
    form.deployment.label.text = gettext("Your licenses")
    form.deployment.choices = [
        SelectChoice("on_site", gettext("On-site licenses you bought")),
        SelectChoice("on_demand", gettext("An on-demand subscription"))]
    form.environments.label.text = gettext("Number of environments")


def limit_addition_dates(form: QuoteForm) -> None:
    """Offer only dates within the term in the additions' date pickers (``min``/``max``);
    the pricing core still refuses any other date."""
    try:
        start = dt.date.fromisoformat((form.term_start.data or "").strip())
        years = int((form.term_years.data or "").strip())
    except ValueError:
        return
    if not 1 <= years <= 100:
        return
    limits = {"min": start.isoformat(), "max": last_day(start, years).isoformat()}
    for entry in form.additions.entries:
        entry.form.date.render_kw = {**(entry.form.date.render_kw or {}), **limits}


@dataclass
class Reading:
    """A form read into a quote request, or the problems that stop it."""

    data: dict | None
    problems: dict[str, list[str]] = field(default_factory=dict)  # field id -> messages
    general: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # request addition index -> form row
    # what the error summary lists: (field id, message naming the field)
    summary: list[tuple[str, str]] = field(default_factory=list)
    # fields whose entry more typing could still make right ("12.", "12 0", nothing yet)
    unfinished: set[str] = field(default_factory=set)
    notice: str | None = None  # not a problem: something the page says about the form

    def add(self, field_id: str | None, message: str, named: str | None = None) -> None:
        """``message`` at ``field_id``; ``named`` is the same as a sentence naming the
        field, for the summary (when ``message`` does not name it itself)."""
        if field_id is None:
            self.general.append(message)
        else:
            self.problems.setdefault(field_id, []).append(message)
            self.summary.append((field_id, named or message))


def read_form(form: QuoteForm, page_language: str, staff: bool,
              license_value: bool = True) -> Reading:
    """Turn the typed form into a request dict for the core; amounts become decimal strings.

    Amounts are read in the language they were typed in (``entry_language``), then shown
    again in the page's language, so switching languages keeps every entry.
    ``license_value``: whether the chosen rate card prices by license value (else the
    form shows no license fields, and none are read).
    """
    entry_language = form.entry_language.data or page_language
    if entry_language not in ("en", "de", "ru"):
        entry_language = page_language
    reading = Reading(data=None)
    kinds = [choice.value for choice in KINDS] if staff else PUBLIC_KINDS
    kind = form.kind.data if form.kind.data in kinds else "new"
    data: dict = {
        "rate_card": form.rate_card.data or "",
        "package": form.package.data or "",
        "deployment": form.deployment.data or "",
        "language": form.language.data or page_language,
        "kind": kind,
        "billing": form.billing.data or "prepaid",
        "separate_term": kind == "top_up" and bool(form.separate_term.data),
    }
    if form.currency.data:
        data["currency"] = form.currency.data
    if staff:
        for name in ("contract", "rate_card_version"):
            if (form[name].data or "").strip():
                data[name] = form[name].data.strip()

    def amount(f, key_target: dict, key: str, required: bool = False) -> None:
        try:
            value = parse_local_amount(f.data or "", entry_language)
        except AmountEntryError as exc:
            reading.add(f.id, exc.translated(gettext, label_of(f)))
            if unfinished_amount(f.data or "", entry_language):
                reading.unfinished.add(f.id)
            return
        if value is None:
            if required:
                reading.unfinished.add(f.id)
                reading.add(f.id, gettext("Please enter an amount in “%(field)s”.",
                                          field=label_of(f)))
            return
        key_target[key] = format(value, "f")  # plain digits, never an exponent
        f.data = format_amount_for_entry(value, page_language)

    def whole(f, key_target: dict, key: str, required: bool = False) -> None:
        text = (f.data or "").strip()
        if not text:
            if required:
                reading.unfinished.add(f.id)
                reading.add(f.id, gettext("Please enter a number in “%(field)s”.",
                                          field=label_of(f)))
            return
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            reading.add(f.id, gettext("“%(field)s” takes a whole number such as 2.",
                                      field=label_of(f)))
            return
        key_target[key] = int(text)

    def day(f, key_target: dict, key: str, required: bool = False) -> None:
        text = (f.data or "").strip()
        if not text:
            if required:
                reading.unfinished.add(f.id)
                reading.add(f.id, gettext("Please enter a date in “%(field)s”.",
                                          field=label_of(f)))
            return
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            reading.add(f.id, gettext("“%(field)s” takes a date such as 2026-03-01.",
                                      field=label_of(f)))
            return
        key_target[key] = text

    if kind == "reinstatement":
        lapsed: dict = {}
        day(form.lapsed_start, lapsed, "start", required=True)
        day(form.lapsed_end, lapsed, "end", required=True)
        data["lapsed"] = lapsed
    if license_value:
        amount(form.license_value, data, "license_value", required=True)
    day(form.term_start, data, "term_start", required=True)
    whole(form.term_years, data, "term_years", required=True)
    whole(form.environments, data, "environments")
    whole(form.points, data, "points")
    if staff:
        amount(form.discount_percent, data, "discount_percent")
        amount(form.tax_percent, data, "tax_percent")
        reason = (form.tax_reason.data or "").strip()
        if reason or "tax_percent" in data:
            data["tax_reason"] = reason

    additions = []
    for row, entry in enumerate(form.additions.entries):
        sub = entry.form
        if sub.is_empty(license_value):
            continue
        addition: dict = {}
        day(sub.date, addition, "date", required=True)
        if license_value:
            amount(sub.license_value, addition, "license_value")
        whole(sub.environments, addition, "environments")
        additions.append(addition)
        reading.rows.append(row)
    data["additions"] = additions

    customer = {}
    for name in ("company", "contact", "email", "country"):
        text = (form.customer.form[name].data or "").strip()
        if text:
            customer[name] = text
    vat_id = normalized_vat_id(form.customer.form.vat_id.data or "")
    if vat_id:
        customer["vat_id"] = form.customer.form.vat_id.data = vat_id
    data["customer"] = customer
    form.entry_language.data = page_language
    if not reading.problems:
        reading.data = data
    return reading


def summary_of(reading: Reading) -> list[tuple[str, str]]:
    """The error summary's entries: (field id, sentence); an addition row's fields
    say which row."""
    entries = []
    for at, text in reading.summary:
        row = ADDITION_ROW.match(at)
        if row:
            text = gettext("Addition %(number)s", number=int(row.group(1)) + 1) + ": " + text
        entries.append((at, text))
    return entries


def label_of(f) -> str:
    """A field's label as the page shows it, to name the field in a message."""
    return str(f.label.text)


def place_errors(form: QuoteForm, reading: Reading, errors: list[FieldError]) -> None:
    """Put the core's errors next to the fields they name (in the page's language)."""
    named = labels(form)
    for error in errors:
        at = field_id(form, error.field, reading.rows)
        message = error_text(error)
        label = named.get(at)
        reading.add(at, message, named=f"{label}: {message}" if label else None)


def labels(form) -> dict[str, str]:
    """Every field's id and its label."""
    found = {}
    for f in form:
        if f.type == "FieldList":
            for entry in f.entries:
                found.update({sub.id: label_of(sub) for sub in entry.form})
        elif f.type == "FormField":
            found.update({sub.id: label_of(sub) for sub in f.form})
        elif f.type not in ("CSRFTokenField", "HiddenField"):
            found[f.id] = label_of(f)
    found["additions"] = gettext("Additions during the term")
    return found


def field_id(form: QuoteForm, path: str, rows: list[int]) -> str | None:
    parts = path.split(".") if path else []
    if not parts:
        return None
    head = parts[0]
    if head == "additions":
        if len(parts) == 1:
            return "additions"
        if not parts[1].isdigit() or int(parts[1]) >= len(rows):
            return "additions"
        entry = form.additions.entries[rows[int(parts[1])]]
        if len(parts) >= 3 and parts[2] in entry.form._fields:
            return entry.form[parts[2]].id
        return entry.form.date.id
    if head == "lapsed":
        return form.lapsed_end.id if parts[1:2] == ["end"] else form.lapsed_start.id
    if head == "customer":
        if len(parts) >= 2 and parts[1] in form.customer.form._fields:
            return form.customer.form[parts[1]].id
        return None
    if head in form._fields and head not in ("csrf_token", "entry_language"):
        return form[head].id
    return None


class ContractForm(FlaskForm):
    """One running contract entered by hand: for a customer chosen from the list, or a
    new one (its fields), then the contract's fields. The names are those of the
    contract import's columns (``quote.lifecycle.FIELDS``), so errors land where they
    belong."""

    customer = SelectField(_l("Customer"), validate_choice=False)
    company = StringField(_l("Company"), render_kw={"autocomplete": "organization"})
    country = SelectField(_l("Country"), validate_choice=False)
    vat_id = StringField(_l("VAT ID"), render_kw={"autocomplete": "off"})
    language = SelectField(_l("Language of its offers"), validate_choice=False, choices=[
        SelectChoice("en", "English"), SelectChoice("de", "Deutsch"),
        SelectChoice("ru", "Русский")])
    contact_name = StringField(_l("Contact person"), render_kw={"autocomplete": "name"})
    contact_email = StringField(_l("E-mail"), render_kw={"type": "email",
                                                         "autocomplete": "email"})
    rate_card = SelectField(_l("Rate card"), validate_choice=False)
    card_version = SelectField(_l("Rate card version it was sold on"), validate_choice=False)
    package = SelectField(_l("Package"), validate_choice=False)
    deployment = SelectField(_l("Deployment"), validate_choice=False, choices=[
        SelectChoice("on_site", _l("On-site licenses")),
        SelectChoice("on_demand", _l("On-demand subscription"))])
    currency = SelectField(_l("Currency"), validate_choice=False)
    license_value = StringField(_l("License value"), render_kw={"inputmode": "decimal"})
    environments = StringField(_l("Environments in all"), render_kw={"inputmode": "numeric"})
    term_start = StringField(_l("Term start"), render_kw={"type": "date"})
    term_years = StringField(_l("Years"), default="1", render_kw={"inputmode": "numeric"})
    billing = SelectField(_l("Billing"), validate_choice=False, choices=[
        SelectChoice("prepaid", _l("The whole term in advance")),
        SelectChoice("annual", _l("Every contract year"))])
    owner_email = SelectField(_l("Looked after by"), validate_choice=False)


# A customer's answer to an offer, and staff acting for the customer

class AcceptForm(FlaskForm):
    """The customer accepts the offer on its page (``/q/<token>``)."""

    name = StringField(_l("Your name"), render_kw={"autocomplete": "name", "maxlength": 200})
    position = StringField(_l("Your position"),
                           render_kw={"autocomplete": "organization-title", "maxlength": 200})
    purchase_order = StringField(_l("Purchase order number (optional)"),
                                 render_kw={"maxlength": 100})
    conditions = BooleanField(_l("I accept this offer with its prices and contract conditions "
                                 "on behalf of the customer named in it."))
    document = HiddenField()  # the SHA-256 of the document shown


class DeclineForm(FlaskForm):
    """The customer declines the offer, saying why."""

    name = StringField(_l("Your name"), render_kw={"autocomplete": "name", "maxlength": 200})
    reason = TextAreaField(_l("Why do you decline the offer?"),
                           render_kw={"rows": 3, "maxlength": 2000})
    document = HiddenField()


class OnBehalfForm(FlaskForm):
    """Staff record the customer's acceptance (by mail, on paper, on the phone)."""

    name = StringField(_l("Name of the person who accepted for the customer"),
                       render_kw={"maxlength": 200})
    position = StringField(_l("Their position (optional)"), render_kw={"maxlength": 200})
    purchase_order = StringField(_l("Purchase order number (optional)"),
                                 render_kw={"maxlength": 100})


class ConfirmForm(FlaskForm):
    """A confirmation step: only its CSRF token."""


__all__ = ["N_", "AcceptForm", "ConfirmForm", "ContractForm", "DeclineForm", "OnBehalfForm",
           "QuoteForm", "Reading", "limit_addition_dates", "place_errors", "read_form",
           "speak_to_customers", "summary_of"]
