"""The finance list and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from offer_helpers import CUSTOMER, TODAY, store_offer
from request_samples import bpm_request

from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import find_by_number, find_user, revise, withdraw


@pytest.fixture
def issued(app, users, make_request):
    """Three offers: two by sales (one to a customer whose name looks like a formula),
    one self-service on another rate card."""
    first = store_offer(app, make_request(customer={"company": "ACME GmbH"}), users["sales"])
    second = store_offer(app, make_request(license_value="20000.00",
                                           customer={"company": "=HYPERLINK(\"x\")"}),
                         users["sales"])
    third = store_offer(app, make_request(rate_card="otrs", package="basic",
                                          customer={"company": "Müller; Söhne"}), None,
                        public=True)
    return [first.offer.number, second.offer.number, third.offer.number]


def rows_of(response, delimiter: str) -> list[list[str]]:
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_the_list_shows_every_offer_with_totals_per_currency(sign_in, issued):
    page = sign_in("finance").get("/finance/offers").get_data(as_text=True)
    for number in issued:
        assert f'data-number="{number}"' in page
        assert f'href="/offers/{number}/offer-de.pdf"' in page
    assert "Matching offers: 3<" in page
    assert 'data-currency="EUR"' in page


def test_filters_by_customer_rate_card_issuer_and_status(sign_in, issued):
    client = sign_in("finance")
    acme = client.get("/finance/offers?customer=acme").get_data(as_text=True)
    assert "Matching offers: 1<" in acme and issued[0] in acme
    otrs = client.get("/finance/offers?rate_card=otrs").get_data(as_text=True)
    assert issued[2] in otrs and issued[0] not in otrs
    by_sales = client.get("/finance/offers?issuer=sales@example.com").get_data(as_text=True)
    assert "Matching offers: 2<" in by_sales
    accepted = client.get("/finance/offers?status=accepted").get_data(as_text=True)
    assert "Matching offers: 0<" in accepted
    later = client.get("/finance/offers?issued_from=2026-01-16").get_data(as_text=True)
    assert "Matching offers: 0<" in later


def test_sorting_and_pages(make_app, sign_in, issued):
    client = sign_in("finance")
    page = client.get("/finance/offers?sort=total").get_data(as_text=True)
    assert page.index(issued[0]) < page.index(issued[1])
    page = client.get("/finance/offers?sort=-total").get_data(as_text=True)
    assert page.index(issued[1]) < page.index(issued[0])


def test_pagination(app, sign_in, issued):
    app.config["FINANCE_PER_PAGE"] = 2
    client = sign_in("finance")
    first = client.get("/finance/offers?sort=number").get_data(as_text=True)
    assert "Page 1 of 2" in first and issued[2] not in first
    second = client.get("/finance/offers?sort=number&page=2").get_data(as_text=True)
    assert issued[2] in second and issued[0] not in second


def test_csv_for_a_german_spreadsheet(sign_in, issued):
    response = sign_in("finance").get("/finance/offers?format=csv&locale=de")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="offer-lines-')
    rows = rows_of(response, ";")
    assert rows[0] == ["Angebot", "Ausgestellt am", "Gültig bis", "Status", "In den Summen",
                       "Kunde", "Paket", "Position", "Art", "Code", "Beschreibung", "Betrag",
                       "Währung"]
    assert rows[1] == [issued[0], "15.01.2026", "14.02.2026", "Ausgestellt", "ja",
                       "ACME GmbH", "Business", "1", "Support", "support",
                       "Support Business, On-Site-Lizenzen, 1 Jahr", "2400,00", "EUR"]
    quoted = [row for row in rows if row[0] == issued[2]][0]
    assert quoted[5] == "Müller; Söhne"  # quoted, so the separator stays inside the cell
    assert b'"M\xc3\xbcller; S\xc3\xb6hne"' in response.data


def test_csv_for_an_english_spreadsheet(sign_in, issued):
    rows = rows_of(sign_in("finance").get("/finance/offers?format=csv&locale=en"), ",")
    assert rows[0] == ["Offer", "Issued on", "Valid until", "Status", "In totals", "Customer",
                       "Package", "Line", "Kind", "Code", "Description", "Amount", "Currency"]
    assert rows[1] == [issued[0], "2026-01-15", "2026-02-14", "Issued", "yes", "ACME GmbH",
                       "Business", "1", "Support", "support",
                       "Business support, on-site licenses, 1 year", "2400.00", "EUR"]
    assert len({row[0] for row in rows[1:]}) == 3
    assert all(len(row) == 13 for row in rows)


def test_csv_cells_never_run_as_formulas(sign_in, issued):
    rows = rows_of(sign_in("finance").get("/finance/offers?format=csv&locale=en"), ",")
    company = [row for row in rows if row[0] == issued[1]][0][5]
    assert company == "'=HYPERLINK(\"x\")"


def test_csv_follows_the_filters_and_refuses_other_locales(sign_in, issued):
    client = sign_in("finance")
    rows = rows_of(client.get("/finance/offers?format=csv&locale=en&rate_card=otrs"), ",")
    assert {row[0] for row in rows[1:]} == {issued[2]}
    refused = client.get("/finance/offers?format=csv&locale=fr")
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json["errors"]] == ["locale"]
    unknown = client.get("/finance/offers?format=csv&locale=de&rows=everything")
    assert unknown.status_code == 400
    assert [error["field"] for error in unknown.json["errors"]] == ["rows"]


def test_offers_of_one_card_in_three_currencies_are_totalled_per_currency(app, users,
                                                                         make_request,
                                                                         sign_in):
    # bpm'online Business on-site, 20 % of the license value in each price list's currency
    for currency, value in (("EUR", "12000.00"), ("RUB", "600000.00"), ("USD", "15000.00"),
                            ("RUB", "100000.00")):  # 20 % = 20,000.00 < the RUB minimum
        store_offer(app, make_request(currency=currency, license_value=value),
                    users["sales"])
    page = sign_in("finance").get("/finance/offers").get_data(as_text=True)
    totals = {row.split('"')[0]: row for row in page.split('data-currency="')[1:]}
    assert set(totals) == {"EUR", "RUB", "USD"}
    # 120,000.00 + 45,000.00 (the RUB list's minimum) = 165,000.00 RUB
    assert "165,000.00" in totals["RUB"] and ">2<" in totals["RUB"]
    assert "3,000.00" in totals["USD"] and ">1<" in totals["USD"]
    assert "2,400.00" in totals["EUR"] and ">1<" in totals["EUR"]
    rows = rows_of(sign_in("finance").get("/finance/offers?format=csv&locale=en"), ",")
    assert sorted(row[12] for row in rows[1:]) == ["EUR", "RUB", "RUB", "USD"]


def test_the_billing_schedule_export_has_a_row_per_contract_year(app, users, sign_in):
    """Business on-site, 12,000.00 of licenses for three years billed annually: 20 %
    (2,400.00) every contract year, each due on its first day; a Swiss customer (no
    VAT)."""
    number = store_offer(app, bpm_request(term_years=3, billing="annual", customer=CUSTOMER),
                         users["sales"]).offer.number
    client = sign_in("finance")
    page = client.get("/finance/offers").get_data(as_text=True)
    assert 'id="schedule-de"' in page
    response = client.get("/finance/offers?format=csv&rows=schedule&locale=de")
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="billing-schedule-')
    header, *rows = rows_of(response, ";")
    assert header == ["Angebot", "Status", "In den Summen", "Kunde", "Vertrag", "Vertragsjahr",
                      "Beginn", "Ende", "Fällig am", "Betrag", "Rabatt", "Nettobetrag", "USt.",
                      "Gesamtbetrag", "Währung"]
    assert [row[5:] for row in rows if row[0] == number] == [
        ["1", "01.01.2026", "31.12.2026", "01.01.2026", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"],
        ["2", "01.01.2027", "31.12.2027", "01.01.2027", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"],
        ["3", "01.01.2028", "31.12.2028", "01.01.2028", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"]]


# Totals that count each sale once

def revise_offer(app, number: str, request_data: dict, issuer_email: str):
    """Issue ``request_data`` as the revision of offer ``number``; returns ``Issued``."""
    book, store = app.extensions["quote.rates"], app.extensions["quote.store"]
    request = parse_request(request_data)
    result = price_quote(request, book, TODAY)
    with store.session() as session:
        return revise(session, find_by_number(session, number),
                      offer_document(request, result, book.priced_with(result)),
                      issuer_id=find_user(session, issuer_email).id,
                      now=dt.datetime(2026, 1, 15, 13, tzinfo=dt.UTC))


def withdraw_offer(app, number: str) -> None:
    with app.extensions["quote.store"].session() as session:
        withdraw(session, find_by_number(session, number), today=TODAY)


@pytest.fixture
def revised(app, users):
    """bpm'online Business on-site, 20 % a year, for a Swiss customer (no VAT): an offer of
    12,000.00 of licenses (2,400.00) revised to 15,000.00 (3,000.00); an offer of 10,000.00
    (2,000.00) withdrawn; an offer of 20,000.00 (4,000.00) standing."""
    first = store_offer(app, bpm_request(customer=CUSTOMER), users["sales"]).offer.number
    second = revise_offer(app, first, bpm_request(license_value="15000.00",
                                                  customer=CUSTOMER), users["sales"])
    withdrawn = store_offer(app, bpm_request(license_value="10000.00", customer=CUSTOMER),
                            users["sales"]).offer.number
    withdraw_offer(app, withdrawn)
    standing = store_offer(app, bpm_request(license_value="20000.00", customer=CUSTOMER),
                           users["sales"]).offer.number
    return {"superseded": first, "revision": second.offer.number, "withdrawn": withdrawn,
            "standing": standing}


def totals_row(page: str, currency: str) -> str:
    return re.search(rf'<tr data-currency="{currency}">(.*?)</tr>', page, re.S).group(1)


def test_the_totals_add_a_revision_but_not_the_offer_it_replaced_nor_a_withdrawn_one(
        sign_in, revised):
    page = sign_in("finance").get("/finance/offers?lang=en").get_data(as_text=True)
    assert "Matching offers: 4<" in page  # all four are listed
    for number in revised.values():
        assert f'data-number="{number}"' in page
    # 3,000.00 (the revision) + 4,000.00 = 7,000.00 of two offers
    assert totals_row(page, "EUR") == (
        '<td>EUR</td><td class="amount">2</td><td class="amount">€7,000.00</td>'
        '<td class="amount">€0.00</td><td class="amount">€7,000.00</td>')
    assert ("The totals count each sale once: offers replaced by a revision (superseded), "
            "withdrawn offers and offers the customer declined are listed but not added.")\
        in page
    assert '<span id="left-out">2 of the matching offers are not added.</span>' in page


def test_asked_to_the_totals_add_every_listed_offer(sign_in, revised):
    page = sign_in("finance").get("/finance/offers?lang=en&totals=all").get_data(as_text=True)
    # 2,400.00 + 3,000.00 + 2,000.00 + 4,000.00 = 11,400.00 of four offers
    assert totals_row(page, "EUR") == (
        '<td>EUR</td><td class="amount">4</td><td class="amount">€11,400.00</td>'
        '<td class="amount">€0.00</td><td class="amount">€11,400.00</td>')
    assert 'id="totals-all" name="totals" value="all" checked' in page
    assert "The totals add every matching offer" in page and 'id="left-out"' not in page
    exports = re.findall(r'<a href="([^"]+)" id="(?:offers|csv|schedule)-(?:de|en)"', page)
    assert len(exports) == 6 and all("totals=all" in href for href in exports)


def test_offers_that_do_not_count_are_listed_with_no_totals(sign_in, revised):
    page = sign_in("finance").get("/finance/offers?lang=en&status=superseded"
                                  ).get_data(as_text=True)
    assert "Matching offers: 1<" in page and 'id="totals"' not in page
    assert "None of the matching offers counts in the totals." in page
    assert '<span id="left-out">1 of the matching offers is not added.</span>' in page


def test_the_offer_export_says_which_offers_count_and_sums_to_the_totals(sign_in, revised):
    client = sign_in("finance")
    header, *rows = rows_of(client.get("/finance/offers?format=csv&rows=offers&locale=en"),
                            ",")
    assert header[:16] == ["Offer", "Issued on", "Valid until", "Status", "In totals",
                           "Replaces", "Customer", "Rate card", "Version", "Package",
                           "Currency", "Subtotal", "Discount", "Net", "VAT", "Total"]
    by_number = {row[0]: row for row in rows}
    assert by_number[revised["revision"]][:16] == [
        revised["revision"], "2026-01-15", "2026-02-14", "Issued", "yes",
        revised["superseded"], "Alpen Support AG", "bpm'online support packages", "2019.1",
        "Business", "EUR", "3000.00", "0.00", "3000.00", "0.00", "3000.00"]
    assert [(by_number[n][3], by_number[n][4]) for n in (revised["superseded"],
                                                         revised["withdrawn"])] == [
        ("Superseded", "no"), ("Withdrawn", "no")]
    counted = sum(Decimal(row[15]) for row in rows if row[4] == "yes")
    assert counted == Decimal("7000.00")  # the page's total
    everything = rows_of(client.get(
        "/finance/offers?format=csv&rows=offers&locale=en&totals=all"), ",")
    assert {row[4] for row in everything[1:]} == {"yes"}


# Lines that add up to the offer, in the CSV's language

def test_the_discount_is_a_line_of_its_own_so_an_offers_lines_add_up_to_its_net(
        app, users, sign_in):
    """Business on-site, 270,000.00 of licenses: 20 % is 54,000.00; 5 % off (2,700.00)
    leaves 51,300.00 net (a Swiss customer: no VAT)."""
    number = store_offer(app, bpm_request(license_value="270000.00", discount_percent="5",
                                          customer=CUSTOMER), users["sales"]).offer.number
    client = sign_in("finance")
    _, *rows = rows_of(client.get("/finance/offers?format=csv&locale=de"), ";")
    assert [row[7:] for row in rows if row[0] == number] == [
        ["1", "Support", "support", "Support Business, On-Site-Lizenzen, 1 Jahr", "54000,00",
         "EUR"],
        ["2", "Rabatt", "discount", "Rabatt 5\u00a0%", "-2700,00", "EUR"]]
    _, *offers = rows_of(client.get("/finance/offers?format=csv&rows=offers&locale=de"), ";")
    assert [row[11:16] for row in offers if row[0] == number] == [
        ["54000,00", "2700,00", "51300,00", "0,00", "51300,00"]]
    _, *english = rows_of(client.get("/finance/offers?format=csv&locale=en"), ",")
    assert sum(Decimal(row[11]) for row in english if row[0] == number) == Decimal("51300.00")


def test_descriptions_and_kinds_are_in_the_csvs_language_not_the_offers(app, users,
                                                                       sign_in):
    """An offer written in Russian, with 6,000.00 of licenses added on 2026-07-01 (20 %:
    1,200.00 a year, for 184 of 365 days: 604.93)."""
    number = store_offer(app, bpm_request(language="ru", customer=CUSTOMER, additions=[
        {"date": "2026-07-01", "license_value": "6000.00"}]), users["sales"]).offer.number
    client = sign_in("finance")
    german = [row for row in rows_of(client.get("/finance/offers?format=csv&locale=de"), ";")
              if row[0] == number]
    assert [row[6:12] for row in german] == [
        ["Business", "1", "Support", "support", "Support Business, On-Site-Lizenzen, 1 Jahr",
         "2400,00"],
        ["Business", "2", "Zusätzliche Lizenzen", "addition",
         "Zusätzliche Lizenzen im Wert von 6.000,00\u00a0€ ab 1. Juli 2026", "604,93"]]
    english = [row for row in rows_of(client.get("/finance/offers?format=csv&locale=en"), ",")
               if row[0] == number]
    assert [row[6:12] for row in english] == [
        ["Business", "1", "Support", "support", "Business support, on-site licenses, 1 year",
         "2400.00"],
        ["Business", "2", "Additional licenses", "addition",
         "Additional licenses worth €6,000.00 from 1 July 2026", "604.93"]]


# Filters that cannot be read

def test_a_reversed_date_range_is_refused_at_its_field(sign_in, issued):
    client = sign_in("finance")
    response = client.get("/finance/offers?lang=en&issued_from=2026-02-01&issued_to=2026-01-01")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ('<p class="error" id="issued_to-error">The range ends on 1 January 2026, before '
            'it starts on 1 February 2026. Choose an end on or after the start.</p>') in page
    assert 'aria-invalid="true" aria-describedby="issued_to-error"' in page
    assert 'id="offers"' not in page and 'id="totals"' not in page  # nothing listed
    german = client.get("/finance/offers?lang=de&issued_from=2026-02-01&issued_to=2026-01-01"
                        ).get_data(as_text=True)
    assert "Der Zeitraum endet am 1. Januar 2026, bevor er am 1. Februar 2026 beginnt." in german
    export = client.get("/finance/offers?lang=en&format=csv&locale=de&issued_from=2026-02-01"
                        "&issued_to=2026-01-01")
    assert export.status_code == 400 and export.mimetype == "application/json"
    assert export.json == {"errors": [{
        "field": "issued_to", "message": "The range ends on 1 January 2026, before it starts "
        "on 1 February 2026. Choose an end on or after the start."}]}


def test_a_date_that_is_not_one_is_named_not_ignored(sign_in, issued):
    client = sign_in("finance")
    response = client.get("/finance/offers?lang=en&issued_from=abc")
    assert response.status_code == 400
    assert ("“abc” is not a date. Enter one as year-month-day, such as 2026-01-31."
            in response.get_data(as_text=True))
    schedule = client.get("/finance/offers?lang=en&format=csv&rows=schedule&locale=en"
                          "&issued_from=abc&issued_to=2026-13-01")
    assert schedule.status_code == 400
    assert [error["field"] for error in schedule.json["errors"]] == ["issued_from", "issued_to"]



def test_a_status_or_issuer_the_list_does_not_know_is_named_not_ignored(sign_in, issued):
    """Ignored, a mistyped status or issuer would list and total every offer."""
    client = sign_in("finance")
    response = client.get("/finance/offers?lang=en&status=acepted&issuer=nobody@example.com")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ('<p class="error" id="status-error">“acepted” is not a status of an offer. '
            'Choose a status from the list.</p>') in page
    assert ('<p class="error" id="issuer-error">No staff member signs in as '
            '“nobody@example.com”. Choose who issued the offers from the list.</p>') in page
    assert 'id="status" name="status" aria-invalid="true" aria-describedby="status-error"' in page
    assert 'id="offers"' not in page and 'id="totals"' not in page  # nothing listed
    german = client.get("/finance/offers?lang=de&status=acepted").get_data(as_text=True)
    assert "„acepted“ ist kein Status eines Angebots." in german
    export = client.get("/finance/offers?lang=en&format=csv&rows=offers&locale=en"
                        "&status=acepted")
    assert export.status_code == 400
    assert export.json == {"errors": [{
        "field": "status",
        "message": "“acepted” is not a status of an offer. Choose a status from the list."}]}
    assert client.get("/finance/offers?lang=en&status=").status_code == 200  # "any"

# The list: what is sorted, names, dates that do not wrap

def sortable_headers(page: str) -> dict[str, str]:
    """The opening tags of the sortable columns' headers, by what they sort."""
    return {key: tag for tag, key in
            re.findall(r'(<th scope="col"[^>]*data-sort="(\w+)"[^>]*>)', page)}


