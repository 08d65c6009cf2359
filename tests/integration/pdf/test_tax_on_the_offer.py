"""The offer names the seller's VAT ID and register entry as each language labels them,
countries in the document's language, and the tax with its note; read back from the PDF."""

from __future__ import annotations

import pytest
from pdf_reading import BPMONLINE, read, text_of

from quote.pdf import render_offer
from quote.pdf.render import seller_tax_id_label

LANGUAGES = ("en", "de", "ru")
AUSTRIAN_BUSINESS = {"company": "Alpen Maschinen GmbH", "contact": "Franz Huber",
                     "email": "franz@example.at", "country": "Österreich",
                     "vat_id": "ATU12345678"}
SWISS_CUSTOMER = {"company": "Berg AG", "contact": "Heidi Muster", "email": "h@example.ch",
                  "country": "CH"}


def texts(make_offer, customer: dict | None = None, **overrides) -> dict[str, str]:
    data = {**BPMONLINE, **overrides}
    if customer is not None:
        data["customer"] = customer
    offer = make_offer(data, number="Q-2026-000042")
    return {language: text_of(read(render_offer(offer, language))) for language in LANGUAGES}


@pytest.fixture(scope="module")
def german(make_offer):
    return texts(make_offer)


@pytest.mark.parametrize(("language", "vat_id", "register", "country"), [
    ("de", "USt-IdNr.: DE000000000", "Handelsregister: Amtsgericht Charlottenburg, HRB 000000",
     "Deutschland"),
    ("en", "VAT ID (USt-IdNr.): DE000000000",
     "Commercial register: Amtsgericht Charlottenburg, HRB 000000", "Germany"),
    ("ru", "Идентификационный номер НДС (USt-IdNr.): DE000000000",
     "Торговый реестр: Amtsgericht Charlottenburg, HRB 000000", "Германия"),
])
def test_the_seller_s_identifiers_are_labelled_in_the_offer_s_language(german, language,
                                                                       vat_id, register,
                                                                       country):
    text = " ".join(german[language].split())
    assert vat_id in text
    assert register in text  # the court as registered, the label translated
    assert country in text  # the seller's country, by its name in the language
    assert "ИНН" not in text and "Tax ID" not in text
    if language != "en":
        assert "Germany" not in text



@pytest.mark.parametrize(("language", "label"), [
    ("de", "Steuernummer"), ("en", "Tax ID"), ("ru", "Налоговый номер"),
])
def test_a_seller_without_an_eu_vat_id_names_its_tax_number_not_a_vat_id(language, label):
    """A US seller's EIN is a tax number; "USt-IdNr." names only an EU VAT ID."""
    assert seller_tax_id_label("US", "12-3456789", language) == label

@pytest.mark.parametrize(("language", "line"), [
    ("de", "USt. 19 % (Deutschland)"), ("en", "VAT 19% (Germany)"),
    ("ru", "НДС 19 % (Германия)"),
])
def test_a_german_customer_pays_german_vat(german, language, line):
    text = " ".join(german[language].split())
    assert line in text
    assert "Reverse" not in text and "Обратное" not in text


@pytest.fixture(scope="module")
def reverse_charge(make_offer):
    return texts(make_offer, AUSTRIAN_BUSINESS)


@pytest.mark.parametrize(("language", "line", "note", "vat_id", "country"), [
    ("de", "USt. 0 % (Reverse-Charge)", "Steuerschuldnerschaft des Leistungsempfängers",
     "USt-IdNr.: ATU12345678", "Österreich"),
    ("en", "VAT 0% (reverse charge)", "Reverse charge: the customer owes the VAT",
     "VAT ID: ATU12345678", "Austria"),
    ("ru", "НДС 0 % (обратное начисление)", "Обратное начисление НДС (reverse charge)",
     "Идентификационный номер НДС: ATU12345678", "Австрия"),
])
def test_a_business_elsewhere_in_the_eu_gets_the_reverse_charge_note(reverse_charge, language,
                                                                     line, note, vat_id,
                                                                     country):
    text = " ".join(reverse_charge[language].split())
    assert line in text
    assert note in text
    assert vat_id in text  # the customer's, next to its address
    assert country in text  # the customer's country in the document's language


@pytest.mark.parametrize(("language", "note"), [
    ("de", "Nicht im Inland steuerbar"), ("en", "Not subject to VAT in Germany"),
    ("ru", "Не облагается НДС в Германии"),
])
def test_a_customer_outside_the_eu_gets_the_export_note(make_offer, language, note):
    offer = make_offer({**BPMONLINE, "customer": SWISS_CUSTOMER}, number="Q-2026-000043")
    text = " ".join(text_of(read(render_offer(offer, language))).split())
    assert note in text
    assert {"de": "Schweiz", "en": "Switzerland", "ru": "Швейцария"}[language] in text


def test_a_draft_without_a_country_shows_the_price_before_tax(make_offer):
    offer = make_offer({**BPMONLINE, "customer": {}})
    text = " ".join(text_of(read(render_offer(offer, "de"))).split())
    assert "USt.: ergibt sich aus dem Land des Kunden" in text
    assert "Gesamtbetrag ohne USt." in text
