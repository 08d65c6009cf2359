"""PDFs in the web app: every render goes through here, bounded in time and in number.

A render costs far more than any other answer (a draft with many additions
about a second of CPU), so rendering is protected on its own:

- ``pdf_limits()``: anonymous callers are limited per address (``LIMIT_PDF``)
  and all together (``LIMIT_PDF_GLOBAL``); only requests that really rendered
  count, so cached PDFs are free. Signed-in staff and API tokens are exempt.
- a render that runs longer than ``PDF_RENDER_TIMEOUT`` seconds is stopped and
  answered with 503;
- identical draft previews (the same validated request, the same card version
  and language) are answered from a per-process cache of ``PREVIEW_PDF_CACHE``
  entries;
- at most ``PDF_RENDER_SLOTS`` renders run at once on a host, whatever the
  number of workers, so that renders never occupy every worker and every core:
  the other requests (and the load balancer's health check) are still served.
  A request without a staff account finds a slot free or gets 503 at once
  (``Retry-After``); staff wait for one up to ``PDF_SLOT_WAIT_STAFF`` seconds.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, g
from flask_babel import lazy_gettext

from ..core.offer import OfferDocument, offer_document
from ..pdf import offer_filename, time_limit
from ..store import Offer, OfferResponse, pdf_for
from .auth import is_staff
from .extensions import limiter, pdf_response, store, today

if TYPE_CHECKING:
    from ..pdf.render import Acceptance

TOO_MANY_PDFS = lazy_gettext("Too many PDFs are being made right now. Please try again in a "
                             "minute.")
TOO_MANY_FROM_YOU = lazy_gettext("Too many PDFs from your address. Please wait a minute and "
                                 "try again.")


class RenderBusy(Exception):
    """Every render slot of this host is taken."""


class RenderSlots:
    """At most ``count`` renders at once on this host, across the worker processes.

    A slot is an exclusive ``flock`` on one of ``count`` lock files in ``folder``;
    the kernel releases it when the holder closes it or dies, so a killed worker
    never keeps a slot.
    """

    def __init__(self, folder: Path, count: int):
        self.paths = [folder / f"slot-{index}.lock" for index in range(max(1, count))]
        folder.mkdir(parents=True, exist_ok=True)

    def _take(self) -> int | None:
        for path in self.paths:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            return handle
        return None

    def any_free(self) -> bool:
        """Whether a slot is free at this moment (a quick look, for refusing early)."""
        handle = self._take()
        if handle is None:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
        return True

    @contextmanager
    def slot(self, wait: float) -> Iterator[None]:
        """Hold a slot for the block; raise ``RenderBusy`` if none frees within ``wait`` s."""
        deadline = time.monotonic() + wait
        handle = self._take()
        while handle is None:
            if time.monotonic() >= deadline:
                raise RenderBusy
            time.sleep(0.05)
            handle = self._take()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            os.close(handle)


@contextmanager
def render_slot() -> Iterator[None]:
    """A render slot for the rest of the request's work (taken once per request)."""
    if g.get("render_slot"):
        yield
        return
    slots: RenderSlots = current_app.extensions["quote.render_slots"]
    with slots.slot(current_app.config["PDF_SLOT_WAIT_STAFF"] if is_staff() else 0):
        g.render_slot = True
        try:
            yield
        finally:
            g.render_slot = False


def render(document: OfferDocument, language: str,
           response: OfferResponse | None = None) -> bytes:
    """Render ``document`` in a render slot and within the time limit; note that it ran.
    ``response``: the offer's recorded acceptance, printed in its acceptance block."""
    acceptance = printed_acceptance(response) if response is not None else None
    with render_slot():
        g.pdf_rendered = True
        with time_limit(current_app.config["PDF_RENDER_TIMEOUT"]):
            return render_offer(document, language, acceptance=acceptance)


