"""account lockout and revocable sessions

`locked_until`: after too many failed sign-ins an account refuses every sign-in until then (the time grows
with each further failure). `session_version`: a browser session carries the version it was started with;
signing out, changing the password or disabling the account raises it, which ends every session at once.

Revision ID: 0007b
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007b"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
        batch.drop_column("locked_until")
