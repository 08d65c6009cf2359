"""The cover text of offers issued from the form, on SQLite and PostgreSQL: the reviewed and
confirmed revision names its salesperson (as they were when it was issued), the configured
payment terms and the offer it replaces."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from quote.store import add_user, forget_pdfs, set_phone

FORM = {
    "entry_language": "en", "rate_card": "bpmonline", "package": "business",
    "deployment": "on_site", "license_value": "12,000.00", "term_start": "2026-01-01",
    "term_years": "1", "tax_percent": "0", "language": "de",
    "customer-company": "ACME GmbH", "customer-contact": "Anna Berg",
}


def cover(client, number: str) -> str:
    pdf = client.get(f"/offers/{number}/offer-de.pdf").data
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return " ".join(re.sub("[\u00a0\u202f\u2009]", " ", text).split())


def issue(client, **fields) -> str:
    review = client.post("/offers/review", data={**FORM, **fields})
    assert review.status_code == 200
    reviewed = re.search(r'name="reviewed" value="([0-9a-f]{64})"',
                         review.get_data(as_text=True)).group(1)
    issued = client.post("/offers/issue", data={**FORM, **fields, "confirm": "1",
                                                "reviewed": reviewed})
    assert issued.status_code == 302, issued.get_data(as_text=True)
    return issued.location.rsplit("/", 1)[1]


def test_a_revision_names_its_salesperson_as_issued_and_the_offer_it_replaces(make_app):
    app = make_app(PAYMENT_TERMS_DAYS=14)
    store = app.extensions["quote.store"]
    with store.session() as session:
        add_user(session, "bo@example.com", "Bo Sales", "correct horse battery",
                 phone="+49 30 555-12")
    client = app.test_client()
    client.post("/sign-in", data={"email": "bo@example.com",
                                  "password": "correct horse battery"})
    first = issue(client)
    second = issue(client, revises=first, **{"license_value": "24,000.00"})
    with store.session() as session:
        set_phone(session, "bo@example.com", "+49 30 999")

    text = cover(client, second)
    assert "Guten Tag Anna Berg," in text
    assert f"Dieses Angebot ersetzt unser Angebot {first}." in text
    assert "Dieses Angebot gilt bis zum 14. Februar 2026." in text
    assert "zahlbar innerhalb von 14 Tagen nach Rechnungsdatum ohne Abzug." in text
    assert "Ihr Kontakt bei uns: Bo Sales · Telefon +49 30 555-12 · E-Mail bo@example.com" \
        in text  # the phone as issued, not the one changed since

    with store.session() as session:
        forget_pdfs(session)  # rendered anew from the snapshot
    again = cover(client, first)
    assert "Telefon +49 30 555-12" in again and "ersetzt" not in again
