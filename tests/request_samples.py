"""Sample quote requests shared by the tests (this folder is on the import path)."""

from __future__ import annotations

# Cards whose prices depend on no license value: their requests carry none.
NO_LICENSE_VALUE = {"otrs", "maxence"}


def bpm_request(**overrides) -> dict:
    """A valid bpm'online request (Business, on-site, 12,000.00 from 2026-01-01), with overrides.

    For a card without a license value (OTRS, maxence) the license value is left out
    unless an override gives one.
    """
    data = {
        "rate_card": "bpmonline",
        "package": "business",
        "deployment": "on_site",
        "license_value": "12000.00",
        "term_start": "2026-01-01",
        "as_of": "2026-01-01",
    }
    data.update(overrides)
    if data["rate_card"] in NO_LICENSE_VALUE and "license_value" not in overrides:
        del data["license_value"]
    return data
