"""The seller whose letterhead heads every offer, read from the environment.

Every field has a neutral example default, so an unconfigured installation
prints an obviously fictitious letterhead rather than failing. Variables:

- ``QUOTE_SELLER_NAME``: the seller's legal name
- ``QUOTE_SELLER_ADDRESS``: postal address, lines separated by a newline or "|"
- ``QUOTE_SELLER_EMAIL``, ``QUOTE_SELLER_PHONE``, ``QUOTE_SELLER_WEBSITE``
- ``QUOTE_SELLER_REGISTRATION``: commercial register entry as registered
  ("Amtsgericht Charlottenburg, HRB 000000"); the offer labels it in its language
- ``QUOTE_SELLER_COUNTRY``, ``QUOTE_SELLER_TAX_ID``: the country (ISO code; printed
  by its name in the offer's language, so the address lines leave it out) and the
  VAT ID, for offers priced without tax rules. An offer priced with them prints the
  seller's country and VAT ID of the tax rules (``tax/rules.toml``, ``[seller]``),
  kept in its snapshot.
- ``QUOTE_SELLER_LOGO``: path of the logo relative to ``static/``
  (e.g. ``pdf/logo.svg``); a path outside ``static/`` is refused, an empty
  value prints no logo.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

PREFIX = "QUOTE_SELLER_"
DEFAULT_LOGO = "pdf/logo.svg"


class SellerConfigError(ValueError):
    """A seller setting that cannot be used (a logo outside ``static/``)."""


def _lines(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"\n|\|", value) if part.strip())


def _static_path(value: str) -> str | None:
    """A relative path below ``static/``, or None for no logo."""
    value = value.strip()
    if not value:
        return None
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in value:
        raise SellerConfigError(
            f"{PREFIX}LOGO must be a path under static/, like {DEFAULT_LOGO!r}; got {value!r}")
    return str(path)


@dataclass(frozen=True)
class Seller:
    name: str = "Example Support Services GmbH"
    address: tuple[str, ...] = ("Musterstraße 1", "10115 Berlin")
    email: str = "offers@example.com"
    phone: str = "+49 30 1234567-0"
    website: str = "www.example.com"
    registration: str = "Amtsgericht Charlottenburg, HRB 000000"
    tax_id: str = "DE000000000"
    country: str = "DE"
    logo: str | None = DEFAULT_LOGO  # relative to static/

    def __post_init__(self) -> None:
        if self.logo is not None:
            object.__setattr__(self, "logo", _static_path(self.logo))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Seller:
        """The seller configured by ``QUOTE_SELLER_*`` variables, defaults elsewhere."""
        env = os.environ if environ is None else environ
        values: dict = {}
        for name in ("name", "email", "phone", "website", "registration", "tax_id"):
            key = PREFIX + name.upper()
            if key in env:
                values[name] = env[key].strip()
        if PREFIX + "COUNTRY" in env:
            values["country"] = env[PREFIX + "COUNTRY"].strip().upper()
        if PREFIX + "ADDRESS" in env:
            values["address"] = _lines(env[PREFIX + "ADDRESS"])
        if PREFIX + "LOGO" in env:
            values["logo"] = _static_path(env[PREFIX + "LOGO"])
        return cls(**values)
