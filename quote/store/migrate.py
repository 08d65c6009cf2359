"""Alembic, driven from Python: ``migrate(url)`` is what the app and the tests call."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from .. import resources
from .db import create_store_engine


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of ``alembic.ini``, without its logging setup."""
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


__all__ = ["alembic_config", "migrate", "upgrade"]
