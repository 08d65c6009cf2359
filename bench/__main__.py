"""Run benchmarks: ``python -m bench [NAME [OPTIONS...]]`` (default: all of them).

Every module ``bench/<name>.py`` whose name does not start with ``_`` is a
benchmark with a ``main()``, or ``main(argv)`` if it takes options; ``_``-modules
are helpers. A benchmark is
imported only when it runs. ``all`` runs them in the order of ``ORDER``, then
any other benchmark module alphabetically. Options after a benchmark's name are
its own: ``python -m bench load --requests 300``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

ORDER = ("core", "web", "startup", "pdf", "store", "load", "guard")


def benchmarks() -> tuple[str, ...]:
    """Every benchmark module in this folder: first those in ``ORDER``, then the others."""
    found = {module.name for module in pkgutil.iter_modules([str(Path(__file__).parent)])
             if not module.name.startswith("_")}
    return (*[name for name in ORDER if name in found], *sorted(found - set(ORDER)))


def run(name: str, options: list[str]) -> int:
    module = importlib.import_module(f"bench.{name}")
    if inspect.signature(module.main).parameters:
        return module.main(options) or 0
    if options:
        print(f"bench {name}: takes no options ({' '.join(options)})")
        return 2
    return module.main() or 0


def main(argv: list[str] | None = None) -> int:
    names = benchmarks()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", default="all", choices=(*names, "all"))
    parser.add_argument("options", nargs=argparse.REMAINDER,
                        help="options of the one benchmark named (see python -m bench NAME -h)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.name == "all" and args.options:
        parser.error("options are for one benchmark: python -m bench NAME OPTIONS")
    status = 0
    for name in names if args.name == "all" else (args.name,):
        status = run(name, args.options) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
