"""Where the database is, how to connect, and the ``Store`` that hands out sessions.

Nothing here connects at import time: ``Store(url)`` builds the engine, the
first session opens the first connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .. import resources

SQLITE_FILE = "quote.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_sqlite_path(environ: Mapping[str, str] | None = None) -> Path:
    """``quote.db`` in the instance folder (``QUOTE_INSTANCE_PATH``, else ``instance/``)."""
    return resources.instance_dir(environ) / SQLITE_FILE


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """``QUOTE_DATABASE_URL``, else ``DATABASE_URL``, else ``quote.db`` in the instance folder."""
    environ = os.environ if environ is None else environ
    url = environ.get("QUOTE_DATABASE_URL") or environ.get("DATABASE_URL")
    return normalize_url(url) if url else f"sqlite:///{default_sqlite_path(environ)}"


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for any PostgreSQL URL (``postgres://`` included)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_store_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; for SQLite: foreign keys on, WAL, ``BEGIN IMMEDIATE`` writes.

    A relative SQLite path is taken relative to the project folder (the
    checkout, or the working directory of an installed package; see
    ``quote.resources``), and the file's folder is created.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            path = resources.project_dir() / path
            parsed = parsed.set(database=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **kwargs)
    if sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is switched off so that SQLAlchemy
    # emits BEGIN itself: BEGIN IMMEDIATE takes the write lock at the start of
    # a writing transaction (waiting up to the busy timeout for another
    # writer), so two processes never both read a counter and then fail to
    # upgrade to writing. Read-only sessions use a plain (deferred) BEGIN.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get("quote_read_only"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """The database of issued offers and users.

    >>> store = Store("sqlite:///instance/quote.db")   # or Store() for the environment's URL
    >>> store.migrate()
    >>> with store.session() as session:               # one transaction: commit or roll back
    ...     issued = offers.issue(session, draft, issuer_id=user.id)
    """

    def __init__(self, url: str | None = None, **engine_kwargs):
        self.url = normalize_url(url) if url else database_url()
        self.engine = create_store_engine(self.url, **engine_kwargs)
        from .models import partial_indexes_for  # the models import the core; see there

        partial_indexes_for(self.engine.dialect.name)
        self._read_engine = self.engine.execution_options(quote_read_only=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed at the end of the block, rolled back on error.

        ``read_only=True`` is for blocks that only read: on SQLite it does not
        take the write lock (the data it reads is a consistent snapshot).
        Objects stay readable after the block (``expire_on_commit=False``).
        """
        factory = self._read_sessions if read_only else self._sessions
        with factory() as session:
            try:
                yield session
                # also for read-only blocks: a rollback would expire the objects read
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def migrate(self) -> None:
        """Bring the schema to the latest revision (``alembic upgrade head``)."""
        from .migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
