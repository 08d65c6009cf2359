"""Numbers typed in the form are read as people type them in each language, and never
guessed: what could be read two ways is answered with both readings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import gettext

from quote.web.i18n import (
    AmountEntryError,
    format_amount_for_entry,
    parse_local_amount,
    unfinished_amount,
)

NBSP, NNBSP = "\u00a0", "\u202f"

# language, as typed, the amount read
READ = [
    ("de", "12.000,50", "12000.50"),
    ("de", "12 000,50", "12000.50"),
    ("de", f"12{NBSP}000,50", "12000.50"),
    ("de", f"12{NNBSP}000,50", "12000.50"),
    ("de", "12000,50", "12000.50"),
    ("de", "12000.50", "12000.50"),  # one dot, two digits after it: only a decimal point
    ("de", "  12.000,50 ", "12000.50"),
    ("de", "12.000", "12000"),  # the German thousands dot
    ("de", "1.000.000", "1000000"),
    ("de", "7,5", "7.5"),
    ("de", "1.5", "1.5"),
    ("de", "0.500", "0.500"),  # "0.500" cannot be a thousands group
    ("de", "0,0001", "0.0001"),
    ("en", "12,000.50", "12000.50"),
    ("en", "12 000.50", "12000.50"),
    ("en", f"12{NBSP}000.50", "12000.50"),
    ("en", "12000.50", "12000.50"),
    ("en", "12000,50", "12000.50"),
    ("en", "12.000,50", "12000.50"),  # a dot and a comma: the last one is the decimal mark
    ("en", "12,000", "12000"),
    ("en", "1,000,000", "1000000"),
    ("en", "0", "0"),
    ("en", "999,999,999,999", "999999999999"),
    ("ru", "12 000,50", "12000.50"),
    ("ru", f"12{NBSP}000,50", "12000.50"),
    ("ru", f"12{NNBSP}000,50", "12000.50"),
    ("ru", "12000,50", "12000.50"),
    ("ru", "12000.50", "12000.50"),
    ("ru", "1 000 000", "1000000"),
    ("ru", "24 000", "24000"),
]


@pytest.mark.parametrize(("language", "text", "value"), READ)
def test_amounts_are_read_as_each_language_types_them(language, text, value):
    read = parse_local_amount(text, language)
    assert read == Decimal(value)
    assert str(read) == value  # the decimals typed are kept


def test_an_empty_entry_is_no_amount():
    assert parse_local_amount("   ", "de") is None


# language, as typed, the message on a page in that language (the field: "License value")
REFUSED = [
    ("en", "12.000", "“12.000” in “License value” can be read two ways: did you mean "
                     "12,000 or 12?"),
    ("en", "1.500", "“1.500” in “License value” can be read two ways: did you mean "
                    "1,500 or 1.5?"),
    ("en", "1.234", "“1.234” in “License value” can be read two ways: did you mean "
                    "1,234 or 1.2340?"),
    ("de", "12,000", "„12,000“ im Feld „Lizenzwert“ ist mehrdeutig: meinen Sie 12.000 "
                     "oder 12?"),
    ("ru", "12.000", f"Значение «12.000» в поле «Стоимость лицензий» можно понять двояко: "
                     f"вы имели в виду 12{NBSP}000 или 12?"),
    ("en", "-5", "“License value” must not be negative."),
    ("de", "-5", "„Lizenzwert“ darf nicht negativ sein."),
    ("ru", "-5", "Значение в поле «Стоимость лицензий» не может быть отрицательным."),
    ("en", "abc", "“License value” is not a number. Write it like 12,000.50."),
    ("de", "12€", "„Lizenzwert“ ist keine Zahl. Schreiben Sie sie wie 12.000,50."),
    ("ru", "12.", f"В поле «Стоимость лицензий» указано не число. Пишите так: "
                  f"12{NBSP}000,50."),
    ("en", "1,2,3", "The separators in “License value” are not where they belong. "
                    "Write it like 12,000.50."),
    ("de", "1.000,000.5", "Die Trennzeichen im Feld „Lizenzwert“ stehen an der falschen "
                          "Stelle. Schreiben Sie die Zahl wie 12.000,50."),
    ("ru", "12 00,50", f"Разделители в поле «Стоимость лицензий» стоят не на своих местах. "
                       f"Пишите так: 12{NBSP}000,50."),
    ("en", "1" * 13, "“License value” must be at most 999,999,999,999."),
    ("de", "1.000.000.000.000", "„Lizenzwert“ darf höchstens 999.999.999.999 sein."),
    ("ru", "0,00001", "В поле «Стоимость лицензий» допускается не более 4 знаков после "
                      "запятой."),
]


@pytest.mark.parametrize(("language", "text", "message"), REFUSED)
def test_a_refusal_is_a_sentence_naming_the_field_in_the_page_language(app, language, text,
                                                                        message):
    with app.test_request_context(f"/?lang={language}"):
        with pytest.raises(AmountEntryError) as refused:
            parse_local_amount(text, language)
        assert refused.value.translated(gettext, gettext("License value")) == message


@pytest.mark.parametrize("text", ["-5", "−5", "1e5", "abc", "12€", ",5", "5,", "∞", "١٢",
                                  "1,2,3", "12..5", "1 2"])
def test_what_is_not_a_plain_number_is_refused_in_every_language(text):
    for language in ("en", "de", "ru"):
        with pytest.raises(AmountEntryError):
            parse_local_amount(text, language)


@pytest.mark.parametrize(("language", "text"), [("en", "12.000"), ("de", "12,000"),
                                                ("ru", "12.000"), ("ru", "12,000")])
def test_a_lone_mark_before_three_digits_is_ambiguous_where_the_language_does_not_group_with_it(
        language, text):
    with pytest.raises(AmountEntryError, match="two ways"):
        parse_local_amount(text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("de", ""), ("de", "12."), ("de", "12.000,"), ("ru", "12 "), ("ru", "12 0"),
    ("ru", "12 00"), ("en", "12,"), ("en", "12.000")])
def test_an_entry_more_typing_could_still_make_right_is_unfinished(language, text):
    assert unfinished_amount(text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("de", "-5"), ("en", "abc"), ("de", "1,2,3"), ("en", "0.00001"), ("ru", "1" * 13)])
def test_an_entry_no_typing_can_make_right_is_not_unfinished(language, text):
    assert not unfinished_amount(text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "12,000.50"), ("de", "12.000,50"), ("ru", f"12{NBSP}000,50")])
def test_amounts_are_written_back_in_the_page_language(language, text):
    assert format_amount_for_entry(Decimal("12000.50"), language) == text
