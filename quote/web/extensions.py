"""What the blueprints share: the extensions and the request-scoped helpers.

The app factory (``quote.web.app``) attaches the extensions and registers the
blueprints; the blueprints import what they need from here, never the factory.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import Response, current_app, jsonify, request
from flask_babel import lazy_gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage
from werkzeug.routing import BaseConverter

from ..core.catalog import RateBook
from ..store import Store

API_PREFIX = "/api/v1"

class SweepingMemoryStorage(MemoryStorage):
    """The limits library's in-memory counters (``quote-memory://``), without its timer
    thread: ``MemoryStorage`` starts a ``threading.Timer`` after nearly every hit to purge
    expired keys. Expired counters are already ignored when read; here the purge runs in
    the requesting thread, at most once a second."""

    STORAGE_SCHEME = ["quote-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the private
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()


csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


TOO_MANY = lazy_gettext("Too many requests from your address. Please wait a minute and try again.")


class OfferNumberConverter(BaseConverter):
    """An offer number in a URL: Q-2026-000042."""

    regex = r"[A-Z]{1,5}-[0-9]{4}-[0-9]{6}"


class ContractNumberConverter(BaseConverter):
    """A contract number in a URL: C-000042."""

    regex = r"C-[0-9]{6,9}"


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def rates() -> RateBook:
    return current_app.extensions["quote.rates"]


def store() -> Store:
    return current_app.extensions["quote.store"]


def limit(setting: str, **options):
    """A Flask-Limiter limit read from the configuration ``setting`` at request time."""
    return limiter.limit(lambda: current_app.config[setting],
                         error_message=lambda: str(TOO_MANY), **options)


def now() -> dt.datetime:
    """The moment of issue: ``TODAY`` (when configured) at the current UTC time of day."""
    moment = dt.datetime.now(dt.UTC)
    if current_app.config["TODAY"] is None:
        return moment
    return dt.datetime.combine(today(), moment.timetz())


def today() -> dt.date:
    configured = current_app.config["TODAY"]
    if configured is None:
        return dt.date.today()
    return configured if isinstance(configured, dt.date) else dt.date.fromisoformat(configured)


def is_api() -> bool:
    return request.path.startswith(API_PREFIX + "/") or request.path == API_PREFIX


def error_json(status: int, message: str, field: str = ""):
    response = jsonify({"errors": [{"field": field, "message": message}]})
    response.status_code = status
    return response
