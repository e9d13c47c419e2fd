"""audit details: the names a log sentence needs (snapshot at write time), the people and offices it concerns

Revision ID: 0009n
Revises: 0008y2
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009n"
down_revision: str | None = "0008y2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("people", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "audit_event_offices",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("audit_events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("office_id", sa.Integer(), primary_key=True),
    )
    op.create_index("ix_audit_event_offices_office_id", "audit_event_offices", ["office_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_offices_office_id", table_name="audit_event_offices")
    op.drop_table("audit_event_offices")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("people")
        batch.drop_column("details")
