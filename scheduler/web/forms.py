"""The forms of the planner and clerk pages (Flask-WTF: every POST form carries the CSRF token).

A form checks what it can by itself (required fields, numbers, dates, choices) and names the field
in its message; what needs the database (a taken licence number...) the services check, raising
`FieldError(field, message)`, which `field_error` puts beside the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from markupsafe import escape
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from scheduler.core.dates import NotADate, parse_date
from scheduler.core.errors import FieldError
from scheduler.core.languages import LANGUAGES, name_en, name_zh
from scheduler.people.directory import LawyerFields, OfficeFields
from scheduler.people.lawyer_sheets import EMAIL
from scheduler.web.i18n import word


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """The choices of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


WEEKDAYS = options(
    (
        (0, _l("星期一")),
        (1, _l("星期二")),
        (2, _l("星期三")),
        (3, _l("星期四")),
        (4, _l("星期五")),
        (5, _l("星期六")),
        (6, _l("星期日")),
    )
)
LIST_SEPARATORS = re.compile(r"[;；,，、\s]+")
REQUIRED = _l("请填写此项。")
MAX_UPLOAD = 5 * 1024 * 1024  # a bureau's list of lawyers is a few hundred kilobytes
ID_RANGE = NumberRange(1, 2**31 - 1)  # a database id: a bigger number is a forged form, not a row


class TypedDateField(DateField):
    """A date as people type it (scheduler.core.dates: 2027年1月12日, 2027/1/12, 2027-1-12, 20270112 …).

    Rendered as a text box rather than the browser's date picker, so that a date can be typed or pasted
    the Chinese way; a text that is no date gets the message naming the field and what was typed."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {"placeholder": "2027-01-12", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if isinstance(self.data, dt.date) else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = " ".join(str(v) for v in valuelist).strip()
        if not text:
            self.data = None
            return
        try:
            self.data = parse_date(text)
        except NotADate as exc:
            self.data = None
            raise ValueError(word(exc)) from exc


def plausible(form: FlaskForm, field: DateField) -> None:
    """A date of this century: a typo like 0226 or 20266 must not reach date arithmetic or the database."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("请填写 2000 年到 2100 年之间的日期。"))


def items(text: str | None) -> tuple[str, ...]:
    """The entries of a field listing several (separated by commas, 、 or spaces), repeats dropped."""
    found: list[str] = []
    for part in LIST_SEPARATORS.split(text or ""):
        if part and part not in found:
            found.append(part)
    return tuple(found)


def field_error(form: FlaskForm, error: FieldError) -> None:
    """Show a service's refusal beside the field it names (or at the top of the form)."""
    field = getattr(form, error.field, None)
    if isinstance(field, Field):
        field.errors = [*field.errors, word(error)]
    else:
        form.form_errors.append(word(error))


class LanguageName:
    """A language's name in the reader's language, decided when the page is drawn (like a lazy string)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        # Imported here: the i18n module reads the request, and forms are built at import time.
        from scheduler.web.i18n import is_english

        return name_en(self.code) if is_english() else name_zh(self.code)

    def __html__(self) -> str:
        return str(escape(str(self)))


def language_choices() -> list[SelectChoice]:
    """Every language of the vocabulary, as choices of a form field."""
    return options((lang.code, LanguageName(lang.code)) for lang in LANGUAGES)


ANY_LANGUAGE = SelectChoice("", _l("（不限）"))


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QueryForm(FlaskForm):
    """A GET form (filters of a list): read from the query string, no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formdata=request.args, **kwargs)


class RangeForm(QueryForm):
    start = TypedDateField(_l("从"), validators=[Optional(), plausible])
    end = TypedDateField(_l("到"), validators=[Optional(), plausible])

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期早于开始日期。"))

    def span(self, default_start: dt.date, default_end: dt.date) -> tuple[dt.date, dt.date]:
        """The dates asked for, or the defaults (for both when either was bad)."""
        if not self.validate() or not self.start.data or not self.end.data:
            return default_start, default_end
        return self.start.data, self.end.data


