"""duty cancellation: a cancelled duty keeps its row (old versions refer to it) with when and why

Revision ID: 0008y2
Revises: 0008y
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008y2"
down_revision: str | None = "0008y"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_at")
