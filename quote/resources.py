"""Where the app's files are: templates, static files, rate cards, tax rules, migrations,
catalogues.

Every module asks here; none computes paths from its own location.

- **Source checkout** (also an editable install): the package folder sits
  next to ``pyproject.toml``; the files are read where they are edited, at
  the top of the checkout.
- **Installed package** (a wheel): the build copies ``templates/``,
  ``static/``, ``rates/``, ``tax/``, ``migrations/`` and ``alembic.ini`` into the
  package as ``quote/bundled/`` (see ``setup.py``), and they are read from
  there.

The compiled catalogues are in ``quote/translations/`` in both cases.

Files the app writes (the default SQLite database) go to the instance
folder: ``QUOTE_INSTANCE_PATH`` if set, else ``instance/`` in the project
folder, which is the checkout for a checkout run and the working directory
for an installed package. Never inside the package.

Nothing here touches the file system while the module is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path

BUNDLE = "bundled"  # setup.py copies the folders into quote/bundled/
INSTANCE_ENV = "QUOTE_INSTANCE_PATH"


class ResourcesMissing(RuntimeError):
    """The package has neither its bundled files nor a source checkout around it."""


@cache
def package_dir() -> Path:
    """The folder of the imported ``quote`` package (in site-packages, or in the checkout)."""
    found = files(__package__)
    if not isinstance(found, Path):
        raise ResourcesMissing(f"the quote package must be installed as plain files, not as "
                               f"{type(found).__name__}")
    return found.resolve()


@cache
def checkout_dir() -> Path | None:
    """The source checkout the package is run from, or None for an installed package."""
    candidate = package_dir().parent
    return candidate if (candidate / "pyproject.toml").is_file() else None


def _data_dir() -> Path:
    checkout = checkout_dir()
    if checkout is not None:
        return checkout
    bundle = package_dir() / BUNDLE
    if not bundle.is_dir():
        raise ResourcesMissing(
            f"the quote package at {package_dir()} has no {BUNDLE}/ folder and is not in a "
            "source checkout: install it from a wheel (make wheel builds one; docs/deploy.md)")
    return bundle


def templates_dir() -> Path:
    """Page and PDF templates: ``web/``, ``pdf/``."""
    return _data_dir() / "templates"


def static_dir() -> Path:
    """CSS, JavaScript, the PDF's stylesheet and logo, the bundled DejaVu fonts."""
    return _data_dir() / "static"


def rates_dir() -> Path:
    """The shipped rate cards (``QUOTE_RATES_DIR`` replaces them; see the web app's config)."""
    return _data_dir() / "rates"


def tax_rules_file() -> Path:
    """The shipped tax rules (``QUOTE_TAX_RULES`` names a file that replaces them)."""
    return _data_dir() / "tax" / "rules.toml"


def migrations_dir() -> Path:
    """Alembic's script folder."""
    return _data_dir() / "migrations"


def alembic_ini() -> Path:
    return _data_dir() / "alembic.ini"


def translations_dir() -> Path:
    """``<language>/LC_MESSAGES/<domain>.mo`` (and the ``.po`` sources in a checkout)."""
    return package_dir() / "translations"


def project_dir() -> Path:
    """The checkout for a checkout run, else the working directory.

    The default instance folder is ``instance/`` in it, and a relative SQLite
    path in a database URL is taken relative to it.
    """
    return checkout_dir() or Path.cwd()


def instance_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the app writes its files: ``QUOTE_INSTANCE_PATH``, else ``instance/``."""
    environ = os.environ if environ is None else environ
    configured = environ.get(INSTANCE_ENV)
    if configured:
        return Path(configured).expanduser().absolute()
    return project_dir() / "instance"
