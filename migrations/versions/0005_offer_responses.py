"""Customers' answers to offers: accepted or declined, by whom, when, from where, which
document; offers may be ``declined``; cached PDFs say what they were made for.

New table: offer_responses. ``offers.status`` also allows 'declined'. ``offer_pdfs``
gains ``made_for`` ('open': the empty acceptance block, 'accepted': the filled one);
the PDFs cached so far are dropped, since the offer template gained the acceptance
block (they are rendered again when asked for).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)
OLD_STATUSES = "status IN ('issued', 'accepted', 'withdrawn', 'superseded')"
NEW_STATUSES = "status IN ('issued', 'accepted', 'declined', 'withdrawn', 'superseded')"

# 0001 named the status check "ck_offers_status", and the naming convention made that
# "ck_offers_ck_offers_status" in the database; this migration names it as written.
OLD_STATUS_CHECK = "ck_offers_ck_offers_status"


def upgrade() -> None:
    op.create_table(
        "offer_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", ondelete="CASCADE",
                                name="fk_offer_responses_offer_id_offers"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.String(200), nullable=False),
        sa.Column("purchase_order", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("remote_addr", sa.String(45), nullable=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_offer_responses_user_id_users"),
                  nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("kind IN ('accepted', 'declined')",
                           name=op.f("ck_offer_responses_kind")),
        sa.UniqueConstraint("offer_id", name="uq_offer_responses_offer_id"),
    )
    with op.batch_alter_table("offers") as batch:
        batch.drop_constraint(op.f(OLD_STATUS_CHECK), type_="check")
        batch.create_check_constraint(op.f("ck_offers_status"), sa.text(NEW_STATUSES))
    op.execute("DELETE FROM offer_pdfs")
    with op.batch_alter_table("offer_pdfs") as batch:
        batch.add_column(sa.Column("made_for", sa.String(20), nullable=False,
                                   server_default="open"))


def downgrade() -> None:
    with op.batch_alter_table("offer_pdfs") as batch:
        batch.drop_column("made_for")
    op.execute("DELETE FROM offer_pdfs")
    # a declined offer was open before it was declined
    op.execute("UPDATE offers SET status = 'issued' WHERE status = 'declined'")
    with op.batch_alter_table("offers") as batch:
        batch.drop_constraint(op.f("ck_offers_status"), type_="check")
        batch.create_check_constraint(op.f(OLD_STATUS_CHECK), sa.text(OLD_STATUSES))
    op.drop_table("offer_responses")
