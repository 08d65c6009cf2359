"""What the blueprints share: the extensions and the request-scoped helpers.

The app factory (``quote.web.app``) attaches the extensions and registers the
blueprints; the blueprints import what they need from here, never the factory.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from functools import lru_cache

from flask import Flask, Response, current_app, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from limits import parse_many
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


def check_limits_once(app: Flask) -> None:
    """Each rate limit checked once per request, by its route's decorator (``limit``).

    Flask-Limiter also runs a ``before_request`` hook on every request, which resolves
    the endpoint's limits a second time; it only enforces default, application-wide,
    blueprint and meta limits. Where none of those is configured (the app's own limits
    are all on routes; ``RATELIMIT_DEFAULT`` or ``RATELIMIT_APPLICATION`` would add
    some), the hook checks nothing and is taken out.
    """
    manager = getattr(limiter, "limit_manager", None)
    hook = getattr(limiter, "_check_request_limit", None)
    wider = ("_default_limits", "_application_limits", "_blueprint_limits")
    if (manager is None or hook is None
            or any(getattr(manager, name, True) for name in wider)
            or getattr(limiter, "_meta_limits", True)):
        return  # a Flask-Limiter that works differently keeps its own hook
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [each for each in hooks if each != hook]


# Flask-Limiter reads a route's limit from the configuration on every request ("120 per
# minute") and parses it again each time; the few limit strings the app has are parsed once.
# (A Flask-Limiter without this module keeps parsing them itself.)
try:
    from flask_limiter import _limits as limiter_internals
except ImportError:  # pragma: no cover - depends on the installed Flask-Limiter
    limiter_internals = None
if callable(getattr(limiter_internals, "parse_many", None)):
    limiter_internals.parse_many = lru_cache(maxsize=64)(lambda text: tuple(parse_many(text)))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the signing serializer made once per secret key
    instead of on every request (it only depends on the key and its fallbacks)."""

    def __init__(self):
        self._serializers: dict[tuple, object] = {}

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            if len(self._serializers) > 8:  # keys change rarely; tests make many apps
                self._serializers.clear()
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON provider (sorted keys, ASCII escapes, compact out of debug mode), its
    encoder made once instead of on every answer; the bytes are the same."""

    def __init__(self, app: Flask):
        super().__init__(app)
        self._encoders: dict[tuple[bool, bool], json.JSONEncoder] = {}

    def response(self, *args, **kwargs) -> Response:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        options = (self.ensure_ascii, self.sort_keys)
        encoder = self._encoders.get(options)
        if encoder is None:
            encoder = self._encoders[options] = json.JSONEncoder(
                default=self.default, ensure_ascii=options[0], sort_keys=options[1],
                separators=(",", ":"))
        text = encoder.encode(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(text + "\n", mimetype=self.mimetype)


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
