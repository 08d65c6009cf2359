"""A rendered offer says, in its own language, what the pricing result says."""

from __future__ import annotations

import json
import re

import pytest
from fontTools.ttLib import TTFont
from pdf_reading import BPMONLINE, plain, read, text_of

from quote import resources
from quote.core.describe import money
from quote.pdf import engine_warnings, offer_filename, render_offer

STATIC = resources.static_dir()
FONTS = [STATIC / "fonts" / "DejaVuSans.ttf", STATIC / "fonts" / "DejaVuSans-Bold.ttf"]

PAGE_LABEL = {"en": "Page {} of {}", "de": "Seite {} von {}", "ru": "Страница {} из {}"}
DRAFT = {"en": "Draft", "de": "Entwurf", "ru": "Черновик"}


@pytest.fixture(scope="module")
def bpm_offer(make_offer):
    return make_offer(BPMONLINE, number="Q-2026-000042")


@pytest.fixture(scope="module")
def rendered(bpm_offer):
    return {language: render_offer(bpm_offer, language) for language in ("en", "de", "ru")}


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_every_amount_appears_formatted_for_the_language(bpm_offer, rendered, language):
    result = bpm_offer.result
    text = text_of(read(rendered[language]))
    for amount in [line.amount for line in result.lines] + [
            result.subtotal, result.discount, result.net, result.tax, result.total]:
        assert plain(money(amount, "EUR", language)) in text


def test_amounts_follow_each_locale(rendered):
    assert "7.812,08 €" in text_of(read(rendered["de"]))
    assert "€7,812.08" in text_of(read(rendered["en"]))
    assert "7 812,08 €" in text_of(read(rendered["ru"]))


def test_russian_offer_is_in_cyrillic(rendered):
    text = text_of(read(rendered["ru"]))
    assert "Коммерческое предложение Q-2026-000042" in text
    assert "Итого" in text and "Пакеты поддержки bpm'online" in text
    assert "Дополнительные лицензии" in text or "лиценз" in text


ADDED_LICENSES = {"en": "Additional licenses worth €3,000.00 from 1 July 2026",
                  "de": "Zusätzliche Lizenzen im Wert von 3.000,00 € ab 1. Juli 2026",
                  "ru": "Дополнительные лицензии на сумму 3 000,00 € с 1 июля 2026 г."}


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_an_addition_line_states_the_added_license_value(rendered, language):
    squeezed = re.sub(r"\s+", "", text_of(read(rendered[language])))
    assert re.sub(r"\s+", "", ADDED_LICENSES[language]) in squeezed


def test_offer_language_is_independent_of_the_request_language(bpm_offer, rendered):
    assert bpm_offer.request.language == "en"
    text = text_of(read(rendered["de"]))
    assert "Angebot Q-2026-000042" in text and "Zwischensumme" in text
    assert "Subtotal" not in text


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_pages_are_numbered_n_of_total(rendered, language):
    reader = read(rendered[language])
    count = len(reader.pages)
    assert count >= 3
    for index in range(count):
        assert PAGE_LABEL[language].format(index + 1, count) in text_of(reader, index)


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_result_json_is_attached(bpm_offer, rendered, language):
    attachments = read(rendered[language]).attachments
    assert list(attachments) == ["offer.json"]
    (data,) = attachments["offer.json"]
    assert json.loads(data) == bpm_offer.result.model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_metadata_title_author_language_and_pdfa(rendered, language):
    reader = read(rendered[language])
    assert "Q-2026-000042" in reader.metadata.title
    assert reader.metadata.author == "Example Support Services GmbH"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_a_draft_says_so(make_offer, language):
    draft = make_offer(BPMONLINE)
    text = text_of(read(render_offer(draft, language)), 0)
    assert DRAFT[language] in text or DRAFT[language].upper() in text


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_every_character_has_a_glyph_in_the_bundled_font(rendered, language):
    reader = read(rendered[language])
    for font in FONTS:
        cmap = TTFont(font).getBestCmap()
        missing = {c for c in text_of(reader) if not c.isspace() and ord(c) not in cmap}
        assert not missing, f"{font.name} lacks {sorted(missing)}"


