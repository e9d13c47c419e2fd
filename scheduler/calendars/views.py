"""What a calendar feed shows, as plain frozen values: no ORM, no Flask, no icalendar.

`scheduler.calendars.feeds` builds these from the publication state; `scheduler.calendars.ical` renders them.
A `DutyView` is also the snapshot stored with each published duty, so its `fingerprint` decides
whether a re-sync changed what an event shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

# The product's standard texts of the public notice (公示), used where an office leaves its own empty.
STANDARD_SCOPE = (
    "为来访群众提供法律咨询，宣传法律法规和政策；引导群众依法理性表达诉求；"
    "对属于法院、仲裁、行政复议等法定途径处理的事项，引导其向有关机关提出；参与矛盾纠纷化解。"
)
STANDARD_VISITOR_NOTES = "来访请携带本人身份证件及与诉求有关的材料；咨询免费。"
STANDARD_DISCIPLINE = (
    "1. 按时到岗，不得擅自离岗；\n"
    "2. 佩戴律师徽章；\n"
    "3. 不收取任何费用，不谋取任何利益；\n"
    "4. 不得承接值班中接待的来访人的案件；\n"
    "5. 如实登记每次咨询；\n"
    "6. 遇突发事件或群体性事件立即报告；\n"
    "7. 保持客观中立；\n"
    "8. 保守工作秘密和个人隐私；\n"
    "9. 文明礼貌，耐心接待。"
)

# The scope of a leader reception day (党政领导信访接待日) that states none of its own: not the window's.
STANDARD_LEADER_SCOPE = "协助党政领导接待来访群众，就来访事项提供法律意见，引导群众依法理性表达诉求。"

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_SAFE_CODE = re.compile(r"[0-9A-Za-z_-]{1,40}")
# What a calendar token must look like to be served or published (secrets.token_urlsafe makes such).
SAFE_TOKEN = re.compile(r"[0-9A-Za-z_-]{16,64}")

Status = Literal["CONFIRMED", "CANCELLED"]
FeedKind = Literal["lawyer", "office", "prefecture"]


@dataclass(frozen=True)
class LawyerOnDuty:
    """A lawyer as a duty's event names them: the public notice shows name and firm."""

    name: str
    firm: str = ""


