"""Rate limits of the routes: fixed-window counters of the ``limits`` library, checked by
a decorator on each limited route.

A limit names a setting (``LIMIT_PREVIEW = "120 per minute"``), read when a request
comes, parsed once per value. A request that a limit applies to costs one counter
increment in the storage (``RATELIMIT_STORAGE_URI``: ``quote-memory://`` per process,
``redis://...`` or ``memcached://...`` shared between workers and hosts) and, for the
answer's headers, one read of the window's end; routes without a limit cost nothing.
Counters are kept under the keys Flask-Limiter used (``LIMITER/<address>/<endpoint>/...``),
so counts carry over an upgrade on shared storage.

A refused request raises ``TooManyRequests`` with the limit's message, which the app's
error handler answers (JSON in the API, the error page elsewhere). Limited routes
answer with ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset``
(epoch seconds) and ``Retry-After`` (seconds) unless ``RATELIMIT_HEADERS_ENABLED`` is
false; ``RATELIMIT_ENABLED`` false switches limiting off.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

KEY_PREFIX = "LIMITER"
PENDING = "_rate_limits"  # g: the limits this request was counted or tested against


class SweepingMemoryStorage(MemoryStorage):
    """The limits library's in-memory counters (``quote-memory://``), without its timer
    thread: ``MemoryStorage`` starts a ``threading.Timer`` after nearly every hit to purge
    expired keys, and its purge looks at every live counter. Expired counters are already
    ignored when read; here the purge runs in the requesting thread, at most once a
    second, and looks only at the counters whose window has ended: each new window's end
    goes on a heap. (Every client address has its own counter, so a busy worker holds a
    minute's worth of addresses; looking at all of them every second cost about as much
    per request as the limit check itself.)"""

    STORAGE_SCHEME = ["quote-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self._next_sweep = 0.0
        self._ends: list[tuple[float, str]] = []  # (a window's end, its key), a heap
        self._sweeping = threading.Lock()

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        count = super().incr(key, expiry, amount)
        if count == amount:  # the increment started a new window (``MemoryStorage.incr``)
            heapq.heappush(self._ends, (self.expirations.get(key, 0.0), key))
        return count

    def reset(self) -> int | None:
        self._ends.clear()
        return super().reset()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the private
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self.sweep()

    def sweep(self) -> None:
        """Remove the counters whose window has ended."""
        if not self._sweeping.acquire(blocking=False):
            return  # another thread sweeps
        try:
            if self.events:  # moving windows (not used by the app): the library's own purge
                self._MemoryStorage__expire_events()
            ends, now = self._ends, time.time()
            while ends and ends[0][0] <= now:
                end, key = heapq.heappop(ends)
                if end > now:  # pushed by another thread since the test above
                    heapq.heappush(ends, (end, key))
                    break
                if self.expirations.get(key, now + 1) <= now:  # not a newer window
                    self.storage.pop(key, None)
                    self.expirations.pop(key, None)
                    self.locks.pop(key, None)
        finally:
            self._sweeping.release()


def remote_address() -> str:
    """The client's address (behind a proxy: as ``ProxyFix`` read it)."""
    return request.remote_addr or "127.0.0.1"


class Limits:
    """One app's limiting: on or off, the storage, the parsed limit strings."""

    def __init__(self, app: Flask):
        self.enabled = bool(app.config["RATELIMIT_ENABLED"])
        self.headers = bool(app.config["RATELIMIT_HEADERS_ENABLED"])
        self.storage: Storage | None = None
        if self.enabled:
            self.storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                               **(app.config.get("RATELIMIT_STORAGE_OPTIONS")
                                                  or {}))
        self._parsed: dict[str, tuple[RateLimitItem, ...]] = {}

    def items(self, text: str) -> tuple[RateLimitItem, ...]:
        """The limits a setting's value names ("120 per minute", "10/minute;100/hour")."""
        parsed = self._parsed.get(text)
        if parsed is None:
            if len(self._parsed) > 64:  # settings are few; a test may set many
                self._parsed.clear()
            parsed = self._parsed[text] = tuple(parse_many(text))
        return parsed


