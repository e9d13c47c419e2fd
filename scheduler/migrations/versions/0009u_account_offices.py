"""accounts scoped to offices, display names, temporary passwords and reset links

`user_offices`: the offices a clerk's or planner's account may act on; `all_offices` marks the prefecture
bureau's staff, who act on every office. Existing planner, clerk and admin accounts could act on every office
before, so they keep that (`all_offices` true); an admin narrows them on the admin page.
`display_name`: the name shown on pages and in the audit log. `must_change_password`: set by a temporary
password. `reset_token_hash`/`reset_expires_at`: a one-time reset link (only the token's SHA-256 is kept).

Revision ID: 0009u
Revises: 0008y2
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009u"
down_revision: str | None = "0008y2"
branch_labels: str | Sequence[str] | None = None
# The users table (0005) and its columns of 0007b live on another branch of the history.
depends_on: str | Sequence[str] | None = "0007b"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=60), nullable=False, server_default=""))
        batch.add_column(sa.Column("all_offices", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("reset_token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("reset_expires_at", sa.DateTime(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_users_reset_token_hash"), ["reset_token_hash"])
        batch.create_check_constraint(
            batch.f("ck_users_reset_expiry"), "reset_token_hash IS NULL OR reset_expires_at IS NOT NULL"
        )
    op.execute(sa.text("UPDATE users SET all_offices = :yes WHERE role <> 'lawyer'").bindparams(yes=True))
    op.create_table(
        "user_offices",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_offices_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_user_offices_office_id_offices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "office_id", name=op.f("pk_user_offices")),
    )


def downgrade() -> None:
    op.drop_table("user_offices")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(batch.f("ck_users_reset_expiry"), type_="check")
        batch.drop_constraint(batch.f("uq_users_reset_token_hash"), type_="unique")
        batch.drop_column("reset_expires_at")
        batch.drop_column("reset_token_hash")
        batch.drop_column("must_change_password")
        batch.drop_column("all_offices")
        batch.drop_column("display_name")
