"""Country codes: every two-letter territory Babel names in English, but its groups."""

from __future__ import annotations

from babel import Locale

from quote.core.countries import NOT_COUNTRIES, country_code, country_codes


def test_the_codes_are_the_english_territory_list_without_its_groups():
    english = {code for code in Locale("en").territories
               if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}
    assert country_codes() == english


def test_a_code_is_read_in_either_case_and_a_group_is_no_country():
    assert country_code("de") == "DE"
    assert country_code("EU") is None
    assert country_code("Deutschland", by_name=True) == "DE"
