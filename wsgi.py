"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

import gc

from quote import create_app

app = create_app()
# This process serves this one app: what building it made lives as long as the process,
# so the garbage collector leaves it out of its later collections (and its last one at
# exit), which would otherwise walk it again and again.
gc.freeze()
