"""Sample quote requests shared by the tests (this folder is on the import path)."""

from __future__ import annotations


def bpm_request(**overrides) -> dict:
    """A valid bpm'online request (Business, on-site, 12,000.00 from 2026-01-01), with overrides."""
    data = {
        "rate_card": "bpmonline",
        "package": "business",
        "deployment": "on_site",
        "license_value": "12000.00",
        "term_start": "2026-01-01",
        "as_of": "2026-01-01",
    }
    data.update(overrides)
    return data
