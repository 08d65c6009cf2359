"""The cover text under the offer's heading, read back from the PDF in each language: the
salutation (by name, or neutral), the seller's named contact, the validity, the payment
terms, and the offer a revision replaces."""

from __future__ import annotations

import pytest
from pdf_reading import BPMONLINE, read, text_of

from quote.core.offer import SellerContact
from quote.pdf import Seller, render_offer
from quote.pdf.render import offer_html

BO = SellerContact(name="Bo Sales", email="bo@example.com", phone="+49 30 555-12")
CONTACT = {"de": "Anna Berg", "en": "Anna Berg", "ru": "Анна Берг"}


def cover_of(pdf: bytes) -> str:
    """The first page's text on one line (the PDF wraps sentences)."""
    return " ".join(text_of(read(pdf), 0).split())


@pytest.fixture(scope="module")
def revision(make_offer):
    """A revision issued by Bo to a named contact, payable within 30 days, one PDF per
    language (the contact's name as the customer wrote it)."""

    def offer(language: str):
        data = {**BPMONLINE, "customer": {**BPMONLINE["customer"],
                                          "contact": CONTACT[language]}}
        document = make_offer(data, number="Q-2026-000042", language=language)
        return document.model_copy(update={"contact": BO, "payment_days": 30,
                                           "replaces": "Q-2026-000041"})

    return {language: cover_of(render_offer(offer(language), language, Seller()))
            for language in ("de", "en", "ru")}


@pytest.fixture(scope="module")
def requested(make_offer):
    """A customer's own request without a contact name, payable within 21 days."""
    data = {**BPMONLINE, "customer": {"company": "Müller & Söhne Maschinenbau AG"}}
    document = make_offer(data, number="Q-2026-000043").model_copy(
        update={"payment_days": 21})
    return {language: cover_of(render_offer(document, language, Seller()))
            for language in ("de", "en", "ru")}


REVISION = {
    "de": ["Guten Tag Anna Berg,",
           "vielen Dank für Ihr Interesse. Gerne bieten wir Ihnen das Paket „Business“ aus "
           "der Preisliste „bpm'online Supportpakete“ an;",
           "Dieses Angebot ersetzt unser Angebot Q-2026-000041.",
           "Dieses Angebot gilt bis zum 31. Januar 2026.",
           "Zahlungsbedingungen: zahlbar innerhalb von 30 Tagen nach Rechnungsdatum ohne "
           "Abzug.",
           "Ihr Kontakt bei uns: Bo Sales · Telefon +49 30 555-12 · E-Mail bo@example.com"],
    "en": ["Dear Anna Berg,",
           "Thank you for your interest. We are pleased to offer you the Business package "
           "from bpm'online support packages;",
           "This offer replaces our offer Q-2026-000041.",
           "This offer is valid until 31 January 2026.",
           "Payment terms: payable within 30 days of the invoice date, without deduction.",
           "Your contact: Bo Sales · Phone +49 30 555-12 · E-mail bo@example.com"],
    "ru": ["Здравствуйте, Анна Берг!",
           "Благодарим Вас за интерес. Предлагаем Вам пакет «Бизнес» из прайс-листа "
           "«Пакеты поддержки bpm'online»;",
           "Настоящее предложение заменяет наше предложение Q-2026-000041.",
           "Предложение действительно до 31 января 2026 г. включительно.",
           "Условия оплаты: оплата в течение 30 дней с даты счёта, без удержаний.",
           "Ваше контактное лицо: Bo Sales · Телефон +49 30 555-12 · Эл. почта "
           "bo@example.com"],
}


@pytest.mark.parametrize("language", ["de", "en", "ru"])
def test_a_revision_greets_the_contact_by_name_and_names_its_seller_terms_and_predecessor(
        revision, language):
    for sentence in REVISION[language]:
        assert sentence in revision[language]


REQUESTED = {
    "de": ["Sehr geehrte Damen und Herren,",
           "zahlbar innerhalb von 21 Tagen nach Rechnungsdatum",
           "Ihr Kontakt bei uns: unser Vertriebsteam · Telefon +49 30 1234567-0 · E-Mail "
           "offers@example.com"],
    "en": ["Dear Sir or Madam,", "payable within 21 days of the invoice date",
           "Your contact: our sales team · Phone +49 30 1234567-0 · E-mail "
           "offers@example.com"],
    "ru": ["Уважаемые дамы и господа!", "оплата в течение 21 дня с даты счёта",
           "Ваше контактное лицо: наш отдел продаж · Телефон +49 30 1234567-0 · Эл. почта "
           "offers@example.com"],
}


@pytest.mark.parametrize("language", ["de", "en", "ru"])
def test_a_self_service_offer_is_neutral_and_names_the_seller_s_general_contact(
        requested, language):
    for sentence in REQUESTED[language]:
        assert sentence in requested[language]
    assert "Anna" not in requested[language] and "Bo Sales" not in requested[language]
    for replaces in ("replaces", "ersetzt", "заменяет"):
        assert replaces not in requested[language]


@pytest.mark.parametrize(("days", "language", "expected"), [
    (0, "en", "Payment terms: payable on receipt of the invoice, without deduction."),
    (1, "de", "zahlbar innerhalb von 1 Tag nach Rechnungsdatum"),
    (3, "ru", "оплата в течение 3 дней с даты счёта"),
    (None, "en", None),  # a snapshot made before payment terms were kept: none printed
])
def test_payment_terms_follow_the_days_in_each_language(make_offer, days, language,
                                                        expected):
    document = make_offer(BPMONLINE, number="Q-2026-000044", language=language)
    html = " ".join(offer_html(document.model_copy(update={"payment_days": days}),
                               Seller()).split())
    if expected is None:
        assert "Payment terms" not in html
    else:
        assert expected in html
