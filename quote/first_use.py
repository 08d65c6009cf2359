"""Names a package offers whose module is imported at their first use (PEP 562).

A package lists what it offers as usual; the names of a module that only some processes
need (the PDF renderer, the contract importer, the finance exports) come through the
package's ``__getattr__``, so importing the package does not import that module::

    __getattr__ = imported_at_first_use(__name__, {".render": ("render_offer", ...)})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def imported_at_first_use(package: str, modules: dict[str, tuple[str, ...]]
                          ) -> Callable[[str], object]:
    """The ``__getattr__`` of ``package``: each name from its module (relative to the
    package), imported when the name is first asked for."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:  # noqa: N807 - the module's own hook
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module, package), name)

    return __getattr__
