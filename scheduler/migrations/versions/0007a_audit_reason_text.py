"""audit and proposal reasons as text

A version's audit event keeps the change's reason beside other words ("swap request 12: <message>",
"(override: <reason>)"): each part fits its own 500-character field, the whole did not fit String(500),
and PostgreSQL refused the change (the proposal or swap request could never be applied).

Revision ID: 0007a
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007a"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("audit_events", "proposals")  # a swap request's proposal: "swap request 12: <message>"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("reason", existing_type=sa.String(length=500), type_=sa.Text())


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("reason", existing_type=sa.Text(), type_=sa.String(length=500))
