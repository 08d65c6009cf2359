"""Finance counts each sale once, and exports lines that add up to the offer.

bpm'online Business on-site is 20 % of the license value a year; every offer here runs
one year from 2026-01-01, without tax unless one is set. The sales:

- Q-1 (12,000.00: 2,400.00) revised as Q-2 (15,000.00: 3,000.00), revised as Q-3
  (18,000.00: 3,600.00, 19 % tax set by hand: 684.00), which the customer accepts;
- Q-4 (10,000.00: 2,000.00), withdrawn;
- Q-5 (20,000.00: 4,000.00), declined, answered by the revision Q-6 with 5 % off
  (4,000.00 − 200.00 = 3,800.00);
- Q-7 (270,000.00: 54,000.00, 5 % off: − 2,700.00 = 51,300.00), written in Russian.

The totals count Q-3, Q-6 and Q-7: 3,600.00 + 3,800.00 + 51,300.00 = 58,700.00 net,
684.00 tax, 59,384.00 in all; Q-1 and Q-2 (superseded), Q-4 (withdrawn) and Q-5
(declined) are left out. Every offer added: 70,100.00 net, 70,784.00 in all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from database_helpers import BACKENDS, fresh_database
from store_helpers import at, draft_from

from quote.store import (
    ExportRow,
    OfferFilters,
    OfferRow,
    Store,
    accept,
    decline,
    export_rows,
    issue,
    list_offers,
    offer_rows,
    revise,
    schedule_rows,
    withdraw,
)

TODAY = dt.date(2026, 1, 20)


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, book, tmp_path_factory):
    """One database per backend for the module: the tests only read."""
    with fresh_database(request.param, request, tmp_path_factory.mktemp("db")) as url:
        store = Store(url)
        yield store
        store.dispose()


@pytest.fixture(scope="module")
def sales(store, book) -> dict[str, str]:
    """The offers of the module's docstring; their numbers by name (q1 ... q7)."""

    def draft(license_value: str, **overrides):
        return draft_from(book, {
            "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
            "license_value": license_value, "term_start": "2026-01-01",
            "as_of": "2026-01-01", "customer": {"company": "Kontor GmbH"}} | overrides,
            valid_days=30)

    numbers = {}
    with store.session() as session:
        q1 = issue(session, draft("12000.00"), now=at("2026-01-05T09:00")).offer
        q2 = revise(session, q1, draft("15000.00"), now=at("2026-01-06T09:00")).offer
        q3 = revise(session, q2, draft("18000.00", tax_percent="19", tax_reason="by hand"),
                    now=at("2026-01-07T09:00")).offer
        accept(session, q3, today=TODAY)
        q4 = issue(session, draft("10000.00"), now=at("2026-01-08T09:00")).offer
        withdraw(session, q4, today=TODAY)
        q5 = issue(session, draft("20000.00"), now=at("2026-01-09T09:00")).offer
        decline(session, q5, today=TODAY)
        q6 = revise(session, q5, draft("20000.00", discount_percent="5"),
                    now=at("2026-01-10T09:00")).offer
        q7 = issue(session, draft("270000.00", discount_percent="5", language="ru",
                                  customer={"company": "ООО Ромашка"}),
                   now=at("2026-01-11T09:00")).offer
        for name, offer in zip(("q1", "q2", "q3", "q4", "q5", "q6", "q7"),
                               (q1, q2, q3, q4, q5, q6, q7), strict=True):
            numbers[name] = offer.number
    return numbers


def page(store, count_all=False, filters=None):
    with store.session(read_only=True) as session:
        return list_offers(session, filters, today=TODAY, count_all=count_all)


def test_the_totals_count_each_sale_once_in_its_latest_version(store, sales):
    listing = page(store)
    assert listing.count == 7  # every offer is listed
    eur = listing.totals["EUR"]
    assert (eur.count, eur.net, eur.tax, eur.total) == (
        3, Decimal("58700.00"), Decimal("684.00"), Decimal("59384.00"))
    assert listing.left_out == 4  # two superseded, one withdrawn, one declined


def test_on_request_the_totals_add_every_offer(store, sales):
    listing = page(store, count_all=True)
    eur = listing.totals["EUR"]
    assert (eur.count, eur.net, eur.tax, eur.total) == (
        7, Decimal("70100.00"), Decimal("684.00"), Decimal("70784.00"))
    assert listing.left_out == 0


