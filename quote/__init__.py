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
    nothing. It runs again, as before, once the app is built. (A process that serves this
    one app may then freeze what the build made, as ``wsgi.py`` and gunicorn's settings
    do.)
    """
    import gc
    import os

    # pytz (through which Babel finds the machine's time zone when Flask-Babel is
    # imported) trusts its own list of zones, whose files it ships, instead of opening each
    # of them (about 600) to see that it is there: its documented setting, kept where the
    # environment sets it.
    os.environ.setdefault("PYTZ_SKIPEXISTSCHECK", "1")
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .web.app import create_app as build

        return build(config)
    finally:
        if collecting:
            gc.enable()


def serving_app():
    """The app of a process that serves it alone (``wsgi.py``): built, then frozen.

    What building it made lives as long as the process, so the garbage collector leaves
    it out of its later collections (and its last one at exit), which would otherwise walk
    it again and again. Tests build many apps in one process and use ``create_app``.
    """
    import gc

    app = create_app()
    gc.freeze()
    return app
