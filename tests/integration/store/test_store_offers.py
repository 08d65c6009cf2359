"""Issued offers: snapshots, exact money, numbers, status, revisions, tokens, PDFs, idempotency."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from store_helpers import at

from quote.core.catalog import load_rates
from quote.core.offer import OfferDocument, offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import (
    IdempotencyConflict,
    IllegalTransition,
    InvalidDraft,
    Offer,
    OfferLine,
    accept,
    add_user,
    body_hash,
    find_by_number,
    find_by_token,
    get_offer,
    issue,
    migrate,
    pdf_for,
    replacement_of,
    revise,
    withdraw,
)
from quote.store.migrate import alembic_config, head_revisions, is_up_to_date
from quote.store.models import Base, OfferCounter


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# Schema

def test_migrations_build_exactly_the_models_and_can_run_again(store, store_url):
    migrate(store_url)  # already at head: nothing to do, no error
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head


def test_the_scripts_heads_are_alembics_and_a_current_database_needs_no_alembic(store):
    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert is_up_to_date(store.engine)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    assert not is_up_to_date(store.engine)


def test_postgresql_compresses_snapshots_with_lz4_where_it_can(store):
    if store.dialect != "postgresql":
        pytest.skip("a PostgreSQL storage setting")
    with store.engine.connect() as connection:
        lz4 = connection.scalar(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                     "WHERE name = 'default_toast_compression'"))
        method = connection.scalar(text(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = 'offers'::regclass "
            "AND attname = 'document_json'"))
    assert method == ("l" if lz4 else "")


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    from quote.store import Store

    store = Store(f"sqlite:///{tmp_path / 'x' / 'quote.db'}")  # the folder is created
    store.migrate()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.dispose()


# Snapshot round trip

def test_an_issued_offer_reads_back_as_the_same_document(store, make_draft):
    draft = make_draft(customer={"company": "Acme GmbH", "contact": "Ada", "email":
                                 "ada@acme.example", "country": "DE"}, language="de",
                       tax_percent="19", tax_reason="set by hand", discount_percent="5")
    with store.session() as session:
        issued = issue(session, draft, now=at("2026-03-01T10:30"))
    expected = issued.offer.document.model_dump_json()

    with store.session(read_only=True) as session:
        offer = find_by_number(session, "Q-2026-000001")
        assert offer is not None
        assert offer.document_json == expected
        document = OfferDocument.model_validate_json(offer.document_json)
        assert document.number == "Q-2026-000001"
        assert document.issued_on == dt.date(2026, 3, 1)
        assert document.valid_until == dt.date(2026, 3, 31)
        assert document.request == draft.request and document.result == draft.result
        assert document.card == draft.card and document.card_sha256 == draft.card_sha256
        assert (offer.customer_company, offer.customer_email, offer.customer_country) == (
            "Acme GmbH", "ada@acme.example", "DE")
        assert (offer.language, offer.currency, offer.rate_card_id, offer.package_id) == (
            "de", "EUR", "bpmonline", "business")
        assert offer.rate_card_version == draft.card.version
        assert offer.issued_at == at("2026-03-01T10:30")
        assert offer.issuer_id is None
        assert (offer.subtotal, offer.discount, offer.net, offer.tax, offer.total) == (
            Decimal("2400.00"), Decimal("120.00"), Decimal("2280.00"), Decimal("433.20"),
            Decimal("2713.20"))
        assert [(line.code, line.amount) for line in offer.lines] == [
            ("support", Decimal("2400.00"))]
        assert offer.lines[0].description == draft.result.lines[0].description


def test_a_later_change_to_the_rate_file_leaves_the_issued_offer_alone(store, tmp_path,
                                                                       make_request):
    rates = tmp_path / "rates"
    rates.mkdir()
    shutil.copy("rates/bpmonline.toml", rates / "bpmonline.toml")
    request = parse_request(make_request())
    book = load_rates(rates)
    loaded = book.in_force("bpmonline", dt.date(2026, 1, 1))
    draft = offer_document(request, price_quote(request, book, dt.date(2026, 1, 1)), loaded)
    with store.session() as session:
        number = issue(session, draft).offer.number

    card = rates / "bpmonline.toml"
    card.write_text(card.read_text().replace('name = { en = "Business"',
                                             'name = { en = "Business Renamed"'))
    assert load_rates(rates).in_force("bpmonline", dt.date(2026, 1, 1)).sha256 != loaded.sha256

    with store.session() as session:
        document = find_by_number(session, number).document
    assert document.card == loaded.card
    assert document.card_sha256 == loaded.sha256
    assert document.result.total == Decimal("2400.00")
    assert [p.id for p, _ in document.comparison()] == [p.id for p in loaded.card.packages]


# Exact money

@pytest.mark.parametrize("amount", ["0.30", "0.01", "999999999999.99", "1234567890123456.78"])
def test_money_columns_keep_every_cent(store, make_draft, amount):
    with store.session() as session:
        offer = issue(session, make_draft()).offer
        offer.lines[0].amount = Decimal(amount)
        offer_id = offer.id
    with store.session() as session:
        line = session.scalars(select(OfferLine).where(OfferLine.offer_id == offer_id)).one()
        assert line.amount == Decimal(amount)
        assert str(line.amount) == amount


def test_a_sum_of_tenths_is_stored_as_exactly_thirty_cents(store, make_draft):
    with store.session() as session:
        offer = issue(session, make_draft()).offer
        offer.total = Decimal("0.10") + Decimal("0.20")
    with store.session() as session:
        total = session.scalar(select(Offer.total))
        summed = session.scalar(select(func.sum(Offer.total)))
    assert isinstance(total, Decimal) and str(total) == "0.30"
    assert summed == Decimal("0.30")


def test_money_columns_refuse_floats_and_fractions_of_a_cent(store, make_draft):
    for wrong in (0.3, Decimal("0.305")):
        with pytest.raises(Exception) as caught, store.session() as session:
            offer = issue(session, make_draft()).offer
            offer.total = wrong
            session.flush()
        assert isinstance(caught.value.__cause__ or caught.value, TypeError | ValueError)
    with store.session() as session:
        assert count(session, Offer) == 0


# Numbering

def test_numbers_count_up_within_a_year_and_start_again_in_the_next(store, make_draft):
    moments = ["2026-01-01T00:00", "2026-06-30T12:00", "2026-12-31T23:59",
               "2027-01-01T00:00", "2027-01-02T08:00"]
    with store.session() as session:
        numbers = [issue(session, make_draft(), now=at(m)).offer.number for m in moments]
    assert numbers == ["Q-2026-000001", "Q-2026-000002", "Q-2026-000003",
                       "Q-2027-000001", "Q-2027-000002"]


def test_a_failed_issue_leaves_no_row_and_no_gap(store, make_draft):
    with store.session() as session:
        issue(session, make_draft(), now=at("2026-02-01"))
    with pytest.raises(RuntimeError, match="mail server down"), store.session() as session:
        drawn = issue(session, make_draft(), now=at("2026-02-02")).offer.number
        assert drawn == "Q-2026-000002"
        raise RuntimeError("mail server down")
    with store.session() as session:
        assert count(session, Offer) == 1 and count(session, OfferLine) == 1
        assert session.get(OfferCounter, 2026).value == 1
        assert issue(session, make_draft(), now=at("2026-02-03")).offer.number == "Q-2026-000002"


def test_a_numbered_document_cannot_be_issued_again(store, make_draft):
    numbered = make_draft().model_copy(update={"number": "Q-2026-000001"})
    with pytest.raises(InvalidDraft), store.session() as session:
        issue(session, numbered)


def test_the_number_is_unique_in_the_database_too(store, make_draft):
    with store.session() as session:
        issue(session, make_draft(), now=at("2026-02-01"))
        session.get(OfferCounter, 2026).value = 0  # a broken counter
    with pytest.raises(Exception, match="(?i)unique"), store.session() as session:
        issue(session, make_draft(), now=at("2026-02-02"))


# Status

def test_an_issued_offer_reads_as_expired_after_its_last_valid_day(store, make_draft):
    with store.session() as session:
        offer = issue(session, make_draft(valid_days=30), now=at("2026-03-01")).offer
    assert offer.valid_until == dt.date(2026, 3, 31)
    assert offer.status_on(dt.date(2026, 3, 31)) == "issued"
    assert offer.status_on(dt.date(2026, 4, 1)) == "expired"


def test_accepting_and_withdrawing(store, make_draft):
    with store.session() as session:
        first = issue(session, make_draft(), now=at("2026-03-01")).offer
        second = issue(session, make_draft(), now=at("2026-03-01")).offer
        third = issue(session, make_draft(), now=at("2026-03-01")).offer
    march = dt.date(2026, 3, 10)
    with store.session() as session:
        assert accept(session, first, today=march).status == "accepted"
        assert withdraw(session, second, today=march).status == "withdrawn"
    with store.session() as session:
        for action, offer, status in [(accept, first, "accepted"), (withdraw, first, "accepted"),
                                      (accept, second, "withdrawn"),
                                      (withdraw, second, "withdrawn")]:
            with pytest.raises(IllegalTransition) as refused:
                action(session, offer, today=march)
            assert refused.value.status == status
        with pytest.raises(IllegalTransition, match="Q-2026-000003 is expired and cannot be "
                                                    "accepted"):
            accept(session, third, today=dt.date(2026, 5, 1))
        assert withdraw(session, third.id, today=dt.date(2026, 5, 1)).status == "withdrawn"
    with store.session() as session:
        assert [o.status for o in session.scalars(select(Offer).order_by(Offer.id))] == [
            "accepted", "withdrawn", "withdrawn"]
        assert all(o.status_changed_at is not None for o in session.scalars(select(Offer)))


def test_a_revision_gets_a_new_number_and_supersedes_the_old_offer(store, make_draft):
    with store.session() as session:
        old = issue(session, make_draft(), now=at("2026-03-01")).offer
    with store.session() as session:
        new = revise(session, old, make_draft(license_value="20000.00"),
                     now=at("2026-03-05")).offer
    assert (new.number, new.replaces_id, new.total) == ("Q-2026-000002", old.id,
                                                        Decimal("4000.00"))
    with store.session() as session:
        old = get_offer(session, old.id)
        assert old.status == "superseded"
        assert replacement_of(session, old).number == "Q-2026-000002"
        assert new.document.number == "Q-2026-000002"
        with pytest.raises(IllegalTransition, match="superseded"):
            revise(session, old, make_draft())
        with pytest.raises(IllegalTransition, match="superseded"):
            accept(session, old, today=dt.date(2026, 3, 6))


def test_an_accepted_offer_cannot_be_revised(store, make_draft):
    with store.session() as session:
        offer = issue(session, make_draft(), now=at("2026-03-01")).offer
        accept(session, offer, today=dt.date(2026, 3, 2))
    with pytest.raises(IllegalTransition, match="accepted"), store.session() as session:
        revise(session, offer, make_draft(), now=at("2026-03-03"))


# Public links

def test_a_public_offer_is_found_by_its_token_and_only_by_it(store, make_draft):
    with store.session() as session:
        public = issue(session, make_draft(), public=True)
        staff = issue(session, make_draft())
    assert public.token and len(public.token) >= 43 and staff.token is None
    with store.session() as session:
        assert find_by_token(session, public.token).number == public.offer.number
        assert find_by_token(session, public.token[:-1] + "x") is None
        assert find_by_token(session, "") is None
        assert find_by_token(session, "unknown") is None
        stored = session.scalar(select(Offer.public_token_hash).where(Offer.id ==
                                                                       public.offer.id))
        assert stored != public.token and public.token not in public.offer.document_json


# PDF cache

def test_a_pdf_is_rendered_once_per_offer_and_language(store, make_draft):
    calls = []

    def render(document: OfferDocument, language: str, acceptance=None) -> bytes:
        calls.append((document.number, language))
        return f"%PDF {document.number} {language}".encode()

    with store.session() as session:
        offer = issue(session, make_draft(), now=at("2026-03-01")).offer
    for _ in range(2):
        assert pdf_for(store, offer, "de", render) == b"%PDF Q-2026-000001 de"
    assert pdf_for(store, offer, "ru", render) == b"%PDF Q-2026-000001 ru"
    assert pdf_for(store, offer, "ru", render) == b"%PDF Q-2026-000001 ru"
    assert calls == [("Q-2026-000001", "de"), ("Q-2026-000001", "ru")]


def test_issuing_never_waits_for_a_pdf_being_rendered(store, make_draft):
    """The render holds no transaction: an offer is issued while a PDF renders."""
    with store.session() as session:
        offer = issue(session, make_draft(), now=at("2026-03-01")).offer
    issued_meanwhile = []

    def render(document: OfferDocument, language: str, acceptance=None) -> bytes:
        with store.session() as session:  # SQLite: waits for the write lock if held
            issued_meanwhile.append(issue(session, make_draft(), now=at("2026-03-01"))
                                    .offer.number)
        return b"%PDF"

    assert pdf_for(store, offer, "de", render) == b"%PDF"
    assert issued_meanwhile == ["Q-2026-000002"]


# Idempotency

def test_the_same_idempotency_key_and_body_return_the_first_offer(store, make_draft):
    with store.session() as session:
        user = add_user(session, "api@example.com", "API", "a long password!")
    body = b'{"rate_card": "bpmonline"}'
    with store.session() as session:
        first = issue(session, make_draft(), issuer_id=user.id, idempotency_key="k-1",
                      body_hash=body_hash(body), now=at("2026-03-01"))
    with store.session() as session:
        again = issue(session, make_draft(), issuer_id=user.id, idempotency_key="k-1",
                      body_hash=body_hash(body))
        other_key = issue(session, make_draft(), issuer_id=user.id, idempotency_key="k-2",
                          body_hash=body_hash(body), now=at("2026-03-02"))
    assert not first.replayed and again.replayed
    assert again.offer.id == first.offer.id
    assert other_key.offer.number == "Q-2026-000002"
    with pytest.raises(IdempotencyConflict, match="k-1.*Q-2026-000001"), \
            store.session() as session:
        issue(session, make_draft(), issuer_id=user.id, idempotency_key="k-1",
              body_hash=body_hash(b'{"rate_card": "otrs"}'), now=at("2026-03-03"))
    with store.session() as session:
        assert count(session, Offer) == 2
        assert session.get(OfferCounter, 2026).value == 2


# Configuration

def test_the_url_comes_from_the_environment_else_the_instance_folder(tmp_path):
    from quote import resources
    from quote.store.db import database_url

    checkout = resources.checkout_dir()
    assert database_url({}) == f"sqlite:///{checkout / 'instance' / 'quote.db'}"
    assert database_url({"QUOTE_INSTANCE_PATH": str(tmp_path)}) == (
        f"sqlite:///{tmp_path / 'quote.db'}")
    assert database_url({"DATABASE_URL": "postgres://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert database_url({"DATABASE_URL": "postgresql://u@h/a",
                         "QUOTE_DATABASE_URL": "postgresql://u@h/b"}) == (
        "postgresql+psycopg://u@h/b")


def test_a_concurrent_request_with_the_same_key_gets_the_first_offer(store, make_draft):
    import threading

    with store.session() as session:
        user_id = add_user(session, "api@example.com", "API", "a long password!").id
    draft, digest = make_draft(), body_hash(b"{}")
    second: dict = {}

    def repeat():
        with store.session() as session:  # waits for the first transaction
            second["issued"] = issue(session, draft, issuer_id=user_id, idempotency_key="k",
                                     body_hash=digest, now=at("2026-03-01"))

    with store.session() as session:
        first = issue(session, draft, issuer_id=user_id, idempotency_key="k", body_hash=digest,
                      now=at("2026-03-01"))
        thread = threading.Thread(target=repeat)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # blocked behind this transaction
    thread.join(timeout=30)
    assert second["issued"].replayed and second["issued"].offer.id == first.offer.id
    with store.session() as session:
        assert count(session, Offer) == 1
        assert session.get(OfferCounter, 2026).value == 1
        assert issue(session, draft, now=at("2026-03-02")).offer.number == "Q-2026-000002"
