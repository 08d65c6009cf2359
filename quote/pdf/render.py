"""An ``OfferDocument`` as a PDF/A-3b file, in German, English or Russian.

The page is HTML from ``templates/pdf/offer.html`` styled by
``static/pdf/offer.css`` and laid out by WeasyPrint. The template is given
plain values prepared here (texts already in the offer's language, amounts
formatted by Babel); fixed texts come from the ``pdf`` gettext domain,
line descriptions and durations from ``core``, rate card texts from the card.

The engine reads nothing but ``static/`` (see ``fetcher.py``). The font
configuration and the parsed stylesheets are made once per process and reused.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import io
import re
import shutil
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import jinja2

from .. import resources
from ..core.countries import country_name
from ..core.describe import (
    Describer,
    day,
    describe_line,
    money,
    number,
    percent,
    service_hours_text,
)
from ..core.offer import OfferDocument
from ..core.pricing import compare_moves
from ..core.rates import Package, RateCard
from ..core.sla import sla_rows
from ..core.tax import customer_country, tax_label, tax_note, vat_id_country
from ..core.terms import channel_texts, commitment_texts, level_terms, marked
from ..i18n import LANGUAGES, translations
from . import fetcher
from .seller import Seller

# The seller's VAT ID as its own country names it, printed as is in that country's
# language and in brackets after the translated label in the others ("VAT ID
# (USt-IdNr.)", never "ИНН", which is a Russian taxpayer number).
NATIVE_VAT_ID_NAMES = {
    "DE": ("de", "USt-IdNr."), "AT": ("de", "UID-Nr."), "FR": ("fr", "N° TVA"),
    "IT": ("it", "P.IVA"), "ES": ("es", "NIF-IVA"), "NL": ("nl", "btw-id"),
    "BE": ("nl", "BTW-nr."), "PL": ("pl", "NIP"), "CZ": ("cs", "DIČ"),
}


def seller_tax_id_label(country: str, vat_id: str, language: str) -> str:
    """How the offer labels the seller's VAT ID, in ``language``, for a seller in
    ``country``: the native name at home, else the translated label with it."""
    _ = translations(language, ("pdf",)).gettext
    if country not in NATIVE_VAT_ID_NAMES and vat_id_country(vat_id) is None:
        return _("Tax ID")
    native = NATIVE_VAT_ID_NAMES.get(country)
    if native is None:
        return _("VAT ID")
    if native[0] == language:
        return native[1]
    return _("VAT ID (%(native)s)") % {"native": native[1]}

TEMPLATES = "pdf"  # below templates/
STYLESHEET = "pdf/offer.css"  # below static/
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "offer.json"
OUTPUT_INTENT = "offer-srgb"

_lock = threading.Lock()


# -- the engine, made once per process ----------------------------------------


class _Engine:
    """FontConfiguration, fetcher, parsed stylesheets and the HTML class shared by every render."""

    def __init__(self) -> None:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = fetcher.StaticFetcher()
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(resources.static_dir() / STYLESHEET),
                              url_fetcher=self.fetcher,
                              font_config=self.font_config)
        self._page_css: dict[str, object] = {}
        self.color_profile = _srgb_profile()
        user_agent_css = CSS(string=_user_agent_css(), font_config=self.font_config)

        class OfferHTML(HTML):
            """HTML with the slimmer user-agent stylesheet (``_user_agent_css``)."""

            def _ua_stylesheets(self, forms=False):
                return [user_agent_css, *super()._ua_stylesheets(forms)[1:]]

        self.html = OfferHTML

    def close(self) -> None:
        """Remove the font configuration's temporary folder (the offer's fonts).

        WeasyPrint removes it in the configuration's ``__del__``, which for an engine that
        lives as long as its process runs only as the interpreter ends, when ``shutil``
        may be gone already: a ``TypeError`` was printed and the folder left behind in
        the temporary folder at every worker's exit. (``_folder`` is WeasyPrint's.)"""
        folder, self.font_config._folder = getattr(self.font_config, "_folder", None), None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    def page_css(self, language: str):
        """The page-number margin box in ``language`` ("Seite 1 von 3")."""
        if language not in self._page_css:
            from weasyprint import CSS

            _ = translations(language, ("core", "pdf")).gettext
            label = _("Page %(page)s of %(pages)s")
            content = " ".join(_css_content(label, {"page": "counter(page)",
                                                    "pages": "counter(pages)"}))
            self._page_css[language] = CSS(
                string=f"@page {{ @bottom-right {{ content: {content}; }} }}",
                url_fetcher=self.fetcher, font_config=self.font_config)
        return self._page_css[language]


def _user_agent_css() -> str:
    """WeasyPrint's HTML user-agent stylesheet without rules that match every element,
    and without the one OpenType feature it asks for.

    ``::footnote-*`` and ``::note-*`` (and ``::marker`` without an element)
    match all elements, so WeasyPrint makes six pseudo-element styles for each
    of the offer's elements although it has no footnotes or notes and only
    ``li`` has a marker: about 6 % of a render.

    The markers' ``font-variant-numeric: tabular-nums`` is left out: WeasyPrint
    gives every piece of text laid out with an OpenType feature a Pango
    attribute list and a font-features attribute it never frees (about 160
    bytes; the offer's list markers are laid out 88 times per render, 1.3 MB
    per 100 offers that a worker never gets back). The bundled DejaVu Sans has
    no ``tnum`` feature (its digits are all of one width anyway), so the
    markers look the same. The offer's own stylesheet asks for no feature
    either (``tests/integration/pdf/test_offer_pdf.py`` checks both).
    Everything else is kept as is.
    """
    from importlib.resources import files

    source = (files("weasyprint") / "css" / "html5_ua.css").read_text(encoding="utf-8")
    source = re.sub(r"^::(?:footnote|note)-[a-z]+ *\{[^}]*\}\n", "", source, flags=re.M)
    source = re.sub(r"font-variant-numeric: *tabular-nums *;? *", "", source)
    return re.sub(r"^::marker(?= *\{)", "li::marker", source, flags=re.M)


def _srgb_profile():
    """WeasyPrint's sRGB profile as the PDF/A output intent, its file read and closed once.

    (Left to itself, WeasyPrint opens the profile for every PDF/A render and
    never closes the file.)
    """
    from importlib.resources import files

    from weasyprint.css import ColorProfile

    icc = (files("weasyprint") / "pdf" / "sRGB2014.icc").read_bytes()
    return ColorProfile(io.BytesIO(icc), "sRGB2014.icc", "relative-colorimetric",
                        (["r"], ["g"], ["b"]))


@cache
def engine() -> _Engine:
    made = _Engine()
    atexit.register(made.close)  # while the interpreter is whole (``_Engine.close``)
    return made


def _css_string(text: str) -> str:
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-–—/()" or ord(ch) > 127
                      else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _css_content(template: str, placeholders: dict[str, str]) -> list[str]:
    """CSS ``content`` tokens for a translated text with %(name)s placeholders."""
    tokens = []
    for piece in re.split(r"(%\(\w+\)s)", template):
        name = piece[2:-2] if piece.startswith("%(") else None
        if name in placeholders:
            tokens.append(placeholders[name])
        elif piece:
            tokens.append(_css_string(piece))
    return tokens


@cache
def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir() / TEMPLATES)),
        autoescape=True, extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language, ("core", "pdf")), newstyle=True)
    return env


# -- plain values for the template ---------------------------------------------


@dataclass(frozen=True)
class Acceptance:
    """An offer's acceptance as printed in its acceptance block (plain values).

    ``recorded_by``: the staff member who recorded it for the customer ("" when the
    customer accepted through the offer's link); ``document_sha256``: the SHA-256 of
    the snapshot accepted."""

    name: str
    position: str
    accepted_on: dt.date
    purchase_order: str = ""
    document_sha256: str = ""
    recorded_by: str = ""


@dataclass(frozen=True)
class ShownLine:
    number: int
    description: str
    detail: str
    amount: str
    example: bool = False


@dataclass(frozen=True)
class ShownPriority:
    name: str
    definition: str
    response: str
    resolution: str | None
    update_interval: str | None = None
    scoped_definitions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ComparedPackage:
    name: str
    chosen: bool
    support_fee: str | None
    total: str | None
    hours: str
    responses: list[str]
    services: list[bool]
    requests_per_year: str


def _support_fee(result) -> Decimal:
    return sum((line.amount for line in result.lines if line.code == "support"), Decimal(0))


def _example(text: str, result, words: Describer, codes: tuple[str, ...] | None = None) -> str:
    """``text`` marked as an example price when the lines it sums rest on example values."""
    example = any(line.example for line in result.lines if codes is None or line.code in codes)
    return marked(text, example, words.language, price=True)


def _signed(amount: Decimal, words: Describer) -> str:
    return f"−{words.money(-amount)}" if amount < 0 else f"+{words.money(amount)}"


def _comparison(document: OfferDocument, words: Describer) -> list[ComparedPackage]:
    """Every package priced for the same inputs; for a top-up, what moving the whole
    contract to each package costs for the rest of the term (never top-up totals)."""
    card, language = document.card, document.language
    chosen_id = document.result.package.id
    if document.result.kind == "top_up":
        figures = {package.id: (words.money(move.annual_cost),
                                "–" if package.id == chosen_id else _signed(move.amount, words))
                   if move else (None, None)
                   for package, move in compare_moves(document.request, document.loaded_card(),
                                                      document.result.as_of)}
    else:
        figures = {package.id: (_example(words.money(_support_fee(priced)), priced, words,
                                         ("support",)),
                                _example(words.money(priced.total), priced, words))
                   if priced else (None, None)
                   for package, priced in document.comparison()}
    term = (document.result.term.start, document.result.term.end)
    compared = []
    for package in card.packages:
        first, second = figures[package.id]
        compared.append(ComparedPackage(
            name=package.name(language),
            chosen=package.id == chosen_id,
            support_fee=first,
            total=second,
            hours=marked(service_hours_text(package.service_hours, language, *term,
                                            card.calendar),
                         package.service_hours.example, language),
            responses=[t.response for t in level_terms(card, package, language)],
            services=[s.id in package.services for s in card.services],
            requests_per_year=(number(package.requests_per_year, language)
                               if package.requests_per_year else ""),
        ))
    return compared


def offer_context(document: OfferDocument, seller: Seller,
                  acceptance: Acceptance | None = None) -> dict:
    """Everything the template shows, as plain values in the offer's language.
    ``acceptance``: the filled acceptance block; None: the empty one, with lines to sign
    on paper (a draft has none)."""
    language = document.language
    card: RateCard = document.card
    result = document.result
    package: Package | None = card.package(result.package.id)
    if package is None:
        raise ValueError(f"the offer's card has no package {result.package.id!r}")
    words = Describer(language, result.currency)
    _ = translations(language, ("core", "pdf")).gettext

    def cash(amount: Decimal) -> str:
        return money(amount, result.currency, language)

    lines = []
    for index, line in enumerate(result.lines, start=1):
        description, detail = describe_line(line, card, package, result.deployment,
                                            result.term.years, language,
                                            currency=result.currency)
        lines.append(ShownLine(index, description, detail, cash(line.amount), line.example))

    priorities = [
        ShownPriority(
            name=t.name, definition=t.definition, response=t.response,
            resolution=t.resolution, update_interval=t.update_interval,
            scoped_definitions=tuple(t.scoped_definitions),
        )
        for t in level_terms(card, package, language)
    ]
    term = (result.term.start, result.term.end)
    request = document.request
    environments = request.environments or package.environments.included
    title = (_("Offer %(number)s") % {"number": document.number} if document.number
             else _("Draft offer"))
    basis = result.tax_basis
    seller_country = (basis.seller_country if basis is not None and basis.seller_country
                      else seller.country)
    seller_vat_id = (basis.seller_vat_id if basis is not None and basis.seller_vat_id
                     else seller.tax_id)
    customer_code = customer_country(request.customer.country)
    return {
        "language": language,
        "title": title,
        "draft": document.is_draft,
        "number": document.number,
        "seller": seller,
        "seller_country": country_name(seller_country, language) if seller_country else "",
        "seller_tax_id": seller_vat_id,
        "seller_tax_id_label": seller_tax_id_label(seller_country, seller_vat_id, language),
        "customer": request.customer,
        "contact": document.contact,  # None: the seller's general contact
        "payment_days": document.payment_days,
        "replaces": document.replaces,
        "customer_country": (country_name(customer_code, language) if customer_code
                             else request.customer.country),
        "tax_label": tax_label(basis, percent(result.tax_percent, language), language),
        "tax_note": tax_note(basis, language),
        "tax_undetermined": basis is not None and basis.rule == "undetermined",
        "issued_on": day(document.issued_on, language),
        "valid_until": day(document.valid_until, language),
        "card_name": card.name(language),
        "card_vendor": card.vendor,
        "card_version": card.version,
        "card_effective": day(card.effective_from, language),
        "examples": any(line.example for line in result.lines),
        "package_name": package.name(language),
        "package_summary": package.summary(language) if package.summary else "",
        "deployment": words.deployment(result.deployment) if card.license_value else None,
        "term_start": day(result.term.start, language),
        "term_end": day(result.term.end, language),
        "term_years": words.years(result.term.years),
        "existing_contract": result.existing_contract,
        "kind": result.kind,
        "separate_term": result.separate_term,
        "contract": request.contract,
        "annual_cost": (cash(result.annual_cost) if result.annual_cost is not None
                        and result.kind == "top_up" and not result.separate_term else None),
        "billing_annual": result.billing == "annual",
        "schedule": _schedule(result, language, cash),
        "moves": result.kind == "top_up",
        "license_value": (cash(request.license_value)
                          if card.license_value and request.license_value is not None
                          else None),
        "environments": number(environments, language),
        "lines": lines,
        "subtotal": cash(result.subtotal),
        "discount": cash(result.discount) if result.discount_percent else None,
        "discount_percent": percent(result.discount_percent, language),
        "net": cash(result.net),
        "tax": cash(result.tax),
        "tax_percent": percent(result.tax_percent, language),
        "total": cash(result.total),
        "currency": result.currency,
        "priority_label": (card.priority_label(language) if card.priority_label
                           else _("Priority")),
        "priorities": priorities,
        "hours": marked(service_hours_text(package.service_hours, language, *term,
                                           card.calendar),
                        package.service_hours.example, language),
        "has_updates": any(p.update_interval for p in priorities),
        "channels": channel_texts(card, package, language),
        "commitments": commitment_texts(card, language),
        "sla": sla_rows(card, package, result.term.start, language),
        "requests_per_year": (number(package.requests_per_year, language)
                              if package.requests_per_year else None),
        "services": [s.name(language) for s in card.services if s.id in package.services],
        "all_services": [s.name(language) for s in card.services],
        "conditions": [c(language) for c in card.conditions],
        "points": _points(card, words) if card.points else None,
        "comparison": _comparison(document, words),
        "priority_names": [p.name(language) for p in card.priorities],
        "acceptance": acceptance,
        "accepted_on": day(acceptance.accepted_on, language) if acceptance else None,
    }


@dataclass(frozen=True)
class ShownYear:
    year: int | None
    start: str
    end: str
    due: str
    total: str


def _schedule(result, language: str, cash) -> list[ShownYear]:
    """The billing schedule, where it says more than the total does."""
    entries = result.schedule
    if not entries or (len(entries) == 1 and result.kind == "new"
                       and result.billing == "prepaid"):
        return []
    return [ShownYear(e.year, day(e.start, language), day(e.end, language),
                      day(e.due, language), cash(e.total)) for e in entries]


def _points(card: RateCard, words: Describer) -> dict:
    points = card.points
    assert points is not None
    language = words.language
    _ = translations(language).gettext
    graduated = points.tier_pricing == "graduated"
    return {
        "name": points.name(language),
        "pricing": marked(_("graduated: each point at the price of its band") if graduated
                          else _("volume: every point at the price of the quantity's tier"),
                          points.is_example("tier_pricing"), language),
        "tiers": [(number(t.from_points, language),
                   marked(words.money(t.price.of(words.currency)),
                          t.is_example("price", words.currency), language, price=True))
                  for t in points.tiers],
        "catalogue": [(item.name(language),
                       marked(number(item.points, language), item.is_example("points"),
                              language))
                      for item in points.catalogue],
    }


# -- rendering -----------------------------------------------------------------


def offer_html(document: OfferDocument, seller: Seller | None = None,
               acceptance: Acceptance | None = None) -> str:
    context = offer_context(document, seller or Seller.from_env(), acceptance)
    return _environment(document.language).get_template("offer.html").render(context)


def render_offer(document: OfferDocument, language: str, seller: Seller | None = None, *,
                 timings: dict[str, float] | None = None,
                 acceptance: Acceptance | None = None) -> bytes:
    """The offer as PDF/A-3b bytes written in ``language``, with its result as ``offer.json``.

    ``acceptance``: printed in the acceptance block; without one an issued offer's block
    is empty, with lines for a signature on paper.

    ``timings``, if given, gets the seconds spent on the HTML ("html"), on
    WeasyPrint's layout ("layout": parsing, cascade, boxes, pagination) and on
    writing the PDF ("write": drawing, fonts, PDF/A, attachment) added to it.
    """
    from weasyprint import Attachment

    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    started = time.perf_counter()
    if document.language != language:
        document = document.model_copy(update={"language": language})
    html = offer_html(document, seller, acceptance)
    result_json = document.result.model_dump_json(exclude_none=True).encode()
    eng = engine()
    with _lock:
        laid_out = time.perf_counter()
        pages = layout(html, language)
        written = time.perf_counter()
        attachment = Attachment(
            string=result_json, name=ATTACHMENT_NAME, url_fetcher=eng.fetcher,
            description="Priced quote (quote result JSON)", relationship="Data",
            created=_timestamp(document.issued_on), modified=_timestamp(document.issued_on))
        pdf = pages.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT,
                              attachments=[attachment])
        if timings is not None:
            for name, seconds in (("html", laid_out - started), ("layout", written - laid_out),
                                  ("write", time.perf_counter() - written)):
                timings[name] = timings.get(name, 0.0) + seconds
    # A render leaves cycles of WeasyPrint's objects holding native Pango and HarfBuzz
    # memory (freed by cffi finalizers); left to the cyclic collector's own schedule
    # several renders' worth of them are alive at once. Collected after each render, a
    # worker stays about 9 MB smaller; its memory levels off either way (docs/bench.md,
    # "Worker memory").
    del pages, attachment
    gc.collect()
    return pdf


def layout(html: str, language: str):
    """The offer's HTML laid out in pages by WeasyPrint (its ``Document``), not yet
    written; the caller holds ``_lock``."""
    eng = engine()
    page = eng.html(string=html, base_url=eng.fetcher.static_dir.as_uri() + "/",
                    url_fetcher=eng.fetcher)
    return page.render(
        stylesheets=[eng.stylesheet, eng.page_css(language)],
        font_config=eng.font_config, pdf_variant=PDF_VARIANT,
        color_profiles={OUTPUT_INTENT: eng.color_profile}, output_intent=OUTPUT_INTENT)


def _timestamp(day_: dt.date) -> dt.datetime:
    return dt.datetime.combine(day_, dt.time(0, 0))
