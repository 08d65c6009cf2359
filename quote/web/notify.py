"""What sales are told about the customers' answers to their offers.

Every answer is written to the app's log (logger ``quote.notify``) with the
salesperson it concerns; an acceptance is also e-mailed to them (``quote.web.mail``,
``docs/mail.md``), recorded as a delivery that is retried when the mail server
refuses it. A decline is a log line only.
"""

from __future__ import annotations

import logging

from ..store import Offer, OfferResponse
from . import mail

log = logging.getLogger("quote.notify")


def _recipient(offer: Offer) -> str:
    """The salesperson of the offer, as the mail module finds them (``docs/mail.md``);
    "sales" when nobody is configured."""
    return mail.mailer().salesperson_of(offer.id) or "sales"


def tell_sales_offer_accepted(offer: Offer, response: OfferResponse,
                              contract_problem: Exception | None = None) -> None:
    """Tell sales that the customer accepted ``offer`` (and, if the contract could not be
    made, why not): a log line, and an e-mail to the offer's salesperson."""
    log.info("notify %s: offer %s accepted by %s (%s)%s%s; contract: %s",
             _recipient(offer), offer.number, response.name, response.position or "-",
             f", purchase order {response.purchase_order}" if response.purchase_order else "",
             f", from {response.remote_addr}" if response.remote_addr else "",
             f"not made ({contract_problem})" if contract_problem else "made or changed")
    mail.notify_sales_of_acceptance(offer, name=response.name, position=response.position,
                                    purchase_order=response.purchase_order,
                                    accepted_at=response.created_at)


def tell_sales_offer_declined(offer: Offer, response: OfferResponse) -> None:
    """Tell sales that the customer declined ``offer``, and why (a log line)."""
    log.info("notify %s: offer %s declined by %s: %s", _recipient(offer), offer.number,
             response.name, response.reason)
