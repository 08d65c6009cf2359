"""Printed offers: an ``OfferDocument`` as a PDF/A-3b file in German, English or Russian.

``render_offer(document, language, seller=None) -> bytes`` is the whole
interface; ``offer_filename`` names the file and ``engine_warnings`` tells an
operator what on the machine makes rendering slow. See ``docs/pdf.md``.
"""

from __future__ import annotations

from ..first_use import imported_at_first_use
from .files import engine_warnings, offer_filename
from .seller import Seller, SellerConfigError
from .time_limit import RenderTimeout, time_limit

_RENDER = ("Acceptance", "offer_html", "render_offer")

__all__ = ["Acceptance", "RenderTimeout", "Seller", "SellerConfigError", "engine_warnings",
           "offer_filename", "offer_html", "render_offer", "time_limit"]


# The renderer's names, its module imported on first use (neither the command line's
# ``quote price`` nor the web app's start needs it; WeasyPrint itself loads at the first
# render).
__getattr__ = imported_at_first_use(__name__, {".render": _RENDER})
