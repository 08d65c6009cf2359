"""Store fixtures: every store test runs against SQLite and a throwaway PostgreSQL server.

The ``postgres_server`` fixture is in tests/integration/conftest.py (shared with
the offer tests of the web app). Every test gets its own database, copied from
a template that the migrations built.
"""

from __future__ import annotations

import pytest
from store_helpers import draft_from

from quote.core.offer import OfferDocument


@pytest.fixture
def make_draft(book, make_request):
    """Factory: an unnumbered OfferDocument of a bpm'online request with any field overridden."""

    def make(valid_days: int = 30, **overrides) -> OfferDocument:
        return draft_from(book, make_request(**overrides), valid_days)

    return make
