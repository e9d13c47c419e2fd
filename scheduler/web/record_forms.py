"""The forms of the reception log, trainings and meeting minutes (Flask-WTF: every POST form carries the
CSRF token). They check what they can alone; the use cases check the rest and name the field to blame."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from scheduler.attendance.consultations import REFERRAL_ZH
from scheduler.web.forms import REQUIRED, MultiCheckboxField, QueryForm, options, plausible

REFERRAL_LABELS = {
    "litigation": _l("诉讼"),
    "arbitration": _l("仲裁"),
    "administrative_review": _l("行政复议"),
    "legal_aid": _l("法律援助"),
    "other_department": _l("其他部门"),
    "none": _l("无"),
}
assert set(REFERRAL_LABELS) == set(REFERRAL_ZH)
TRAINING_STATUS_LABELS = {
    "invited": _l("未登记"),
    "attended": _l("出席"),
    "absent": _l("缺席"),
    "excused": _l("请假"),
}


class ConsultationForm(FlaskForm):
    """One consultation; the lawyer is chosen only on the clerk's page."""

    lawyer = SelectField(_l("值班律师"), coerce=int, validate_choice=False)
    time = TimeField(_l("接待时间"), validators=[InputRequired(REQUIRED)])
    visitors = IntegerField(_l("来访人数"), validators=[InputRequired(REQUIRED)], default=1)
    category = SelectField(_l("事项类别"), validate_choice=False)
    referral = SelectField(
        _l("引导去向"), choices=options(REFERRAL_LABELS.items()), default="none", validate_choice=False
    )
    advice = TextAreaField(_l("解答意见（请勿填写来访人姓名等身份信息）"), validators=[Length(max=2000)])


class RemoveForm(FlaskForm):
    reason = StringField(_l("理由（可选）"), validators=[Length(max=500)])


class MonthQuery(QueryForm):
    month = StringField(_l("月份（年-月）"), validators=[Optional()])

    def year_month(self, default: tuple[int, int]) -> tuple[int, int] | None:
        """(year, month) asked for, the default when none is, None when the text is not a month."""
        text = (self.month.data or "").strip()
        if not text:
            return default
        parts = text.replace("/", "-").split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            self.month.errors = [_l("请按“年-月”填写月份，例如 2026-03。")]
            return None
        return int(parts[0]), int(parts[1])


class CategoryForm(FlaskForm):
    name = StringField(_l("类别名称"), validators=[InputRequired(REQUIRED), Length(max=40)])
    active = BooleanField(_l("在用"), default=True)


class TrainingForm(FlaskForm):
    title = StringField(_l("培训名称"), validators=[InputRequired(REQUIRED), Length(max=200)])
    date = DateField(_l("日期"), validators=[InputRequired(REQUIRED), plausible])
    start = TimeField(_l("开始时间"), validators=[InputRequired(REQUIRED)])
    end = TimeField(_l("结束时间"), validators=[InputRequired(REQUIRED)])
    location = StringField(_l("地点"), validators=[Length(max=200)])
    organiser = StringField(_l("主办单位"), validators=[Length(max=200)])
    content = TextAreaField(_l("培训内容"), validators=[Length(max=2000)])


class InviteForm(FlaskForm):
    lawyers = StringField(_l("律师（执业证号或姓名，多个用逗号分隔）"), validators=[Length(max=4000)])
    offices = MultiCheckboxField(_l("信访局的全部律师"), validate_choice=False)
    firms = MultiCheckboxField(_l("律师事务所的全部律师"), coerce=int, validate_choice=False)


class TrainingAttendanceForm(FlaskForm):
    lawyer_id = IntegerField(validators=[InputRequired(), NumberRange(1, 2**31 - 1)])
    status = SelectField(
        _l("出勤情况"),
        choices=options((k, v) for k, v in TRAINING_STATUS_LABELS.items() if k != "invited"),
        validate_choice=False,
    )
    note = StringField(_l("备注"), validators=[Length(max=500)])


class MinutesForm(FlaskForm):
    meeting_date = DateField(_l("会议日期"), validators=[InputRequired(REQUIRED), plausible])
    document = FileField(_l("会议纪要（PDF、DOCX 或 ODT，不超过 5 MB）"), validators=[FileRequired(REQUIRED)])


class DecisionForm(FlaskForm):
    meeting_date = DateField(_l("会议日期"), validators=[InputRequired(REQUIRED), plausible])
    text = TextAreaField(_l("议定事项"), validators=[InputRequired(REQUIRED), Length(max=1000)])
    owner = StringField(_l("责任人"), validators=[InputRequired(REQUIRED), Length(max=100)])
    due = DateField(_l("完成期限"), validators=[InputRequired(REQUIRED), plausible])
