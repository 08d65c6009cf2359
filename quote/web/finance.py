"""Finance (role ``finance``): every issued offer, filtered, totalled per currency, exported.

``/finance/offers`` lists. The totals count each sale once: superseded offers (replaced by
a revision), withdrawn and declined ones are listed but not added, unless ``totals=all``.
``?format=csv&locale=de|en`` exports the same filtered offers: ``rows=lines`` (the
default) one row per line, the offer's discount a line of its own, so that an offer's
lines add up to its net; ``rows=offers`` one row per offer with its net, tax and total;
``rows=schedule`` the billing schedules, one row per contract year (what to invoice and
when). Texts are written in the CSV's language, in the way a spreadsheet of that locale
reads CSV: German with ``;``, decimal comma and dd.mm.yyyy; English with ``,``, decimal
point and ISO dates. UTF-8 with BOM; text cells that a spreadsheet would take for a
formula (starting with = + - @, tab or carriage return) get a leading apostrophe (OWASP's
advice on CSV injection). A filter that cannot be read (a date that is not one, a range
that ends before it starts) is shown at its field on the page, and answered 400 with the
field and the reason (JSON) for a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, gettext

from ..core.describe import day, money
from ..i18n import LANGUAGES
from ..store import STATUSES, OfferFilters, list_offers, list_users
from ..store.finance import SORTS
from .auth import requires
from .extensions import rates, store, today
from .i18n import current_language
from .offers import status_name

finance = Blueprint("finance", __name__)

CSV_LOCALES = {
    # delimiter, decimal separator, date format
    "de": (";", ",", "%d.%m.%Y"),
    "en": (",", ".", "%Y-%m-%d"),
}
CSV_ROWS = ("lines", "offers", "schedule")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_amount(amount: Decimal, separator: str) -> str:
    """Plain digits with the locale's decimal separator and no grouping: 12000,50."""
    return f"{amount:.2f}".replace(".", separator)


def _date(args, name: str, problems: dict[str, str]) -> dt.date | None:
    text = args.get(name, "")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems[name] = gettext(
            "“%(value)s” is not a date. Enter one as year-month-day, such as 2026-01-31.",
            value=text[:40])
        return None


def _filters(args, issuers: dict[str, int]) -> tuple[OfferFilters, dict, dict[str, str]]:
    """The filters of the query string, what the form shows, and what could not be read
    (by field)."""
    chosen = {
        "issued_from": args.get("issued_from", "")[:40],
        "issued_to": args.get("issued_to", "")[:40],
        "status": args.get("status", "") if args.get("status") in STATUSES else "",
        "rate_card": args.get("rate_card", "")[:40],
        "customer": args.get("customer", "")[:200],
        "issuer": args.get("issuer", "") if args.get("issuer") in issuers else "",
        "totals": "all" if args.get("totals") == "all" else "",
    }
    problems: dict[str, str] = {}
    first, last = _date(args, "issued_from", problems), _date(args, "issued_to", problems)
    # A status or issuer the list does not know would otherwise list (and total) every offer.
    if args.get("status") and not chosen["status"]:
        problems["status"] = gettext(
            "“%(value)s” is not a status of an offer. Choose a status from the list.",
            value=args["status"][:40])
    if args.get("issuer") and not chosen["issuer"]:
        problems["issuer"] = gettext(
            "No staff member signs in as “%(value)s”. Choose who issued the offers from "
            "the list.", value=args["issuer"][:200])
    if first is not None and last is not None and last < first:
        language = current_language()
        problems["issued_to"] = gettext(
            "The range ends on %(end)s, before it starts on %(start)s. Choose an end on or "
            "after the start.", end=day(last, language), start=day(first, language))
    filters = OfferFilters(
        issued_from=first, issued_to=last,
        status=chosen["status"] or None, rate_card=chosen["rate_card"] or None,
        customer=chosen["customer"] or None,
        issuer_id=issuers[chosen["issuer"]] if chosen["issuer"] else None,
    )
    return filters, chosen, problems


def _field_errors(problems: dict[str, str]) -> Response:
    """400 with every field that could not be read and why (the API's error body)."""
    response = jsonify({"errors": [{"field": name, "message": message}
                                   for name, message in problems.items()]})
    response.status_code = 400
    return response