def test_a_status_filter_of_offers_that_do_not_count_leaves_no_totals(store, sales):
    superseded = page(store, filters=OfferFilters(status="superseded"))
    assert (superseded.count, superseded.totals, superseded.left_out) == (2, {}, 2)
    accepted = page(store, filters=OfferFilters(status="accepted"))
    assert accepted.totals["EUR"].total == Decimal("4284.00")  # 3,600.00 + 684.00


def line_rows(store, language: str, count_all=False) -> list[ExportRow]:
    with store.session(read_only=True) as session:
        return list(export_rows(session, today=TODAY, language=language,
                                count_all=count_all))


def test_the_discount_is_a_line_of_its_own_and_the_lines_add_up_to_the_net(store, sales):
    rows = [row for row in line_rows(store, "en") if row.number == sales["q7"]]
    assert [(r.position, r.code, r.kind, r.description, r.amount) for r in rows] == [
        (1, "support", "Support", "Business support, on-site licenses, 1 year",
         Decimal("54000.00")),
        (2, "discount", "Discount", "Discount 5%", Decimal("-2700.00"))]
    assert sum(r.amount for r in rows) == Decimal("51300.00")


def test_every_offers_lines_add_up_to_its_net(store, sales):
    with store.session(read_only=True) as session:
        nets = {row.number: row.net for row in offer_rows(session, today=TODAY)}
    sums: dict[str, Decimal] = {}
    for row in line_rows(store, "de"):
        sums[row.number] = sums.get(row.number, Decimal(0)) + row.amount
    assert sums == nets
    assert sum(sums.values()) == Decimal("70100.00")


def test_lines_are_described_in_the_exports_language_not_the_offers(store, sales):
    """Q-7 was written in Russian ("Поддержка «Бизнес», ..."); the German and English
    exports describe it in theirs, from its snapshot."""
    german = [row for row in line_rows(store, "de") if row.number == sales["q7"]]
    assert [(r.kind, r.description, r.package) for r in german] == [
        ("Support", "Support Business, On-Site-Lizenzen, 1 Jahr", "Business"),
        ("Rabatt", "Rabatt 5\u00a0%", "Business")]  # a no-break space
    english = [row for row in line_rows(store, "en") if row.number == sales["q7"]]
    assert english[0].description == "Business support, on-site licenses, 1 year"


def test_exports_say_which_offers_count_in_the_totals(store, sales):
    counted = {row.number: row.counted for row in line_rows(store, "en")}
    assert counted == {sales["q1"]: False, sales["q2"]: False, sales["q3"]: True,
                       sales["q4"]: False, sales["q5"]: False, sales["q6"]: True,
                       sales["q7"]: True}
    assert all(row.counted for row in line_rows(store, "en", count_all=True))
    with store.session(read_only=True) as session:
        schedule = {row.number: row.counted for row in schedule_rows(session, today=TODAY)}
    assert schedule == counted


def test_the_offer_export_has_one_row_per_offer_with_its_figures(store, sales):
    with store.session(read_only=True) as session:
        rows = {row.number: row for row in offer_rows(session, today=TODAY, language="de")}
    assert list(rows) == [sales[f"q{n}"] for n in range(1, 8)]
    assert rows[sales["q3"]] == OfferRow(
        number=sales["q3"], issued_on=dt.date(2026, 1, 7), valid_until=dt.date(2026, 2, 6),
        status="accepted", counted=True, replaces=sales["q2"],
        customer_company="Kontor GmbH", rate_card="bpm'online Supportpakete",
        rate_card_version="2019.1", package="Business", currency="EUR",
        subtotal=Decimal("3600.00"), discount=Decimal("0.00"), net=Decimal("3600.00"),
        tax=Decimal("684.00"), total=Decimal("4284.00"), accepted_on=None)
    assert (rows[sales["q6"]].replaces, rows[sales["q6"]].discount) == (
        sales["q5"], Decimal("200.00"))
    assert rows[sales["q5"]].status == "declined" and not rows[sales["q5"]].counted
    counted_totals = sum(row.total for row in rows.values() if row.counted)
    assert counted_totals == page(store).totals["EUR"].total == Decimal("59384.00")
