"""On PostgreSQL, offer snapshots are compressed with LZ4 instead of pglz.

An offer's snapshot (``offers.document_json``, the request, the result and the rate
card as issued; 10 to 20 KB) is stored out of line and compressed by PostgreSQL.
LZ4 compresses it about as well and much faster than the default pglz, which is
most of what storing an offer costs in a batch such as the renewal run
(``bench/renewals.py``). Only new rows are written with LZ4; existing ones stay
readable as they are. Servers without LZ4 (before PostgreSQL 14, or built without
it) and SQLite keep what they have.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(bind.exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'").scalar())


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE offers ALTER COLUMN document_json SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE offers ALTER COLUMN document_json SET COMPRESSION default")