@finance.get("/offers")
@requires("finance")
def offer_list():
    from ..store.export import snapshot_cards  # with the snapshots' models, at first use

    with store().session(read_only=True) as db:
        issuers = {user.email: user.id for user in list_users(db)}
    filters, chosen, problems = _filters(request.args, issuers)
    count_all = chosen["totals"] == "all"
    if request.args.get("format") == "csv":
        return _export(filters, problems, count_all)

    sort = request.args.get("sort", "-date")
    if sort.removeprefix("-") not in SORTS:
        sort = "-date"
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 100000 else 1
    language = current_language()

    def link(**changes) -> str:
        args = {key: value for key, value in chosen.items() if value}
        args.update({"sort": sort, "page": page_number})
        args.update(changes)
        return url_for("finance.offer_list", **args)

    def sort_link(key: str) -> str:
        return link(sort=key if sort != key else "-" + key, page=1)

    book = rates()
    card_choices = [(loaded.card.id, loaded.card.name(language))
                    for loaded in map(book.latest, book.ids()) if loaded is not None]
    shown = dict(
        chosen=chosen, sort=sort, link=link, sort_link=sort_link, statuses=STATUSES,
        status_name=status_name, rate_cards=card_choices, issuers=sorted(issuers),
        languages=LANGUAGES, problems=problems, count_all=count_all,
        exports={f"{rows}_{locale}": link(format="csv", rows=rows, locale=locale, page=None,
                                          sort=None)
                 for rows in CSV_ROWS for locale in CSV_LOCALES},
    )
    if problems:
        return render_template("web/finance/offers.html", rows=[], totals=[], listing=None,
                               **shown), 400

    with store().session(read_only=True) as db:
        listing = list_offers(db, filters, sort=sort, page=page_number,
                              per_page=_per_page(), today=today(), count_all=count_all)
        names = {user.id: user.display_name for user in list_users(db)}
        cards = snapshot_cards(db, {offer.rate_card_sha256 for offer in listing.offers})

    def card_name(offer) -> str:
        card = cards.get(offer.rate_card_sha256)
        return card.name(language) if card is not None else offer.rate_card_id

    rows = [{
        "offer": offer,
        "issued_on": day(offer.issued_at.date(), language),
        "issued_iso": offer.issued_at.date().isoformat(),
        "valid_until": day(offer.valid_until, language),
        "valid_iso": offer.valid_until.isoformat(),
        "status": status_name(offer.status_on(today())),
        "rate_card": card_name(offer),
        "issuer": names.get(offer.issuer_id) if offer.issuer_id else None,
        "total": money(offer.total, offer.currency, language),
        "accepted": _accepted(offer.response, language),
    } for offer in listing.offers]
    totals = [{
        "currency": t.currency, "count": t.count,
        "net": money(t.net, t.currency, language), "tax": money(t.tax, t.currency, language),
        "total": money(t.total, t.currency, language),
    } for t in listing.totals.values()]
    return render_template("web/finance/offers.html", rows=rows, totals=totals,
                           listing=listing, **shown)


def _accepted(response, language: str) -> dict | None:
    """The acceptance as the list shows it: the day, the person, the purchase order."""
    if response is None or response.kind != "accepted":
        return None
    return {"on": day(response.created_at.astimezone(dt.UTC).date(), language),
            "by": ", ".join(part for part in (response.name, response.position) if part),
            "purchase_order": response.purchase_order}


def _per_page() -> int:
    return int(current_app.config["FINANCE_PER_PAGE"])


def _export(filters: OfferFilters, problems: dict[str, str], count_all: bool) -> Response:
    locale = request.args.get("locale", "en")
    if locale not in CSV_LOCALES:
        problems["locale"] = gettext("The CSV is written for a German (de) or an English "
                                     "(en) spreadsheet; “%(value)s” is neither.",
                                     value=locale[:40])
    rows = request.args.get("rows", "lines")
    if rows not in CSV_ROWS:
        problems["rows"] = gettext("Export lines, offers or schedule; “%(value)s” is none "
                                   "of them.", value=rows[:40])
    if problems:
        return _field_errors(problems)
    writer = {"lines": _lines_csv, "offers": _offers_csv, "schedule": _schedule_csv}[rows]
    return writer(filters, locale, count_all)


class _Written:
    """How every export writes dates, amounts, statuses and yes/no in its language (made
    inside ``force_locale``)."""

    def __init__(self, locale: str):
        _, self.decimal, self.date_format = CSV_LOCALES[locale]
        self.statuses = {status: status_name(status) for status in STATUSES}
        self.yes_no = {True: gettext("yes"), False: gettext("no")}

    def date(self, moment: dt.date | None) -> str:
        return moment.strftime(self.date_format) if moment else ""

    def status(self, status: str) -> str:
        return self.statuses.get(status, status)

    def amounts(self, *amounts) -> list[str]:
        return [csv_amount(amount, self.decimal) for amount in amounts]


