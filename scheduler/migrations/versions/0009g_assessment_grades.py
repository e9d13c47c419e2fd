"""assessment grades: a grade per lawyer per year, computed with its reasons, and the planner's override

Revision ID: 0009g
Revises: 0009m
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009g"
down_revision: str | None = "0009m"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out: a migration must not change when the model's constants do.
GRADES = "'excellent', 'competent', 'basic', 'incompetent'"


def upgrade() -> None:
    op.create_table(
        "assessment_grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("computed", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("override", sa.String(length=16), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=False),
        sa.Column("overridden_by", sa.String(length=80), nullable=False),
        sa.Column("overridden_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"computed IN ({GRADES})", name=op.f("ck_assessment_grades_computed")),
        sa.CheckConstraint(f"override IS NULL OR override IN ({GRADES})", name=op.f("ck_assessment_grades_override")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_assessment_grades_year")),
        sa.ForeignKeyConstraint(
            ["lawyer_id"], ["lawyers.id"], name=op.f("fk_assessment_grades_lawyer_id_lawyers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_grades")),
        sa.UniqueConstraint("year", "lawyer_id", name=op.f("uq_assessment_grades_year_lawyer_id")),
    )
    with op.batch_alter_table("assessment_grades", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_grades_lawyer_id"), ["lawyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_grades_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_grades", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_grades_year"))
        batch_op.drop_index(batch_op.f("ix_assessment_grades_lawyer_id"))
    op.drop_table("assessment_grades")
