"""Handing a message over: to an SMTP server (the standard library's ``smtplib``), to a
folder of ``.eml`` files or to the log (development), or nowhere (production without a
server: an error that the delivery records, so a retry sends it once a server is set).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import ssl
from email.message import EmailMessage
from pathlib import Path

from .settings import MailSettings

log = logging.getLogger("quote.mail")


class MailError(Exception):
    """The message was not handed over; the text says why (kept with the delivery)."""


class Transport:
    def send(self, message: EmailMessage) -> None:
        raise NotImplementedError


class SmtpTransport(Transport):
    """One connection per message: STARTTLS or TLS from the start as configured, a login
    when a user name is set, and a time limit on every step."""

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        import smtplib  # at the first mail sent, not in every worker's start

        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.tls == "ssl":
                connection = smtplib.SMTP_SSL(s.server, s.port, timeout=s.timeout,
                                              context=context)
            else:
                connection = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
            with connection as smtp:
                if s.tls == "starttls":
                    smtp.starttls(context=context)
                if s.username:
                    smtp.login(s.username, s.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = "; ".join(f"{who}: {code} {_text(reply)}"
                                for who, (code, reply) in exc.recipients.items())
            raise MailError(f"the server refused the recipient ({refused})") from None
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"the server answered {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"the mail server {s.server}:{s.port} could not be reached or "
                            f"failed: {exc or type(exc).__name__}") from None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class FolderTransport(Transport):
    """Development: each message as an ``.eml`` file (open it in any mail program)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            path = self.folder / f"{stamp}-{secrets.token_hex(4)}.eml"
            with open(path, "xb") as out:
                out.write(message.as_bytes())
            os.chmod(path, 0o600)
        except OSError as exc:
            raise MailError(f"the mail could not be written to {self.folder}: {exc}") from None
        log.info("mail to %s (%s) written to %s", message["To"], message["Subject"], path)


class LogTransport(Transport):
    """Development: the message's headers and text in the log."""

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        log.info("mail to %s\nSubject: %s\nMessage-ID: %s\n\n%s", message["To"],
                 message["Subject"], message["Message-ID"], text)


class Unconfigured(Transport):
    def send(self, message: EmailMessage) -> None:
        raise MailError("no mail server is configured (QUOTE_MAIL_SERVER); the mail is "
                        "kept and sent by flask mail retry once one is")


def transport_for(settings: MailSettings) -> Transport:
    if settings.backend == "smtp":
        return SmtpTransport(settings)
    if settings.backend == "folder":
        assert settings.folder is not None
        return FolderTransport(settings.folder)
    if settings.backend == "log":
        return LogTransport()
    return Unconfigured()
