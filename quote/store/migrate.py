"""Alembic, driven from Python: ``migrate(url)`` is what the app and the tests call."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

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
    """Run the migrations up to ``revision`` on ``engine``, in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def migrate(url: str, revision: str = "head") -> None:
    """``alembic upgrade head`` for the database at ``url``."""
    engine = create_store_engine(url)
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()


__all__ = ["alembic_config", "migrate", "upgrade"]
