"""Sending mails about offers and recording each as a delivery; no Flask in here.

Every mail is recorded first (``pending``, in a transaction of its own, after the
offer's transaction has committed), then built and handed to the transport outside
any transaction, then marked ``sent`` or ``failed`` with the reason. A failed mail is
built again and sent by ``retry`` (``flask mail retry``, also run by ``flask offers
remind``) until it is sent or has had ``max_attempts`` attempts. Whatever goes wrong
while building or sending (the server refuses, cannot be reached, the PDF cannot be
made right now) ends as a failed delivery, never as an error of the caller: the offer
stays issued.

A mail to the customer carries a link ``/q/<token>`` of its own: a new token per
attempt, of which only the hash is stored (with the delivery). Every such link opens
the offer, as does the link shown when the customer requested it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr

from sqlalchemy import select

from ..core.describe import day, money
from ..i18n import LANGUAGES
from ..pdf import Seller, offer_filename
from ..store import Store
from ..store.customers import country_code, matching_customer
from ..store.deliveries import (
    add_delivery,
    claim,
    due_for_retry,
    mark_cancelled,
    mark_failed,
    mark_sent,
    offers_to_remind,
    read_details,
    recent_delivery,
    set_link,
)
from ..store.models import Contract, Customer, Delivery, Offer, User
from ..store.offers import find_by_number, token_hash
from . import messages
from .settings import MailSettings
from .transport import MailError, Transport

log = logging.getLogger("quote.mail")

CUSTOMER_KINDS = ("offer", "reminder", "link")  # carry a /q/ link of their own
STAFF_KINDS = ("request_notice", "acceptance_notice")
# A pending delivery older than this was left by a process that died while sending.
STALE_AFTER = dt.timedelta(minutes=15)
MAX_LINKS_BY_ADDRESS = 10  # offers whose links one lost-link request sends at most

PdfMaker = Callable[[Offer, str], bytes]


@dataclass
class RetryRun:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


@dataclass
class ReminderRun:
    due: int = 0
    sent: list[str] = field(default_factory=list)  # offer numbers
    failed: list[str] = field(default_factory=list)
    retried: RetryRun = field(default_factory=RetryRun)


class Mailer:
    """Builds, sends and records the mails about offers.

    ``pdf(offer, language)`` gives the offer's PDF (the store's cached one);
    ``public_url`` is the address customers reach the app at (links are absolute);
    ``sales_address`` gets the notices about offers whose customer has no owner.
    """

    def __init__(self, store: Store, settings: MailSettings, transport: Transport, *,
                 pdf: PdfMaker, seller: Seller, public_url: str = "",
                 sales_address: str = "", staff_language: str = "en", max_attempts: int = 8,
                 link_interval: dt.timedelta = dt.timedelta(minutes=10)):
        if staff_language not in LANGUAGES:
            raise ValueError(f"the staff language {staff_language!r} is not one of "
                             f"{', '.join(LANGUAGES)}")
        self.store = store
        self.settings = settings
        self.transport = transport
        self.pdf = pdf
        self.seller = seller
        self.public_url = public_url.rstrip("/")
        self.sales_address = sales_address
        self.staff_language = staff_language
        self.max_attempts = max_attempts
        self.link_interval = link_interval

    # -- what the app asks for --------------------------------------------------

    def offer_requested(self, offer_id: int, *, now: dt.datetime
                        ) -> tuple[Delivery | None, Delivery | None]:
        """A customer requested an offer: the offer to the customer (PDF and link), and a
        notice to sales. Either is None where there is no address to send to."""
        with self.store.session() as session:
            offer = _offer(session, offer_id)
            customer = (self._record(session, offer, "offer", offer.customer_email,
                                     offer.language, now=now)
                        if offer.customer_email else None)
            owner = self._sales_recipient(session, offer, issuer_first=False)
            notice = (self._record(session, offer, "request_notice", owner,
                                   self.staff_language, now=now) if owner else None)
            if notice is None:
                log.warning("offer %s was requested, and no salesperson or sales address "
                            "(QUOTE_MAIL_SALES_ADDRESS) is there to tell", offer.number)
        return (self._attempt(customer.id, now=now) if customer else None,
                self._attempt(notice.id, now=now) if notice else None)

    def send_offer(self, offer_id: int, recipient: str, *, message: str = "",
                   sender_id: int | None = None, now: dt.datetime) -> Delivery:
        """Sales send the offer to the customer (PDF and link), with their message."""
        with self.store.session() as session:
            offer = _offer(session, offer_id)
            delivery = self._record(session, offer, "offer", recipient, offer.language,
                                    details={"message": message} if message else None,
                                    sender_id=sender_id, now=now)
        return self._attempt(delivery.id, now=now)

    def send_lost_links(self, *, number: str = "", email: str = "", now: dt.datetime
                        ) -> int:
        """Send new links to the address on the offer ``number`` (and ``email``, when both
        are given they must match), or to ``email`` for each of its issued or accepted
        offers (the newest ``MAX_LINKS_BY_ADDRESS``). An offer that had a link mail
        within the link interval gets none. Returns how many mails went out: for the log
        only, never for the visitor, who is answered the same either way."""
        wanted = email.strip().casefold()
        with self.store.session() as session:
            if number:
                found = find_by_number(session, number.strip())
                offers = [found] if found is not None and (
                    not wanted or found.customer_email.casefold() == wanted) else []
            elif wanted:
                offers = list(session.scalars(
                    select(Offer).where(Offer.customer_search.contains(wanted, autoescape=True))
                    .order_by(Offer.id.desc()).limit(MAX_LINKS_BY_ADDRESS * 5)))
                offers = [o for o in offers
                          if o.customer_email.casefold() == wanted][:MAX_LINKS_BY_ADDRESS]
            else:
                offers = []
            since = now - self.link_interval
            recorded = []
            for offer in offers:
                if offer.status not in ("issued", "accepted") or not offer.customer_email:
                    continue
                if recent_delivery(session, offer, ("link",), since=since) is not None:
                    continue
                recorded.append(self._record(session, offer, "link", offer.customer_email,
                                             offer.language, now=now))
        sent = 0
        for delivery in recorded:
            sent += self._attempt(delivery.id, now=now).status == "sent"
        return sent

    def notify_sales_of_acceptance(self, offer_id: int, *, name: str, position: str = "",
                                   purchase_order: str = "", accepted_at: dt.datetime,
                                   now: dt.datetime | None = None) -> Delivery | None:
        """Tell the offer's salesperson (its issuer, else the customer's owner, else the
        sales address) that the customer accepted it; None when there is nobody to tell.
        Call it after the acceptance has been committed."""
        now = now or accepted_at
        with self.store.session() as session:
            offer = _offer(session, offer_id)
            to = self._sales_recipient(session, offer, issuer_first=True)
            if not to:
                log.warning("offer %s was accepted, and there is nobody to tell",
                            offer.number)
                return None
            details = {"name": name, "position": position, "purchase_order": purchase_order,
                       "accepted_at": accepted_at.astimezone(dt.UTC).isoformat()}
            delivery = self._record(session, offer, "acceptance_notice", to,
                                    self.staff_language, details=details, now=now)
        return self._attempt(delivery.id, now=now)

    def remind(self, *, today: dt.date, days: int, now: dt.datetime) -> ReminderRun:
        """Retry the failed mails, then remind the customer of every offer e-mailed to them
        that expires within ``days`` days and has had no reminder (once per offer)."""
        run = ReminderRun(retried=self.retry(now=now))
        with self.store.session() as session:
            due = offers_to_remind(session, today=today, days=days)
            recorded = [(offer.number, self._record(session, offer, "reminder",
                                                    delivery.recipient, offer.language,
                                                    now=now))
                        for offer, delivery in due]
        run.due = len(recorded)
        for number, delivery in recorded:
            done = self._attempt(delivery.id, now=now)
            (run.sent if done.status == "sent" else run.failed).append(number)
        return run

    def retry(self, *, now: dt.datetime) -> RetryRun:
        """Another attempt for every failed delivery that has attempts left (and every one
        left pending by a process that died while sending)."""
        run = RetryRun()
        with self.store.session(read_only=True) as session:
            due = due_for_retry(session, now=now, max_attempts=self.max_attempts,
                                stale_after=STALE_AFTER)
        for delivery_id in due:
            with self.store.session() as session:
                claimed = claim(session, delivery_id, now=now, max_attempts=self.max_attempts,
                                stale_after=STALE_AFTER)
            if claimed is None:
                continue  # sent or claimed by another run meanwhile
            done = self._attempt(delivery_id, now=now)
            if done.status in ("sent", "failed"):
                (run.sent if done.status == "sent" else run.failed).append(delivery_id)
        return run

    # -- one attempt ------------------------------------------------------------

    def _record(self, session, offer: Offer, kind: str, recipient: str, language: str, *,
                details: dict | None = None, sender_id: int | None = None,
                now: dt.datetime) -> Delivery:
        return add_delivery(session, offer, kind, recipient, language, details=details,
                            sender_id=sender_id, now=now)

    def _attempt(self, delivery_id: int, *, now: dt.datetime) -> Delivery:
        """Build and send a claimed delivery; record how it went. Never raises for a mail
        that could not be sent."""
        with self.store.session(read_only=True) as session:
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            offer = _offer(session, delivery.offer_id)
            sender = session.get(User, delivery.sender_id) if delivery.sender_id else None
            sender_name = sender.display_name if sender is not None else ""
            sender_email = sender.email if sender is not None else ""
        stale = _no_longer_holds(delivery, offer, now.date())
        if stale:
            log.info("mail %s (%s) about offer %s not sent: %s", delivery.id, delivery.kind,
                     offer.number, stale)
            return self._marked(delivery.id, mark_cancelled, stale)
        try:
            message = self._message(delivery, offer, sender_name, sender_email, now=now)
            self.transport.send(message)
        except MailError as exc:
            return self._failed(delivery, offer, str(exc))
        except Exception as exc:  # a bug or a PDF that could not be made: kept for a retry
            log.exception("mail %s about offer %s could not be made", delivery.id,
                          offer.number)
            return self._failed(delivery, offer, f"{type(exc).__name__}: {exc}")
        log.info("mail %s (%s) about offer %s sent to %s", delivery.id, delivery.kind,
                 offer.number, delivery.recipient)
        return self._marked(delivery.id, mark_sent, message_id=message["Message-ID"], now=now)

    def _failed(self, delivery: Delivery, offer: Offer, error: str) -> Delivery:
        log.warning("mail %s (%s) about offer %s to %s not sent, attempt %s: %s",
                    delivery.id, delivery.kind, offer.number, delivery.recipient,
                    delivery.attempts, error)
        return self._marked(delivery.id, mark_failed, error)

    def _marked(self, delivery_id: int, mark, *args, **kwargs) -> Delivery:
        """The delivery after ``mark(session, delivery_id, ...)`` (sent, failed,
        cancelled) was committed, read back."""
        with self.store.session() as session:
            mark(session, delivery_id, *args, **kwargs)
            done = session.get(Delivery, delivery_id, populate_existing=True)
        assert done is not None
        return done

    def _message(self, delivery: Delivery, offer: Offer, sender_name: str,
                 sender_email: str, *, now: dt.datetime):
        if not _one_address(delivery.recipient):
            raise MailError(f"{delivery.recipient!r} is not one e-mail address")
        language = delivery.language
        document = offer.document
        customer = document.request.customer
        context = {
            "number": offer.number,
            "company": customer.company, "contact": customer.contact,
            "email": customer.email, "country": customer.country,
            "package": offer.package_name,
            "total": money(offer.total, offer.currency, language),
            "issued_on": day(document.issued_on, language),
            "valid_until": day(offer.valid_until, language),
            "seller": self.seller, "sender_name": sender_name,
            "details": read_details(delivery),
        }
        attachment = None
        if delivery.kind in CUSTOMER_KINDS:
            context["link"] = self._new_link(delivery)
        else:
            context["staff_link"] = f"{self._base()}/offers/{offer.number}"
        if delivery.kind == "offer":
            filename = offer_filename(document, offer.language)
            attachment = (filename, self.pdf(offer, offer.language))
            context["pdf_name"] = filename
        if delivery.kind == "acceptance_notice":
            accepted = context["details"].get("accepted_at")
            context["accepted_on"] = day(dt.datetime.fromisoformat(accepted).date(),
                                         language) if accepted else ""
        text, html = messages.render(delivery.kind, language, context)
        who = customer.company or customer.contact or customer.email or "-"
        subject = messages.subject(delivery.kind, language, number=offer.number,
                                   valid_until=context["valid_until"], customer=who)
        # a salesperson's own mail is answered to them
        reply_to = sender_email or self.settings.reply_to
        return messages.compose(
            subject_line=subject, text=text, html=html, sender=self.settings.sender,
            recipient=delivery.recipient, language=language, now=now,
            domain=self.settings.sender_domain, reply_to=reply_to,
            automatic=delivery.kind in messages.AUTOMATIC, attachment=attachment)

    def _base(self) -> str:
        if not self.public_url:
            raise MailError("QUOTE_PUBLIC_URL is not set, so the mail's link cannot be "
                            "written; set it to the address customers reach the app at")
        return self.public_url

    def _new_link(self, delivery: Delivery) -> str:
        """A new link for this attempt's mail, stored (as its hash) before it is sent."""
        base = self._base()
        token = secrets.token_urlsafe(32)
        with self.store.session() as session:
            set_link(session, delivery.id, token_hash(token))
        return f"{base}/q/{token}"

    # -- who is told ------------------------------------------------------------

    def salesperson_of(self, offer_id: int) -> str:
        """The e-mail address that hears about the offer: its issuer, else as
        ``_sales_recipient`` says ("" when there is nobody)."""
        with self.store.session(read_only=True) as session:
            return self._sales_recipient(session, _offer(session, offer_id), issuer_first=True)

    def _sales_recipient(self, session, offer: Offer, *, issuer_first: bool) -> str:
        """The e-mail of the salesperson an offer belongs to: its issuer (when asked
        first), the owner of its customer or contract, the owner of the customer of the
        same company and country; else the configured sales address."""
        candidates: list[User | None] = []
        if issuer_first and offer.issuer_id is not None:
            candidates.append(session.get(User, offer.issuer_id))
        if offer.customer_id is not None:
            customer = session.get(Customer, offer.customer_id)
            candidates.append(customer.owner if customer is not None else None)
        if offer.contract_id is not None:
            contract = session.get(Contract, offer.contract_id)
            candidates.append(contract.owner if contract is not None else None)
        country = country_code(offer.customer_country, by_name=True)
        if offer.customer_company and country:
            known = matching_customer(session, offer.customer_company, country)
            candidates.append(known.owner if known is not None else None)
        for user in candidates:
            if user is not None and user.active:
                return user.email
        return self.sales_address


def _no_longer_holds(delivery: Delivery, offer: Offer, today: dt.date) -> str:
    """Why a mail to the customer would be wrong by now (a retry after the offer changed),
    or "" when it still holds."""
    if delivery.kind not in CUSTOMER_KINDS:
        return ""
    status = offer.status_on(today)
    if status in ("withdrawn", "superseded"):
        return f"the offer is {status}"
    if delivery.kind == "reminder" and status != "issued":
        return f"the offer is {status}: no reminder"
    return ""


def _one_address(text: str) -> bool:
    """One plain address (``name@example.com``): no list, no display name, no white space."""
    return (parseaddr(text)[1] == text and text.count("@") == 1
            and not any(c.isspace() or c in ',;<>"()' for c in text))


def _offer(session, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise LookupError(f"no offer with id {offer_id}")
    return offer
