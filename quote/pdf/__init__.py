"""Printed offers: an ``OfferDocument`` as a PDF/A-3b file in German, English or Russian.

``render_offer(document, language, seller=None) -> bytes`` is the whole
interface; ``offer_filename`` names the file and ``engine_warnings`` tells an
operator what on the machine makes rendering slow. See ``docs/pdf.md``.
"""

from __future__ import annotations

from .render import Acceptance, engine_warnings, offer_filename, offer_html, render_offer
from .seller import Seller, SellerConfigError
from .time_limit import RenderTimeout, time_limit

__all__ = ["Acceptance", "RenderTimeout", "Seller", "SellerConfigError", "engine_warnings",
           "offer_filename", "offer_html", "render_offer", "time_limit"]
