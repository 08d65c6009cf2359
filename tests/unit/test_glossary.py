"""One word for one thing in each language (docs/glossary.md): the catalogues of the
page, the PDF, the CSV export and the e-mails, and the rendered offer, use the
glossary's terms and none of their forbidden variants; a sentence never ends in two
periods after a date."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from babel.messages.pofile import read_po
from glossary import forbidden_in, glossary
from pypdf import PdfReader
from request_samples import bpm_request

from quote import resources
from quote.core.describe import day
from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.i18n import DOMAINS, LANGUAGES
from quote.pdf import render_offer

TERMS = glossary()
CONCEPTS = {"VAT", "price list (rate card)", "package", "licenses on-site", "subscription",
            "deployment", "support", "minimum fee", "environment", "addition", "top-up",
            "renewal", "service hours", "priority", "severity", "offer", "valid until",
            "net amount", "total", "customer", "VAT ID"}
DATES = ("date", "start", "end", "day", "valid_until")  # placeholders a date fills


def texts(language: str, domain: str) -> list[str]:
    """Every text of a catalogue as shown: the translation (English: the source)."""
    path = resources.translations_dir() / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    shown = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        shown += [string or ids[min(index, len(ids) - 1)]
                  for index, string in enumerate(strings)]
    return shown


def test_the_glossary_has_every_concept_in_every_language():
    assert set(TERMS) == set(LANGUAGES)
    for language, entries in TERMS.items():
        assert set(entries) >= CONCEPTS, language
        assert all(entry.terms for entry in entries.values()), language


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_of_a_catalogue_uses_a_forbidden_variant(language, domain):
    found = {text: forbidden_in(text, TERMS[language]) for text in texts(language, domain)}
    assert {text: bad for text, bad in found.items() if bad} == {}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sentence_ending_in_a_date_has_one_period(language, domain):
    written = day(dt.date(2019, 1, 1), language)  # "1 января 2019 г." ends with one
    for text in texts(language, domain):
        filled = re.sub(r"%\((\w+)\)[sd]",
                        lambda m: written if m[1] in DATES else "X", text)
        assert ".." not in filled.replace("...", ""), text


@pytest.fixture(scope="module")
def offer_texts(taxed_book):
    """The standard bpm'online offer (with a discount) as printed in each language."""
    request = parse_request(bpm_request(discount_percent="10", environments=2, customer={
        "company": "Müller AG", "contact": "Erika Mustermann", "email": "erika@example.de",
        "country": "DE"}))
    result = price_quote(request, taxed_book, dt.date(2026, 1, 1))
    document = offer_document(request, result, taxed_book.priced_with(result),
                              number="Q-2026-000042")
    printed = {}
    for language in LANGUAGES:
        reader = PdfReader(io.BytesIO(render_offer(document, language)))
        text = "\n".join(page.extract_text() for page in reader.pages)
        printed[language] = " ".join(re.sub("[\u00a0\u202f\u2009]", " ", text).split())
    return printed


SHOWN_ON_THE_OFFER = ("VAT", "price list (rate card)", "licenses on-site", "deployment",
                      "service hours", "priority", "net amount", "total", "valid until")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_offer_uses_the_glossary_s_terms(offer_texts, language):
    text = offer_texts[language].casefold()
    entries = TERMS[language]
    missing = [concept for concept in SHOWN_ON_THE_OFFER
               if not any(term.casefold() in text for term in entries[concept].terms)]
    assert missing == []
    assert forbidden_in(offer_texts[language], entries) == []
