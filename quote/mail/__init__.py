"""E-mail about offers: to customers (the offer with its PDF and link, reminders, lost
links) and to sales (requests, acceptances), each recorded as a delivery and retried
when it could not be sent. No Flask in here; ``quote.web.mail`` builds the ``Mailer``
from the app's settings. See docs/mail.md.

    mailer = Mailer(store, settings, transport_for(settings), pdf=pdf, seller=seller,
                    public_url="https://quote.example.com")
    mailer.offer_requested(offer.id, now=now)        # after the offer is committed
    mailer.notify_sales_of_acceptance(offer.id, name="Eva Muster", accepted_at=now)
    mailer.retry(now=now)
"""

from .messages import SUBJECTS, compose, render, subject
from .service import Mailer, ReminderRun, RetryRun
from .settings import MailConfigError, MailSettings, mail_settings, sender_address
from .transport import (
    FolderTransport,
    LogTransport,
    MailError,
    SmtpTransport,
    Transport,
    transport_for,
)

__all__ = [
    "SUBJECTS", "FolderTransport", "LogTransport", "MailConfigError", "MailError",
    "MailSettings", "Mailer", "ReminderRun", "RetryRun", "SmtpTransport", "Transport",
    "compose", "mail_settings", "render", "sender_address", "subject", "transport_for",
]
