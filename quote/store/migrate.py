"""Alembic, driven from Python: ``migrate(url)`` is what the app and the tests call."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .db import PROJECT_DIR, create_store_engine

MIGRATIONS_DIR = PROJECT_DIR / "migrations"
ALEMBIC_INI = PROJECT_DIR / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of ``alembic.ini``, without its logging setup."""
    config = Config(str(ALEMBIC_INI) if ALEMBIC_INI.exists() else None)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
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


__all__ = ["MIGRATIONS_DIR", "alembic_config", "migrate", "upgrade"]
