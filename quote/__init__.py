"""quote: support pricing and quotation service.

``quote.core`` is the pricing core and imports no web framework. The web app is
built by ``create_app``, which imports Flask only when it is called.
"""

from __future__ import annotations


def create_app(config=None):
    """Build the Flask app (see ``quote.web.app.create_app``).

    The cyclic garbage collector is paused while the app is built: importing Flask,
    SQLAlchemy, pydantic and the app's modules allocates hundreds of thousands of objects
    that all stay alive, and the collector would walk them again and again to find next to
    nothing. An app built to serve (not under test) lives as long as its process, so what
    the build made is then frozen (``gc.freeze``): later collections in the worker, and
    the last one when it exits, skip it. A test builds many apps in one process, and
    each of them may go again, so under test the collector just runs again afterwards.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        from .web.app import create_app as build

        app = build(config)
        if not app.testing:
            gc.freeze()
        return app
    finally:
        if collecting:
            gc.enable()
