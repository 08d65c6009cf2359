"""The only way the PDF engine may read a resource: files under ``static/``.

WeasyPrint asks its URL fetcher for every stylesheet, font and image a
document names. This fetcher answers for ``file:`` URLs of regular files
inside the project's ``static/`` folder and refuses everything else: other
schemes (http, https, ftp, data, ...), any host, paths with ``..``, and paths
that leave ``static/`` once symbolic links are resolved. Refusing means
raising ``FetchRefused``; WeasyPrint then leaves the resource out.
"""

from __future__ import annotations

import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import resources

LOGGER = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A resource outside the project's static files was asked for."""


def static_path(url: str, static_dir: Path | None = None) -> Path:
    """The file under ``static_dir`` (default: ``static/``) that ``url`` names, or raise
    ``FetchRefused``."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise FetchRefused(f"only files under static/ are served, not {parts.scheme!r} URLs")
    if parts.netloc not in ("",):
        raise FetchRefused(f"file URLs with a host are refused: {url!r}")
    raw = unquote(parts.path)
    if "\x00" in raw or ".." in raw.replace("\\", "/").split("/"):
        raise FetchRefused(f"paths with '..' are refused: {url!r}")
    root = (resources.static_dir() if static_dir is None else static_dir).resolve()
    path = Path(raw).resolve()
    if not path.is_relative_to(root):
        raise FetchRefused(f"{path} is outside {root}")
    if not path.is_file():
        raise FetchRefused(f"no such static file: {path.relative_to(root)}")
    return path


@cache
def _fetcher_class() -> type:
    """``StaticFetcher``, defined on first use: it subclasses WeasyPrint's fetcher, and
    importing WeasyPrint takes most of a second that nothing but rendering needs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """A WeasyPrint URL fetcher serving only ``static/`` (see the module's docstring)."""

        def __init__(self, static_dir: Path | None = None):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.static_dir = resources.static_dir() if static_dir is None else static_dir

        def fetch(self, url, headers=None):
            try:
                path = static_path(url, self.static_dir)
            except FetchRefused:
                LOGGER.warning("refused to fetch %r", url[:200])
                raise
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                      headers={"Content-Type": mime_type})

        def open(self, url, data=None, timeout=None):  # never reach urllib's openers
            return self.fetch(getattr(url, "full_url", url))

    return StaticFetcher


def __getattr__(name: str):
    if name == "StaticFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
