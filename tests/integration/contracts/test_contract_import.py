"""Contract import from CSV: good files, every kind of bad line, all or nothing, dry run,
and the same checks for a contract entered by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from contract_helpers import (
    GOOD,
    HEADER,
    D,
    count,
    csv_bytes,
    import_file,
    new_contract,
    reread,
    row,
)

from quote.lifecycle import ImportFileError, InvalidContract, read_contract_csv
from quote.store import (
    Contact,
    Contract,
    ContractEvent,
    Customer,
    add_user,
    contract_history,
    find_customers,
)
from quote.store.models import Counter

ACME = ('"Acme, Inc.",US,,en,Ann Lee,ann@acme.example,bpmonline,,premium,on_demand,80000,2,'
        "2026-03-01,1,annual,")


def test_good_lines_become_contracts_with_customers_and_an_imported_event(store, book, sales):
    data = csv_bytes(GOOD, ACME, row(contact_name="Eva Roth", contact_email="eva@mueller.example",
                                     package="premium", license_value="40000"))
    report = import_file(store, book, data, by_user_id=sales)
    assert report.ok and report.written and report.new_customers == 2
    assert [(p.line, p.number) for p in report.contracts] == [
        (2, "C-000001"), (3, "C-000002"), (4, "C-000003")]
    # Business 20 % of 12,000.00; Premium on-demand 15 % of 80,000.00 = 12,000.00 + one
    # extra environment at 10 % = 1,200.00; Premium on-site 25 % of 40,000.00 = 10,000.00
    assert [p.draft.annual_cost for p in report.contracts] == [
        Decimal("2400.00"), Decimal("13200.00"), Decimal("10000.00")]

    first = reread(store, "C-000001")
    assert (first.rate_card_id, first.rate_card_version, first.package_id, first.deployment,
            first.license_value, first.environments, first.term_start, first.term_years,
            first.term_end, first.billing, first.status, first.currency) == (
        "bpmonline", "2019.1", "business", "on_site", Decimal("12000.00"), 1, D(2026, 1, 1),
        3, D(2028, 12, 31), "prepaid", "active", "EUR")
    customer = first.customer
    assert (customer.company, customer.country, customer.vat_id, customer.language) == (
        "Müller GmbH", "DE", "DE123456789", "de")
    # the third line is the same customer: its contact is added, the first stays primary
    assert [(c.name, c.email, c.is_primary) for c in customer.contacts] == [
        ("Hans Müller", "hans@mueller.example", True), ("Eva Roth", "eva@mueller.example", False)]
    assert reread(store, "C-000003").customer_id == customer.id
    acme = reread(store, "C-000002")
    assert (acme.customer.company, acme.environments, acme.billing) == ("Acme, Inc.", 2, "annual")
    with store.session(read_only=True) as session:
        events = contract_history(session, first)
    assert [(e.kind, e.effective_on, e.license_value_added, e.environments_added, e.user_id,
             e.offer_id) for e in events] == [
        ("imported", D(2026, 1, 1), Decimal("12000.00"), 1, sales, None)]
    assert count(store, Customer) == 2 and count(store, ContractEvent) == 3


def test_semicolons_a_byte_order_mark_and_crlf_are_read_too(store, book):
    data = csv_bytes(GOOD.replace(",", ";"), ACME.replace('"Acme, Inc."', "Acme Inc")
                     .replace(",", ";"), separator=";", bom=True, newline="\r\n")
    report = import_file(store, book, data)
    assert report.ok and len(report.contracts) == 2
    assert reread(store, "C-000002").customer.company == "Acme Inc"


def test_columns_come_in_any_order_and_optional_ones_may_be_left_out(store, book, two_versions):
    header = ("term_years,term_start,license_value,deployment,package,rate_card,contact_email,"
              "contact_name,country,company")
    lines = ["1,2026-07-01,12000.00,on_site,business,bpmonline,ann@acme.example,Ann,at,ACME",
             "1,2026-05-31,12000.00,on_site,business,bpmonline,ann@acme.example,Ann,AT,acme"]
    report = import_file(store, two_versions, csv_bytes(*lines, header=header))
    assert report.ok
    # no card version: the one in force on the term start (2026.1 from 2026-06-01)
    assert [(p.draft.terms.rate_card_version, p.draft.annual_cost)
            for p in report.contracts] == [("2026.1", Decimal("3000.00")),
                                           ("2019.1", Decimal("2400.00"))]
    first, second = reread(store, "C-000001"), reread(store, "C-000002")
    assert first.customer_id == second.customer_id  # "ACME" and "acme" in AT: one customer
    assert (first.customer.language, first.customer.vat_id, first.billing,
            first.environments) == ("en", None, "prepaid", 1)


BAD_LINES = [
    (row(rate_card="bpm"), "rate_card", "unknown rate card; choose one of bpmonline, maxence, "
                                        "open-xchange, otrs"),
    (row(card_version="2099.9"), "card_version", "bpmonline has no version 2099.9; it has "
                                                 "2019.1"),
    (row(package="gold"), "package", "unknown package; this rate card offers basic, business, "
                                     "premium"),
    (row(license_value='"12,000.00"'), "license_value", "'12,000.00' is not an amount: write a "
                                                        "plain decimal with a dot and no "
                                                        "grouping, such as 12000.50"),
    (row(license_value="12000.001"), "license_value", "EUR amounts have at most 2 decimals"),
    (row(license_value="-5"), "license_value", "'-5' is not an amount: write a plain decimal "
                                               "with a dot and no grouping, such as 12000.50"),
    (row(term_start="01.01.2026"), "term_start", 'must be a date written as YYYY-MM-DD, such '
                                                 'as "2026-03-01"'),
    (row(term_start="2026-02-30"), "term_start", "is not a date of the calendar"),
    (row(term_years="6"), "term_years", "must be between 1 and 5 years for this rate card"),
    (row(term_years="two"), "term_years", "must be a whole number"),
    (row(environments="21"), "environments", "at most 20 environments"),
    (row(deployment="cloud"), "deployment", "must be one of on_site, on_demand"),
    (row(billing="monthly"), "billing", "must be one of prepaid, annual"),
    (row(country="Germany"), "country", "'Germany' is not an ISO 3166 country code (such as "
                                        "DE, AT, RU)"),
    (row(vat_id="DE 1234567890 1234567890"), "vat_id", "must be at most 20 characters without "
                                                       "spaces"),
    (row(language="fr"), "language", "must be one of en, de, ru"),
    (row(contact_email="hans at mueller"), "contact_email", "is not an e-mail address"),
    (row(company=""), "company", "is required"),
    (row(owner_email="nobody@example.com"), "owner_email", "there is no active user with the "
                                                           "e-mail address nobody@example.com"),
]


@pytest.mark.parametrize(("line", "column", "message"), BAD_LINES,
                         ids=[column + "-" + str(i) for i, (_, column, _) in enumerate(BAD_LINES)])
def test_a_bad_line_is_reported_with_its_line_and_column_and_nothing_is_imported(
        store, book, line, column, message):
    report = import_file(store, book, csv_bytes(ACME, line))
    assert not report.ok and not report.written
    assert [(e.line, e.column, e.message) for e in report.errors] == [(3, column, message)]
    assert str(report.errors[0]) == f"line 3, column {column}: {message}"
    assert count(store, Contract) == count(store, Customer) == count(store, Contact) == 0


def test_every_bad_line_is_reported_at_once_and_nothing_is_half_imported(store, book):
    data = csv_bytes(GOOD, row(term_years="9", card_version="1999.1"), ACME,
                     row(contact_email="x"), GOOD)
    report = import_file(store, book, data)
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "card_version"), (5, "contact_email"), (6, "")]
    assert report.errors[-1].message == ("repeats the contract of line 2 (the same customer, "
                                         "rate card, package, deployment and term start)")
    assert count(store, Contract) == count(store, Customer) == count(store, ContractEvent) == 0
    assert count(store, Counter) == 0  # not even a contract number was drawn


def test_a_contract_that_exists_already_is_refused(store, book):
    assert import_file(store, book, csv_bytes(GOOD)).written
    # the same company in another case, another contact: still the same contract
    report = import_file(store, book, csv_bytes(
        ACME, row(company="MÜLLER  GMBH", contact_email="eva@mueller.example")))
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (3, "", "contract C-000001 of this customer exists already (the same rate card, "
                "package, deployment and term start)")]
    assert count(store, Contract) == 1


def test_lines_of_one_new_customer_must_agree_on_its_vat_id_and_language(store, book):
    data = csv_bytes(GOOD, row(package="premium", vat_id="DE999", language="en"))
    report = import_file(store, book, data)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (3, "vat_id", "'DE999' differs from 'DE123456789' on line 2 for the same customer"),
        (3, "language", "'en' differs from 'de' on line 2 for the same customer")]


def test_a_dry_run_reports_what_would_be_imported_and_writes_nothing(store, book):
    report = import_file(store, book, csv_bytes(GOOD, ACME), dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert [(p.line, p.number, p.customer_id, p.draft.annual_cost) for p in report.contracts] == [
        (2, None, None, Decimal("2400.00")), (3, None, None, Decimal("13200.00"))]
    assert report.new_customers == 2
    assert count(store, Contract) == count(store, Customer) == count(store, Counter) == 0
    bad = import_file(store, book, csv_bytes(GOOD, row(term_years="0")), dry_run=True)
    assert [(e.line, e.column) for e in bad.errors] == [(3, "term_years")]


@pytest.mark.parametrize(("data", "expected"), [
    (b"company,country\nAcme,DE\n", ["line 1, column contact_name: this column is missing"]),
    (HEADER.encode() + b"\n" + GOOD.encode() + b"\nM\xfcller,DE\n",
     [f"line 3: is not UTF-8 text (byte {len(HEADER) + len(GOOD.encode()) + 4})"]),
    (csv_bytes(GOOD, header=HEADER + ",colour"),
     ["line 1, column colour: is not a column of a contract import; the columns are company, "
      "country, vat_id, language, contact_name, contact_email, rate_card, card_version, "
      "package, deployment, currency, license_value, environments, term_start, term_years, "
      "billing, owner_email"]),
    (csv_bytes(GOOD + ",extra"), ["line 2: has 17 cells, the header names 16 columns"]),
    (b"company country\n", ["line 1: the column names must be separated by commas or by "
                            "semicolons"]),
    (b"", ["line 1: the first line must name the columns"]),
])
def test_a_file_that_is_no_import_file_is_refused_as_a_whole(data, expected):
    with pytest.raises(ImportFileError) as refused:
        read_contract_csv(data)
    assert [str(e) for e in refused.value.errors][:len(expected)] == expected


def test_line_numbers_count_physical_lines_and_blank_lines_are_skipped():
    data = csv_bytes(GOOD, "", row(company='"Two\nLines GmbH"'), row(company="Third"))
    assert [(r.line, r.values["company"]) for r in read_contract_csv(data)] == [
        (2, "Müller GmbH"), (4, "Two\nLines GmbH"), (6, "Third")]


def test_a_contract_entered_by_hand_gets_the_same_checks(store, book, sales):
    with pytest.raises(InvalidContract) as refused:
        new_contract(store, book, term_years="6", license_value="1.2.3", rate_card="")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("rate_card", "is required"),
        ("license_value", "'1.2.3' is not an amount: write a plain decimal with a dot and no "
                          "grouping, such as 12000.50")]
    with store.session() as session:
        add_user(session, "bo@example.com", "Bo", "a long enough password")
    contract = new_contract(store, book, owner_email="BO@example.com", environments="3")
    assert (contract.number, contract.environments, contract.owner_id) == ("C-000001", 3, 2)
    with store.session(read_only=True) as session:
        events = contract_history(session, contract)
        assert [c.company for c in find_customers(session, "müller").customers] == [
            "Müller GmbH"]
    assert [(e.kind, e.note) for e in events] == [("created", "entered by hand")]


def test_a_contract_in_another_currency_keeps_that_currency(store, book):
    # bpm'online's USD list: Business on-site 20 % of 12,000.00
    contract = new_contract(store, book, currency="usd")
    assert (contract.currency, contract.license_value) == ("USD", Decimal("12000.00"))
    with pytest.raises(InvalidContract) as refused:
        new_contract(store, book, currency="CHF", company="Other AG")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("currency", "must be one of EUR, RUB, USD")]


def test_the_customer_s_and_the_contract_s_errors_come_in_one_pass(store, book):
    with pytest.raises(InvalidContract) as refused:
        new_contract(store, book, contact_email="hans at mueller", environments="21")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("contact_email", "is not an e-mail address"), ("environments", "at most 20 environments")]


def test_a_contract_entered_twice_is_refused_the_second_time(store, book):
    first = new_contract(store, book)
    with pytest.raises(InvalidContract) as refused:
        new_contract(store, book, company="MÜLLER GMBH", contact_email="eva@mueller.example")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("", f"contract {first.number} of this customer exists already (the same rate card, "
             "package, deployment and term start)")]
    assert count(store, Contract) == 1 and count(store, Contact) == 1


def test_a_salesperson_adds_contracts_only_to_their_own_customers_or_nobody_s(store, book):
    from quote.lifecycle import create_contract
    from quote.store.models import Customer as StoredCustomer

    with store.session() as session:
        anna = add_user(session, "anna@example.com", "Anna", "a long enough password").id
        bo = add_user(session, "bo@example.com", "Bo", "a long enough password").id
    values = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    with store.session() as session:
        mine = create_contract(session, book, values, only_customers_of=anna)
        assert (mine.owner_id, mine.customer.owner_id) == (anna, anna)  # a new customer: hers
    for customer_id in (None, mine.customer_id):
        with pytest.raises(InvalidContract) as refused, store.session() as session:
            create_contract(session, book, {**values, "package": "premium"},
                            customer_id=customer_id, only_customers_of=bo)
        assert [(e.field, e.message) for e in refused.value.errors] == [
            ("company" if customer_id is None else "customer",
             "Müller GmbH (DE) is looked after by someone else: they or an administrator can "
             "add its contracts")]
    with store.session() as session:
        create_contract(session, book, {**values, "package": "premium"},
                        customer_id=mine.customer_id)  # no restriction: an administrator
    assert count(store, Contract) == 2 and count(store, StoredCustomer) == 1
