"""The public quote form at ``/``: works without JavaScript, and previews live with it."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, jsonify, render_template, request, session
from flask_babel import gettext, ngettext
from wtforms.fields.choices import SelectChoice

from ..core.catalog import LoadedCard
from ..core.describe import day, money, percent
from ..core.errors import QuoteInputError
from ..core.pricing import alternative_term, price_quote
from ..core.request import parse_request
from ..core.tax import tax_label, tax_note
from ..i18n import LANGUAGES
from .auth import can
from .extensions import limit, rates, today
from .forms import (
    PUBLIC_KINDS,
    QuoteForm,
    Reading,
    limit_addition_dates,
    place_errors,
    read_form,
    speak_to_customers,
    summary_of,
)
from .i18n import current_language, example_amount
from .pdfs import draft_pdf_response, pdf_limits, refuse_when_busy
from .present import comparison, hours_text, lines_in

public = Blueprint("public", __name__)


@public.before_app_request
def _remember_language():
    if not request.query_string:  # nothing to remember (and no query to parse)
        return
    asked = request.args.get("lang")
    if asked in LANGUAGES and not request.path.startswith("/api/"):
        session["lang"] = asked


def limiter_exempt_staff(setting: str, methods: list[str] | None = None):
    """The public limit ``setting``; signed-in staff are not limited."""
    return limit(setting, methods=methods, exempt_when=_signed_in)


def _cards(on) -> list[LoadedCard]:
    return rates().cards_in_force(on)


def discount_allowed() -> bool:
    """Only sales and admin may give a discount (the rate card sets its limit)."""
    return can("issue")


def build_form(language: str) -> QuoteForm:
    form = QuoteForm()
    if not discount_allowed():
        del form.discount_percent
        del form.tax_percent
        del form.tax_reason
        form.kind.choices = [c for c in form.kind.choices if c.value in PUBLIC_KINDS]
    cards = _cards(today())
    form.rate_card.choices = [SelectChoice(c.card.id, c.card.name(language)) for c in cards]
    if not can("read"):
        speak_to_customers(form, cards, language)
    if request.method == "GET":
        form.rate_card.data = form.rate_card.data or (cards[0].card.id if cards else "")
        form.term_start.data = form.term_start.data or today().isoformat()
        form.language.data = language
        form.entry_language.data = language
    fit_to_card(form, language)
    rows = current_app.config["FORM_ADDITION_ROWS"]
    while len(form.additions.entries) < rows:
        form.additions.append_entry()
    limit_addition_dates(form)
    return form


def selected_card(form: QuoteForm) -> LoadedCard | None:
    cards = _cards(today())
    selected = rates().in_force(form.rate_card.data or "", today())
    return selected if selected is not None or not cards else cards[0]


def fit_to_card(form: QuoteForm, language: str) -> None:
    """The choices and fields that depend on the chosen rate card: its packages, its
    currencies, support points, and whether it asks for a license value."""
    selected = selected_card(form)
    card = selected.card if selected else None
    packages = card.packages if card else []
    form.points_available = bool(card and card.points)
    form.license_available = bool(card is None or card.license_value)
    form.package.choices = [SelectChoice(p.id, p.name(language)) for p in packages]
    form.currency.choices = [SelectChoice(code, code) for code in
                             (card.currencies if card else [])]
    if request.method == "GET" and packages:
        form.package.data = form.package.data or packages[0].id
    if card and form.currency.data not in card.currencies:
        form.currency.data = card.currency


def _cards_data(language: str) -> str:
    data = {}
    for loaded in _cards(today()):
        card = loaded.card
        data[card.id] = {
            "packages": [[p.id, p.name(language)] for p in card.packages],
            "currencies": card.currencies,
            "points": card.points is not None,
            "license_value": card.license_value,
        }
    return json.dumps(data, ensure_ascii=False)


def price_form(form: QuoteForm, language: str):
    """(reading, request, result, loaded) for a submitted form; result None on errors,
    and when the rate card was changed without the page's script: the page then shows
    the new card's packages and asks for one (``reading.notice``)."""
    selected = selected_card(form)
    own_version = (form.rate_card_version.data or "").strip()  # a contract's, staff only
    if selected is not None and selected.card.packages and not own_version and (
            form.package.data or "") not in {package.id for package in selected.card.packages}:
        form.package.data = selected.card.packages[0].id
        reading = Reading(data=None)
        reading.notice = gettext(
            "The package list now shows the packages of “%(card)s”. Choose one, then "
            "calculate again.", card=selected.card.name(language))
        return reading, None, None, None
    reading = read_form(form, language, discount_allowed(),
                        license_value=selected is None or selected.card.license_value)
    if not discount_allowed() and any((request.form.get(name) or "").strip()
                                      for name in ("tax_percent", "tax_reason")):
        reading.general.append(gettext(
            "The tax follows from the customer's country and VAT ID; only our sales team "
            "can set another rate."))
        return reading, None, None, None
    if reading.data is None:
        return reading, None, None, None
    most = current_app.config["PUBLIC_MAX_ADDITIONS"]
    if len(reading.data["additions"]) > most and not can("read"):
        reading.add("additions", gettext(
            "Without a staff account an offer can have at most %(count)s additions; our "
            "sales team prepares larger ones.", count=most))
        return reading, None, None, None
    try:
        quote_request = parse_request(reading.data)
        result = price_quote(quote_request, rates(), today())
    except QuoteInputError as exc:
        place_errors(form, reading, exc.errors)
        return reading, None, None, None
    loaded = rates().priced_with(result)
    return reading, quote_request, result, loaded


