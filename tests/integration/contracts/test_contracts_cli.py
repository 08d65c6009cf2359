"""``flask customers find``, ``flask contracts import|show|renewals`` on both backends
(the app's TODAY is 2026-11-22)."""

from __future__ import annotations

from contract_helpers import ACME_LINE, GOOD, count, csv_bytes, row
from sqlalchemy import select

from quote.store import Contract, Offer


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_import_checks_first_then_imports(app, store, csv_path, sales):
    path = csv_path(csv_bytes(GOOD, ACME_LINE, separator=";", bom=True))
    dry = invoke(app, "contracts", "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "line 2\t-\tMüller GmbH\tbpmonline 2019.1\tbusiness\t2026-01-01 3y\t2400.00 EUR/year",
        "line 3\t-\tAcme Inc\tbpmonline 2019.1\tpremium\t2026-03-01 1y\t13200.00 EUR/year",
        "2 contract(s) would be imported (dry run: nothing written), 2 new customer(s), "
        "annual cost 15600.00 EUR"]
    assert count(store, Contract) == 0

    done = invoke(app, "contracts", "import", str(path), "--by", "anna@example.com")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0].startswith("line 2\tC-000001\tMüller GmbH")
    assert count(store, Contract) == 2


def test_import_errors_name_line_and_column_and_nothing_is_imported(app, store, csv_path):
    path = csv_path(csv_bytes(GOOD, row(license_value='"12.000,00"', package="gold")))
    result = invoke(app, "contracts", "import", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "line 3, column license_value: '12.000,00' is not an amount: write a plain decimal "
        "with a dot and no grouping, such as 12000.50",
        "line 3, column package: unknown package; this rate card offers basic, business, "
        "premium",
        "Error: 2 error(s): nothing was imported"]
    broken = invoke(app, "contracts", "import", str(csv_path(b"company;country\n", "x.csv")))
    assert broken.exit_code == 1 and "line 1, column contact_name: this column is missing" in (
        broken.output)
    assert count(store, Contract) == 0


def test_show_a_contract_and_find_its_customer(app, csv_path):
    invoke(app, "contracts", "import", str(csv_path(csv_bytes(GOOD))))
    shown = invoke(app, "contracts", "show", "c-000001")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "C-000001\tactive",
        "customer\tMüller GmbH (DE), VAT ID DE123456789, language de, Hans Müller "
        "<hans@mueller.example>",
        "rate card\tbpmonline 2019.1, business, on_site",
        "license value\t12000.00 EUR, 1 environment(s), annual cost 2400.00 EUR",
        "term\t2026-01-01 to 2028-12-31 (3 year(s)), billed prepaid",
        "owner\t-",
        "2026-01-01\timported\t+12000.00 EUR, +1 env.\t-\timport line 2"]
    assert invoke(app, "contracts", "show", "C-000404").exit_code == 1
    found = invoke(app, "customers", "find", "MÜLLER")
    assert found.output.splitlines() == [
        "1\tMüller GmbH\tDE\tDE123456789\tHans Müller <hans@mueller.example>",
        "1 customer(s), page 1 of 1"]


def test_renewals_are_listed_then_offered_once(app, store, csv_path, sales):
    # ends 2026-12-31 (39 days after 2026-11-22) and 2027-02-28 (98 days)
    lines = [row(term_start="2024-01-01", owner_email="anna@example.com"),
             row(term_start="2026-03-01", term_years="1", package="premium",
                 license_value="40000.00")]
    invoke(app, "contracts", "import", str(csv_path(csv_bytes(*lines))))
    listed = invoke(app, "contracts", "renewals", "--due-within", "90")
    assert listed.output.splitlines() == [
        "C-000001\tMüller GmbH\t2026-12-31\t2400.00 EUR\t-",
        "1 contract(s) end within 90 days"]
    refused = invoke(app, "contracts", "renewals", "--create", "--issuer", "bo@example.com")
    assert refused.exit_code == 1 and "no active user" in refused.output

    # without --issuer, each offer is issued by the contract's owner (the second has none)
    created = invoke(app, "contracts", "renewals", "--due-within", "100", "--create")
    assert created.exit_code == 0, created.output
    assert created.output.splitlines() == [
        "renewal offers: 2/2 contracts",
        "C-000001\tQ-2026-000001",
        "C-000002\tQ-2026-000002",
        "2 contract(s) due: 2 renewal offer(s) created, 0 offered before, 0 failed"]
    again = invoke(app, "contracts", "renewals", "--due-within", "100", "--create",
                   "--issuer", "anna@example.com")
    assert again.output.splitlines()[-1] == ("2 contract(s) due: 0 renewal offer(s) created, "
                                             "2 offered before, 0 failed")
    assert count(store, Offer) == 2
    with store.session(read_only=True) as session:
        assert [(o.number, o.issuer_id, o.kind, o.contract_id) for o in session.scalars(
            select(Offer).order_by(Offer.id))] == [("Q-2026-000001", sales, "renewal", 1),
                                                   ("Q-2026-000002", None, "renewal", 2)]
    listed = invoke(app, "contracts", "renewals", "--due-within", "100")
    assert listed.output.splitlines()[0] == ("C-000001\tMüller GmbH\t2026-12-31\t2400.00 EUR\t"
                                             "offered Q-2026-000001")
