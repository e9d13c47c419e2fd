"""a duty's own scope and place

A leader reception day (党政领导信访接待日) is held where and about what the leader says, not at the
window: its event showed the window's scope and the office's address. Empty: the office's (a window day).

Revision ID: 0007c
Revises: 0007a
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007c"
down_revision: str | None = "0007a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.add_column(sa.Column("scope", sa.String(length=2000), nullable=False, server_default=""))
        batch.add_column(sa.Column("place", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("duties") as batch:
        batch.drop_column("place")
        batch.drop_column("scope")
