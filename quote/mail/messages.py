"""The e-mails' texts: Jinja templates under ``templates/mail/`` (a plain-text and an HTML
part per kind; HTML escaped), with fixed texts from the ``mail`` gettext domain, written
in the mail's language, and put together as one ``EmailMessage``.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache

import jinja2

from .. import resources
from ..i18n import LANGUAGES, translations


def N_(message: str) -> str:  # noqa: N802 - the gettext marker
    return message


SUBJECTS = {
    "offer": N_("Your offer %(number)s"),
    "reminder": N_("Your offer %(number)s is valid until %(valid_until)s"),
    "link": N_("Your link to offer %(number)s"),
    "request_notice": N_("New offer request %(number)s from %(customer)s"),
    "acceptance_notice": N_("Offer %(number)s accepted by %(customer)s"),
}
# Mails that machines send on their own, without a person asking for them at that moment.
AUTOMATIC = ("reminder", "request_notice", "acceptance_notice", "link")


@cache
def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir() / "mail")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=False, default=False),
        extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(language, ("mail",)), newstyle=True)
    return env


def subject(kind: str, language: str, **values) -> str:
    text = translations(language, ("mail",)).gettext(SUBJECTS[kind]) % values
    return " ".join(text.split())  # a header is one line, whatever a customer typed


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """The text and the HTML part of a mail of ``kind`` in ``language``."""
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    env = _environment(language)
    values = {**context, "language": language}
    return (env.get_template(f"{kind}.txt").render(values),
            env.get_template(f"{kind}.html").render(values))


def compose(*, subject_line: str, text: str, html: str, sender: str, recipient: str,
            language: str, now: dt.datetime, domain: str, reply_to: str = "",
            automatic: bool = False, attachment: tuple[str, bytes] | None = None
            ) -> EmailMessage:
    """One message: text and HTML as alternatives, then the attachment (a PDF) if any."""
    message = EmailMessage()
    message["Subject"] = subject_line
    message["From"] = sender
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    if automatic:
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if attachment is not None:
        filename, data = attachment
        message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    message["Content-Language"] = language  # after the parts: setting content clears it
    return message