def test_only_the_bundled_font_is_embedded(rendered):
    # WeasyPrint names an @font-face font after its family: "Offer Sans" is static/fonts'.
    for pdf in rendered.values():
        names = set()
        for page in read(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        assert names == {"Offer-Sans", "Offer-Sans-Bold"}


def test_service_level_and_comparison_are_shown(rendered):
    text = text_of(read(rendered["en"]))
    squeezed = "".join(text.split())
    assert "Mon–Sun,09:00–18:00(Moscowtime,UTC+3);closedonpublicholidays(Russia)" in squeezed
    assert "Priority 1" in text and "1 hour" in text
    assert "The system is completely inoperable." in text
    assert "Dedicated Customer Success Manager" in text  # a compared service
    assert "24hoursaday,7daysaweek(Moscowtime,UTC+3)" in squeezed  # Premium
    assert "Europe/Moscow" not in text
    assert "unlimited" in text
    assert "OFFERED" in text.upper()


def test_long_offer_repeats_table_header_and_keeps_totals_together(make_offer):
    additions = [{"date": f"2026-{month:02d}-{d:02d}", "license_value": "100.00"}
                 for month in range(2, 13) for d in (3, 17)]
    offer = make_offer({**BPMONLINE, "additions": additions}, number="Q-2026-000043")
    reader = read(render_offer(offer, "en"))
    pages_with_lines = [i for i, _ in enumerate(reader.pages)
                        if "Additional licenses worth" in text_of(reader, i)]
    assert len(pages_with_lines) >= 2
    for index in pages_with_lines:
        assert "Item and how it is calculated" in text_of(reader, index)
    (page,) = [i for i, _ in enumerate(reader.pages) if "Subtotal" in text_of(reader, i)]
    total = plain(money(offer.result.total, "EUR", "en"))
    assert total in text_of(reader, page)


def test_maxence_offer_with_points(make_offer):
    offer = make_offer({"rate_card": "maxence", "package": "professional",
                        "deployment": "on_site", "license_value": "0",
                        "term_start": "2026-01-01", "points": 120, "as_of": "2026-01-01",
                        "customer": {"country": "DE"}})
    text = text_of(read(render_offer(offer, "de")))
    assert "Supportpunkte" in text or "Punkte" in text
    assert plain(money(offer.result.total, "EUR", "de")) in text
    assert "Preis pro Punkt" in text


def test_otrs_offer(make_offer):
    offer = make_offer({"rate_card": "otrs", "package": "basic", "deployment": "on_demand",
                        "license_value": "0", "term_start": "2026-03-01", "term_years": 2,
                        "as_of": "2026-01-01", "language": "ru"}, number="Q-2026-000044")
    reader = read(render_offer(offer, "ru"))
    text = text_of(reader)
    assert plain(money(offer.result.total, "EUR", "ru")) in text
    assert "Уровень обслуживания" in text


def test_file_name_carries_number_and_language(make_offer):
    assert offer_filename(make_offer(BPMONLINE, number="Q-2026-000042"), "de") == (
        "offer-Q-2026-000042-de.pdf")
    assert offer_filename(make_offer(BPMONLINE), "ru") == "offer-draft-ru.pdf"


def test_unknown_language_is_refused(make_offer):
    with pytest.raises(ValueError):
        render_offer(make_offer(BPMONLINE), "fr")


def test_engine_has_fast_font_subsetting_here():
    assert engine_warnings() == []


def test_slimmer_user_agent_stylesheet_keeps_list_markers_and_bookmarks(rendered):
    """Only the footnote and note rules are left out of WeasyPrint's HTML defaults."""
    reader = read(rendered["en"])
    conditions = text_of(reader)
    assert re.search(r"^1\. ", conditions, re.M) and re.search(r"^2\. ", conditions, re.M)
    assert "•" in conditions  # the services list

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    assert {"Offer Q-2026-000042", "Prices", "The packages compared"} <= set(
        titles(reader.outline))


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_no_text_of_the_offer_asks_for_an_opentype_feature(bpm_offer, language):
    """WeasyPrint never frees the Pango attributes of text laid out with an OpenType
    feature (``font-variant-*``, ``font-feature-settings``, ``font-kerning`` other than
    ``auto``): a worker would grow with every render. Neither the offer's stylesheet nor
    the user-agent stylesheet the engine gives it asks for one, list markers included."""
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.fonts import font_features

    from quote.pdf.render import _lock, layout, offer_html

    with _lock:
        document = layout(offer_html(bpm_offer.model_copy(update={"language": language})),
                          language)
    texts = [box for page in document.pages
             for box in page._page_box.descendants(placeholders=True)
             if isinstance(box, TextBox)]
    assert {"1. ", "• "} <= {box.text for box in texts if box.element_tag == "li::marker"}
    properties = ("font_kerning", "font_variant_ligatures", "font_variant_position",
                  "font_variant_caps", "font_variant_numeric", "font_variant_alternates",
                  "font_variant_east_asian", "font_feature_settings")
    asking = {(box.element_tag, box.text): features for box in texts
              if (features := font_features(*(box.style[name] for name in properties)))}
    assert asking == {}


def test_a_top_up_offer_names_its_contract_and_compares_moves_not_totals(make_offer):
    offer = make_offer({**BPMONLINE, "kind": "top_up", "term_years": 3, "billing": "annual",
                        "environments": 1,
                        "as_of": "2026-06-15", "contract": "C-000042", "discount_percent": "0",
                        "additions": [{"date": "2026-07-01", "license_value": "6000.00"}]},
                       number="Q-2026-000045")
    text = " ".join(plain(text_of(read(render_offer(offer, "en")))).split())
    assert "Contract C-000042." in text
    assert "Afterwards the contract costs €3,600.00 a year." in text
    assert "Billing schedule" in text and "Invoiced every contract year." in text
    assert "Moving the whole contract to another package" in text
    assert "The packages compared" not in text
    # billed annually: a move runs to the end of the current year, 184 of 365 days
    assert "+€3,226.30" in text and "−€453.70" in text


def test_a_renewal_shows_the_schedule_of_its_years(make_offer):
    offer = make_offer({**BPMONLINE, "kind": "renewal", "term_start": "2027-01-01",
                        "term_years": 3, "language": "de", "discount_percent": "0",
                        "license_value": "12000.00", "additions": []},
                       number="Q-2026-000046")
    text = " ".join(plain(text_of(read(render_offer(offer, "de")))).split())
    assert "Preisanpassung, Vertragsjahr 2" in text
    assert "Zahlungsplan" in text