def _lines_csv(filters: OfferFilters, locale: str, count_all: bool) -> Response:
    """A row per line of every matching offer, its discount a line of its own: the amounts
    of an offer's rows add up to its net."""
    from ..store.export import export_rows

    with force_locale(locale):
        header = [gettext("Offer"), gettext("Issued on"), gettext("Valid until"),
                  gettext("Status"), gettext("In totals"), gettext("Customer"),
                  gettext("Package"), gettext("Line"), gettext("Kind"), gettext("Code"),
                  gettext("Description"), gettext("Amount"), gettext("Currency")]
        with store().session(read_only=True) as db:
            rows = list(export_rows(db, filters, today=today(), language=locale,
                                    count_all=count_all))
        written = _Written(locale)
    table = ([
        row.number, written.date(row.issued_on), written.date(row.valid_until),
        written.status(row.status), written.yes_no[row.counted],
        neutralise(row.customer_company), neutralise(row.package),
        str(row.position), neutralise(row.kind), row.code, neutralise(row.description),
        *written.amounts(row.amount), row.currency,
    ] for row in rows)
    return _csv_response(header, table, locale, "offer-lines")


def _offers_csv(filters: OfferFilters, locale: str, count_all: bool) -> Response:
    """A row per matching offer: its figures (subtotal − discount = net, net + tax =
    total), the offer it replaces, its acceptance."""
    from ..store.export import offer_rows

    with force_locale(locale):
        header = [gettext("Offer"), gettext("Issued on"), gettext("Valid until"),
                  gettext("Status"), gettext("In totals"), gettext("Replaces"),
                  gettext("Customer"), gettext("Rate card"), gettext("Version"),
                  gettext("Package"), gettext("Currency"), gettext("Subtotal"),
                  gettext("Discount"), gettext("Net"), gettext("VAT"), gettext("Total"),
                  gettext("Accepted on"), gettext("Accepted by"), gettext("Position"),
                  gettext("Purchase order")]
        with store().session(read_only=True) as db:
            rows = list(offer_rows(db, filters, today=today(), language=locale,
                                   count_all=count_all))
        written = _Written(locale)
    table = ([
        row.number, written.date(row.issued_on), written.date(row.valid_until),
        written.status(row.status), written.yes_no[row.counted], row.replaces,
        neutralise(row.customer_company), neutralise(row.rate_card), row.rate_card_version,
        neutralise(row.package), row.currency,
        *written.amounts(row.subtotal, row.discount, row.net, row.tax, row.total),
        written.date(row.accepted_on), neutralise(row.accepted_by),
        neutralise(row.accepted_position), neutralise(row.purchase_order),
    ] for row in rows)
    return _csv_response(header, table, locale, "offers")


def _schedule_csv(filters: OfferFilters, locale: str, count_all: bool) -> Response:
    """Every matching offer's billing schedule: a row per contract year, with its dates,
    the day it is due, and its amounts (they add up to the offer's totals)."""
    from ..store.export import schedule_rows

    with force_locale(locale):
        header = [gettext("Offer"), gettext("Status"), gettext("In totals"),
                  gettext("Customer"), gettext("Contract"), gettext("Contract year"),
                  gettext("Starts on"), gettext("Ends on"), gettext("Due on"),
                  gettext("Amount"), gettext("Discount"), gettext("Net"), gettext("VAT"),
                  gettext("Total"), gettext("Currency")]
        with store().session(read_only=True) as db:
            rows = list(schedule_rows(db, filters, today=today(), count_all=count_all))
        written = _Written(locale)
    table = ([
        row.number, written.status(row.status), written.yes_no[row.counted],
        neutralise(row.customer_company), row.contract,
        "" if row.year is None else str(row.year),
        written.date(row.start), written.date(row.end), written.date(row.due),
        *written.amounts(row.amount, row.discount, row.net, row.tax, row.total),
        row.currency,
    ] for row in rows)
    return _csv_response(header, table, locale, "billing-schedule")


def _csv_response(header: list[str], table, locale: str, name: str) -> Response:
    """The rows as a CSV download for a spreadsheet of ``locale`` (UTF-8 with BOM)."""
    delimiter = CSV_LOCALES[locale][0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(table)
    data = "\ufeff" + buffer.getvalue()
    response = Response(data.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    stamp = today().isoformat()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{name}-{stamp}-{locale}.csv"')
    response.headers["Cache-Control"] = "no-store"
    return response