def test_the_sorted_column_says_so(sign_in, issued):
    client = sign_in("finance")
    newest_first = sortable_headers(client.get("/finance/offers").get_data(as_text=True))
    assert 'aria-sort="descending"' in newest_first["date"]
    assert [key for key, cell in newest_first.items() if "aria-sort" in cell] == ["date"]
    by_total = client.get("/finance/offers?sort=total").get_data(as_text=True)
    assert 'aria-sort="ascending"' in sortable_headers(by_total)["total"]
    assert '<span class="sort-mark" aria-hidden="true">▲</span>' in by_total
    by_customer = client.get("/finance/offers?sort=-customer").get_data(as_text=True)
    assert 'aria-sort="descending"' in sortable_headers(by_customer)["customer"]


def test_rate_cards_are_named_and_numbers_and_dates_do_not_wrap(sign_in, issued):
    page = sign_in("finance").get("/finance/offers?lang=de").get_data(as_text=True)
    row = re.search(rf'<tr data-number="{issued[0]}">(.*?)</tr>', page, re.S).group(1)
    assert ('<td data-column="rate-card">bpm&#39;online Supportpakete '
            '<span class="nowrap">2019.1</span></td>') in row
    assert (f'<td class="nowrap"><a href="/offers/{issued[0]}">{issued[0]}</a></td>') in row
    assert '<td class="nowrap"><time datetime="2026-01-15">15. Januar 2026</time></td>' in row
    assert '<option value="otrs">OTRS-Subscriptions</option>' in page