def result_context(quote_request, result, loaded, language: str) -> dict:
    from ..core.sla import sla_rows  # the service-level clock, at the first priced page

    currency = result.currency
    compared = comparison(quote_request, loaded, result.as_of, language, result.tax_basis)
    card = loaded.card
    package = card.package(result.package.id)
    term = (result.term.start, result.term.end)
    return {
        "sla_rows": sla_rows(card, package, result.term.start, language),
        "service_hours": hours_text(card, package, language, *term),
        "priority_label": (card.priority_label(language) if card.priority_label
                           else gettext("Priority")),
        "result": result,
        "lines": lines_in(result, loaded, quote_request, language),
        "comparison": compared,
        "alternative": alternative_term(quote_request, loaded, result.as_of,
                                        result.tax_basis),
        "fmt_money": lambda amount: money(amount, currency, language),
        "fmt_percent": lambda value: percent(value, language),
        "tax_label": tax_label(result.tax_basis, percent(result.tax_percent, language),
                               language),
        "tax_note": tax_note(result.tax_basis, language),
        "tax_undetermined": (result.tax_basis is not None
                             and result.tax_basis.rule == "undetermined"),
        "fmt_day": lambda value: day(value, language),
        "card": loaded.card,
        "package_name": loaded.card.package(result.package.id).name(language),
        "for_customer": not can("read"),  # customers read of prices, staff of rate cards
    }


def render_form(form, reading, language: str, context: dict, status: int | None = None,
                revises: str | None = None):
    if status is None:
        status = 422 if reading.problems or reading.general else 200
    return render_template(
        "web/index.html", form=form, problems=reading.problems, general=reading.general,
        summary=summary_of(reading), notice=reading.notice, quiet_errors=True,
        cards_data=_cards_data(language), example=example_amount(language),
        can_issue=can("issue"), can_request=not can("read"), revises=revises,
        **{"for_customer": not can("read"), **context},
    ), status


def _signed_in() -> bool:
    return can("read")


def _asks_for_pdf() -> bool:
    return request.method == "POST" and request.form.get("action") == "pdf"


@public.route("/", methods=["GET", "POST"])
@limiter_exempt_staff("LIMIT_PREVIEW", methods=["POST"])
@pdf_limits(applies=_asks_for_pdf)
def index():
    language = current_language()
    form = build_form(language)
    reading = Reading(data=None)
    context: dict = {}
    # a language chosen, or (without the page's script) a rate card's packages asked
    # for: the form comes back filled in, without its errors
    switching = request.form.get("switch") == "1" or request.form.get("action") == "card"
    if request.method == "POST":
        if _asks_for_pdf() and not switching:
            refuse_when_busy()
        reading, quote_request, result, loaded = price_form(form, language)
        if result is not None:
            if _asks_for_pdf() and not switching:
                return draft_pdf_response(quote_request, lambda: (result, loaded))
            context = result_context(quote_request, result, loaded, language)
        if switching:
            reading = Reading(data=None, notice=reading.notice)
    revises = request.form.get("revises") if can("issue") else None  # back from a review
    return render_form(form, reading, language, context, revises=revises or None)


@public.post("/preview")
@limiter_exempt_staff("LIMIT_PREVIEW")
def preview():
    """The live preview of the form (called by static/web/quote.js): JSON with HTML."""
    language = current_language()
    form = build_form(language)
    reading, quote_request, result, loaded = price_form(form, language)
    if "touched" in request.form:  # only what the user has been at is said to be wrong
        _only_touched(reading, set(request.form["touched"].split()))
    html = ""
    if result is not None:
        html = render_template("web/_result.html",
                               **result_context(quote_request, result, loaded, language))
        status = gettext("Price updated. Total: %(total)s.",
                         total=money(result.total, result.currency, language))
    else:
        status = " ".join([*_problem_count(reading), *reading.general,
                           *(text for _, text in summary_of(reading)),
                           *([reading.notice] if reading.notice else [])])
    return jsonify({"problems": reading.problems, "general": reading.general, "html": html,
                    "packages": [[c.value, c.label] for c in form.package.choices],
                    "status": status, "unfinished": sorted(reading.unfinished)})


def _only_touched(reading: Reading, touched: set[str]) -> None:
    """Keep the problems of the fields in ``touched`` (a list's own problem with any of
    its rows): a field not yet reached is not wrong yet."""
    def reached(at: str) -> bool:
        return at in touched or (at == "additions"
                                 and any(t.startswith("additions-") for t in touched))
    reading.problems = {at: texts for at, texts in reading.problems.items() if reached(at)}
    reading.summary = [(at, text) for at, text in reading.summary if reached(at)]
    reading.unfinished &= touched


def _problem_count(reading: Reading) -> list[str]:
    """The error summary's heading, for the form's status announcement."""
    if not reading.problems:
        return []
    return [ngettext("%(num)s entry needs correcting before the price can be shown:",
                     "%(num)s entries need correcting before the price can be shown:",
                     len(reading.problems))]




@public.get("/health")
def health():
    if not rates().ids():
        abort(503)
    return {"status": "ok"}
