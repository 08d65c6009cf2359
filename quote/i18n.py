"""Languages of the product and their message catalogues, without any framework.

Catalogues live in ``quote/translations/<locale>/LC_MESSAGES/<domain>.mo``:
``core`` holds the texts of the pricing core (line descriptions and
explanations, input errors), ``pdf`` the texts of the printed offer, ``mail``
those of the e-mails, ``web`` those of the pages. The web app reads them
through Flask-Babel; the command line, the PDF renderer and the e-mails
through ``translations()`` here.

English is the source language: its texts are the message ids, so English
works without a catalogue. Every other language needs the compiled ``.mo``
of every domain; ``check_catalogues()`` (run when the web app starts) and
``translations()`` refuse to fall back to English silently. The wheel's build
compiles them (``setup.py``), in a checkout ``make translations`` does.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from . import resources

LANGUAGES = ("en", "de", "ru")
DEFAULT_LANGUAGE = "en"
TRANSLATED = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)
DOMAINS = ("core", "mail", "pdf", "web")


class CatalogueError(RuntimeError):
    """A language's compiled catalogue is missing or unreadable; the message names the file."""


def catalogue_path(language: str, domain: str, suffix: str = ".mo",
                   directory: Path | None = None) -> Path:
    directory = resources.translations_dir() if directory is None else directory
    return directory / language / "LC_MESSAGES" / f"{domain}{suffix}"


@cache
def translations(language: str, domains: tuple[str, ...] = ("core",)) -> NullTranslations:
    """The merged catalogues of ``domains`` for ``language`` (English is the source)."""
    merged: NullTranslations | None = None
    for domain in domains:
        if language != DEFAULT_LANGUAGE and not catalogue_path(language, domain).is_file():
            raise CatalogueError(_missing(catalogue_path(language, domain)))
        loaded = Translations.load(str(resources.translations_dir()), [language], domain=domain)
        if merged is None:
            merged = loaded
        elif isinstance(merged, Translations) and isinstance(loaded, Translations):
            merged.merge(loaded)
        elif isinstance(loaded, Translations):
            merged = loaded
    return merged or NullTranslations()


def check_catalogues(directory: Path | None = None, *, compile_stale: bool = False) -> list[str]:
    """Make sure every translated language has every domain's catalogue, compiled.

    With ``compile_stale`` (development), a ``.mo`` that is missing or older
    than its ``.po`` is compiled from the ``.po`` when the folder is writable.
    Returns notes for the log (what was compiled, what is stale); raises
    ``CatalogueError`` naming the first ``.mo`` that is missing or unreadable.
    """
    notes = []
    for language in TRANSLATED:
        for domain in DOMAINS:
            mo = catalogue_path(language, domain, directory=directory)
            po = mo.with_suffix(".po")
            stale = po.is_file() and (not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime)
            if stale and compile_stale and os.access(mo.parent, os.W_OK):
                compile_catalogue(po, mo)
                notes.append(f"compiled {mo} from its .po")
            elif stale and mo.is_file():
                notes.append(f"{mo} is older than its .po; run make translations")
            if not mo.is_file():
                raise CatalogueError(_missing(mo))
            try:
                with mo.open("rb") as compiled:
                    Translations(compiled, domain=domain)
            except (OSError, UnicodeDecodeError) as exc:
                raise CatalogueError(f"the catalogue {mo} cannot be read ({exc}); compile it "
                                     "again with make translations") from None
    return notes


def compile_catalogue(po: Path, mo: Path) -> None:
    """Compile ``po`` into ``mo`` (replaced at once, so a reader never sees half a file)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, prefix=f".{mo.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog, use_fuzzy=True)  # as make translations (pybabel --use-fuzzy)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _missing(mo: Path) -> str:
    return (f"the compiled catalogue {mo} is missing, so its language would fall back to "
            "English; run make translations in a checkout, or install a wheel (its build "
            "compiles every catalogue)")
