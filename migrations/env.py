"""Alembic environment: the URL comes from the caller or from the environment."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from quote.store.db import create_store_engine, database_url
from quote.store.migrate import check_foreign_keys, sqlite_foreign_keys
from quote.store.models import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # quote.store.migrate(): the caller's connection
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_store_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        with engine.connect() as connection:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:  # as quote.store.migrate.upgrade does: tables are rebuilt on SQLite
                sqlite_foreign_keys(connection, on=False)
            try:
                with connection.begin():
                    _configure(connection)
                    with context.begin_transaction():
                        context.run_migrations()
                    if sqlite:
                        check_foreign_keys(connection)
            finally:
                if sqlite:
                    sqlite_foreign_keys(connection, on=True)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
