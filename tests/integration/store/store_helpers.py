"""Small helpers shared by the store tests."""

from __future__ import annotations

import datetime as dt
import os

from quote.core.catalog import RateBook
from quote.core.offer import OfferDocument, offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request


def at(text: str) -> dt.datetime:
    """An aware UTC datetime from 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def draft_from(book: RateBook, request_data: dict, valid_days: int = 30) -> OfferDocument:
    """An unnumbered OfferDocument priced by the core."""
    request = parse_request(request_data)
    as_of = request.as_of or dt.date(2026, 1, 1)
    loaded = book.in_force(request.rate_card, as_of)
    assert loaded is not None
    return offer_document(request, price_quote(request, book, as_of), loaded,
                          valid_days=valid_days)


def issue_many(url: str, draft_json: str, count: int, fail_every: int, ready, start,
               results) -> None:
    """A worker: say ``ready``, wait for ``start``, issue ``count`` offers, one transaction each.

    Every ``fail_every``-th transaction raises after drawing its number, so it
    must leave no trace. Puts (pid, [(id, number, issued_at), ...]) on ``results``.
    """

    from quote.core.offer import OfferDocument
    from quote.store import Offer, Store, issue

    store = Store(url)
    draft = OfferDocument.model_validate_json(draft_json)
    issued = []
    try:
        with store.session(read_only=True) as session:  # connected and warmed up
            session.get(Offer, 0)
        ready.put(os.getpid())
        start.wait(60)
        attempt = 0
        while len(issued) < count:
            attempt += 1
            try:
                with store.session() as session:
                    offer = issue(session, draft).offer
                    if fail_every and attempt % fail_every == 0:
                        raise _Abandoned
            except _Abandoned:
                continue
            issued.append((offer.id, offer.number, offer.issued_at))
    finally:
        store.dispose()
        results.put((os.getpid(), issued))


class _Abandoned(Exception):
    pass
