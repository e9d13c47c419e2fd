"""What the events of a consultation hotline day (律师咨询电话、电子信箱值守) show."""

from __future__ import annotations

from scheduler.calendars.views import STANDARD_DISCIPLINE, DutyView, LawyerOnDuty, office_text
from scheduler.models import Duty, Hotline

STANDARD_HOTLINE_SCOPE = (
    "接听律师咨询电话、回复电子信箱来信，解答群众法律咨询，引导群众依法理性表达诉求，"
    "对符合法律援助条件的告知申请途径。"
)
STANDARD_HOTLINE_NOTES = "来电、来信请说明所涉事项和联系方式；律师咨询不收取任何费用。"
REMOTE = "远程值守（律师所在地）"


def hotline_view(duty: Duty, hotline: Hotline, lawyers: tuple[LawyerOnDuty, ...]) -> DutyView:
    """A hotline day: answered from the lawyer's own desk, with the hotline's number and mailbox."""
    office = duty.office
    return DutyView(
        duty_id=duty.id,
        office_code=office.code,
        office_name=office.name,
        duty_type=duty.duty_type.name_zh,
        date=duty.date,
        start=duty.start,
        end=duty.end,
        address=duty.place or REMOTE,
        phone=hotline.phone,
        scope=duty.scope.strip() or STANDARD_HOTLINE_SCOPE,
        visitor_notes=STANDARD_HOTLINE_NOTES,
        discipline=office_text(office.discipline_rules, STANDARD_DISCIPLINE),
        note=duty.note,
        lawyers=lawyers,
        hotline=True,
        mailbox=hotline.mailbox,
    )
