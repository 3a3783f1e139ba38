"""open cases index: a department's open cases, due soonest first (the staff queues)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_open_department_due",
        "cases",
        ["department_id", "due_at", "id", "jurisdiction_id", "status"],
        postgresql_where=sa.text("closed_at IS NULL"),
        sqlite_where=sa.text("closed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_open_department_due", table_name="cases")
