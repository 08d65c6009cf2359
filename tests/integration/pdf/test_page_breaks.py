"""The standard offer of every seed card, in every language, breaks into pages as a
reader expects: no page but the last is left mostly empty, and a table that runs over a
page break shows its header again above its rows (static/pdf/offer.css)."""

from __future__ import annotations

import pytest
from pdf_reading import BPMONLINE, body_lines, fullness, read

from quote.i18n import LANGUAGES, translations
from quote.pdf import render_offer
from quote.pdf.render import offer_context
from quote.pdf.seller import Seller

CUSTOMER = BPMONLINE["customer"]
STANDARD_OFFERS = {
    "bpmonline": BPMONLINE,
    "maxence": {"rate_card": "maxence", "package": "professional", "deployment": "on_site",
                "term_start": "2026-01-01", "points": 120, "as_of": "2026-01-01",
                "customer": CUSTOMER},
    "otrs": {"rate_card": "otrs", "package": "basic", "deployment": "on_demand",
             "term_start": "2026-03-01", "term_years": 2, "as_of": "2026-01-01",
             "customer": CUSTOMER},
    "open-xchange": {"rate_card": "open-xchange", "package": "standard",
                     "deployment": "on_site", "license_value": "50000.00", "currency": "USD",
                     "term_start": "2026-03-02", "as_of": "2026-01-01", "customer": CUSTOMER},
}
SMALLEST_PAGE = 1 / 3  # of the content area, for every page but the last
CASES = [(card, language) for card in STANDARD_OFFERS for language in LANGUAGES]


@pytest.fixture(scope="module")
def offers(make_offer):
    """{(card, language): (document, PdfReader)} of every standard offer, as issued."""
    made = {}
    for card, language in CASES:
        document = make_offer(STANDARD_OFFERS[card], number="Q-2026-000042", language=language)
        made[card, language] = document, read(render_offer(document, language))
    return made


def tables(document, language: str) -> dict[str, tuple[str, list[str]]]:
    """For each table that may run over a page break: a text of its header and a text
    that begins each of its rows (the start of a cell found nowhere else)."""
    _ = translations(language, ("core", "pdf")).gettext
    shown = offer_context(document, Seller.from_env())
    return {
        "lines": (_("Item and how it is calculated")[:12],
                  [line.detail[:20] for line in shown["lines"]]),
        "priorities": (_("Definition"), [p.definition[:20] for p in shown["priorities"]]),
        "comparison": (_("offered").upper(),
                       [_("Response: %(priority)s").split("%")[0].strip()]),
    }


@pytest.mark.parametrize(("card", "language"), CASES)
def test_no_page_but_the_last_is_mostly_empty(offers, card, language):
    _, reader = offers[card, language]
    filled = [round(fullness(reader, page), 2) for page in range(len(reader.pages))]
    assert all(part >= SMALLEST_PAGE for part in filled[:-1]), filled


@pytest.mark.parametrize(("card", "language"), CASES)
def test_a_table_s_rows_are_never_on_a_page_without_its_header(offers, card, language):
    document, reader = offers[card, language]
    for page in range(len(reader.pages)):
        lines = [text for _, text in body_lines(reader, page)]
        for name, (header, rows) in tables(document, language).items():
            first_row = next((index for index, text in enumerate(lines)
                              if any(row in text for row in rows)), None)
            if first_row is not None:
                assert any(header in text for text in lines[:first_row]), (
                    f"page {page + 1}: {name} rows without their header: {lines[:3]}")


def test_the_german_open_xchange_priorities_run_over_a_page_break_with_their_header(offers):
    """The check above is not empty: this table does run over a break."""
    document, reader = offers["open-xchange", "de"]
    header, rows = tables(document, "de")["priorities"]
    pages = [[text for _, text in body_lines(reader, page)] for page in range(len(reader.pages))]
    with_rows = [lines for lines in pages if any(row in text for text in lines for row in rows)]
    assert len(with_rows) >= 2  # the table does run over a page break
    assert all(any(header in text for text in lines) for lines in with_rows)
