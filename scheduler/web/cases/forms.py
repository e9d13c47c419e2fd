"""The forms of the entrusted cases pages (Flask-WTF: every POST carries the CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from scheduler.casework.cases import STATUS_NAMES, CaseFields
from scheduler.web.forms import ANY_LANGUAGE, REQUIRED, MultiCheckboxField, language_choices, options, plausible

STATUS_LABELS = {
    "accepted": _l("受理"),
    "in_progress": _l("办理中"),
    "opinion_given": _l("已出具意见"),
    "closed": _l("已结案"),
    "withdrawn": _l("撤回"),
}
assert set(STATUS_LABELS) == set(STATUS_NAMES)


class CaseForm(FlaskForm):
    title = StringField(_l("案件名称（不写信访人身份）"), validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = TextAreaField(_l("案情摘要（不写信访人身份）"), validators=[Length(max=4000)])
    category = StringField(_l("案件类别"), validators=[DataRequired(REQUIRED), Length(max=40)])
    office = SelectField(_l("委托单位"), validators=[DataRequired(REQUIRED)])
    leader = StringField(_l("包案领导"), validators=[Length(max=100)])
    language = SelectField(_l("需要的语言（可选）"), default="", choices=lambda: [ANY_LANGUAGE, *language_choices()])
    entrusted_on = DateField(_l("委托日期"), validators=[InputRequired(REQUIRED), plausible])
    due_date = DateField(_l("办理期限"), validators=[InputRequired(REQUIRED), plausible])

    def validate_due_date(self, field: DateField) -> None:
        if field.data and self.entrusted_on.data and field.data < self.entrusted_on.data:
            raise ValidationError(_l("办理期限早于委托日期。"))

    def value(self) -> CaseFields:
        assert self.entrusted_on.data and self.due_date.data
        return CaseFields(
            title=self.title.data or "",
            summary=self.summary.data or "",
            category=self.category.data or "",
            office_code=self.office.data or "",
            leader=self.leader.data or "",
            entrusted_on=self.entrusted_on.data,
            due_date=self.due_date.data,
            language=self.language.data or "",
        )


class AssignForm(FlaskForm):
    lawyers = MultiCheckboxField(_l("承办律师"), coerce=int)
    reason = StringField(_l("说明（可选）"), validators=[Length(max=500)])


class StatusForm(FlaskForm):
    status = SelectField(_l("新状态"), choices=options(STATUS_LABELS.items()))
    reason = StringField(_l("说明（可选）"), validators=[Length(max=500)])


class OpinionForm(FlaskForm):
    # Type and size are checked by the use case (content too, not only the name), so that the page and the
    # command line refuse the same files with the same words.
    file = FileField(_l("法律意见书（PDF、DOCX 或 ODT，最大 8 MB）"), validators=[FileRequired(REQUIRED)])
