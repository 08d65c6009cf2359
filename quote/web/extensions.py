"""What the blueprints share: the extensions and the request-scoped helpers.

The app factory (``quote.web.app``) attaches the extensions and registers the
blueprints; the blueprints import what they need from here, never the factory.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import Flask, Response, current_app, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import BaseConverter

from ..core.catalog import RateBook
from ..store import Store
from .ratelimit import RateLimiter

API_PREFIX = "/api/v1"
API_DOCS = API_PREFIX + "/docs"  # the API's documentation, a page of the site

csrf = CSRFProtect()
limiter = RateLimiter()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the signing serializer made once per secret key
    instead of on every request (it only depends on the key and its fallbacks).

    The JSON API has no session: its callers are anonymous or send an API token, so an
    API request neither reads the session cookie nor writes one (nor ``Vary: Cookie``);
    writing to its session is an error. The API's documentation page (``/docs``) is a
    page of the site, with its session (a signed-in user sees the staff navigation)."""

    def __init__(self):
        self._serializers: dict[tuple, object] = {}

    def open_session(self, app: Flask, request):
        if request.path != API_DOCS and is_api_path(request.path):
            return None  # Flask's null session: empty, never saved
        return super().open_session(app, request)

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
            # no check for cycles: an answer is a tree of plain values (a cycle would be
            # a RecursionError instead of a ValueError, both a 500)
            encoder = self._encoders[options] = json.JSONEncoder(
                default=self.default, ensure_ascii=options[0], sort_keys=options[1],
                separators=(",", ":"), check_circular=False)
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
    """A route's rate limit, read from the configuration ``setting`` at request time, per
    client address (``quote.web.ratelimit``); refused requests are told ``TOO_MANY``."""
    return limiter.limit(setting, lambda: str(TOO_MANY), **options)


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
    return is_api_path(request.path)


def is_api_path(path: str) -> bool:
    """Whether ``path`` is the JSON API's (``/api/v1`` and below)."""
    return path.startswith(API_PREFIX + "/") or path == API_PREFIX


def error_json(status: int, message: str, field: str = ""):
    response = jsonify({"errors": [{"field": field, "message": message}]})
    response.status_code = status
    return response
