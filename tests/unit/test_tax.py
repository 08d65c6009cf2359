"""The seller's tax rules: who pays which VAT, VAT ID formats, and the rules file."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from quote.core.errors import QuoteInputError
from quote.core.offer import require_customer
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.core.tax import (
    TaxFileError,
    decide,
    load_tax_rules,
    parse_tax_rules,
    tax_label,
    tax_rules_path,
    vat_id_country,
    vat_id_problem,
)

from .helpers import TODAY, bpm

ROOT = Path(__file__).resolve().parents[2]
RULES_FILE = ROOT / "tax" / "rules.toml"
D = Decimal


@pytest.fixture(scope="module")
def rules():
    return load_tax_rules(RULES_FILE).rules


# -- who pays which VAT (a German seller) ------------------------------------------------


@pytest.mark.parametrize(("country", "vat_id", "business", "rule", "rate", "note"), [
    # domestic: the seller country's rate, VAT ID or not
    ("DE", None, True, "domestic", "19", None),
    ("DE", "DE123456789", True, "domestic", "19", None),
    ("DE", None, False, "domestic", "19", None),
    # a business elsewhere in the EU with its VAT ID: reverse charge, 0 %, a note
    ("AT", "ATU12345678", True, "reverse_charge", "0", "reverse_charge"),
    ("FR", "FR12345678901", True, "reverse_charge", "0", "reverse_charge"),
    ("GR", "EL123456789", True, "reverse_charge", "0", "reverse_charge"),
    # ... without a VAT ID (or a consumer): the seller's rate
    ("AT", None, True, "eu_consumer", "19", None),
    ("AT", "ATU12345678", False, "eu_consumer", "19", None),
    ("PL", None, False, "eu_consumer", "19", None),
    # outside the EU: 0 %, with the note that says where it is taxable
    ("CH", None, True, "outside_eu", "0", "outside_eu"),
    ("US", None, False, "outside_eu", "0", "outside_eu"),
    ("RU", None, True, "outside_eu", "0", "outside_eu"),
    ("GB", None, True, "outside_eu", "0", "outside_eu"),
    # no country: the price before tax
    (None, None, True, "undetermined", "0", None),
])
def test_who_pays_which_vat(rules, country, vat_id, business, rule, rate, note):
    basis = decide(rules, country, vat_id, business)
    assert (basis.rule, basis.rate) == (rule, D(rate))
    assert basis.seller_country == "DE" and basis.seller_vat_id == "DE000000000"
    if note == "reverse_charge":
        assert basis.note.en.startswith("Reverse charge")
        assert "Steuerschuldnerschaft des Leistungsempfängers" in basis.note.de
        assert "Обратное начисление НДС" in basis.note.ru
    elif note == "outside_eu":
        assert "outside the European Union" in basis.note.en
        assert "außerhalb der Europäischen Union" in basis.note.de
        assert "за пределами Европейского союза" in basis.note.ru
    else:
        assert basis.note is None


def test_the_one_stop_shop_charges_the_customer_country_s_rate(rules):
    oss = rules.model_copy(update={"eu_consumers": "customer_country"})
    assert (decide(oss, "AT").rule, decide(oss, "AT").rate) == ("eu_consumer", D("20"))
    assert decide(oss, "AT").rate_country == "AT"
    assert decide(oss, "HU").rate == D("27")
    assert decide(oss, "AT", "ATU12345678").rule == "reverse_charge"
    assert decide(oss, "DE").rate == D("19")


def test_a_seller_outside_the_eu_charges_its_own_rate_at_home_only(rules):
    swiss = parse_tax_rules(RULES_FILE.read_bytes().replace(
        b'country = "DE"\nvat_id = "DE000000000"', b'country = "CH"\nvat_id = "CHE123"'
    ).replace(b"[other]\n", b'[other]\nCH = "8.1"\n'), "swiss.toml").rules
    assert (decide(swiss, "CH").rule, decide(swiss, "CH").rate) == ("domestic", D("8.1"))
    assert decide(swiss, "DE", "DE123456789").rule == "outside_eu"
    assert decide(swiss, "DE").rate == 0


def test_the_shipped_rules_list_the_27_member_states(rules):
    assert len(rules.eu) == 27
    assert "GB" not in rules.eu and "GR" in rules.eu
    assert rules.eu["DE"] == D("19") and rules.eu["HU"] == D("27") and rules.eu["LU"] == D("17")


# -- priced: the tax line follows the rule ---------------------------------------------


@pytest.mark.parametrize(("customer", "tax", "total"), [
    ({"country": "DE"}, "456.00", "2856.00"),  # 19 % of 2,400.00
    ({"country": "Österreich", "company": "Alpen GmbH", "vat_id": "ATU12345678"},
     "0.00", "2400.00"),
    ({"country": "Austria"}, "456.00", "2856.00"),
    ({"country": "Schweiz"}, "0.00", "2400.00"),
    ({}, "0.00", "2400.00"),
])
def test_the_priced_quote_carries_the_tax_of_its_customer(taxed_book, customer, tax, total):
    result = price_quote(parse_request(bpm(customer=customer)), taxed_book, TODAY)
    assert (result.tax, result.total) == (D(tax), D(total))
    assert result.tax_basis.rate == result.tax_percent


def test_staff_s_rate_is_an_override_with_its_reason(taxed_book):
    request = parse_request(bpm(customer={"country": "DE"}, tax_percent="7",
                                tax_reason="reduced rate confirmed by the tax office"))
    result = price_quote(request, taxed_book, TODAY)
    assert (result.tax, result.total) == (D("168.00"), D("2568.00"))  # 7 % of 2,400.00
    assert result.tax_basis.rule == "override"
    assert result.tax_basis.reason == "reduced rate confirmed by the tax office"


@pytest.mark.parametrize(("data", "field"), [
    ({"tax_percent": "7"}, "tax_reason"),
    ({"tax_percent": "7", "tax_reason": "  "}, "tax_reason"),
    ({"tax_reason": "no rate to explain"}, "tax_reason"),
])
def test_an_override_needs_its_reason_and_a_reason_its_override(data, field):
    with pytest.raises(QuoteInputError) as caught:
        parse_request(bpm(**data))
    assert [e.field for e in caught.value.errors] == [field]


def test_the_tax_line_in_words(taxed_book):
    def label(customer, language):
        result = price_quote(parse_request(bpm(customer=customer)), taxed_book, TODAY)
        return tax_label(result.tax_basis, "19 %", language)

    assert label({"country": "DE"}, "en") == "VAT 19 % (Germany)"
    assert label({"country": "DE"}, "de") == "USt. 19 % (Deutschland)"
    assert label({"country": "DE"}, "ru") == "НДС 19 % (Германия)"
    assert label({"country": "AT", "vat_id": "ATU12345678"}, "de").endswith("(Reverse-Charge)")


# -- VAT IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize("vat_id", [
    "DE123456789", "ATU12345678", "FR12345678901", "FRXX123456789", "BE0123456789",
    "NL123456789B01", "EL123456789", "ESX1234567X", "ES12345678A", "IT12345678901",
    "PL1234567890", "SE123456789001", "IE1234567WA", "IE1234567W", "CZ12345678",
    "CZ1234567890", "DK12345678", "LT123456789012", "RO12", "CY12345678X",
])
def test_vat_ids_of_their_country_s_form(vat_id):
    assert vat_id_problem(vat_id) is None


@pytest.mark.parametrize(("vat_id", "why"), [
    ("DE12345678", "DE123456789"),  # 8 digits, Germany has 9
    ("DE1234567890", "DE123456789"),
    ("AT12345678", "ATU12345678"),  # the U is missing
    ("FRIO123456789", "FR12345678901"),  # I and O are no French key letters
    ("BE2123456789", "BE0123456789"),
    ("NL123456789C01", "NL123456789B01"),
    ("GR123456789", None),  # Greece writes EL
    ("CHE123456789", None),  # not a member state's
    ("GB123456789", None),
    ("XI123456789", None),
])
def test_vat_ids_not_of_their_country_s_form(vat_id, why):
    problem = vat_id_problem(vat_id)
    assert problem is not None and problem.field == "customer.vat_id"
    if why:
        assert why in problem.message
    else:
        assert "EU member state" in problem.message


def test_a_vat_id_s_prefix_is_its_country():
    assert vat_id_country("EL123456789") == "GR"
    assert vat_id_country("ATU12345678") == "AT"
    with pytest.raises(QuoteInputError) as caught:
        parse_request(bpm(customer={"vat_id": "ATU12345678", "country": "Deutschland"}))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("customer.vat_id", "is a VAT ID from AT, but the customer's country is DE")]
    parse_request(bpm(customer={"vat_id": "EL123456789", "country": "Greece"}))


# -- a numbered offer names its customer -------------------------------------------------


def test_a_numbered_offer_needs_company_contact_e_mail_and_country():
    with pytest.raises(QuoteInputError) as caught:
        require_customer(parse_request(bpm()))
    assert [e.field for e in caught.value.errors] == [
        "customer.company", "customer.contact", "customer.email", "customer.country"]
    with pytest.raises(QuoteInputError) as caught:
        require_customer(parse_request(bpm(customer={
            "company": "Muster GmbH", "contact": "Erika", "email": "e@example.de",
            "country": "Narnia"})))
    assert [e.field for e in caught.value.errors] == ["customer.country"]
    require_customer(parse_request(bpm(customer={
        "company": "Muster GmbH", "contact": "Erika", "email": "e@example.de",
        "country": "Deutschland"})))


# -- the rules file ----------------------------------------------------------------------


def _broken(old: bytes, new: bytes) -> list[tuple[str, str]]:
    data = RULES_FILE.read_bytes()
    assert old in data
    with pytest.raises(TaxFileError) as caught:
        parse_tax_rules(data.replace(old, new, 1), "tax/rules.toml")
    return [(p.field, p.message) for p in caught.value.problems]


def test_a_broken_rules_file_names_the_file_and_the_field():
    problems = _broken(b'DE = "19"', b'DE = "119"')
    assert problems[0][0] == "eu.DE" and "100" in problems[0][1]
    with pytest.raises(TaxFileError) as caught:
        parse_tax_rules(RULES_FILE.read_bytes().replace(b'DE = "19"', b'DE = "x"'),
                        "tax/rules.toml")
    assert str(caught.value).startswith("tax/rules.toml: eu.DE: ")


@pytest.mark.parametrize(("old", "new", "field", "says"), [
    (b'country = "DE"', b'country = "Germany"', "seller.country", "ISO 3166"),
    (b'vat_id = "DE000000000"', b'vat_id = "DE0000"', "seller", "DE123456789"),
    (b'vat_id = "DE000000000"', b'vat_id = "ATU12345678"', "seller", "not a VAT ID of DE"),
    (b'GR = "24"', b'GB = "20"', "", "GB, which are not EU member states"),
    (b'DE = "19"\n', b"", "", "the seller's country DE has no rate"),
    (b'eu_consumers = "seller_country"', b'eu_consumers = "oss"', "eu_consumers", ""),
    (b"example = false", b'example = ["eu.XX"]', "", "eu.XX"),
    (b"[notes.reverse_charge]\nen", b"[notes.reverse_charge]\nfr", "notes.reverse_charge",
     ""),
])
def test_the_rules_file_is_checked(old, new, field, says):
    problems = _broken(old, new)
    assert any(f.startswith(field) and says in message for f, message in problems), problems


def test_the_rules_file_is_found_through_the_environment(tmp_path):
    own = tmp_path / "tax.toml"
    own.write_bytes(RULES_FILE.read_bytes().replace(b'DE = "19"', b'DE = "16"'))
    assert tax_rules_path({"QUOTE_TAX_RULES": str(own)}) == own
    assert load_tax_rules(tax_rules_path({"QUOTE_TAX_RULES": str(own)})).rules.eu["DE"] == 16
    assert tax_rules_path({}).name == "rules.toml"
    with pytest.raises(TaxFileError, match="tax rules file not found"):
        load_tax_rules(tmp_path / "missing.toml")


# -- the examples of docs/tax.md ---------------------------------------------------------


def _documented_examples() -> list[list[str]]:
    text = (ROOT / "docs" / "tax.md").read_text(encoding="utf-8")
    table = text.split("<!-- examples -->")[1].split("<!-- /examples -->")[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.strip().splitlines()[2:]]
    assert len(rows) >= 5
    return rows


@pytest.mark.parametrize("row", _documented_examples(), ids=lambda row: row[0])
def test_the_documented_examples_are_priced_as_written(taxed_book, row):
    """Each row: the customer, its country, VAT ID, the rule, the rate, net, tax, total."""
    _, country, vat_id, rule, rate, net, tax, total = row
    customer = {"company": "Kunde"}
    if country != "–":
        customer["country"] = country
    if vat_id != "–":
        customer["vat_id"] = vat_id
    extra = {}
    if rule.startswith("override"):
        extra = {"tax_percent": rate.removesuffix(" %"), "tax_reason": "documented example"}
    result = price_quote(parse_request(bpm(customer=customer, **extra)), taxed_book, TODAY)

    def amount(text: str) -> Decimal:
        return Decimal(re.sub(r"[^0-9.]", "", text))

    assert result.tax_basis.rule == rule.split()[0]
    assert result.tax_percent == amount(rate)
    assert (result.net, result.tax, result.total) == (amount(net), amount(tax), amount(total))
