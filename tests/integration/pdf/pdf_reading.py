"""Reading rendered offers back: text, with Babel's no-break spaces made plain."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

BPMONLINE = {
    "rate_card": "bpmonline", "package": "business", "deployment": "on_site",
    "license_value": "12000.00", "term_start": "2026-01-01", "term_years": 2,
    "environments": 3, "discount_percent": "10", "as_of": "2026-01-01",
    "additions": [{"date": "2026-07-01", "license_value": "3000.00", "environments": 1}],
    "customer": {"company": "Müller & Söhne Maschinenbau AG", "contact": "Erika Mustermann",
                 "email": "erika@example.de", "country": "Deutschland"},  # 19 % VAT
}


def text_of(reader: PdfReader, page: int | None = None) -> str:
    """The text of one page (or all), with Babel's no-break spaces as plain spaces."""
    pages = reader.pages if page is None else [reader.pages[page]]
    text = "\n".join(p.extract_text() for p in pages)
    return re.sub("[\u00a0\u202f\u2009]", " ", text)


def plain(text: str) -> str:
    return re.sub("[\u00a0\u202f\u2009]", " ", text)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))
