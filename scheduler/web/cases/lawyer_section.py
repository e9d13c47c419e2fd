"""The lawyer's page section of their entrusted cases and due dates.

The lawyer page (web/lawyer.py, templates/lawyer/index.html) only includes "cases/_lawyer.html"; what it
shows comes from the template global `my_cases()` registered here, so that the lawyer page's view needs
no change and pays for the query only where the section is drawn.
"""

from __future__ import annotations

from scheduler.casework.views import CaseRow, lawyer_cases
from scheduler.web import db_session, today
from scheduler.web.auth import current_account
from scheduler.web.cases.blueprint import bp
from scheduler.web.cases.forms import STATUS_LABELS


@bp.app_template_global("my_cases")
def my_cases() -> list[CaseRow]:
    """The signed-in lawyer's cases, open ones by due date first (empty for an account without a lawyer)."""
    lawyer_id = current_account().lawyer_id
    return lawyer_cases(db_session(), lawyer_id, today()) if lawyer_id is not None else []


@bp.app_template_filter("case_status")
def case_status(code: str) -> str:
    """A case status in the reader's language (受理, 办理中, ...)."""
    return str(STATUS_LABELS[code])