# --- planner -------------------------------------------------------------------------------------


class SolveForm(FlaskForm):
    start = TypedDateField(_l("开始日期"), validators=[InputRequired(REQUIRED), plausible])
    end = TypedDateField(_l("结束日期"), validators=[InputRequired(REQUIRED), plausible])
    time_limit = IntegerField(
        _l("求解时间上限（秒）"),
        default=60,
        validators=[InputRequired(REQUIRED), NumberRange(5, 3600, _l("请填写 5 到 3600 之间的秒数。"))],
    )
    generate_windows = BooleanField(_l("先按各信访局的接待日生成本时段的窗口值班"), default=True)

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data:
            if field.data < self.start.data:
                raise ValidationError(_l("结束日期早于开始日期。"))
            if (field.data - self.start.data).days > 366:
                raise ValidationError(_l("一个排班时段最长一年。"))


class OfficeForm(FlaskForm):
    code = StringField(_l("代码"), validators=[Optional(), Length(max=16)])
    name = StringField(_l("名称"), validators=[DataRequired(REQUIRED), Length(max=100)])
    name_en = StringField(_l("英文名称"), validators=[Length(max=100)])
    level = SelectField(_l("级别"), choices=options([("county", _l("县级")), ("prefecture", _l("州级"))]))
    address = StringField(_l("地址"), validators=[Length(max=200)])
    phone = StringField(_l("联系电话"), validators=[Length(max=40)])
    window_weekday = SelectField(_l("接待日"), coerce=int, choices=WEEKDAYS)
    am_start = TimeField(_l("上午开始"), validators=[InputRequired(REQUIRED)])
    am_end = TimeField(_l("上午结束"), validators=[InputRequired(REQUIRED)])
    pm_start = TimeField(_l("下午开始（可选）"), validators=[Optional()])
    pm_end = TimeField(_l("下午结束（可选）"), validators=[Optional()])
    lawyers_per_window = IntegerField(
        _l("每次窗口值班律师人数"),
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, 10, _l("请填写 1 到 10。"))],
    )
    holiday_policy = SelectField(
        _l("接待日遇节假日"),
        choices=options([("next_workday", _l("顺延到下一个工作日")), ("skip", _l("当周不安排"))]),
    )
    wanted_languages = MultiCheckboxField(_l("希望值班律师会说的语言"), choices=language_choices)
    reception_scope = TextAreaField(_l("接待范围（留空使用标准文本）"), validators=[Length(max=2000)])
    visitor_notes = TextAreaField(_l("来访须知（留空使用标准文本）"), validators=[Length(max=2000)])
    discipline_rules = TextAreaField(_l("值班律师纪律（留空使用标准文本）"), validators=[Length(max=4000)])

    def validate_am_end(self, field: TimeField) -> None:
        if field.data and self.am_start.data and field.data <= self.am_start.data:
            raise ValidationError(_l("结束时间须晚于开始时间。"))

    # Each runs only when its own field is filled in (Optional stops the chain of an empty one).
    def validate_pm_start(self, field: TimeField) -> None:
        if self.pm_end.data is None:
            raise ValidationError(_l("下午的开始和结束时间要么都填，要么都不填。"))
        if field.data and self.am_end.data and field.data < self.am_end.data:
            raise ValidationError(_l("下午须在上午结束之后开始。"))

    def validate_pm_end(self, field: TimeField) -> None:
        if self.pm_start.data is None:
            raise ValidationError(_l("下午的开始和结束时间要么都填，要么都不填。"))
        if field.data and self.pm_start.data and field.data <= self.pm_start.data:
            raise ValidationError(_l("结束时间须晚于开始时间。"))

    def fill(self, fields: OfficeFields) -> None:
        for name in self._fields:
            if hasattr(fields, name):
                value = getattr(fields, name)
                getattr(self, name).data = list(value) if name == "wanted_languages" else value

    def value(self) -> OfficeFields:
        return OfficeFields(
            name=(self.name.data or "").strip(),
            name_en=(self.name_en.data or "").strip(),
            level=self.level.data or "county",
            address=(self.address.data or "").strip(),
            phone=(self.phone.data or "").strip(),
            window_weekday=int(self.window_weekday.data or 0),
            am_start=self.am_start.data or dt.time(9),
            am_end=self.am_end.data or dt.time(12),
            pm_start=self.pm_start.data,
            pm_end=self.pm_end.data,
            lawyers_per_window=self.lawyers_per_window.data or 1,
            holiday_policy=self.holiday_policy.data or "next_workday",
            wanted_languages=tuple(self.wanted_languages.data or ()),
            reception_scope=(self.reception_scope.data or "").strip(),
            visitor_notes=(self.visitor_notes.data or "").strip(),
            discipline_rules=(self.discipline_rules.data or "").strip(),
        )


class FirmForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(REQUIRED), Length(max=120)])
    credit_code = StringField(
        _l("统一社会信用代码"), validators=[DataRequired(REQUIRED), Length(18, 18, _l("统一社会信用代码为 18 位。"))]
    )


class LawyerForm(FlaskForm):
    licence_no = StringField(_l("执业证号"), validators=[Optional(), Length(max=17)])
    name = StringField(_l("姓名"), validators=[DataRequired(REQUIRED), Length(max=60)])
    firm_id = SelectField(_l("律师事务所"), coerce=int)
    first_practice_year = IntegerField(_l("首次执业年份"), validators=[InputRequired(REQUIRED)])
    phone = StringField(_l("电话"), validators=[Length(max=40)])
    email = StringField(
        _l("邮箱"), validators=[Optional(), Length(max=120), Regexp(EMAIL, message=_l("这不是有效的电子邮箱地址。"))]
    )
    specialties = StringField(_l("专业领域（用顿号或逗号分隔）"), validators=[Length(max=400)])
    languages = MultiCheckboxField(_l("语言"), choices=language_choices)
    office_ids = MultiCheckboxField(_l("可服务的信访局"), coerce=int)
    max_per_month = IntegerField(
        _l("每月最多值班次数"),
        default=2,
        validators=[Optional(), NumberRange(0, 31, _l("请填写 0 到 31。"))],
    )
    preferred_weekdays = MultiCheckboxField(_l("希望值班日"), coerce=int, choices=WEEKDAYS)
    undesired_weekdays = MultiCheckboxField(_l("不希望值班日"), coerce=int, choices=WEEKDAYS)

    def validate_undesired_weekdays(self, field: MultiCheckboxField) -> None:
        if set(field.data or ()) & set(self.preferred_weekdays.data or ()):
            raise ValidationError(_l("同一天不能既希望又不希望值班。"))

    def choose(self, firms: list[tuple[int, str]], offices: list[tuple[int, str]]) -> None:
        self.firm_id.choices = options([(0, _l("（无）")), *firms])
        self.office_ids.choices = options(offices)

    def fill(self, fields: LawyerFields) -> None:
        self.name.data, self.firm_id.data = fields.name, fields.firm_id or 0
        self.first_practice_year.data, self.phone.data, self.email.data = (
            fields.first_practice_year,
            fields.phone,
            fields.email,
        )
        self.specialties.data, self.languages.data = "、".join(fields.specialties), list(fields.languages)
        self.office_ids.data, self.max_per_month.data = list(fields.office_ids), fields.max_per_month
        self.preferred_weekdays.data = list(fields.preferred_weekdays)
        self.undesired_weekdays.data = list(fields.undesired_weekdays)

    def value(self) -> LawyerFields:
        return LawyerFields(
            name=(self.name.data or "").strip(),
            firm_id=self.firm_id.data or None,
            first_practice_year=self.first_practice_year.data or 0,
            phone=(self.phone.data or "").strip(),
            email=(self.email.data or "").strip(),
            specialties=items(self.specialties.data),
            languages=tuple(self.languages.data or ()),
            office_ids=tuple(self.office_ids.data or ()),
            max_per_month=self.max_per_month.data if self.max_per_month.data is not None else 2,
            preferred_weekdays=tuple(self.preferred_weekdays.data or ()),
            undesired_weekdays=tuple(self.undesired_weekdays.data or ()),
        )


