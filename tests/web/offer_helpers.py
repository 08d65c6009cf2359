"""Helpers of the offer tests: issuing an offer straight through the store."""

from __future__ import annotations

import datetime as dt

from quote.core.offer import offer_document
from quote.core.pricing import price_quote
from quote.core.request import parse_request
from quote.store import find_user, issue

TODAY = dt.date(2026, 1, 15)

# A customer a numbered offer can be issued for (company, contact, e-mail, country). In
# Switzerland, outside the EU: the offer carries no VAT, so its total is the net figure.
CUSTOMER = {"company": "Alpen Support AG", "contact": "Heidi Muster",
            "email": "heidi@example.ch", "country": "CH"}
# The same, as the quote form posts it.
CUSTOMER_FIELDS = {f"customer-{name}": value for name, value in CUSTOMER.items()}


def store_offer(app, request_data: dict, issuer_email: str | None = None,
                public: bool = False):
    """Issue an offer of ``request_data`` directly in the app's store; returns ``Issued``."""
    book = app.extensions["quote.rates"]
    store = app.extensions["quote.store"]
    request = parse_request(request_data)
    result = price_quote(request, book, TODAY)
    draft = offer_document(request, result, book.priced_with(result))
    with store.session() as session:
        issuer = find_user(session, issuer_email) if issuer_email else None
        return issue(session, draft, issuer_id=issuer.id if issuer else None, public=public,
                     now=dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC))