@dataclass(frozen=True)
class DutyView:
    """Everything an event of one duty shows."""

    duty_id: int
    office_code: str
    office_name: str
    duty_type: str  # the duty type's Chinese name, e.g. 律师接待窗口值班
    date: dt.date
    start: dt.time
    end: dt.time
    address: str = ""
    phone: str = ""
    scope: str = STANDARD_SCOPE
    visitor_notes: str = STANDARD_VISITOR_NOTES
    discipline: str = STANDARD_DISCIPLINE
    note: str = ""
    lawyers: tuple[LawyerOnDuty, ...] = ()
    # A joint meeting (联席会议) shown in the public feeds: not a duty, so no visitor notes or discipline.
    meeting: bool = False
    # The office's sessions within the duty's hours when it closes for lunch, e.g. 09:00–12:00 and
    # 14:00–17:30; () when the duty is one block from start to end.
    sessions: tuple[tuple[dt.time, dt.time], ...] = ()
    # A consultation hotline day (律师咨询电话): `phone` is the hotline's number, `mailbox` its e-mail address.
    hotline: bool = False
    mailbox: str = ""

    def parts(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The blocks of time the duty is served in: its sessions, or its whole hours."""
        return self.sessions or ((self.start, self.end),)

    def without_lawyers(self) -> DutyView:
        """The view a cancelled event shows: a lawyer who lost the duty need not see who took it."""
        return replace(self, lawyers=())

    def to_snapshot(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_snapshot` gives the same view back."""
        # Written out rather than dataclasses.asdict, which deep-copies and is the slow part of a sync.
        return {
            "duty_id": self.duty_id,
            "office_code": self.office_code,
            "office_name": self.office_name,
            "duty_type": self.duty_type,
            "date": self.date.isoformat(),
            "start": self.start.isoformat("minutes"),
            "end": self.end.isoformat("minutes"),
            "address": self.address,
            "phone": self.phone,
            "scope": self.scope,
            "visitor_notes": self.visitor_notes,
            "discipline": self.discipline,
            "note": self.note,
            "lawyers": [[lawyer.name, lawyer.firm] for lawyer in self.lawyers],
            "meeting": self.meeting,
            # Only when there are sessions: the snapshots (and fingerprints) of other duties stay as they were,
            # so that this field's arrival does not send every lawyer a change notice.
            **(
                {"sessions": [[a.isoformat("minutes"), b.isoformat("minutes")] for a, b in self.sessions]}
                if self.sessions
                else {}
            ),
            # Likewise only for hotline days, so other duties' fingerprints stay as they were.
            **({"hotline": True, "mailbox": self.mailbox} if self.hotline else {}),
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> DutyView:
        """The view stored by `to_snapshot`."""
        values = dict(data)
        values["date"] = dt.date.fromisoformat(values["date"])
        values["start"] = dt.time.fromisoformat(values["start"])
        values["end"] = dt.time.fromisoformat(values["end"])
        values["lawyers"] = tuple(LawyerOnDuty(name, firm) for name, firm in values["lawyers"])
        values["sessions"] = tuple(
            (dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in values.get("sessions", ())
        )
        return cls(**values)

    def fingerprint(self) -> str:
        """SHA-256 of the content; equal views give equal fingerprints on every machine."""
        text = json.dumps(self.to_snapshot(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EventView:
    """One VEVENT: a duty, the state it was published in, and when that state last changed."""

    uid: str
    duty: DutyView
    status: Status
    sequence: int
    changed_at: dt.datetime  # UTC; naive values are taken as UTC


@dataclass(frozen=True)
class FeedView:
    """One calendar: its name, its events, and when the feed last changed."""

    kind: FeedKind
    name: str
    description: str
    events: tuple[EventView, ...]
    # The latest change of the feed's content, including a cancellation that has since been dropped.
    last_modified: dt.datetime | None = None


@dataclass(frozen=True)
class Reminder:
    """An alarm `days_before` the duty at the local time `at` (default: the evening before, 18:00)."""

    days_before: int = 1
    at: dt.time = dt.time(18, 0)


@dataclass(frozen=True)
class CalendarOptions:
    """How feeds are rendered; everything here ends up in the bytes, so it is part of the ETag."""

    host: str  # the domain part of UIDs
    tzid: str = "Asia/Shanghai"
    reminder: Reminder | None = field(default_factory=Reminder)
    refresh: dt.timedelta = dt.timedelta(hours=1)
    product: str = "-//petition-duty-scheduler//信访律师值班//ZH"


def lawyer_uid(duty_id: int, lawyer_id: int, host: str) -> str:
    """The UID of a lawyer's event: the same for every roster version and re-solve."""
    return f"duty-{duty_id}-lawyer-{lawyer_id}@{host}"


def session_uid(uid: str, index: int) -> str:
    """The UID of a duty's session after the first (the first keeps the duty's UID), e.g. duty-7-s2@host."""
    local_part, at, host = uid.partition("@")
    return f"{local_part}-s{index + 1}{at}{host}"


def office_uid(duty_id: int, host: str) -> str:
    """The UID of a duty in the office and prefecture feeds."""
    return f"duty-{duty_id}@{host}"


def office_text(text: str, standard: str) -> str:
    """An office's own text for visitors, or the standard one when the office left it blank (blank includes
    whitespace only). The public notice and the calendar events both show what this returns."""
    return text.strip() or standard


def office_slug(code: str) -> str:
    """The office's part of its feed's path: the code itself when URL- and file-safe, else a hex form."""
    if _SAFE_CODE.fullmatch(code) and not code.startswith("x-"):
        return code
    return "x-" + code.encode("utf-8").hex()


def code_from_slug(slug: str) -> str | None:
    """The office code whose `office_slug` is `slug`, or None if `slug` is no slug."""
    if slug.startswith("x-"):
        try:
            return bytes.fromhex(slug[2:]).decode("utf-8")
        except ValueError:
            return None
    return slug if _SAFE_CODE.fullmatch(slug) else None


def when_zh(duty: DutyView) -> str:
    """The date and hours in words, e.g. 2026年3月4日（星期三）09:00–12:00."""
    day = duty.date
    hours = "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in duty.parts())
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_ZH[day.weekday()]}）{hours}"


def lawyers_zh(lawyers: tuple[LawyerOnDuty, ...]) -> str:
    """Names with firms, e.g. 王明（贵州某律师事务所）、李华."""
    return "、".join(f"{lawyer.name}（{lawyer.firm}）" if lawyer.firm else lawyer.name for lawyer in lawyers)
