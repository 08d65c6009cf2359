"""Languages of the product and their message catalogues, without any framework.

Catalogues live in ``quote/translations/<locale>/LC_MESSAGES/<domain>.mo``:
``core`` holds the texts of the pricing core (line descriptions and
explanations, input errors), ``pdf`` the texts of the printed offer, ``web``
those of the pages. The web app reads them through Flask-Babel; the command
line and the PDF renderer through ``translations()`` here.
"""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations

from . import resources

LANGUAGES = ("en", "de", "ru")
DEFAULT_LANGUAGE = "en"
DOMAINS = ("core", "pdf", "web")


@cache
def translations(language: str, domains: tuple[str, ...] = ("core",)) -> NullTranslations:
    """The merged catalogues of ``domains`` for ``language`` (English is the source)."""
    merged: NullTranslations | None = None
    for domain in domains:
        loaded = Translations.load(str(resources.translations_dir()), [language], domain=domain)
        if merged is None:
            merged = loaded
        elif isinstance(merged, Translations) and isinstance(loaded, Translations):
            merged.merge(loaded)
        elif isinstance(loaded, Translations):
            merged = loaded
    return merged or NullTranslations()
