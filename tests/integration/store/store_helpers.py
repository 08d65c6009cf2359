"""Small helpers shared by the store tests."""

from __future__ import annotations

import datetime as dt


def at(text: str) -> dt.datetime:
    """An aware UTC datetime from 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
