"""audit details: the names a log sentence needs (snapshot at write time), the people and offices it concerns;
lawyers' names in pinyin for paged lists in pinyin order

Revision ID: 0009n
Revises: 0009u
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from scheduler.core.names import sort_text

revision: str = "0009n"
down_revision: str | None = "0009u"
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
    with op.batch_alter_table("lawyers") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=240), nullable=False, server_default=""))
        batch.create_index("ix_lawyers_name_key", ["name_key"])
    lawyers = sa.table("lawyers", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key"))
    bind = op.get_bind()
    for lawyer_id, name in bind.execute(sa.select(lawyers.c.id, lawyers.c.name)).all():
        bind.execute(lawyers.update().where(lawyers.c.id == lawyer_id).values(name_key=sort_text(name)))


def downgrade() -> None:
    with op.batch_alter_table("lawyers") as batch:
        batch.drop_index("ix_lawyers_name_key")
        batch.drop_column("name_key")
    op.drop_index("ix_audit_event_offices_office_id", table_name="audit_event_offices")
    op.drop_table("audit_event_offices")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("people")
        batch.drop_column("details")
