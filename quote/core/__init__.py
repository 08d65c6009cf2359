"""The pricing core: rate cards, money, contract years and the pricing rules.

Plain Python. Nothing here imports Flask, SQLAlchemy, WTForms or WeasyPrint;
the web app, the store and the PDF renderer call into this package.
"""
