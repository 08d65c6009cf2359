"""The finance list: filters, sorting, pages, totals per currency, and the line export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from database_helpers import BACKENDS, fresh_database
from store_helpers import at, draft_from

from quote.core.catalog import load_rates
from quote.store import (
    ExportRow,
    OfferFilters,
    ScheduleRow,
    Store,
    accept,
    add_user,
    export_rows,
    issue,
    list_offers,
    schedule_rows,
    withdraw,
)

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def dollar_book(tmp_path_factory):
    """The OTRS card priced in US dollars only, for a second currency."""
    rates = tmp_path_factory.mktemp("rates")
    text = Path("rates/otrs.toml").read_text().replace('currencies = ["EUR"]',
                                                       'currencies = ["USD"]')
    (rates / "otrs.toml").write_text(text)
    return load_rates(rates)


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, book, tmp_path_factory):
    """One database per backend for the module: the tests only read."""
    with fresh_database(request.param, request, tmp_path_factory.mktemp("db")) as url:
        store = Store(url)
        yield store
        store.dispose()


@pytest.fixture(scope="module")
def offers(store, book, dollar_book):
    """Five offers of two currencies, three issuers, every status; numbers by issue date."""

    def make_draft(valid_days, **overrides):
        data = {"rate_card": "bpmonline", "package": "business", "deployment": "on_site",
                "license_value": "12000.00", "term_start": "2026-01-01", "as_of": "2026-01-01"}
        return draft_from(book, data | overrides, valid_days)

    dollars = draft_from(dollar_book, {
        "rate_card": "otrs", "package": "quick_start", "deployment": "on_site",
        "term_start": "2026-01-01", "as_of": "2026-01-01",
        "customer": {"company": "ООО Ромашка"}}, valid_days=365)
    with store.session() as session:
        ada = add_user(session, "ada@example.com", "Ada", "a long password!")
        bob = add_user(session, "bob@example.com", "Bob", "a long password!")
        a = issue(session, make_draft(365, customer={"company": "Acme GmbH"}, tax_percent="19",
                                      tax_reason="set by hand"),
                  issuer_id=ada.id, now=at("2026-01-10T09:00")).offer
        b = issue(session, make_draft(365, package="premium",
                                      customer={"company": "Müller AG", "contact": "Jörg"}),
                  issuer_id=bob.id, now=at("2026-02-15T12:00")).offer
        c = issue(session, dollars, public=True, now=at("2026-03-20T23:59")).offer
        d = issue(session, make_draft(30, package="basic",
                                      customer={"company": "acme inc", "email": "x@acme.io"}),
                  issuer_id=bob.id, now=at("2026-04-01T08:00")).offer
        e = issue(session, make_draft(365, customer={"company": "Beta 100% Ltd"},
                                      additions=[{"date": "2026-07-01",
                                                  "license_value": "6000.00"}]),
                  issuer_id=ada.id, now=at("2026-05-30T10:00")).offer
        accept(session, b, today=TODAY)
        withdraw(session, e, today=TODAY)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "ada": ada.id, "bob": bob.id}


def names(page, offers) -> list[str]:
    by_id = {o.id: key for key, o in offers.items() if not isinstance(o, int)}
    return [by_id[o.id] for o in page.offers]


def listed(store, offers, filters=None, sort="-date", page=1, per_page=50) -> list[str]:
    with store.session(read_only=True) as session:
        return names(list_offers(session, filters, sort, page, per_page, today=TODAY), offers)


def test_the_list_shows_the_newest_first_with_totals_per_currency(store, offers):
    with store.session(read_only=True) as session:
        page = list_offers(session, today=TODAY)
    assert names(page, offers) == ["e", "d", "c", "b", "a"]
    assert (page.count, page.pages) == (5, 1)
    assert [o.status_on(TODAY) for o in page.offers] == [
        "withdrawn", "expired", "issued", "accepted", "issued"]
    eur, usd = page.totals["EUR"], page.totals["USD"]
    # a, b and d: the withdrawn e (3,004.93) is listed but not added
    assert (eur.count, eur.net, eur.tax, eur.total) == (
        3, Decimal("14200.00"), Decimal("456.00"), Decimal("14656.00"))
    assert (usd.count, usd.net, usd.tax, usd.total) == (
        1, Decimal("3900.00"), Decimal("0.00"), Decimal("3900.00"))
    assert page.left_out == 1


@pytest.mark.parametrize(("customer", "expected"), [
    ("acme", ["d", "a"]),
    ("ACME GMBH", ["a"]),
    ("müller", ["b"]),
    ("jörg", ["b"]),
    ("ромашка", ["c"]),
    ("acme.io", ["d"]),
    ("100%", ["e"]),
    ("%", ["e"]),
    ("_", []),
    ("nobody", []),
])
def test_customers_are_found_by_any_part_of_their_name_in_any_case(store, offers, customer,
                                                                    expected):
    assert listed(store, offers, OfferFilters(customer=customer)) == expected


@pytest.mark.parametrize(("status", "expected"), [
    ("issued", ["c", "a"]), ("expired", ["d"]), ("accepted", ["b"]), ("withdrawn", ["e"]),
    ("superseded", []),
])
def test_offers_are_filtered_by_their_status_as_of_today(store, offers, status, expected):
    assert listed(store, offers, OfferFilters(status=status)) == expected


def test_offers_are_filtered_by_issue_dates_rate_card_and_issuer(store, offers):
    feb_to_mar = OfferFilters(issued_from=dt.date(2026, 2, 15), issued_to=dt.date(2026, 3, 20))
    assert listed(store, offers, feb_to_mar) == ["c", "b"]
    assert listed(store, offers, OfferFilters(issued_to=dt.date(2026, 1, 9))) == []
    assert listed(store, offers, OfferFilters(rate_card="otrs")) == ["c"]
    assert listed(store, offers, OfferFilters(issuer_id=offers["ada"])) == ["e", "a"]
    both = OfferFilters(issuer_id=offers["bob"], status="accepted", rate_card="bpmonline")
    assert listed(store, offers, both) == ["b"]
    with store.session(read_only=True) as session:
        page = list_offers(session, OfferFilters(issuer_id=offers["bob"]), today=TODAY)
    assert page.totals["EUR"].total == Decimal("11800.00") and "USD" not in page.totals


@pytest.mark.parametrize(("sort", "expected"), [
    ("number", ["a", "b", "c", "d", "e"]),
    ("-number", ["e", "d", "c", "b", "a"]),
    ("date", ["a", "b", "c", "d", "e"]),
    ("total", ["d", "a", "e", "c", "b"]),
    ("-total", ["b", "c", "e", "a", "d"]),
    ("customer", ["a", "d", "e", "b", "c"]),
])
def test_offers_sort_by_number_date_total_or_customer(store, offers, sort, expected):
    assert listed(store, offers, sort=sort) == expected


def test_pages_split_the_list_and_totals_cover_every_page(store, offers):
    assert listed(store, offers, sort="number", page=1, per_page=2) == ["a", "b"]
    assert listed(store, offers, sort="number", page=3, per_page=2) == ["e"]
    assert listed(store, offers, sort="number", page=4, per_page=2) == []
    with store.session(read_only=True) as session:
        page = list_offers(session, sort="number", page=3, per_page=2, today=TODAY)
        assert (page.count, page.pages, page.totals["EUR"].count) == (5, 3, 3)
        with pytest.raises(ValueError, match="sort by"):
            list_offers(session, sort="price")
        with pytest.raises(ValueError):
            list_offers(session, page=0)
    with pytest.raises(ValueError, match="not a status"):
        OfferFilters(status="lost")


def test_the_export_has_one_row_per_line_item(store, offers):
    with store.session(read_only=True) as session:
        rows = list(export_rows(session, today=TODAY))
        withdrawn = list(export_rows(session, OfferFilters(status="withdrawn"), today=TODAY))
    assert [(r.number, r.code) for r in rows] == [
        ("Q-2026-000001", "support"), ("Q-2026-000002", "support"),
        ("Q-2026-000003", "support"), ("Q-2026-000004", "support"),
        ("Q-2026-000005", "support"), ("Q-2026-000005", "addition")]
    assert rows[0] == ExportRow(
        number="Q-2026-000001", issued_on=dt.date(2026, 1, 10),
        valid_until=dt.date(2027, 1, 10), status="issued", counted=True,
        customer_company="Acme GmbH", package="Business", position=1, code="support",
        kind="Support", description="Business support, on-site licenses, 1 year",
        amount=Decimal("2400.00"), currency="EUR")
    assert rows[2].currency == "USD" and rows[3].status == "expired"
    assert [r.amount for r in withdrawn] == [line.amount for line in offers["e"].lines]
    assert sum(r.amount for r in withdrawn) == offers["e"].net
    assert [r.counted for r in withdrawn] == [False, False]


def test_the_schedule_export_has_a_row_per_contract_year_adding_up_to_the_offer(store,
                                                                                offers):
    """One year from 2026-01-01: one entry; Acme's 19 % set by hand (456.00 of 2,400.00)."""
    with store.session(read_only=True) as session:
        rows = list(schedule_rows(session, today=TODAY))
    assert [r.number for r in rows] == [f"Q-2026-00000{n}" for n in range(1, 6)]
    assert rows[0] == ScheduleRow(
        number="Q-2026-000001", status="issued", customer_company="Acme GmbH", contract="",
        kind="new", year=1, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
        due=dt.date(2026, 1, 1), amount=Decimal("2400.00"), discount=Decimal("0.00"),
        net=Decimal("2400.00"), tax=Decimal("456.00"), total=Decimal("2856.00"),
        currency="EUR")
    for row in rows:
        offer = next(o for o in offers.values() if getattr(o, "number", None) == row.number)
        assert (row.net, row.tax, row.total) == (offer.net, offer.tax, offer.total)
