"""open311: client applications and idempotent intake

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import czrm.kit.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "open311_clients",
        sa.Column("jurisdiction_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", czrm.kit.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", czrm.kit.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdictions.id"],
            name=op.f("fk_open311_clients_jurisdiction_id_jurisdictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_clients")),
        sa.UniqueConstraint("key_digest", name=op.f("uq_open311_clients_key_digest")),
    )
    with op.batch_alter_table("open311_clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_open311_clients_jurisdiction_id"), ["jurisdiction_id"], unique=False
        )

    op.create_table(
        "open311_idempotency",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_digest", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", czrm.kit.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["open311_clients.id"],
            name=op.f("fk_open311_idempotency_client_id_open311_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_idempotency")),
        sa.UniqueConstraint("client_id", "key", name=op.f("uq_open311_idempotency_client_id_key")),
    )


def downgrade() -> None:

    op.drop_table("open311_idempotency")
    with op.batch_alter_table("open311_clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open311_clients_jurisdiction_id"))

    op.drop_table("open311_clients")
