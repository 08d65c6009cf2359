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


# The page's content area (static/pdf/offer.css: A4, margins 18 mm top, 22 mm bottom), in
# PDF points from the bottom edge; text below it is the footer of the margin boxes.
MM = 72 / 25.4
CONTENT_TOP = (297 - 18) * MM
CONTENT_BOTTOM = 22 * MM


def body_lines(reader: PdfReader, page: int) -> list[tuple[float, str]]:
    """The lines of text in the page's content area, top first, as (height above the
    bottom edge, text): fragments at the same height are joined left to right."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            # where the text is drawn: its matrix times the page's current matrix
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(y), x, text))

    reader.pages[page].extract_text(visitor_text=visit)
    lines: dict[float, list[tuple[float, str]]] = {}
    for y, x, text in found:
        if CONTENT_BOTTOM <= y <= CONTENT_TOP:
            lines.setdefault(y, []).append((x, text))
    return [(y, plain(" ".join(t.strip() for _, t in sorted(parts))))
            for y, parts in sorted(lines.items(), reverse=True)]


def fullness(reader: PdfReader, page: int) -> float:
    """How much of the page's content area its text fills, from the top: 0 to 1."""
    lines = body_lines(reader, page)
    if not lines:
        return 0.0
    return (CONTENT_TOP - lines[-1][0]) / (CONTENT_TOP - CONTENT_BOTTOM)