class UploadForm(FlaskForm):
    file = FileField(
        _l("文件（.xlsx 或 .csv）"),
        validators=[
            FileRequired(REQUIRED),
            FileAllowed(["xlsx", "csv"], _l("请选择 .xlsx 或 .csv 文件。")),
            FileSize(MAX_UPLOAD, message=_l("文件不能超过 5 MB。")),
        ],
    )


class HolidayUploadForm(FlaskForm):
    file = FileField(
        _l("文件（.csv：日期,类型,名称）"),
        validators=[
            FileRequired(REQUIRED),
            FileAllowed(["csv"], _l("请选择 .csv 文件。")),
            FileSize(MAX_UPLOAD, message=_l("文件不能超过 5 MB。")),
        ],
    )
    provisional = BooleanField(_l("这是预计的安排，尚非国务院正式公布"))


class UnavailabilityForm(FlaskForm):
    licence = SelectField(_l("律师"), validators=[DataRequired(REQUIRED)])
    start = TypedDateField(_l("开始日期"), validators=[InputRequired(REQUIRED), plausible])
    end = TypedDateField(_l("结束日期"), validators=[InputRequired(REQUIRED), plausible])
    reason = StringField(_l("原因"), validators=[Length(max=200)])

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期早于开始日期。"))


class LeaderDayForm(FlaskForm):
    office = SelectField(_l("信访局"), validators=[DataRequired(REQUIRED)])
    date = TypedDateField(_l("日期"), validators=[InputRequired(REQUIRED), plausible])
    start = TimeField(_l("开始"), default=dt.time(9), validators=[InputRequired(REQUIRED)])
    end = TimeField(_l("结束"), default=dt.time(12), validators=[InputRequired(REQUIRED)])
    needed = IntegerField(
        _l("律师人数"), default=1, validators=[InputRequired(REQUIRED), NumberRange(1, 10, _l("请填写 1 到 10。"))]
    )
    min_years = IntegerField(
        _l("最少执业年限"), default=5, validators=[Optional(), NumberRange(0, 60, _l("请填写 0 到 60。"))]
    )
    specialty = StringField(_l("需要的专业领域（可选）"), validators=[Length(max=40)])
    language = SelectField(_l("需要的语言（可选）"), default="", choices=lambda: [ANY_LANGUAGE, *language_choices()])
    note = StringField(_l("接待领导与主题"), validators=[Length(max=500)])
    place = StringField(_l("接待地点（可选，默认为信访局地址）"), validators=[Length(max=200)])
    scope = TextAreaField(_l("值班内容（可选，默认为领导接待日的标准说明）"), validators=[Length(max=2000)])

    def validate_end(self, field: TimeField) -> None:
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError(_l("结束时间须晚于开始时间。"))


class ReasonForm(FlaskForm):
    reason = StringField(_l("说明（可选）"), validators=[Length(max=500)])


class AllowanceQuery(QueryForm):
    month = StringField(_l("月份（如 2026-03）"), validators=[DataRequired(REQUIRED)])
    by = SelectField(
        _l("汇总方式"), choices=options([("lawyer", _l("按律师")), ("firm", _l("按律所"))]), default="lawyer"
    )
    pay_late = BooleanField(_l("迟到也发放补贴"))

    def validate_month(self, field: StringField) -> None:
        found = re.fullmatch(r"(\d{4})-(\d{1,2})", (field.data or "").strip())
        if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
            raise ValidationError(_l("请按 YYYY-MM 填写月份，如 2026-03。"))

    def year_month(self) -> tuple[int, int]:
        year, month = (self.month.data or "").strip().split("-")
        return int(year), int(month)


