"""Domain exceptions and outcomes as data: a `code`, its `params`, and a Chinese `template` that words them.

A use case raises a class with parameters only (`raise LawyerNotFound(licence="52230120101234")`); the
class's `template` is Chinese, the interface's own language, and it is also the gettext message id:
the English wording lives in scheduler/web/translations/en/LC_MESSAGES/messages.po. The edges (the web's
error handlers and flashes, the API's error bodies, the command line) word an error in the reader's
language with scheduler.core.wording; str(err) is the Chinese text, for logs and tests.

Parameters carry what a user knows (an office's name, a lawyer's name, the text typed, a row and column
of a file), never a database id. Results a service returns or stores for people to read later (a repair's
reason, a conflict's description) are `Message`s of an `Outcome` kind, worded the same way when shown.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

# Every code with its Chinese template: the error classes register themselves, the outcome kinds too.
# tests/unit/test_messages.py walks it and fails on a template without an English translation.
TEMPLATES: dict[str, str] = {}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def placeholders(template: str) -> set[str]:
    """The names of the {params} a template words."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def chinese_date(day: dt.date) -> str:
    """2027年1月12日: a date as a Chinese reader writes it."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Named:
    """A thing with a Chinese name and maybe an English one (an office, a duty type): each language its own."""

    zh: str
    en: str = ""

    def __str__(self) -> str:
        return self.zh


def chinese_value(value: Any) -> str:
    """A parameter as the Chinese text shows it: dates in full, times as HH:MM, lists with 、."""
    if isinstance(value, Named):
        return value.zh
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"{chinese_date(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(chinese_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Message:
    """Something said to a person, as data: a Chinese `template` with its `params`, under a `code`.

    A message without a code is text a person typed (or a legacy sentence): it is shown as it is.
    """

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    code: str = ""
    # Further lines under the first (the problems of a file, row by row).
    details: tuple[Message, ...] = ()

    def __str__(self) -> str:
        head = render(self.template, self.params, chinese_value) if self.code else self.template
        return "\n".join([head, *(str(d) for d in self.details)])

    def to_json(self) -> dict[str, Any]:
        """The message as stored (a JSON column): the code and its params, dates as ISO text; typed text as is."""
        if not self.code:
            return {"code": "", "params": {"text": self.template}}
        return {"code": self.code, "params": {k: _json_value(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """A stored message back; dates come back as the ISO text they were stored as."""
        code = str(data.get("code", ""))
        params = {k: _stored_value(v) for k, v in dict(data.get("params") or {}).items()}
        if code in TEMPLATES:
            return cls(TEMPLATES[code], params, code)
        return cls(str(params.get("text", "")))


def _json_value(value: Any) -> Any:
    if isinstance(value, Named):
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _stored_value(value: Any) -> Any:
    if isinstance(value, dict) and "zh" in value:
        return Named(str(value["zh"]), str(value.get("en", "")))
    if isinstance(value, dict) and "code" in value:
        return Message.from_json(value)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, list):
        return [_stored_value(v) for v in value]
    return value


def render(template: str, params: Mapping[str, Any], value: Any) -> str:
    """`template` with each {name} replaced by `value(params[name])`; a missing param stays visible."""
    worded = {name: value(params[name]) if name in params else "{" + name + "}" for name in placeholders(template)}
    return template.format(**worded)


class Outcome:
    """A kind of result worded for people (a repair's reason, a conflict): `Outcome(code, template)(**params)`."""

    def __init__(self, code: str, template: str) -> None:
        self.code = code
        self.template = template
        TEMPLATES[code] = template

    def __call__(self, **params: Any) -> Message:
        return Message(self.template, params, self.code)


def typed(text: str) -> Message:
    """Text a person typed, kept as typed (a reason, a note)."""
    return Message(text)


class SchedulerError(Exception):
    """Base of every error a user can cause: a `code` with `params` worded by `template`.

    `SchedulerError("text")` (a message without a code) is kept for text that needs no wording.
    """

    code: ClassVar[str] = "error"
    template: ClassVar[str] = ""
    # What to do next, where it differs by surface ("web": the page and button, "cli": the command); the
    # edge adds the hint of its own surface, so a page never tells a planner to run a command.
    hints: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.template:
            TEMPLATES[cls.code] = cls.template
        for surface, hint in cls.hints.items():
            TEMPLATES[f"{cls.code}@{surface}"] = hint

    def __init__(self, message: str | Message = "", *, details: Iterable[Message] = (), **params: Any) -> None:
        self.params = params
        if isinstance(message, Message):
            self.message = message
        elif message:
            self.message = Message(message, details=tuple(details))
        else:
            self.message = Message(self.template, params, self.code, tuple(details))
        super().__init__(str(self.message))


class InputError(SchedulerError):
    """Bad input: a file, an argument, a form field. The message names what and where."""


class NotFound(SchedulerError):
    """A named thing (office, licence number, roster) does not exist."""


class Conflict(SchedulerError):
    """The change collides with a newer change or a rule of the roster."""


class CalendarUnknown(SchedulerError):
    """Planning reaches a year whose official working-day arrangement is not known."""

    code = "calendar.unknown_year"
    template = "{year} 年的国务院节假日安排尚未导入（内置的节假日数据只到 {last} 年）"
    hints: ClassVar[dict[str, str]] = {
        "web": "请在“节假日安排”页面导入该年的安排（每行：日期,off 或 workday,名称）",
        "cli": "请用 scheduler holidays import 文件 导入该年的安排（每行：日期,off 或 workday,名称）",
    }


class NoWorkingDay(CalendarUnknown):
    code = "calendar.no_working_day"
    template = "{day} 之后 {limit} 天内没有工作日"
    hints: ClassVar[dict[str, str]] = {}


class LeaderDayOff(InputError):
    code = "calendar.leader_day_off"
    template = "领导接待日 {day} 是{what}；请选择工作日"


class UnknownDayOffPolicy(InputError):
    code = "calendar.day_off_policy"
    template = "不认识的休息日处理方式“{value}”：请用 skip（不开放）或 next_workday（顺延）"


class FieldError(InputError):
    """Bad input that one named field is to blame for: a form field, a query parameter, a body field.

    `field` names it as the caller knows it; the web puts the message beside the form field, the API
    answers {"field", "message"}, the command line prints "field: message". The message is a `Message`
    (or another error, whose message is taken), or plain text that needs no wording.
    """

    def __init__(self, field: str, message: str | Message | SchedulerError) -> None:
        if isinstance(message, SchedulerError):
            message = message.message
        super().__init__(message)
        self.field = field
        self.detail = str(self.message)


class ReversedPeriod(InputError):
    """A period whose end comes before its start."""

    code = "period.reversed"
    template = "结束日期（{end}）早于开始日期（{start}）"

    def __init__(self, start: dt.date, end: dt.date) -> None:
        super().__init__(start=start, end=end)
        self.start = start
        self.end = end


class OutOfRange(InputError):
    """A number outside what a setting allows: `field`, the `value` given and the `minimum` allowed."""

    code = "value.out_of_range"
    template = "{field} 至少为 {minimum}，而不是 {value}"


class NotPositive(InputError):
    """A number that must be above 0: `field` and the `value` given."""

    code = "value.not_positive"
    template = "{field} 须大于 0，而不是 {value}"


class BadSetting(InputError):
    """A setting of the environment (SCHEDULER_...) whose value does not fit; `expected` says what would."""

    code = "config.bad_setting"
    template = "{setting}=“{value}”：{expected}"


WholeNumberFrom = Outcome("config.whole_from", "须为不小于 {low} 的整数")
WholeNumberRange = Outcome("config.whole_range", "须为 {low} 到 {high} 之间的整数")


def require_period(start: dt.date, end: dt.date) -> None:
    """Refuse a period [start, end] that ends before it starts (the one check every use case makes)."""
    if end < start:
        raise ReversedPeriod(start, end)
