"""The acceptance block at the end of an offer, read back from the PDF in each language:
an issued offer has an empty block with lines for a signature on paper, an accepted one
names who accepted, when, with which purchase order and which document; a draft has none."""

from __future__ import annotations

import datetime as dt

import pytest
from pdf_reading import BPMONLINE, read, text_of

from quote.pdf import Acceptance, render_offer

ACCEPTANCE = Acceptance(name="Ada Lovelace", position="CTO", accepted_on=dt.date(2026, 1, 16),
                        purchase_order="PO-4711", document_sha256="ab" * 32)

EMPTY = {
    "en": ["Acceptance", "We accept this offer under the conditions stated in it.",
           "Place and date", "Signature", "Name in block letters", "Position",
           "Purchase order number (optional)"],
    "de": ["Auftragserteilung", "Wir nehmen dieses Angebot zu den darin genannten "
           "Bedingungen an.", "Ort, Datum", "Unterschrift", "Name in Druckbuchstaben",
           "Funktion", "Bestellnummer (optional)"],
    "ru": ["Акцепт", "Мы принимаем настоящее предложение на указанных в нём условиях.",
           "Место и дата", "Подпись", "Ф. И. О. печатными буквами", "Должность",
           "Номер заказа (необязательно)"],
}
FILLED = {
    "en": ["This offer has been accepted.", "Accepted by Ada Lovelace", "Position CTO",
           "Accepted on 16 January 2026", "Purchase order number PO-4711",
           "Accepted online through the offer's link."],
    "de": ["Dieses Angebot wurde angenommen.", "Angenommen von Ada Lovelace", "Funktion CTO",
           "Angenommen am 16. Januar 2026", "Bestellnummer PO-4711",
           "Online über den Link zum Angebot angenommen."],
    "ru": ["Предложение принято.", "Кем принято Ada Lovelace", "Должность CTO",
           "Дата принятия 16 января 2026 г.", "Номер заказа PO-4711",
           "Принято онлайн по ссылке на предложение."],
}


@pytest.fixture(scope="module")
def offer(make_offer):
    return make_offer(BPMONLINE, number="Q-2026-000042")


def _text(pdf: bytes) -> str:
    return " ".join(text_of(read(pdf)).split())


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_an_issued_offer_has_an_empty_block_to_sign_on_paper(offer, language):
    text = _text(render_offer(offer, language))
    for expected in EMPTY[language]:
        assert expected in text
    assert FILLED[language][0] not in text


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_an_accepted_offer_names_who_accepted_when_and_the_purchase_order(offer, language):
    text = _text(render_offer(offer, language, acceptance=ACCEPTANCE))
    for expected in FILLED[language]:
        assert expected in text
    assert "ab" * 32 in text.replace(" ", "")  # the accepted document's SHA-256
    assert EMPTY[language][2] not in text  # no lines to sign


def test_an_acceptance_recorded_by_staff_says_so(offer):
    staff = Acceptance(name="Ada Lovelace", position="", accepted_on=dt.date(2026, 1, 16),
                       recorded_by="Anna Berg")
    text = _text(render_offer(offer, "en", acceptance=staff))
    assert "Recorded for the customer by Anna Berg." in text
    assert "Position" not in text.split("Acceptance", 1)[1]


def test_a_draft_has_no_acceptance_block(make_offer):
    draft = make_offer(BPMONLINE)
    assert "We accept this offer" not in _text(render_offer(draft, "en"))
