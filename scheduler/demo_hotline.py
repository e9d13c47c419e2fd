"""The demo prefecture's consultation hotline and mailbox (律师咨询电话、电子信箱, 四(五)).

The prefecture bureau has no lawyers of its own, so its line is answered remotely by lawyers of Xingyi
and Yilong, one lawyer on Monday, Wednesday and Friday (working days only), each day counting half a
window day in fairness. (Every working day would take a fifth of those lawyers' monthly places.)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from scheduler.attendance.allowance import set_rate
from scheduler.core.problem import HOTLINE
from scheduler.planning.duties import generate_windows
from scheduler.planning.hotline import HotlineSpec, set_hotline

ACTOR = "demo"
PHONE = "0859-12348"
MAILBOX = "lszx@qxnxfj.example.cn"


def add_demo_hotline(session: Session, today: dt.date, start: dt.date, end: dt.date) -> None:
    """Set up the prefecture's hotline, create its days in [start, end] and pay it 50 yuan a day."""
    spec = HotlineSpec("522300", PHONE, MAILBOX, "1,3,5", served_from=("522301", "yilong"), share=0.5)
    set_hotline(session, spec, ACTOR)
    generate_windows(session, start, end, ACTOR, ["522300"])
    set_rate(session, HOTLINE, dt.date(today.year, 1, 1), "50", ACTOR, today=today)
