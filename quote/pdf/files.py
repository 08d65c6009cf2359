"""What the app needs of the PDF renderer without loading it: the offer's file name and
the check of the machine's fonts and libraries (``engine_warnings``, logged when the app
starts). The renderer itself (``render.py``, and WeasyPrint with it) loads at the first
render."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import resources

if TYPE_CHECKING:
    from ..core.offer import OfferDocument

FONT_FILES = ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf")  # below static/


def offer_filename(document: OfferDocument, language: str) -> str:
    """``offer-Q-2026-000042-de.pdf``; ``offer-draft-de.pdf`` for a draft."""
    number = document.number or "draft"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-.") or "draft"
    return f"offer-{safe}-{language}.pdf"


def engine_warnings() -> list[str]:
    """What on this machine makes PDF rendering slower or different than intended."""
    import ctypes
    import ctypes.util

    warnings = []
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        if not ctypes.util.find_library("harfbuzz-subset"):
            warnings.append(
                "libharfbuzz-subset0 is missing: PDF rendering falls back to a much slower "
                "font subsetting path; install the Debian package libharfbuzz-subset0")
    for font in FONT_FILES:
        if not (resources.static_dir() / font).is_file():
            warnings.append(f"the bundled font static/{font} is missing: offers "
                            "would be printed with whatever font the system has")
    return warnings