def render_offer(document: OfferDocument, language: str, *,
                 acceptance: Acceptance | None = None) -> bytes:
    """``quote.pdf.render_offer``: the renderer (Jinja's templates, WeasyPrint) is imported
    at the first render, not in every worker's start."""
    from ..pdf.render import render_offer as rendered

    return rendered(document, language, acceptance=acceptance)


def printed_acceptance(response: OfferResponse) -> Acceptance:
    """What the acceptance block of an accepted offer's PDF says."""
    from ..pdf.render import Acceptance

    return Acceptance(
        name=response.name, position=response.position,
        accepted_on=response.created_at.astimezone(dt.UTC).date(),
        purchase_order=response.purchase_order, document_sha256=response.document_sha256,
        recorded_by=response.user.display_name if response.user is not None else "")


def _rendered(_response) -> bool:
    return bool(g.get("pdf_rendered"))


def pdf_limits(applies=lambda: True):
    """The PDF limits of a view; ``applies()`` says whether this request asks for a PDF."""

    def exempt() -> bool:
        return is_staff() or not applies()

    per_client = limiter.limit("LIMIT_PDF", lambda: str(TOO_MANY_FROM_YOU),
                               exempt_when=exempt, deduct_when=_rendered)
    everyone = limiter.limit("LIMIT_PDF_GLOBAL", lambda: str(TOO_MANY_PDFS),
                             key=lambda: "everyone", scope="pdf-renders",
                             exempt_when=exempt, deduct_when=_rendered)

    def decorate(view):
        return per_client(everyone(view))

    return decorate


class PreviewCache:
    """The most recently rendered draft PDFs of this process, by request."""

    def __init__(self, entries: int):
        self.entries = entries
        self._pdfs: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            pdf = self._pdfs.get(key)
            if pdf is not None:
                self._pdfs.move_to_end(key)
            return pdf

    def put(self, key: str, pdf: tuple[bytes, str]) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._pdfs[key] = pdf
            self._pdfs.move_to_end(key)
            while len(self._pdfs) > self.entries:
                self._pdfs.popitem(last=False)


def init_app(app) -> None:
    app.extensions["quote.preview_pdfs"] = PreviewCache(app.config["PREVIEW_PDF_CACHE"])
    count = app.config["PDF_RENDER_SLOTS"] or max(1, (os.cpu_count() or 2) // 2)
    app.extensions["quote.render_slots"] = RenderSlots(
        Path(app.instance_path) / "render-slots", count)


def refuse_when_busy() -> None:
    """Raise ``RenderBusy`` before any work when a request without a staff account would
    find every render slot taken (cached PDFs included: under such load that is fine)."""
    slots: RenderSlots = current_app.extensions["quote.render_slots"]
    if not is_staff() and not slots.any_free():
        raise RenderBusy


def draft_pdf_response(quote_request, priced: Callable[[], tuple]):
    """The draft offer of a request as a PDF download, rendered once per request.

    ``priced()`` prices the request, giving (result, loaded card). An identical
    request of the same day is answered from the cache; otherwise the render
    slot is taken before pricing, so that a busy host refuses at once, before
    any costly work.
    """
    key = hashlib.sha256("\n".join((
        quote_request.model_dump_json(), today().isoformat())).encode()).hexdigest()
    cache: PreviewCache = current_app.extensions["quote.preview_pdfs"]
    cached = cache.get(key)
    if cached is None:
        with render_slot():
            result, loaded = priced()
            document = offer_document(quote_request, result, loaded,
                                      payment_days=current_app.config["PAYMENT_TERMS_DAYS"])
            cached = (render(document, document.language),
                      offer_filename(document, document.language))
        cache.put(key, cached)
    return pdf_response(*cached)


def offer_pdf(offer: Offer, language: str) -> bytes:
    """An issued offer's PDF: from the store's cache, else rendered (outside any transaction)."""
    return pdf_for(store(), offer, language, render)
