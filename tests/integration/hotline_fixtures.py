"""A small prefecture with a hotline answered remotely from two county offices (for the hotline tests)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

from sqlalchemy.orm import Session

from scheduler.core.licence import make_licence
from scheduler.models import LawFirm, Lawyer, Office
from scheduler.planning.hotline import HotlineSpec, set_hotline

PREFECTURE, XINGYI, YILONG = "522300", "522301", "yilong"
PHONE, MAILBOX = "0859-12348", "lszx@qxn.example.cn"
MARCH = (dt.date(2026, 3, 2), dt.date(2026, 3, 15))  # two plain working weeks: ten hotline days
_serial = itertools.count(1)


def small_prefecture(session: Session, lawyers: dict[str, int] | None = None) -> dict[str, Office]:
    """The prefecture office and two counties with their windows on Tuesday, Monday and Wednesday, and lawyers."""
    counts = lawyers or {PREFECTURE: 1, XINGYI: 6, YILONG: 5}
    offices = {
        PREFECTURE: Office(code=PREFECTURE, name="黔西南州信访局", level="prefecture", window_weekday=1),
        XINGYI: Office(code=XINGYI, name="兴义市信访局", window_weekday=0),
        YILONG: Office(code=YILONG, name="义龙新区信访局", window_weekday=2),
    }
    session.add_all(offices.values())
    firms = [LawFirm(name=f"黔鼎律师事务所{i}", credit_code=f"31522300MD{next(_serial):07d}X") for i in range(3)]
    session.add_all(firms)
    for code, count in counts.items():
        for i in range(count):
            serial = next(_serial)
            lawyer = Lawyer(
                name=f"{offices[code].name[:2]}律师{i}",
                licence_no=make_licence("5223", 2010, 1, serial),
                firm=firms[serial % 3],
                first_practice_year=2010,
                calendar_token=secrets.token_urlsafe(24),
            )
            lawyer.offices = [offices[code]]
            session.add(lawyer)
    session.flush()
    return offices


def prefecture_hotline(session: Session, pattern: str = "workdays", share: float | None = 0.5) -> None:
    """The prefecture's line, answered by lawyers of Xingyi and Yilong too."""
    spec = HotlineSpec(PREFECTURE, PHONE, MAILBOX, pattern, served_from=(XINGYI, YILONG), share=share)
    set_hotline(session, spec, "test")
