"""The mail settings (``QUOTE_MAIL_*``), read from a mapping such as the app's config.

- ``MAIL_SERVER``: the SMTP server. Without it mail is written to a folder in
  development, and in production it is not sent: every mail is recorded as failed and
  sent by a retry once a server is set.
- ``MAIL_PORT``: default 587 (``starttls``), 465 (``ssl``), 25 (``none``).
- ``MAIL_TLS``: ``starttls`` (default), ``ssl`` (TLS from the first byte) or ``none``.
- ``MAIL_USERNAME``, ``MAIL_PASSWORD``: a login, when a user name is set.
- ``MAIL_SENDER``: the From address; default: the seller's name and e-mail.
- ``MAIL_REPLY_TO``: where customers' answers go (a salesperson's own mail: to them).
- ``MAIL_BACKEND``: ``smtp`` (default with a server), ``folder`` (``.eml`` files; the
  default in development), ``log`` (the default of tests).
- ``MAIL_FOLDER``: where ``folder`` writes; default ``mail/`` in the instance folder.
- ``MAIL_TIMEOUT``: seconds to wait for the server (10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from pathlib import Path

TLS_MODES = ("starttls", "ssl", "none")
BACKENDS = ("smtp", "folder", "log", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class MailConfigError(ValueError):
    """A mail setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class MailSettings:
    backend: str
    sender: str
    server: str = ""
    port: int = 0
    tls: str = "starttls"
    username: str = ""
    password: str = ""
    reply_to: str = ""
    timeout: float = 10.0
    folder: Path | None = None

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"

    def describe(self) -> str:
        """Where mail goes, for the log (no password)."""
        if self.backend == "smtp":
            user = f" as {self.username}" if self.username else ""
            return f"SMTP {self.server}:{self.port} ({self.tls}){user}, from {self.sender}"
        if self.backend == "folder":
            return f"written to {self.folder} (no SMTP server: QUOTE_MAIL_SERVER is not set)"
        if self.backend == "log":
            return "written to the log (QUOTE_MAIL_BACKEND=log)"
        return "not sent: QUOTE_MAIL_SERVER is not set"


def _text(config: Mapping, name: str) -> str:
    value = config.get(name)
    return "" if value is None else str(value).strip()


def mail_settings(config: Mapping, *, development: bool, instance_path: Path,
                  default_sender: str, testing: bool = False) -> MailSettings:
    """The settings in ``config`` (keys without the ``QUOTE_`` prefix); raises
    ``MailConfigError`` for a value that cannot work."""
    server = _text(config, "MAIL_SERVER")
    tls = _text(config, "MAIL_TLS").lower() or "starttls"
    if tls not in TLS_MODES:
        raise MailConfigError(f"QUOTE_MAIL_TLS must be one of {', '.join(TLS_MODES)}, "
                              f"not {tls!r}")
    backend = _text(config, "MAIL_BACKEND").lower()
    if not backend:
        backend = ("smtp" if server else "log" if testing
                   else "folder" if development else "none")
    if backend not in BACKENDS:
        raise MailConfigError(f"QUOTE_MAIL_BACKEND must be one of {', '.join(BACKENDS)}, "
                              f"not {backend!r}")
    if backend == "smtp" and not server:
        raise MailConfigError("QUOTE_MAIL_BACKEND=smtp needs QUOTE_MAIL_SERVER")
    port_text = _text(config, "MAIL_PORT")
    try:
        port = int(port_text) if port_text else DEFAULT_PORTS[tls]
        timeout = float(_text(config, "MAIL_TIMEOUT") or 10)
    except ValueError:
        raise MailConfigError("QUOTE_MAIL_PORT and QUOTE_MAIL_TIMEOUT are numbers") from None
    if not 0 < port < 65536 or timeout <= 0:
        raise MailConfigError(f"QUOTE_MAIL_PORT must be 1 to 65535 and QUOTE_MAIL_TIMEOUT "
                              f"positive (got {port}, {timeout:g})")
    sender = _text(config, "MAIL_SENDER") or default_sender
    reply_to = _text(config, "MAIL_REPLY_TO")
    for name, value in (("QUOTE_MAIL_SENDER", sender), ("QUOTE_MAIL_REPLY_TO", reply_to)):
        if value and not _is_address(value):
            raise MailConfigError(f"{name} is not an e-mail address: {value!r}")
    folder_text = _text(config, "MAIL_FOLDER")
    folder = Path(folder_text) if folder_text else Path(instance_path) / "mail"
    return MailSettings(backend=backend, sender=sender, server=server, port=port, tls=tls,
                        username=_text(config, "MAIL_USERNAME"),
                        password="" if config.get("MAIL_PASSWORD") is None
                        else str(config["MAIL_PASSWORD"]),
                        reply_to=reply_to, timeout=timeout, folder=folder)


def _is_address(value: str) -> bool:
    name, address = parseaddr(value)
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return "@" in address and bool(address.partition("@")[2])


def sender_address(name: str, email: str) -> str:
    """``"Name" <email>`` as a header value (quoted where needed)."""
    return formataddr((name, email))
