"""Finance (role ``finance``): every issued offer, filtered, totalled per currency, exported.

``/finance/offers`` lists; ``?format=csv&locale=de|en`` exports the same filtered
offers with one row per line item, and ``?format=csv&rows=schedule&locale=de|en``
their billing schedules with one row per contract year (what to invoice and
when), in the way a spreadsheet of that locale reads
CSV: German with ``;``, decimal comma and dd.mm.yyyy; English with ``,``, decimal
point and ISO dates. UTF-8 with BOM; text cells that a spreadsheet would take for
a formula (starting with = + - @, tab or carriage return) get a leading apostrophe
(OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, gettext

from ..core.describe import day, money
from ..i18n import LANGUAGES
from ..store import STATUSES, OfferFilters, export_rows, list_offers, list_users, schedule_rows
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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_amount(amount: Decimal, separator: str) -> str:
    """Plain digits with the locale's decimal separator and no grouping: 12000,50."""
    return f"{amount:.2f}".replace(".", separator)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _filters(args, issuers: dict[str, int]) -> tuple[OfferFilters, dict]:
    chosen = {
        "issued_from": args.get("issued_from", ""),
        "issued_to": args.get("issued_to", ""),
        "status": args.get("status", "") if args.get("status") in STATUSES else "",
        "rate_card": args.get("rate_card", "")[:40],
        "customer": args.get("customer", "")[:200],
        "issuer": args.get("issuer", "") if args.get("issuer") in issuers else "",
    }
    filters = OfferFilters(
        issued_from=_date(chosen["issued_from"]), issued_to=_date(chosen["issued_to"]),
        status=chosen["status"] or None, rate_card=chosen["rate_card"] or None,
        customer=chosen["customer"] or None,
        issuer_id=issuers[chosen["issuer"]] if chosen["issuer"] else None,
    )
    return filters, chosen


@finance.get("/offers")
@requires("finance")
def offer_list():
    with store().session(read_only=True) as db:
        issuers = {user.email: user.id for user in list_users(db)}
    filters, chosen = _filters(request.args, issuers)
    if request.args.get("format") == "csv":
        locale = request.args.get("locale", "en")
        if locale not in CSV_LOCALES:
            abort(400)
        if request.args.get("rows") == "schedule":
            return _schedule_csv(filters, locale)
        return _csv(filters, locale)

    sort = request.args.get("sort", "-date")
    if sort.removeprefix("-") not in SORTS:
        sort = "-date"
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 100000 else 1
    language = current_language()
    with store().session(read_only=True) as db:
        listing = list_offers(db, filters, sort=sort, page=page_number,
                              per_page=_per_page(), today=today())
        names = {user.id: user.display_name for user in list_users(db)}

    def link(**changes) -> str:
        args = {key: value for key, value in chosen.items() if value}
        args.update({"sort": sort, "page": page_number})
        args.update(changes)
        return url_for("finance.offer_list", **args)

    def sort_link(key: str) -> str:
        return link(sort=key if sort != key else "-" + key, page=1)

    rows = [{
        "offer": offer,
        "issued_on": day(offer.issued_at.date(), language),
        "valid_until": day(offer.valid_until, language),
        "status": status_name(offer.status_on(today())),
        "issuer": names.get(offer.issuer_id) if offer.issuer_id else None,
        "total": money(offer.total, offer.currency, language),
        "accepted": _accepted(offer.response, language),
    } for offer in listing.offers]
    totals = [{
        "currency": t.currency, "count": t.count,
        "net": money(t.net, t.currency, language), "tax": money(t.tax, t.currency, language),
        "total": money(t.total, t.currency, language),
    } for t in listing.totals.values()]
    return render_template(
        "web/finance/offers.html", rows=rows, totals=totals, listing=listing, chosen=chosen,
        sort=sort, link=link, sort_link=sort_link, statuses=STATUSES,
        status_name=status_name, rate_cards=rates().ids(), issuers=sorted(issuers),
        languages=LANGUAGES,
        csv_de=link(format="csv", locale="de", page=None, sort=None),
        csv_en=link(format="csv", locale="en", page=None, sort=None),
        schedule_de=link(format="csv", rows="schedule", locale="de", page=None, sort=None),
        schedule_en=link(format="csv", rows="schedule", locale="en", page=None, sort=None),
    )


def _accepted(response, language: str) -> dict | None:
    """The acceptance as the list shows it: the day, the person, the purchase order."""
    if response is None or response.kind != "accepted":
        return None
    return {"on": day(response.created_at.astimezone(dt.UTC).date(), language),
            "by": ", ".join(part for part in (response.name, response.position) if part),
            "purchase_order": response.purchase_order}


def _per_page() -> int:
    return int(current_app.config["FINANCE_PER_PAGE"])


def _csv(filters: OfferFilters, locale: str) -> Response:
    _, decimal, date_format = CSV_LOCALES[locale]
    with force_locale(locale):
        header = [gettext("Offer"), gettext("Issued on"), gettext("Valid until"),
                  gettext("Status"), gettext("Customer"), gettext("Package"),
                  gettext("Line"), gettext("Description"), gettext("Amount"),
                  gettext("Currency"), gettext("Net"), gettext("VAT"), gettext("Total"),
                  gettext("Accepted on"), gettext("Accepted by"), gettext("Position"),
                  gettext("Purchase order")]
        with store().session(read_only=True) as db:
            rows = list(export_rows(db, filters, today=today()))
        statuses = {status: status_name(status) for status in STATUSES}
    table = ([
        row.number, row.issued_on.strftime(date_format),
        row.valid_until.strftime(date_format), statuses.get(row.status, row.status),
        neutralise(row.customer_company), neutralise(row.package), row.line_code,
        neutralise(row.line_description), csv_amount(row.amount, decimal), row.currency,
        csv_amount(row.net, decimal), csv_amount(row.tax, decimal),
        csv_amount(row.total, decimal),
        row.accepted_on.strftime(date_format) if row.accepted_on else "",
        neutralise(row.accepted_by), neutralise(row.accepted_position),
        neutralise(row.purchase_order),
    ] for row in rows)
    return _csv_response(header, table, locale, "offers")


def _schedule_csv(filters: OfferFilters, locale: str) -> Response:
    """Every matching offer's billing schedule: a row per contract year, with its dates,
    the day it is due, and its amounts (they add up to the offer's totals)."""
    _, decimal, date_format = CSV_LOCALES[locale]

    def when(moment: dt.date | None) -> str:
        return moment.strftime(date_format) if moment else ""

    with force_locale(locale):
        header = [gettext("Offer"), gettext("Status"), gettext("Customer"),
                  gettext("Contract"), gettext("Contract year"), gettext("Starts on"),
                  gettext("Ends on"), gettext("Due on"), gettext("Amount"), gettext("Discount"),
                  gettext("Net"), gettext("VAT"), gettext("Total"), gettext("Currency")]
        with store().session(read_only=True) as db:
            rows = list(schedule_rows(db, filters, today=today()))
        statuses = {status: status_name(status) for status in STATUSES}
    table = ([row.number, statuses.get(row.status, row.status),
              neutralise(row.customer_company), row.contract,
              "" if row.year is None else str(row.year), when(row.start), when(row.end),
              when(row.due)]
             + [csv_amount(amount, decimal)
                for amount in (row.amount, row.discount, row.net, row.tax, row.total)]
             + [row.currency] for row in rows)
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
