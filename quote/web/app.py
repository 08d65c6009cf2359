"""The app factory: configuration, extensions, blueprints, headers and error pages."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from flask import Flask, current_app, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Rule

from .. import resources
from ..core.catalog import RateBook, RateFileError, load_rates
from ..core.tax import TaxFileError, load_tax_rules
from ..i18n import CatalogueError, check_catalogues
from ..mail import MailConfigError
from ..pdf import RenderTimeout, engine_warnings
from ..store import Store, database_url
from . import i18n
from .extensions import (
    API_PREFIX,
    TOO_MANY,
    ContractNumberConverter,
    JSONProvider,
    OfferNumberConverter,
    SessionInterface,
    csrf,
    error_json,
    is_api,
    limiter,
)

MAX_BODY_BYTES = 64 * 1024
MIN_SECRET_KEY_LENGTH = 32

log = logging.getLogger(__name__)

DEFAULTS = {
    # "production" unless QUOTE_ENV=development; testing counts as development for the key.
    "ENV": "production",
    "SECRET_KEY": None,
    # A folder of rate card files replacing the shipped ones; None: the shipped ones.
    "RATES_DIR": None,
    # The seller's tax rules (tax/rules.toml format, docs/tax.md); None: the shipped ones.
    "TAX_RULES": None,
    # The database of issued offers and users; None: QUOTE_DATABASE_URL, else
    # DATABASE_URL, else quote.db in the instance folder (QUOTE_INSTANCE_PATH, else
    # instance/; see quote/resources.py and docs/store.md).
    "DATABASE_URL": None,
    # Bring the schema up to date (alembic upgrade head) when the app starts.
    "DATABASE_AUTO_MIGRATE": True,
    # Days an issued offer stays valid.
    "OFFER_VALID_DAYS": 30,
    # Offers say that invoices are payable within this many days (0 to 365); kept in
    # each offer's snapshot at issue.
    "PAYMENT_TERMS_DAYS": 30,
    "FINANCE_PER_PAGE": 50,
    # Rows per page of "My offers" and of the inbox of self-service requests.
    "PIPELINE_PER_PAGE": 50,
    # Rate limits (quote/web/ratelimit.py); quote-memory:// per process, redis://... to
    # share them between workers and hosts.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "quote-memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LIMIT_PREVIEW": "120 per minute",
    "LIMIT_PUBLIC_REQUEST": "10 per hour",
    "LIMIT_PUBLIC_LINK": "60 per minute",
    "LIMIT_SIGN_IN": "10 per minute",
    # PDF renders of anonymous callers: per address, and all of them together
    # (cached PDFs do not count; staff are not limited). See quote/web/pdfs.py.
    "LIMIT_PDF": "10 per minute",
    "LIMIT_PDF_GLOBAL": "60 per minute",
    # Seconds a PDF may take to render before the request is answered with 503.
    "PDF_RENDER_TIMEOUT": 20,
    # Renders at once on a host, across its workers; None: half the CPU cores (at
    # least 1). Without a staff account a request gets a slot at once or 503.
    "PDF_RENDER_SLOTS": None,
    "PDF_SLOT_WAIT_STAFF": 20,
    # Draft PDFs kept per process for identical preview requests.
    "PREVIEW_PDF_CACHE": 64,
    # Additions a request without a staff account may carry (staff: up to 100).
    "PUBLIC_MAX_ADDITIONS": 20,
    # The day the rate cards in force are chosen for; None: the server's today.
    "TODAY": None,
    "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
    "FORM_ADDITION_ROWS": 3,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DOMAIN": "web;core",
    # None: the package's catalogues (quote/translations), once per domain.
    "BABEL_TRANSLATION_DIRECTORIES": None,
    # Hours a staff sign-in lasts (a working day); the server-side record and the
    # cookie expire together.
    "STAFF_SESSION_HOURS": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # None: secure cookies except in development and testing.
    "SESSION_COOKIE_SECURE": None,
    "WTF_CSRF_TIME_LIMIT": None,
    # Behind a reverse proxy: how many proxies set each X-Forwarded-* header
    # (werkzeug's ProxyFix); 0 ignores the header. All 0: no ProxyFix.
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "PROXY_FIX_X_HOST": 0,
    "PROXY_FIX_X_PORT": 0,
    "PROXY_FIX_X_PREFIX": 0,
}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

class ConfigError(RuntimeError):
    """The app cannot start: the message says what to fix."""


class LazyBuildRule(Rule):
    """Werkzeug's URL rule, its URL builders compiled when a URL is first built from it.

    Werkzeug writes and compiles the Python code of two builders for every rule when the
    rule is added: about a tenth of the app's start with its sixty rules, most of which a
    worker never builds a URL of. Where Werkzeug no longer has the method replaced here,
    its own behaviour stays."""

    if hasattr(Rule, "_compile_builder"):
        def _compile_builder(self, append_unknown: bool = True):
            name = "_build_unknown" if append_unknown else "_build"

            def build(rule: Rule, **values):
                built = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
                setattr(rule, name, built)
                return built(**values)

            return build


class QuoteFlask(Flask):
    url_rule_class = LazyBuildRule
    _synced: dict | None = None

    def ensure_sync(self, func):
        """Flask's answer, kept per function: Flask asks for every hook, view and error
        handler of every request, and inspects the function's code each time."""
        synced = self._synced
        if synced is None:
            synced = self._synced = {}
        try:
            return synced[func]
        except KeyError:
            if len(synced) >= 1024:  # hooks and views are few; whatever else comes goes
                synced.clear()
            made = synced[func] = super().ensure_sync(func)
            return made
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config=None) -> Flask:
    app = QuoteFlask(
        "quote",
        root_path=str(resources.package_dir()),
        template_folder=str(resources.templates_dir()),
        static_folder=str(resources.static_dir()),
        static_url_path="/static",
        instance_path=str(resources.instance_dir()),
    )
    app.json = JSONProvider(app)
    app.session_interface = SessionInterface()
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("QUOTE")
    if config:
        app.config.update(config)
    if not app.config["RATES_DIR"]:
        app.config["RATES_DIR"] = str(resources.rates_dir())
    if not app.config["BABEL_TRANSLATION_DIRECTORIES"]:
        translations = resources.translations_dir()
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = f"{translations};{translations}"

    development = app.config["ENV"] == "development" or app.config.get("TESTING", False)
    if not app.config.get("SECRET_KEY"):
        if not development:
            raise ConfigError(
                "QUOTE_SECRET_KEY is not set. Set it to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set QUOTE_ENV=development for a local run."
            )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    elif not development and len(app.config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"QUOTE_SECRET_KEY is too short ({len(app.config['SECRET_KEY'])} characters); "
            f"use at least {MIN_SECRET_KEY_LENGTH} random characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    app.permanent_session_lifetime = dt.timedelta(hours=app.config["STAFF_SESSION_HOURS"])
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not development

    _check_payment_terms(app)
    app.url_map.converters["offer"] = OfferNumberConverter
    app.url_map.converters["contract"] = ContractNumberConverter
    _check_catalogues(app, development)
    _trust_proxy_headers(app)
    app.extensions["quote.rates"] = _load_rates(app.config["RATES_DIR"],
                                                app.config["TAX_RULES"])
    app.extensions["quote.store"] = _open_store(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _log_pdf_warnings(app)

    from . import auth, cli, mail, pdfs
    from .admin import admin
    from .answers import answers
    from .api import api
    from .contracts import contracts
    from .contracts_api import contracts_api
    from .deliveries import deliveries
    from .finance import finance
    from .offers import offers
    from .pipeline import pipeline
    from .public import public
    from .staff import staff

    auth.init_app(app)
    cli.init_app(app)
    pdfs.init_app(app)
    try:
        mail.init_app(app, development)
    except MailConfigError as exc:
        raise ConfigError(str(exc)) from None
    csrf.exempt(api)
    csrf.exempt(contracts_api)
    app.register_blueprint(public)
    app.register_blueprint(offers)
    app.register_blueprint(pipeline)
    app.register_blueprint(answers)
    app.register_blueprint(contracts)
    app.register_blueprint(deliveries)
    app.register_blueprint(api, url_prefix=API_PREFIX)
    app.register_blueprint(contracts_api, url_prefix=API_PREFIX)
    app.register_blueprint(staff, url_prefix="/staff")
    app.register_blueprint(finance, url_prefix="/finance")
    app.register_blueprint(admin, url_prefix="/admin")

    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RenderTimeout, _render_timeout)
    app.register_error_handler(pdfs.RenderBusy, _render_busy)
    return app


def _load_rates(directory: str, tax_rules: str | None) -> RateBook:
    """The rate cards and the seller's tax rules they are priced with."""
    try:
        book = load_rates(directory)
    except RateFileError as exc:
        details = "\n".join(f"  {problem}" for problem in exc.problems)
        raise ConfigError(
            f"the rate files are broken (RATES_DIR={directory}):\n{details}"
        ) from None
    try:
        book.tax = load_tax_rules(tax_rules or resources.tax_rules_file()).rules
    except TaxFileError as exc:
        details = "\n".join(f"  {problem}" for problem in exc.problems)
        raise ConfigError(f"the tax rules are broken (TAX_RULES):\n{details}") from None
    return book


def _check_catalogues(app: Flask, development: bool) -> None:
    """Every language's compiled catalogues are there (in development: compiled when stale)."""
    try:
        notes = check_catalogues(compile_stale=development)
    except CatalogueError as exc:
        raise ConfigError(str(exc)) from None
    for note in notes:
        app.logger.warning("catalogues: %s", note)


def _check_payment_terms(app: Flask) -> None:
    days = app.config["PAYMENT_TERMS_DAYS"]
    if isinstance(days, str) and days.strip().isdigit():
        days = app.config["PAYMENT_TERMS_DAYS"] = int(days)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
        raise ConfigError(f"QUOTE_PAYMENT_TERMS_DAYS must be a whole number of days from 0 "
                          f"to 365; got {days!r}")


def _trust_proxy_headers(app: Flask) -> None:
    """Read the client's address, scheme and host from the reverse proxy's X-Forwarded-*."""
    counts = {part: int(app.config[f"PROXY_FIX_X_{part.upper()}"])
              for part in ("for", "proto", "host", "port", "prefix")}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{part}": n for part, n in counts.items()})


def _open_store(app: Flask) -> Store:
    """The store of the configured database; migrated to the latest schema unless told not to."""
    url = app.config["DATABASE_URL"] or database_url()
    store = Store(url)
    if app.config["DATABASE_AUTO_MIGRATE"]:
        store.migrate()
    return store


def _log_pdf_warnings(app: Flask) -> None:
    for warning in engine_warnings():
        app.logger.warning("PDF engine: %s", warning)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
# pages carry personal data and CSRF tokens: no shared or browser cache keeps them
NO_STORE = ("Cache-Control", "no-store")
# (lower-case name, header) of static files and of everything else
_STATIC_HEADERS = tuple((header[0].lower(), header) for header in SECURITY_HEADERS)
_PAGE_HEADERS = ((NO_STORE[0].lower(), NO_STORE), *_STATIC_HEADERS)


def _security_headers(response):
    """The security headers of every answer, unless the view set one of them itself (one
    pass over the answer's headers, not a search per header)."""
    headers = response.headers
    wanted = _STATIC_HEADERS if request.endpoint == "static" else _PAGE_HEADERS
    present = {name.lower() for name, _ in headers.items()}
    headers.extend([header for name, header in wanted if name not in present])
    return response


def _http_error(error: HTTPException):
    if is_api():
        message = error.description or error.name
        if error.code == 413:
            limit = current_app.config["MAX_CONTENT_LENGTH"]
            message = f"the body is larger than the limit of {limit} bytes"
        response = error_json(error.code or 500, message)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    return render_template(
        "web/error.html", code=error.code, title=str(error_title(error.code))
    ), error.code


def _server_error(error: InternalServerError):
    original = getattr(error, "original_exception", None)
    log.error("unhandled error on %s %s", request.method, request.path,
              exc_info=original or error)
    if is_api():
        return error_json(500, "internal error; it has been logged")
    return _http_error(error)


def _render_timeout(error: RenderTimeout):
    log.warning("PDF render stopped after %g s on %s %s", error.seconds, request.method,
                request.path)
    return _unavailable(gettext("The PDF took too long to make. Please try again later, or "
                                "ask our sales team for the offer."), retry_after=60)


def _render_busy(_error):
    return _unavailable(gettext("Many PDFs are being made right now. Please try again in a "
                                "few seconds."), retry_after=5)


def _unavailable(message: str, retry_after: int):
    if is_api():
        response = error_json(503, message)
    else:
        response = current_app.make_response((render_template(
            "web/error.html", code=503, title=message), 503))
    response.headers["Retry-After"] = str(retry_after)
    return response


def _csrf_error(error: CSRFError):
    if is_api():
        return error_json(400, error.description)
    return render_template(
        "web/error.html", code=400,
        title=gettext("The form has expired or was not sent from this site. "
                      "Please reload the page and try again."),
    ), 400


def error_title(code: int | None) -> str:
    titles = {
        400: _l("The request could not be understood."),
        403: _l("You may not use this page."),
        404: _l("This page does not exist."),
        405: _l("This page cannot be used that way."),
        413: _l("The request is too large."),
        415: _l("The request has an unsupported content type."),
        429: TOO_MANY,
    }
    return titles.get(code or 500, _l("Something went wrong on our side. It has been logged."))
