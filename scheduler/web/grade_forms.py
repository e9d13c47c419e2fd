"""The forms of the assessment grades (Flask-WTF: every POST form carries the CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from scheduler.attendance.grades import GRADES
from scheduler.attendance.grading import REASON_LIMIT
from scheduler.web.forms import options

GRADE_NAMES = {
    "excellent": _l("优秀"),
    "competent": _l("称职"),
    "basic": _l("基本称职"),
    "incompetent": _l("不称职"),
}
assert tuple(GRADE_NAMES) == GRADES


class ComputeGradesForm(FlaskForm):
    """Compute (or recompute) the year's grades; overrides are kept."""


class OverrideGradeForm(FlaskForm):
    grade = SelectField(_l("考核等次"), choices=options(GRADE_NAMES.items()), validate_choice=False)
    reason = StringField(
        _l("调整理由"),
        validators=[
            InputRequired(_l("请写明调整理由。")),
            Length(max=REASON_LIMIT, message=_l("调整理由不能超过 500 个字。")),
        ],
    )
