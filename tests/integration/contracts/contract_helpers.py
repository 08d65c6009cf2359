"""Helpers of the contract tests: import files, rate folders, contracts made quickly."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import func, select

from quote.core.catalog import RateBook, load_rates
from quote.core.offer import OfferDocument, offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.lifecycle import ImportReport, create_contract, import_contracts, read_contract_csv
from quote.store import Contract, Store, find_contract

D = dt.date
HEADER = ("company,country,vat_id,language,contact_name,contact_email,rate_card,card_version,"
          "package,deployment,license_value,environments,term_start,term_years,billing,"
          "owner_email")
# Müller GmbH, Business on-site, 12,000.00 (2,400.00 a year), 3 years from 2026-01-01
GOOD = ("Müller GmbH,DE,DE 123 456 789,de,Hans Müller,hans@mueller.example,bpmonline,2019.1,"
        "business,on_site,12000.00,,2026-01-01,3,prepaid,")


def csv_bytes(*lines: str, header: str = HEADER, separator: str = ",", bom: bool = False,
              newline: str = "\n") -> bytes:
    text = newline.join([header, *lines]) + newline
    if separator != ",":
        text = text.replace(",", separator)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def row(**changes) -> str:
    """The GOOD line with some columns changed (by name)."""
    names = HEADER.split(",")
    values = dict(zip(names, GOOD.split(","), strict=True))
    values.update(changes)
    return ",".join(values[name] for name in names)


def import_file(store: Store, book: RateBook, data: bytes, *, dry_run: bool = False,
                by_user_id: int | None = None) -> ImportReport:
    rows = read_contract_csv(data)
    with store.session() as session:
        return import_contracts(session, book, rows, dry_run=dry_run, by_user_id=by_user_id)


def new_contract(store: Store, book: RateBook, **values) -> Contract:
    """A contract entered by hand: the GOOD line's values, changed by ``values``."""
    names = HEADER.split(",")
    fields = dict(zip(names, GOOD.split(","), strict=True))
    fields.update({k: str(v) for k, v in values.items()})
    with store.session() as session:
        return create_contract(session, book, fields)


def reread(store: Store, number: str) -> Contract:
    with store.session(read_only=True) as session:
        contract = find_contract(session, number)
        assert contract is not None
        return contract


def count(store: Store, model) -> int:
    with store.session(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(model))


def rates_with_two_versions(shipped: Path, folder: Path, *, top_up_prices: str = "contract",
                            price_lock: bool = False) -> RateBook:
    """bpm'online as shipped (version 2019.1, Business on-site 20 %, at least 500.00),
    with ``top_up_prices`` and ``renewal.price_lock`` as given, and a version 2026.1 in
    force from 2026-06-01 that charges 25 % for Business on-site."""
    folder.mkdir(parents=True)
    text = (shipped / "bpmonline.toml").read_text(encoding="utf-8")
    old = text.replace('top_up_prices = "contract"', f'top_up_prices = "{top_up_prices}"')
    old = old.replace("price_lock = false", f"price_lock = {str(price_lock).lower()}")
    assert old.count(f'top_up_prices = "{top_up_prices}"') == 1
    (folder / "bpmonline-2019.toml").write_text(old, encoding="utf-8")
    business = 'on_site = { kind = "percent", percent = "20", minimum = { EUR = "500.00"'
    assert text.count(business) == 1
    new = (text.replace('version = "2019.1"', 'version = "2026.1"')
           .replace("effective_from = 2019-01-01", "effective_from = 2026-06-01")
           .replace(business, business.replace('"20"', '"25"')))
    (folder / "bpmonline-2026.toml").write_text(new, encoding="utf-8")
    shutil.copy(shipped / "otrs.toml", folder / "otrs.toml")
    return load_rates(folder)


# Acme Inc, Premium on-demand, 80,000.00 with 2 environments: 12,000.00 + 1,200.00 a year
ACME_LINE = ("Acme Inc,US,,en,Ann Lee,ann@acme.example,bpmonline,,premium,on_demand,80000,2,"
             "2026-03-01,1,annual,")


def at(text: str) -> dt.datetime:
    """An aware UTC datetime from 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def draft_from(book: RateBook, request_data: dict) -> OfferDocument:
    """An unnumbered OfferDocument priced by the core as of the request's date."""
    request = parse_request(request_data)
    as_of = request.as_of or dt.date(2026, 1, 1)
    loaded = book.in_force(request.rate_card, as_of)
    assert loaded is not None
    return offer_document(request, price_quote(request, book, as_of), loaded)
