"""Alembic, driven from Python: ``migrate(url)`` is what the app and the tests call.

Alembic itself (and the migration scripts) are loaded only when there is something to
do: ``upgrade`` first compares the database's ``alembic_version`` with the revisions the
scripts name (``head_revisions``, read from the files' ``revision`` and
``down_revision`` lines), which is all a start of the app needs on a database that is
up to date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, exc, text

from .. import resources
from .db import create_store_engine

if TYPE_CHECKING:
    from alembic.config import Config

# ``revision = "0007"`` and ``down_revision = "0006"`` (or None, or a tuple of revisions
# where branches merge) as the scripts write them.
_REVISION = re.compile(r'^revision(?:: str)? = ["\']([^"\']+)["\']\s*$', re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:: [^=]+)? = (.+)$", re.MULTILINE)
_NAMED = re.compile(r'["\']([^"\']+)["\']')


def head_revisions() -> frozenset[str] | None:
    """The revisions no script builds on (Alembic's heads), read from the scripts' text;
    None where a script does not say it plainly (then Alembic decides)."""
    revisions: set[str] = set()
    below: set[str] = set()
    for script in sorted((resources.migrations_dir() / "versions").glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION.findall(source)
        down = _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        value = down[0].strip()
        if value != "None":
            named = _NAMED.findall(value)
            if not named:
                return None
            below.update(named)
    heads = revisions - below
    return frozenset(heads) if heads and below <= revisions else None


def database_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (its ``alembic_version`` rows); none for a
    database that was never migrated."""
    reading = engine.execution_options(quote_read_only=True)  # no write lock on SQLite
    try:
        with reading.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(row[0] for row in rows)
    except exc.DBAPIError:  # no such table
        return frozenset()


def is_up_to_date(engine: Engine) -> bool:
    """Whether the database is at the scripts' head revision(s), so that ``alembic upgrade
    head`` would do nothing; asked without loading Alembic."""
    heads = head_revisions()
    return heads is not None and database_revisions(engine) == heads


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of ``alembic.ini``, without its logging setup."""
    from alembic.config import Config

    ini = resources.alembic_ini()
    config = Config(str(ini) if ini.exists() else None)
    config.set_main_option("script_location", str(resources.migrations_dir()))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on ``engine``, in one transaction.

    On SQLite the foreign keys are off while the migrations run (and checked before the
    commit): a migration that changes a table's constraints rebuilds the table (copy,
    drop, rename), and dropping a table with foreign keys on would delete the rows that
    refer to it (``ON DELETE CASCADE``: an offer's lines, its cached PDFs) or fail.
    """
    if revision == "head" and is_up_to_date(engine):
        return
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    check_foreign_keys(connection)
        finally:
            if sqlite:
                sqlite_foreign_keys(connection, on=True)


def sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys on or off for ``connection``, outside a transaction
    (SQLite ignores the pragma inside one), straight on the driver's connection."""
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    finally:
        cursor.close()


def check_foreign_keys(connection: Connection) -> None:
    """Refuse to commit migrations that left a row pointing at nothing (SQLite)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows with broken foreign keys: {broken[:5]}")


def migrate(url: str, revision: str = "head") -> None:
    """``alembic upgrade head`` for the database at ``url``."""
    engine = create_store_engine(url)
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()


__all__ = ["alembic_config", "head_revisions", "is_up_to_date", "migrate", "upgrade"]
