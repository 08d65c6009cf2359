"""Build hook: what a wheel carries besides the Python modules (metadata: pyproject.toml).

``build_py`` also

- compiles every catalogue ``quote/translations/<lang>/LC_MESSAGES/<domain>.po``
  into its ``.mo`` with Babel (the ``.mo`` files are not kept in git);
- copies ``templates/``, ``static/``, ``rates/``, ``tax/``, ``migrations/`` and
  ``alembic.ini`` into the package as ``quote/bundled/``, where
  ``quote/resources.py`` finds them once installed. They stay at the top of
  the repository, where they are edited.

The package's folder in the build directory is emptied first, so a file
deleted from the repository never lingers in the next wheel. For an editable
install (``pip install -e .``, what ``make install`` does) the catalogues
are compiled in place, next to their ``.po``, and nothing is copied: a
checkout reads its own folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "quote"
BUNDLE = "bundled"  # where quote/resources.py looks for them
BUNDLED = ("templates", "static", "rates", "tax", "migrations", "alembic.ini")
SKIPPED = ("__pycache__", "*.pyc")


def catalogues() -> list[Path]:
    """Every ``.po`` below ``quote/translations``, relative to the package."""
    package = HERE / PACKAGE
    return sorted(po.relative_to(package)
                  for po in package.glob("translations/*/LC_MESSAGES/*.po"))


def compile_catalogue(po: Path, mo: Path) -> None:
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as out:
        write_mo(out, catalog, use_fuzzy=True)  # as make translations (pybabel --use-fuzzy)


def bundled_files() -> list[Path]:
    """The files copied into ``quote/bundled/``, relative to the repository."""
    found = []
    for name in BUNDLED:
        source = HERE / name
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing; a wheel needs it")
        if source.is_file():
            found.append(Path(name))
            continue
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(HERE)
            if path.is_file() and not any(relative.match(p) or p in relative.parts
                                          for p in SKIPPED):
                found.append(relative)
    return found


class BuildWithData(build_py):
    """``build_py`` that compiles the catalogues and bundles the app's data files."""

    def run(self) -> None:
        if not self.editable_mode:  # nothing left over from an earlier build goes in
            shutil.rmtree(Path(self.build_lib) / PACKAGE, ignore_errors=True)
        super().run()
        for mo, po in self._catalogues().items():
            compile_catalogue(po, Path(mo))
        if self.editable_mode:  # the checkout's own folders serve the rest
            return
        for target, source in self._bundle().items():
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def _catalogues(self) -> dict[str, Path]:
        """Each compiled catalogue -> its ``.po``; in place for an editable install."""
        package = HERE / PACKAGE
        into = package if self.editable_mode else Path(self.build_lib) / PACKAGE
        return {str(into / po.with_suffix(".mo")): package / po for po in catalogues()}

    def _bundle(self) -> dict[str, Path]:
        """Each file of ``quote/bundled/`` in the build -> its source in the repository."""
        bundle = Path(self.build_lib) / PACKAGE / BUNDLE
        return {str(bundle / relative): HERE / relative for relative in bundled_files()}

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        if self.editable_mode:  # setuptools answers from get_output_mapping
            return super().get_outputs(include_bytecode)
        return [*super().get_outputs(include_bytecode), *self._catalogues(), *self._bundle()]

    def get_output_mapping(self) -> dict[str, str]:
        """Build path -> source, as setuptools' editable modes link them (see its build.py)."""
        mapping = super().get_output_mapping()
        package, built = HERE / PACKAGE, Path(self.build_lib) / PACKAGE
        for po in catalogues():
            mo = po.with_suffix(".mo")  # editable: the one compiled in place
            mapping[str(built / mo)] = str(package / (mo if self.editable_mode else po))
        mapping.update({target: str(source) for target, source in self._bundle().items()})
        return mapping


setup(cmdclass={"build_py": BuildWithData})
