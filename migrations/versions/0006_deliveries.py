"""E-mail deliveries of offers: what was sent to whom, and how it went.

New table: deliveries (one row per e-mail about an offer, with its status, attempts
and last error, and the hash of the link it carries).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", ondelete="CASCADE",
                                name="fk_deliveries_offer_id_offers"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("sender_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_deliveries_sender_id_users"),
                  nullable=True),
        sa.Column("link_hash", sa.String(64), nullable=True),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_attempt_at", UTC_TIME, nullable=True),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.CheckConstraint("kind IN ('offer', 'request_notice', 'reminder', 'link', "
                           "'acceptance_notice')", name=op.f("ck_deliveries_kind")),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'cancelled')",
                           name=op.f("ck_deliveries_status")),
        sa.UniqueConstraint("link_hash", name="uq_deliveries_link_hash"),
    )
    op.create_index("ix_deliveries_offer_id_kind", "deliveries", ["offer_id", "kind"])
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("deliveries")