class AssessmentQuery(QueryForm):
    year = IntegerField(
        _l("年度"),
        validators=[InputRequired(REQUIRED), NumberRange(2000, 2100, _l("请填写 2000 到 2100 之间的年份。"))],
    )
    threshold = IntegerField(
        _l("缺勤几次列入取消资格提示"),
        default=2,
        validators=[Optional(), NumberRange(1, 50, _l("请填写 1 到 50。"))],
    )


# --- clerk ---------------------------------------------------------------------------------------


class CoverForm(FlaskForm):
    lawyer_out = HiddenField()
    lawyer_in = SelectField(_l("由谁接替"), coerce=int)
    reason = StringField(_l("原因"), validators=[Length(max=500)])

    def out_id(self) -> int | None:
        value = (self.lawyer_out.data or "").strip()
        return int(value) if value.isdigit() else None


class SwapForm(FlaskForm):
    lawyer_a = IntegerField(validators=[InputRequired(REQUIRED), ID_RANGE])
    duty_b = IntegerField(validators=[InputRequired(REQUIRED), ID_RANGE])
    lawyer_b = IntegerField(validators=[InputRequired(REQUIRED), ID_RANGE])
    reason = StringField(_l("原因"), validators=[Length(max=500)])


class DecisionForm(FlaskForm):
    override_reason = TextAreaField(_l("违反规则仍要采纳的理由"), validators=[Length(max=500)])


class StandingForm(FlaskForm):
    licence = SelectField(_l("律师"), validators=[DataRequired(REQUIRED)])
    action = SelectField(
        _l("处理"),
        choices=options(
            [("suspend", _l("暂停值班资格")), ("remove", _l("取消值班资格")), ("reinstate", _l("恢复值班资格"))]
        ),
    )
    start = TypedDateField(_l("自哪一天起"), validators=[InputRequired(REQUIRED), plausible])
    end = TypedDateField(_l("暂停到哪一天（仅暂停需要）"), validators=[Optional(), plausible])
    reason = StringField(_l("原因"), validators=[DataRequired(REQUIRED), Length(max=500)])

    def validate(self, extra_validators: Any = None) -> bool:
        # Checked here, not in validate_end: an empty optional field skips its own validators.
        valid = super().validate(extra_validators)
        if self.action.data == "suspend" and self.end.data is None and not self.end.errors:
            self.end.errors = [_l("暂停需要结束日期。")]
            return False
        return valid

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期早于开始日期。"))


class AttendanceForm(FlaskForm):
    duty_id = IntegerField(validators=[InputRequired(REQUIRED), ID_RANGE])
    lawyer_id = IntegerField(validators=[InputRequired(REQUIRED), ID_RANGE])
    status = SelectField(
        _l("出勤情况"),
        choices=options(
            [("attended", _l("出勤")), ("late", _l("迟到")), ("absent", _l("缺勤")), ("substituted", _l("替班"))]
        ),
    )
    substitute = StringField(_l("替班律师"))
    note = StringField(_l("备注"), validators=[Length(max=500)])

    def validate_substitute(self, field: StringField) -> None:
        value = (field.data or "").strip()
        if value and not value.isdigit():
            raise ValidationError(_l("请选择替班律师。"))
        if self.status.data == "substituted" and not value:
            raise ValidationError(_l("替班需要选择替班律师。"))


class AuditQuery(QueryForm):
    # "actor" in the query string for old links; it matches the actor and every lawyer the event concerns.
    actor = StringField(_l("人员"), validators=[Length(max=80)])
    office = SelectField(_l("信访局"), default="")
    action = SelectField(_l("操作"), default="")
    start = TypedDateField(_l("从"), validators=[Optional(), plausible])
    end = TypedDateField(_l("到"), validators=[Optional(), plausible])
