"""Importing running contracts from a CSV file: all or nothing.

The file is UTF-8 (with or without a byte order mark); the first line names the
columns (``FIELDS`` of ``quote.lifecycle.contracts``, in any order; the optional
ones may be left out); the separator is the one the header uses, a comma or a
semicolon. Every line is checked like a contract entered by hand
(``check_contract``), and across lines: the same customer must have the same VAT ID
and language on every line, a contract may not appear twice (the same customer,
rate card, package, deployment and term start) nor exist already. With any error
nothing is written; each error names the line, the column and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from quote.core.catalog import RateBook
from quote.core.errors import N_, FieldError
from quote.store.contracts import add_contract, draw_contract_numbers
from quote.store.customers import company_key
from quote.store.models import Contract, Customer

from .contracts import FIELDS, REQUIRED, ContractDraft, _Owners, check_contract, customer_for

SEPARATORS = (",", ";")


@dataclass(frozen=True)
class CsvRow:
    """One line of an import file: its line number (the header is line 1) and its
    values by column name."""

    line: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class RowError:
    """What is wrong with one line: ``column`` is empty for the line as a whole."""

    line: int
    column: str
    error: FieldError

    @property
    def message(self) -> str:
        return self.error.message

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"


class ImportFileError(ValueError):
    """The file cannot be read as an import file at all; ``errors`` say why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def read_contract_csv(data: bytes) -> list[CsvRow]:
    """The lines of an import file as ``CsvRow``s (blank lines skipped). Raises
    ``ImportFileError`` for a file that is not UTF-8, has no header, an unknown or
    missing column, or a line with another number of cells than the header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportFileError([RowError(line, "", FieldError(
            "", N_("is not UTF-8 text (byte %(byte)s)"), {"byte": exc.start + 1}))]) from None
    header_line = text.split("\n", 1)[0]
    separators = [s for s in SEPARATORS if s in header_line]
    if not header_line.strip():
        raise ImportFileError([RowError(1, "", FieldError("", N_(
            "the first line must name the columns")))])
    if len(separators) != 1:
        raise ImportFileError([RowError(1, "", FieldError("", N_(
            "the column names must be separated by commas or by semicolons")))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separators[0])
    header = [name.strip().lower() for name in next(reader)]
    errors = []
    for name in header:
        if name not in FIELDS:
            errors.append(RowError(1, name, FieldError("", N_(
                "is not a column of a contract import; the columns are %(known)s"),
                {"known": ", ".join(FIELDS)})))
    for name in REQUIRED:
        if name not in header:
            errors.append(RowError(1, name, FieldError("", N_("this column is missing"))))
    duplicates = sorted({n for n in header if header.count(n) > 1})
    errors += [RowError(1, n, FieldError("", N_("is named twice"))) for n in duplicates]
    if errors:
        raise ImportFileError(errors)
    rows, start = [], reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(line, "", FieldError("", N_(
                "has %(cells)s cells, the header names %(columns)s columns"),
                {"cells": len(cells), "columns": len(header)})))
            continue
        rows.append(CsvRow(line, dict(zip(header, cells, strict=True))))
    if errors:
        raise ImportFileError(errors)
    return rows


@dataclass(frozen=True)
class PlannedContract:
    """A line that is (or would be) imported: the contract's number once written."""

    line: int
    draft: ContractDraft
    customer_id: int | None  # the existing customer it belongs to; None: a new one
    number: str | None = None


