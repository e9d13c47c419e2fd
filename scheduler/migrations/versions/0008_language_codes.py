"""language codes: lawyers' and offices' languages and duties' language become vocabulary codes

Revision ID: 0008y
Revises: 0006
Create Date: 2026-12-04

Until now a language was free text, so a lawyer recorded with 布依语 or Buyi never counted as a
speaker where an office wanted `buyi`. Every stored spelling the vocabulary knows becomes its code;
a spelling it does not know is kept as typed (a migration cannot ask anyone) and the planner pages
show it unchanged until someone corrects the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from scheduler.core.languages import code_of

revision: str = "0008y"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _codes(values: Any) -> list[str]:
    found: list[str] = []
    for value in values or []:
        code = code_of(str(value)) or str(value)
        if code not in found:
            found.append(code)
    return found


def upgrade() -> None:
    bind = op.get_bind()
    for table, column in (("lawyers", "languages"), ("offices", "wanted_languages")):
        t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.JSON))
        for row_id, values in bind.execute(sa.select(t.c.id, t.c[column])).all():
            codes = _codes(values)
            if codes != list(values or []):
                bind.execute(sa.update(t).where(t.c.id == row_id).values({column: codes}))
    duties = sa.table("duties", sa.column("id", sa.Integer), sa.column("language", sa.String))
    for row_id, value in bind.execute(sa.select(duties.c.id, duties.c.language).where(duties.c.language.isnot(None))):
        code = code_of(value)
        if code and code != value:
            bind.execute(sa.update(duties).where(duties.c.id == row_id).values(language=code))


def downgrade() -> None:
    # Codes are valid free text: the earlier schema reads them as they are.
    pass
