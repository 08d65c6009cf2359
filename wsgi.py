"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from quote import serving_app

app = serving_app()
