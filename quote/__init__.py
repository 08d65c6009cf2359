"""quote: support pricing and quotation service.

``quote.core`` is the pricing core and imports no web framework. The web app is
built by ``create_app``, which imports Flask only when it is called.
"""

from __future__ import annotations


def create_app(config=None):
    """Build the Flask app (see ``quote.web.app.create_app``)."""
    from .web.app import create_app as build

    return build(config)
