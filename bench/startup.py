"""Start-up: the command line and the web app, against starting Python itself.

Each command runs in a fresh process, ``--runs`` times (default 5); the
median is printed. Times are the child's CPU time (user + system, from
``RUSAGE_CHILDREN``), so that on a shared machine waiting for a core counts
for nothing; wall times are printed beside them. The children may read and
write byte-code caches (``PYTHONDONTWRITEBYTECODE`` is dropped from their
environment), as an installed wheel has them; a first untimed run writes them.

1. baseline: ``python -c pass``;
2. ``quote price REQUEST.json`` (the core benchmark's request): ratio to the
   baseline, target at most 8;
3. ``import wsgi`` (the app created, its scratch SQLite database already
   migrated; the app checks the schema as production does): seconds, target at
   most 1 s, and whether WeasyPrint was imported (it must not be before the
   first PDF);
4. gunicorn with 2 sync workers, from its start until ``/health`` answers, with
   and without ``--preload`` (the app imported once in the master, before the
   workers fork): wall seconds, for choosing.

    python -m bench startup [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import _gunicorn
from bench.core import REQUEST

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_CLI = 8.0
TARGET_IMPORT = 1.0
CHECK = ("import sys, wsgi; "
         "print('weasyprint imported' if 'weasyprint' in sys.modules else 'no weasyprint')")


def run_timed(command: list[str], env: dict[str, str] | None = None
              ) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, standard output) of one run: the CPU time is the growth
    of this process's children's total (``RUSAGE_CHILDREN``) over the run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120,
                          check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"bench startup: {' '.join(command)} failed ({done.returncode}):\n"
                         f"{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout.decode()


def median_of(command: list[str], runs: int, env: dict[str, str] | None = None
              ) -> tuple[float, float, str]:
    results = [run_timed(command, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            results[-1][2])


def gunicorn_ready(env: dict[str, str], folder: Path, preload: bool) -> float:
    """Wall seconds from gunicorn's start until every worker is up and ``/health`` answers."""
    server = _gunicorn.Gunicorn(env, folder / f"gunicorn-{preload}.log", workers=2,
                                preload=preload)
    start = time.perf_counter()
    server.start()
    try:
        return time.perf_counter() - start
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    args = parser.parse_args([] if argv is None else argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        request = folder / "request.json"
        request.write_text(json.dumps(REQUEST), encoding="utf-8")
        env = _gunicorn.app_environment(f"sqlite:///{folder / 'quote.db'}",
                                        SECRET_KEY=os.urandom(32).hex())
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        plain = {name: value for name, value in os.environ.items()
                 if name != "PYTHONDONTWRITEBYTECODE"}
        run_timed([python, "-c", "import wsgi"], env)  # migrates, writes byte-code caches
        run_timed([str(BIN / "quote"), "price", str(request)], plain)

        base_cpu, base_wall, _ = median_of([python, "-c", "pass"], args.runs, plain)
        cli_cpu, cli_wall, _ = median_of([str(BIN / "quote"), "price", str(request)], args.runs,
                                         plain)
        app_cpu, app_wall, said = median_of([python, "-c", CHECK], args.runs, env)
        print(f"bench startup: python -c pass {base_cpu * 1000:.0f} ms CPU "
              f"({base_wall * 1000:.0f} ms wall; median of {args.runs}, baseline)")
        ratio = cli_cpu / base_cpu
        print(f"bench startup: quote price {cli_cpu * 1000:.0f} ms CPU ({cli_wall * 1000:.0f} ms "
              f"wall), ratio {ratio:.1f} to python -c pass (target at most {TARGET_CLI:.0f}: "
              f"{'met' if ratio <= TARGET_CLI else 'NOT met'})")
        print(f"bench startup: import wsgi (app created) {app_cpu:.2f} s CPU ({app_wall:.2f} s "
              f"wall), ratio {app_cpu / base_cpu:.1f} to python -c pass (target at most "
              f"{TARGET_IMPORT:.0f} s: {'met' if app_cpu <= TARGET_IMPORT else 'NOT met'}); "
              f"{said.strip()}")
        plain = gunicorn_ready(env, folder, preload=False)
        preloaded = gunicorn_ready(env, folder, preload=True)
        print(f"bench startup: gunicorn, 2 workers, until /health answers: {plain:.2f} s; with "
              f"--preload {preloaded:.2f} s (wall)")
    return 1 if "weasyprint imported" in said else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
