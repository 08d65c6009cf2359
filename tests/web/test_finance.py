"""The finance list and its CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from offer_helpers import CUSTOMER, store_offer
from request_samples import bpm_request


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
    rows = rows_of(response, ";")
    assert rows[0][:4] == ["Angebot", "Ausgestellt am", "Gültig bis", "Status"]
    first = rows[1]
    assert first[0] == issued[0]
    assert first[1] == "15.01.2026" and first[2] == "14.02.2026"
    assert first[4] == "ACME GmbH"
    assert first[6] == "support"
    assert first[8] == "2400,00" and first[9] == "EUR" and first[12] == "2400,00"
    quoted = [row for row in rows if row[0] == issued[2]][0]
    assert quoted[4] == "Müller; Söhne"  # quoted, so the separator stays inside the cell
    assert b'"M\xc3\xbcller; S\xc3\xb6hne"' in response.data


def test_csv_for_an_english_spreadsheet(sign_in, issued):
    rows = rows_of(sign_in("finance").get("/finance/offers?format=csv&locale=en"), ",")
    assert rows[0][:4] == ["Offer", "Issued on", "Valid until", "Status"]
    assert rows[1][1] == "2026-01-15"
    assert rows[1][8] == "2400.00"
    assert len({row[0] for row in rows[1:]}) == 3
    assert all(len(row) == 17 for row in rows)


def test_csv_cells_never_run_as_formulas(sign_in, issued):
    rows = rows_of(sign_in("finance").get("/finance/offers?format=csv&locale=en"), ",")
    company = [row for row in rows if row[0] == issued[1]][0][4]
    assert company == "'=HYPERLINK(\"x\")"


def test_csv_follows_the_filters_and_refuses_other_locales(sign_in, issued):
    client = sign_in("finance")
    rows = rows_of(client.get("/finance/offers?format=csv&locale=en&rate_card=otrs"), ",")
    assert {row[0] for row in rows[1:]} == {issued[2]}
    assert client.get("/finance/offers?format=csv&locale=fr").status_code == 400


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
    assert sorted(row[9] for row in rows[1:]) == ["EUR", "RUB", "RUB", "USD"]


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
    assert header == ["Angebot", "Status", "Kunde", "Vertrag", "Vertragsjahr", "Beginn", "Ende",
                      "Fällig am", "Betrag", "Rabatt", "Nettobetrag", "USt.", "Gesamtbetrag",
                      "Währung"]
    assert [row[4:] for row in rows if row[0] == number] == [
        ["1", "01.01.2026", "31.12.2026", "01.01.2026", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"],
        ["2", "01.01.2027", "31.12.2027", "01.01.2027", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"],
        ["3", "01.01.2028", "31.12.2028", "01.01.2028", "2400,00", "0,00", "2400,00", "0,00",
         "2400,00", "EUR"]]
