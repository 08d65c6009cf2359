"""A translated message filled from a tuple of values (``positional``) reads exactly as the
translation filled by name, for every message of the core catalogues; the describers'
texts kept per count and value read as the catalogue's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from quote import resources
from quote.core.describe import _PLACEHOLDER, Describer, day, positional

LANGUAGES = ["de", "ru"]


def core_entries(language: str):
    path = resources.translations_dir() / language / "LC_MESSAGES" / "core.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and "%(" in ids[0]:
            yield ids[0], list(ids) + list(strings)


def values_for(message: str) -> dict[str, object]:
    """A distinct value per name, of the kind its conversion takes."""
    return {name: (index + 7 if conversion == "d" else f"«{name}»")
            for index, (name, conversion) in enumerate(_PLACEHOLDER.findall(message))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_reads_the_same_filled_from_a_tuple(language):
    checked = 0
    for message, forms in core_entries(language):
        values = values_for(message)
        ordered = tuple(values[name] for name in dict.fromkeys(values))
        for text in forms:  # the message, its plural and every translated form
            assert positional(message, text) % ordered == text % values, (message, text)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(("translation", "expected"), [
    ("%(fee)s a year × %(years)s", "€1 a year × 3 years"),
    ("%(years)s: %(fee)s a year", "3 years: €1 a year"),  # the other order
    ("%(fee)s (%(fee)s) × %(years)s", "€1 (€1) × 3 years"),  # a value twice
    ("%(years)s", "3 years"),  # a value left out
    ("%(fee)s a year, 100 %% × %(years)s", "€1 a year, 100 % × 3 years"),  # a literal %
])
def test_a_translation_in_another_order_reads_as_filled_by_name(translation, expected):
    template = positional("%(fee)s a year × %(years)s", translation)
    assert template % ("€1", "3 years") == expected


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_counts_and_years_read_as_the_catalogue_s_plural_forms(language):
    words = Describer(language, "EUR")
    fresh = Describer(language, "EUR")
    for count in [*range(0, 30), 101, 111, 121]:
        for _ in range(2):  # written, then kept
            assert words.years(count) == fresh.ngettext(
                "%(num)d year", "%(num)d years", count) % {"num": count}
            assert words.environments(count) == fresh.ngettext(
                "%(num)d extra environment", "%(num)d extra environments",
                count) % {"num": count}
            assert words.added_environments(count, dt.date(2027, 5, 1)) == fresh.ngettext(
                "%(num)d additional environment from %(date)s",
                "%(num)d additional environments from %(date)s",
                count) % {"num": count, "date": day(dt.date(2027, 5, 1), language)}


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_kept_percentages_tell_equal_numbers_written_apart(language):
    words = Describer(language, "EUR")
    for value in ["7.5", "7.50", "7.5", "19", "19.0", "0.0001"]:
        assert words.percent(Decimal(value)) == \
            Describer(language, "EUR").percent_writer(Decimal(value))
