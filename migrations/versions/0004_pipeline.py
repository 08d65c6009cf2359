"""The sales pipeline: when a self-service request was first looked at by sales, and a
phone number for every user (the seller's named contact on an offer).

Offers gain ``seen_at`` and ``seen_by_id`` (null: not looked at yet; existing offers
count as seen, so the inbox starts empty rather than with every old request); users
gain ``phone`` (empty for existing users).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("phone", sa.String(50), nullable=False, server_default=""))
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("seen_at", UTC_TIME, nullable=True))
        batch.add_column(sa.Column("seen_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_offers_seen_by_id_users", "users", ["seen_by_id"], ["id"])
        batch.create_index("ix_offers_seen_at", ["seen_at"])
    offers = sa.table("offers", sa.column("seen_at", UTC_TIME),
                      sa.column("issued_at", UTC_TIME))
    op.execute(offers.update().values(seen_at=offers.c.issued_at))


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_index("ix_offers_seen_at")
        batch.drop_constraint("fk_offers_seen_by_id_users", type_="foreignkey")
        batch.drop_column("seen_by_id")
        batch.drop_column("seen_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("phone")
