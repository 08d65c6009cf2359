"""Initial schema: users, API tokens, offers with lines, PDF cache, counters, idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Money: NUMERIC(18, 2) on PostgreSQL, integer cents on SQLite (exact; see quote/store/types.py).
MONEY = sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("role IN ('sales', 'finance', 'admin')", name="ck_users_role"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="CASCADE",
                                name="fk_api_tokens_user_id_users"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "offer_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_changed_at", UTC_TIME, nullable=True),
        sa.Column("replaces_id", sa.Integer(),
                  sa.ForeignKey("offers.id", name="fk_offers_replaces_id_offers"),
                  nullable=True),
        sa.Column("issuer_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_offers_issuer_id_users"), nullable=True),
        sa.Column("public_token_hash", sa.String(64), nullable=True),
        sa.Column("issued_at", UTC_TIME, nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("rate_card_id", sa.String(40), nullable=False),
        sa.Column("rate_card_version", sa.String(40), nullable=False),
        sa.Column("rate_card_sha256", sa.String(64), nullable=False),
        sa.Column("package_id", sa.String(30), nullable=False),
        sa.Column("package_name", sa.String(200), nullable=False),
        sa.Column("customer_company", sa.String(200), nullable=False),
        sa.Column("customer_contact", sa.String(200), nullable=False),
        sa.Column("customer_email", sa.String(254), nullable=False),
        sa.Column("customer_country", sa.String(100), nullable=False),
        sa.Column("customer_search", sa.Text(), nullable=False),
        sa.Column("subtotal", MONEY, nullable=False),
        sa.Column("discount", MONEY, nullable=False),
        sa.Column("net", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('issued', 'accepted', 'withdrawn', 'superseded')",
                           name="ck_offers_status"),
        sa.UniqueConstraint("number", name="uq_offers_number"),
        sa.UniqueConstraint("replaces_id", name="uq_offers_replaces_id"),
        sa.UniqueConstraint("public_token_hash", name="uq_offers_public_token_hash"),
    )
    op.create_index("ix_offers_issued_at", "offers", ["issued_at"])
    op.create_index("ix_offers_status_valid_until", "offers", ["status", "valid_until"])
    op.create_index("ix_offers_rate_card_id", "offers", ["rate_card_id"])
    op.create_index("ix_offers_issuer_id", "offers", ["issuer_id"])
    op.create_table(
        "offer_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", ondelete="CASCADE",
                                name="fk_offer_lines_offer_id_offers"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.UniqueConstraint("offer_id", "position", name="uq_offer_lines_offer_id"),
    )
    op.create_table(
        "offer_pdfs",
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", ondelete="CASCADE",
                                name="fk_offer_pdfs_offer_id_offers"), primary_key=True),
        sa.Column("language", sa.String(5), primary_key=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="CASCADE",
                                name="fk_idempotency_keys_user_id_users"), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", ondelete="CASCADE",
                                name="fk_idempotency_keys_offer_id_offers"), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("offer_pdfs")
    op.drop_table("offer_lines")
    op.drop_table("offers")
    op.drop_table("offer_counters")
    op.drop_table("api_tokens")
    op.drop_table("users")
