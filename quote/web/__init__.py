"""The web service: the public quote form, the JSON API and the staff pages.

Views parse input, call ``quote.core`` and render; no pricing happens here.
"""
