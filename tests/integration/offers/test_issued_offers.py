"""Issued offers through the web app on SQLite and PostgreSQL, and that an issued offer is a
snapshot: changing the rate files afterwards changes neither its JSON nor its PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

from offers_helpers import api_token
from pypdf import PdfReader

from quote import resources
from quote.store import forget_pdfs

REQUEST = {
    "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
    "license_value": "12000.00", "term_start": "2026-01-01", "term_years": 1,
    "discount_percent": "5", "as_of": "2026-01-01",
    "customer": {"company": "ACME GmbH", "contact": "Erika Mustermann",
                 "email": "erika@example.de", "country": "DE"},  # 19 % VAT
}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_issuing_through_the_api(make_app):
    app = make_app()
    sales = api_token(app, "sales")
    client = app.test_client()
    first = client.post("/api/v1/quotes", json=REQUEST,
                        headers={**bearer(sales), "Idempotency-Key": "k-1"})
    assert first.status_code == 201
    offer = first.json
    assert offer["number"] == "Q-2026-000001"
    assert offer["result"]["subtotal"] == "2400.00"
    assert offer["result"]["discount"] == "120.00"
    assert offer["result"]["tax"] == "433.20"
    assert offer["result"]["total"] == "2713.20"
    replay = client.post("/api/v1/quotes", json=REQUEST,
                         headers={**bearer(sales), "Idempotency-Key": "k-1"})
    assert replay.status_code == 200 and replay.json == offer
    conflict = client.post("/api/v1/quotes", json={**REQUEST, "discount_percent": "0"},
                           headers={**bearer(sales), "Idempotency-Key": "k-1"})
    assert conflict.status_code == 409
    second = client.post("/api/v1/quotes", json=REQUEST, headers=bearer(sales))
    assert second.json["number"] == "Q-2026-000002"
    finance = api_token(app, "finance")
    assert client.get("/api/v1/quotes/Q-2026-000001", headers=bearer(finance)).json == offer


def _attachment(pdf: bytes) -> dict:
    return json.loads(PdfReader(io.BytesIO(pdf)).attachments["offer.json"][0])


def _amounts(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.findall(r"\d[\d,]*\.\d\d", text)


def test_a_changed_rate_file_leaves_an_issued_offer_unchanged(make_app, tmp_path):
    rates = tmp_path / "rates"
    shutil.copytree(resources.rates_dir(), rates)
    app = make_app(RATES_DIR=str(rates))
    sales = api_token(app, "sales")
    client = app.test_client()
    number = client.post("/api/v1/quotes", json=REQUEST, headers=bearer(sales)).json["number"]
    before = client.get(f"/api/v1/quotes/{number}", headers=bearer(sales)).json
    pdf_before = client.get(f"/api/v1/quotes/{number}.pdf?lang=en", headers=bearer(sales)).data

    card = Path(rates / "bpmonline.toml")
    text = card.read_text(encoding="utf-8")
    changed = text.replace('on_site = { kind = "percent", percent = "20", minimum = {',
                           'on_site = { kind = "percent", percent = "30", minimum = {')
    assert changed != text
    card.write_text(changed, encoding="utf-8")

    app = make_app(RATES_DIR=str(rates))  # a fresh start on the same database
    client = app.test_client()
    preview = client.post("/api/v1/quotes/preview", json={**REQUEST, "discount_percent": "0"})
    assert preview.json["subtotal"] == "3600.00"  # the new price is in force ...
    after = client.get(f"/api/v1/quotes/{number}", headers=bearer(sales)).json
    assert after == before  # ... and the offer is as issued
    page = app.test_client()
    with app.extensions["quote.store"].session() as session:
        assert forget_pdfs(session) == 1
    pdf_after = page.get(f"/api/v1/quotes/{number}.pdf?lang=en", headers=bearer(sales)).data
    assert pdf_after.startswith(b"%PDF")
    assert _attachment(pdf_after) == _attachment(pdf_before)
    assert _attachment(pdf_after)["total"] == "2713.20"
    assert _amounts(pdf_after) == _amounts(pdf_before)
    assert "2,713.20" in _amounts(pdf_after) and "3,600.00" not in _amounts(pdf_after)
