"""Offers issued in a batch (the renewal run) are stored exactly as ``issue`` stores them."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_helpers import at, draft_from
from request_samples import bpm_request
from sqlalchemy import select

from quote.store import InvalidDraft, Offer, find_by_number, issue
from quote.store.offers import BatchDraft, document_json, issue_many

REQUESTS = [
    bpm_request(kind="renewal", term_start="2027-01-01", term_years=3, language="de",
                customer={"company": "Müller GmbH", "email": "hans@mueller.example"}),
    {"rate_card": "otrs", "package": "basic", "deployment": "on_demand", "license_value": "0",
     "term_start": "2026-01-01", "environments": 2, "as_of": "2026-01-01", "language": "ru"},
    {"rate_card": "maxence", "package": "basic", "deployment": "on_site",
     "license_value": "0", "term_start": "2026-01-01", "points": 50, "as_of": "2026-01-01"},
]


@pytest.mark.parametrize("data", REQUESTS, ids=["bpmonline", "otrs", "maxence"])
def test_the_snapshot_text_is_the_document_s_own_json(book, data):
    document = draft_from(book, data).model_copy(update={"number": "Q-2026-000001"})
    assert document_json(document) == document.model_dump_json()
    assert document_json(document) == document.model_dump_json()  # the card from the cache


def test_a_batch_is_stored_as_issue_stores_each_offer(store, book, sales):
    drafts = [draft_from(book, data) for data in REQUESTS]
    with store.session() as session:
        single = issue(session, drafts[0], issuer_id=sales, now=at("2026-11-01T09:00")).offer
        ids = issue_many(session, [BatchDraft(drafts[0]), BatchDraft(drafts[1]),
                                   BatchDraft(drafts[2])],
                         issuer_id=sales, now=at("2026-11-01T10:00"))
    assert [number for _, number in ids] == ["Q-2026-000002", "Q-2026-000003",
                                             "Q-2026-000004"]
    with store.session(read_only=True) as session:
        twin = find_by_number(session, "Q-2026-000002")
        assert [(o.id, o.number) for o in session.scalars(
            select(Offer).where(Offer.id.in_([i for i, _ in ids])).order_by(Offer.id))] == ids
        assert twin.document.model_copy(update={"number": single.number}) == single.document
        assert twin.document_json == twin.document.model_dump_json()
        for column in ("status", "language", "currency", "rate_card_id", "rate_card_version",
                       "rate_card_sha256", "package_id", "package_name", "customer_company",
                       "customer_email", "customer_search", "subtotal", "discount", "net",
                       "tax", "total", "kind", "term_start", "issuer_id", "valid_until"):
            assert getattr(twin, column) == getattr(single, column), column
        assert [(line.position, line.code, line.description, line.amount)
                for line in twin.lines] == [(line.position, line.code, line.description,
                                             line.amount) for line in single.lines]
        assert (twin.issued_at, twin.kind, twin.term_start) == (
            at("2026-11-01T10:00"), "renewal", dt.date(2027, 1, 1))
        points = find_by_number(session, "Q-2026-000004")
        assert [line.code for line in points.lines] == ["support", "points"]


def test_a_numbered_draft_is_refused_and_nothing_is_drawn(store, book):
    draft = draft_from(book, REQUESTS[0])
    with store.session() as session, pytest.raises(InvalidDraft):
        issue_many(session, [BatchDraft(draft), BatchDraft(draft.model_copy(
            update={"number": "Q-2026-000009"}))])
    with store.session() as session:
        assert issue_many(session, []) == []
        assert issue(session, draft).offer.number.endswith("-000001")
