"""Validated files kept between runs: a rate card or the tax rules, checked once.

Validating a rate card is most of what ``quote price`` does besides pricing (parsing
the TOML, building the schema's validators, checking every rule). A file that
validated is therefore kept, validated, in a cache folder, under a key made of

- the file's bytes (its SHA-256): a changed file is another key, so a price never
  comes from the card as it was before the change;
- the code that validates it: the source of every module of ``quote.core`` and the
  versions of Python, pydantic and Babel (a changed rule is another key);
- what was checked (e.g. whether the card's holiday calendar was looked up).

A file that does not validate is not kept: its problems are found again each time.

The folder is ``$QUOTE_CACHE_DIR``, else ``$XDG_CACHE_HOME/quote``, else
``~/.cache/quote``; ``QUOTE_CACHE_DIR=""`` turns the cache off. It is made readable by
its owner only. An entry is written to a file of its own and renamed into place, so a
reader never sees half of one; an entry that cannot be read (another version's, cut
short, written by another user, group- or world-writable) is ignored and written anew.
Nothing is ever removed from the folder but by its owner: entries are small (a few
kilobytes per card version).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path

CACHE_ENV = "QUOTE_CACHE_DIR"
_SUFFIX = ".pickle"


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (``QUOTE_CACHE_DIR=""``)."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "quote"


@cache
def code_version() -> bytes:
    """A digest of the code that validates: ``quote.core``'s sources and the versions of
    Python, pydantic and Babel."""
    from importlib import import_module

    digest = hashlib.sha256()
    for name in ("pydantic", "pydantic_core", "babel"):
        module = import_module(name)
        digest.update(f"{name} {getattr(module, '__version__', '')}\n".encode())
    digest.update(f"{sys.version} {pickle.HIGHEST_PROTOCOL}\n".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\n")
        digest.update(source.read_bytes())
    return digest.digest()


def key(kind: str, data: bytes, *checks: object) -> str:
    """The cache key of ``data`` (a file's bytes) validated as ``kind`` with ``checks``."""
    digest = hashlib.sha256(code_version())
    digest.update(f"{kind} {checks!r}\n".encode())
    digest.update(data)
    return digest.hexdigest()


def read(found_key: str) -> object | None:
    """The value kept under ``found_key``, or None (not kept, or not to be trusted)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / (found_key + _SUFFIX), "rb") as file:
            if not _trusted(os.fstat(file.fileno())):
                return None
            stored_key, value = pickle.load(file)
    except Exception:  # noqa: BLE001 - missing, cut short, another version's: validate again
        return None
    return value if stored_key == found_key else None


def write(found_key: str, value: object) -> None:
    """Keep ``value`` under ``found_key``; a cache that cannot be written is left alone."""
    folder = cache_dir()
    if folder is None:
        return
    partial = folder / f".{found_key}.{os.getpid()}.part"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps((found_key, value), protocol=pickle.HIGHEST_PROTOCOL)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(partial, folder / (found_key + _SUFFIX))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with suppress(OSError):
            partial.unlink(missing_ok=True)


def _trusted(status: os.stat_result) -> bool:
    """Only this user (or root) can have written the entry."""
    owner = getattr(os, "getuid", lambda: status.st_uid)()
    return status.st_uid in (owner, 0) and not status.st_mode & 0o022