@dataclass
class Counted:
    """A limit this request was counted (or, for a conditional one, tested) against."""

    item: RateLimitItem
    key: str
    count: int
    shared: bool
    breached: bool = False
    deduct_when: Callable[[Response], bool] | None = None


class RateLimiter:
    """The app's rate limits; ``init_app`` per app, ``limit`` on the routes."""

    def init_app(self, app: Flask) -> None:
        app.extensions["quote.rate_limits"] = Limits(app)
        app.after_request(_after_request)

    def limit(self, setting: str, message: Callable[[], str], *,
              key: Callable[[], str] = remote_address, scope: str | None = None,
              exempt_when: Callable[[], bool] | None = None,
              methods: list[str] | None = None,
              deduct_when: Callable[[Response], bool] | None = None):
        """A route's limit from the setting ``setting``, counted per ``key()`` (the client's
        address) and per route, or per ``scope`` shared by the routes that name it.

        ``exempt_when()`` true: not counted; ``methods``: only these are counted;
        ``deduct_when(response)``: the request is refused when the limit is used up but
        counted only when this says so about its answer (a rendered PDF).
        """
        only = frozenset(method.upper() for method in methods) if methods else None

        def decorate(view):
            @wraps(view)
            def limited(*args, **kwargs):
                limits: Limits = current_app.extensions["quote.rate_limits"]
                if (limits.enabled and (only is None or request.method in only)
                        and not (exempt_when is not None and exempt_when())):
                    _count(limits, current_app.config[setting], key(),
                           scope or request.endpoint, scope is not None, message, deduct_when)
                return view(*args, **kwargs)

            return limited

        return decorate


def _count(limits: Limits, text: str, who: str, scope: str, shared: bool,
           message: Callable[[], str], deduct_when) -> None:
    """Count the request against each limit of ``text`` (test only, when conditional);
    ``TooManyRequests`` at the first one used up."""
    storage = limits.storage
    assert storage is not None
    counted = g.get(PENDING)
    if counted is None:
        counted = []
        setattr(g, PENDING, counted)
    for item in limits.items(text):
        key = item.key_for(KEY_PREFIX, who, scope)
        if deduct_when is None:
            count = storage.incr(key, item.get_expiry())
            breached = count > item.amount
        else:
            count = storage.get(key)
            breached = count >= item.amount
        counted.append(Counted(item, key, count, shared, breached, deduct_when))
        if breached:
            log.info("rate limit %s (%s) exceeded at %s", item, who, scope)
            raise TooManyRequests(description=message())


def _after_request(response: Response) -> Response:
    """Count the conditional limits whose condition the answer meets; the limit headers."""
    counted: list[Counted] | None = g.pop(PENDING, None)
    if not counted:
        return response
    limits: Limits = current_app.extensions["quote.rate_limits"]
    storage = limits.storage
    assert storage is not None
    for each in counted:
        if each.deduct_when is not None and not each.breached and each.deduct_when(response):
            each.count = storage.incr(each.key, each.item.get_expiry())
    if limits.headers:
        _headers(response, storage, counted)
    return response


def _headers(response: Response, storage: Storage, counted: list[Counted]) -> None:
    """The headers of the limit that refused the request, else of the first one counted
    (a route's own before one shared with other routes)."""
    shown = next((each for each in counted if each.breached), None)
    if shown is None:
        shown = next((each for each in counted if not each.shared), counted[0])
    reset_at = int(storage.get_expiry(shown.key) + 1)
    headers = response.headers
    now = time.time()
    added = [("X-RateLimit-Limit", str(shown.item.amount)),
             ("X-RateLimit-Remaining", str(max(0, shown.item.amount - shown.count))),
             ("X-RateLimit-Reset", str(reset_at))]
    earlier = headers.get("Retry-After")  # the answer's own (503 with Retry-After: 5)
    if earlier is None:
        added.append(("Retry-After", str(int(reset_at - now))))
    elif earlier.isdigit():
        headers["Retry-After"] = str(int(max(reset_at, int(now + int(earlier))) - now))
    headers.extend(added)
