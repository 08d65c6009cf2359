"""An offer as plain data: everything a page or a PDF needs to show it.

The PDF renderer and the pages are given an ``OfferDocument``, never a
database object or a web request. It carries the rate card version the offer
was priced with, so an issued offer reads the same after the rate files change.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from .catalog import LoadedCard
from .errors import N_, FieldError, QuoteInputError
from .pricing import compare_packages
from .rates import RateCard
from .request import Language, QuoteRequest
from .result import QuoteResult
from .tax import require_country

DEFAULT_VALID_DAYS = 30
DEFAULT_PAYMENT_DAYS = 30


class SellerContact(BaseModel):
    """The seller's person named on an offer: the issuing salesperson as at issue time."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    email: str = ""
    phone: str = ""


class OfferDocument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    number: str | None = Field(default=None, description="None for a draft (a preview)")
    issued_on: dt.date
    valid_until: dt.date
    language: Language = Field(description="the language the offer is written in")
    request: QuoteRequest
    result: QuoteResult
    # the cover text's figures, fixed at issue (None in snapshots made before they were)
    contact: SellerContact | None = Field(
        default=None, description="the issuing salesperson; None: the seller's general contact")
    payment_days: int | None = Field(default=None, ge=0, le=365,
                                     description="invoices payable within this many days")
    replaces: str | None = Field(default=None, description="the number of the offer this "
                                                           "revision replaces")
    card: RateCard  # the last two fields: see quote.store.offers.document_json
    card_sha256: str

    @property
    def is_draft(self) -> bool:
        return self.number is None

    def loaded_card(self) -> LoadedCard:
        return LoadedCard(self.card, "snapshot", self.card_sha256)

    def comparison(self):
        """Every package of the card priced for the same inputs (see ``compare_packages``)."""
        return compare_packages(self.request, self.loaded_card(), self.result.as_of,
                                self.result.tax_basis)


def offer_document(request: QuoteRequest, result: QuoteResult, loaded: LoadedCard, *,
                   language: str | None = None, number: str | None = None,
                   issued_on: dt.date | None = None,
                   valid_days: int = DEFAULT_VALID_DAYS,
                   payment_days: int | None = DEFAULT_PAYMENT_DAYS,
                   contact: SellerContact | None = None) -> OfferDocument:
    """The offer as a document, from a request and result priced with ``loaded`` (all
    validated already: the card's own checks walk every figure of the card, about twice
    the time of pricing, so they are not run again here; reading a stored snapshot back,
    ``OfferDocument.model_validate_json``, checks everything)."""
    issued_on = issued_on or result.as_of
    if payment_days is not None and not 0 <= payment_days <= 365:
        raise ValueError(f"payment_days must be 0 to 365, not {payment_days}")
    return OfferDocument.model_construct(
        number=number, issued_on=issued_on,
        valid_until=issued_on + dt.timedelta(days=valid_days),
        language=language or request.language, request=request, result=result,
        contact=contact, payment_days=payment_days,
        card=loaded.card, card_sha256=loaded.sha256,
    )


NUMBERED_OFFER_NEEDS = ("company", "contact", "email", "country")


def require_customer(request: QuoteRequest) -> None:
    """A numbered offer names its customer: company, contact, e-mail and a country the
    tax follows from (a preview needs none of them). Raises ``QuoteInputError`` naming
    each field, before a number is drawn."""
    customer = request.customer
    errors = [FieldError(f"customer.{name}", N_("is required for a numbered offer"))
              for name in NUMBERED_OFFER_NEEDS if not getattr(customer, name)]
    if errors:
        raise QuoteInputError(errors)
    require_country(request)
