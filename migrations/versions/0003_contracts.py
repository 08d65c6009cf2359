"""Customers with contacts, contracts with their history, and offers linked to them.

New tables: counters, customers, contacts, contracts, contract_events. Offers gain
``kind`` (existing rows: 'new'), ``term_start`` (null for existing rows),
``contract_id`` and ``customer_id``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Check constraints are named with op.f(): the names are final, not run through the
# naming convention of quote.store.models again.
# Money: NUMERIC(18, 2) on PostgreSQL, integer cents on SQLite (exact; see quote/store/types.py).
MONEY = sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("company_key", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("vat_id", sa.String(20), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("owner_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_customers_owner_id_users"), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("language IN ('en', 'de', 'ru')", name=op.f("ck_customers_language")),
    )
    op.create_index("ix_customers_company_key_country", "customers", ["company_key", "country"])
    op.create_index("ix_customers_owner_id", "customers", ["owner_id"])
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Integer(),
                  sa.ForeignKey("customers.id", ondelete="CASCADE",
                                name="fk_contacts_customer_id_customers"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("position", sa.String(200), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_contacts_customer_id", "contacts", ["customer_id"])
    op.create_index("ix_contacts_primary", "contacts", ["customer_id"], unique=True,
                    sqlite_where=sa.text("is_primary"), postgresql_where=sa.text("is_primary"))
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("customer_id", sa.Integer(),
                  sa.ForeignKey("customers.id", name="fk_contracts_customer_id_customers"),
                  nullable=False),
        sa.Column("rate_card_id", sa.String(40), nullable=False),
        sa.Column("rate_card_version", sa.String(40), nullable=False),
        sa.Column("package_id", sa.String(30), nullable=False),
        sa.Column("deployment", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("license_value", MONEY, nullable=False),
        sa.Column("environments", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("billing", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_contracts_owner_id_users"), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("status IN ('active', 'cancelled')", name=op.f("ck_contracts_status")),
        sa.CheckConstraint("deployment IN ('on_site', 'on_demand')",
                           name=op.f("ck_contracts_deployment")),
        sa.CheckConstraint("billing IN ('prepaid', 'annual')", name=op.f("ck_contracts_billing")),
        sa.CheckConstraint("term_years BETWEEN 1 AND 10", name=op.f("ck_contracts_term_years")),
        sa.CheckConstraint("environments >= 1", name=op.f("ck_contracts_environments")),
        sa.UniqueConstraint("number", name="uq_contracts_number"),
    )
    op.create_index("ix_contracts_customer_id", "contracts", ["customer_id"])
    op.create_index("ix_contracts_owner_id", "contracts", ["owner_id"])
    op.create_index("ix_contracts_status_term_end", "contracts", ["status", "term_end"])
    op.create_table(
        "contract_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contract_id", sa.Integer(),
                  sa.ForeignKey("contracts.id", ondelete="CASCADE",
                                name="fk_contract_events_contract_id_contracts"),
                  nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("offer_id", sa.Integer(),
                  sa.ForeignKey("offers.id", name="fk_contract_events_offer_id_offers"),
                  nullable=True),
        sa.Column("license_value_added", MONEY, nullable=False),
        sa.Column("environments_added", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_contract_events_user_id_users"),
                  nullable=True),
        sa.CheckConstraint("kind IN ('created', 'imported', 'top_up', 'renewal', "
                           "'reinstatement', 'cancelled')", name=op.f("ck_contract_events_kind")),
        sa.UniqueConstraint("offer_id", name="uq_contract_events_offer_id"),
    )
    op.create_index("ix_contract_events_contract_id", "contract_events", ["contract_id"])

    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False,
                                   server_default="new"))
        batch.add_column(sa.Column("term_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("contract_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("customer_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_offers_contract_id_contracts", "contracts",
                                 ["contract_id"], ["id"])
        batch.create_foreign_key("fk_offers_customer_id_customers", "customers",
                                 ["customer_id"], ["id"])
        batch.create_check_constraint(
            op.f("ck_offers_kind"),
            sa.text("kind IN ('new', 'top_up', 'renewal', 'reinstatement')"))
        batch.create_index("ix_offers_contract_id", ["contract_id"])
        batch.create_index("ix_offers_customer_id", ["customer_id"])


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_index("ix_offers_customer_id")
        batch.drop_index("ix_offers_contract_id")
        batch.drop_constraint(op.f("ck_offers_kind"), type_="check")
        batch.drop_constraint("fk_offers_customer_id_customers", type_="foreignkey")
        batch.drop_constraint("fk_offers_contract_id_contracts", type_="foreignkey")
        batch.drop_column("customer_id")
        batch.drop_column("contract_id")
        batch.drop_column("term_start")
        batch.drop_column("kind")
    op.drop_table("contract_events")
    op.drop_table("contracts")
    op.drop_table("contacts")
    op.drop_table("customers")
    op.drop_table("counters")
