"""Run benchmarks: ``python -m bench [core|web|pdf|renewals|all]`` (default: all).

Each benchmark is a module ``bench/<name>.py`` with a ``main()``; it is imported
only when asked for, and a benchmark whose module is missing is skipped with a
note.
"""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS = ("core", "web", "pdf", "renewals")


def run(name: str) -> int:
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"bench.{name}":
            raise
        print(f"bench {name}: skipped (no bench/{name}.py)")
        return 0
    return module.main() or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", nargs="?", default="all", choices=(*BENCHMARKS, "all"))
    args = parser.parse_args(argv)
    names = BENCHMARKS if args.name == "all" else (args.name,)
    status = 0
    for name in names:
        status = run(name) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
