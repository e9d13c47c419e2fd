"""solve jobs

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "solve_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'succeeded', 'failed')", name=op.f("ck_solve_jobs_state")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_solve_jobs_period")),
        sa.CheckConstraint("time_limit_s > 0", name=op.f("ck_solve_jobs_time_limit")),
        sa.ForeignKeyConstraint(
            ["roster_id"], ["rosters.id"], name=op.f("fk_solve_jobs_roster_id_rosters"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solve_jobs")),
    )
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.create_index(
            "uq_solve_jobs_one_active",
            ["period_start", "period_end"],
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_solve_jobs_one_active",
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        )
    op.drop_table("solve_jobs")
