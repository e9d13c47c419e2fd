"""hotline duty: the consultation phone and mailbox of an office or the prefecture, and a duty type's fairness share

Revision ID: 0009h
Revises: 0009n
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009h"
down_revision: str | None = "0009n"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duty_types") as batch:
        batch.add_column(sa.Column("fairness_share", sa.Integer(), nullable=False, server_default="10"))
        batch.create_check_constraint(op.f("ck_duty_types_fairness_share"), "fairness_share BETWEEN 1 AND 10")
    op.create_table(
        "hotlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("mailbox", sa.String(length=120), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.CheckConstraint("needed BETWEEN 1 AND 10", name=op.f("ck_hotlines_needed")),
        sa.CheckConstraint("end_time > start", name=op.f("ck_hotlines_hours")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_hotlines_office_id_offices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotlines")),
        sa.UniqueConstraint("office_id", name=op.f("uq_hotlines_office_id")),
    )
    op.create_table(
        "hotline_offices",
        sa.Column("hotline_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hotline_id"], ["hotlines.id"], name=op.f("fk_hotline_offices_hotline_id_hotlines"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_hotline_offices_office_id_offices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hotline_id", "office_id", name=op.f("pk_hotline_offices")),
    )


def downgrade() -> None:
    op.drop_table("hotline_offices")
    op.drop_table("hotlines")
    with op.batch_alter_table("duty_types") as batch:
        batch.drop_constraint(op.f("ck_duty_types_fairness_share"), type_="check")
        batch.drop_column("fairness_share")