@dataclass
class ImportReport:
    """What an import did, or (``dry_run``, or with ``errors``) would have done."""

    dry_run: bool
    contracts: list[PlannedContract] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_customers: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def import_contracts(session: Session, book: RateBook, rows: Iterable[CsvRow], *,
                     dry_run: bool = False, by_user_id: int | None = None,
                     now: dt.datetime | None = None) -> ImportReport:
    """Check every row, then (unless ``dry_run`` or any row has an error) store every
    contract with an ``imported`` event, customers found or created, in the caller's
    transaction. Returns the report; with errors nothing was written."""
    report = ImportReport(dry_run=dry_run)
    owners = _Owners(session)
    checked: list[tuple[CsvRow, ContractDraft]] = []
    for row in rows:
        draft, errors = check_contract(session, book, row.values, owners=owners)
        report.errors += [RowError(row.line, e.field, e) for e in errors]
        if draft is not None:
            checked.append((row, draft))

    existing = _existing_customers(session, [d for _, d in checked])
    taken = _existing_contracts(session, [c.id for c in existing.values()])
    first_line: dict[tuple, int] = {}
    customer_line: dict[tuple[str, str], tuple[int, ContractDraft]] = {}
    new_customers = set()
    planned = []
    for row, draft in checked:
        assert draft.customer is not None
        who = (company_key(draft.customer.company), draft.customer.country)
        terms = draft.terms
        key = (*who, terms.rate_card_id, terms.package_id, terms.deployment,
               terms.term_start)
        customer = existing.get(who)
        if key in first_line:
            report.errors.append(RowError(row.line, "", FieldError("", N_(
                "repeats the contract of line %(line)s (the same customer, rate card, "
                "package, deployment and term start)"), {"line": first_line[key]})))
            continue
        first_line[key] = row.line
        if customer is not None and key[2:] in taken.get(customer.id, {}):
            report.errors.append(RowError(row.line, "", FieldError("", N_(
                "contract %(number)s of this customer exists already (the same rate card, "
                "package, deployment and term start)"),
                {"number": taken[customer.id][key[2:]]})))
            continue
        if customer is None:
            earlier = customer_line.setdefault(who, (row.line, draft))
            if earlier[0] != row.line:
                report.errors += _customer_conflicts(row.line, earlier, draft)
            new_customers.add(who)
        planned.append(PlannedContract(row.line, draft,
                                       customer.id if customer is not None else None))
    report.errors.sort(key=lambda e: e.line)
    report.contracts = planned
    report.new_customers = len(new_customers)
    if report.errors or dry_run:
        return report

    numbers = iter(draw_contract_numbers(session, len(planned)))
    written = []
    for plan in planned:
        draft = plan.draft
        customer = customer_for(session, draft, owner_id=draft.owner_id, now=now)
        contract = add_contract(session, customer, draft.terms, event="imported",
                                owner_id=draft.owner_id, by_user_id=by_user_id,
                                note=f"import line {plan.line}", number=next(numbers),
                                now=now, flush=False)
        written.append(PlannedContract(plan.line, draft, plan.customer_id, contract.number))
    session.flush()
    report.contracts = written
    return report


def _customer_conflicts(line: int, earlier: tuple[int, ContractDraft], draft: ContractDraft
                        ) -> list[RowError]:
    first_line, first = earlier
    assert first.customer is not None and draft.customer is not None
    errors = []
    for column, attribute in (("vat_id", "vat_id"), ("language", "language")):
        mine, theirs = getattr(draft.customer, attribute), getattr(first.customer, attribute)
        if mine != theirs:
            errors.append(RowError(line, column, FieldError(column, N_(
                "%(value)s differs from %(other)s on line %(line)s for the same customer"),
                {"value": repr(mine or ""), "other": repr(theirs or ""), "line": first_line})))
    return errors


def _existing_customers(session: Session, drafts: list[ContractDraft]
                        ) -> dict[tuple[str, str], Customer]:
    """The stored customers the drafts belong to, by (company key, country)."""
    wanted = {(company_key(d.customer.company), d.customer.country)
              for d in drafts if d.customer is not None}
    found: dict[tuple[str, str], Customer] = {}
    keys = sorted({k for k, _ in wanted})
    for chunk in (keys[i:i + 500] for i in range(0, len(keys), 500)):
        for customer in session.scalars(select(Customer).where(Customer.company_key.in_(chunk))
                                        .order_by(Customer.id)):
            who = (customer.company_key, customer.country)
            if who in wanted:
                found.setdefault(who, customer)
    return found


def _existing_contracts(session: Session, customer_ids: list[int]
                        ) -> dict[int, dict[tuple, str]]:
    """The stored contracts of these customers: customer id → (card, package,
    deployment, term start) → number."""
    taken: dict[int, dict[tuple, str]] = {}
    for chunk in (customer_ids[i:i + 500] for i in range(0, len(customer_ids), 500)):
        rows = session.execute(
            select(Contract.customer_id, Contract.rate_card_id, Contract.package_id,
                   Contract.deployment, Contract.term_start, Contract.number)
            .where(Contract.customer_id.in_(chunk)))
        for customer_id, card, package, deployment, start, number in rows:
            taken.setdefault(customer_id, {})[(card, package, deployment, start)] = number
    return taken


