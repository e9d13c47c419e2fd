"""The records of the notice's other work: the reception log (接待登记), trainings (专项培训) with their
invitations and attendance, and the minutes and decisions of joint meetings (联席会议).

No table holds a visitor's name or identity: a consultation is counted (time, visitors, category,
referral) and the advice is free text that only staff pages show.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.attendance import JointMeeting
from scheduler.models.duties import Duty
from scheduler.models.lawyers import Lawyer
from scheduler.models.rosters import utcnow

# Where a visitor was referred (三(六): those who qualify go to the legal aid centre).
REFERRALS = ("litigation", "arbitration", "administrative_review", "legal_aid", "other_department", "none")
# The categories a new database starts with; the planner may rename, add and retire them.
DEFAULT_CATEGORIES = ("征地拆迁", "劳动争议", "社会保障", "婚姻家庭", "行政", "刑事", "其他")
TRAINING_STATUSES = ("invited", "attended", "absent", "excused")
MINUTES_TYPES = ("pdf", "docx", "odt")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ConsultationCategory(Base):
    """A category of the matters visitors bring (征地拆迁, 劳动争议 ...); a retired one stays for old records."""

    __tablename__ = "consultation_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Consultation(Base):
    """One consultation given on a served duty (接待登记): when, how many visitors, the matter's category,
    the advice and where the visitors were referred. Never who the visitors were."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("visitors BETWEEN 1 AND 500", name="visitors"),
        CheckConstraint(_in("referral", REFERRALS), name="referral"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="RESTRICT"), index=True)
    # The lawyer who served the duty and gave the advice (a substitute, when one served).
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="RESTRICT"), index=True)
    time: Mapped[dt.time] = mapped_column("at_time", Time)
    visitors: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(ForeignKey("consultation_categories.id", ondelete="RESTRICT"), index=True)
    advice: Mapped[str] = mapped_column(String(2000), default="")
    referral: Mapped[str] = mapped_column(String(24))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    duty: Mapped[Duty] = relationship()
    lawyer: Mapped[Lawyer] = relationship()
    category: Mapped[ConsultationCategory] = relationship()


class Training(Base):
    """A training (专项培训) for the lawyers: once, at a date and place, given by an organiser.

    `sequence` rises with each change, for the calendars (like a joint meeting's).
    """

    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint("end_time > start", name="hours"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.time] = mapped_column(Time)
    end: Mapped[dt.time] = mapped_column("end_time", Time)
    location: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(String(2000), default="")
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sequence: Mapped[int] = mapped_column(default=0)

    invitations: Mapped[list[TrainingInvitation]] = relationship(
        back_populates="training", cascade="all, delete-orphan", passive_deletes=True
    )


class TrainingInvitation(Base):
    """A lawyer invited to a training, and how it went: invited (nothing recorded yet), attended, absent
    or excused (请假). Inviting an office or a firm invites each of its lawyers."""

    __tablename__ = "training_invitations"
    __table_args__ = (
        UniqueConstraint("training_id", "lawyer_id", name="uq_training_invitations_training_lawyer"),
        CheckConstraint(_in("status", TRAINING_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"), index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="invited")
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(80), default="")
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    training: Mapped[Training] = relationship(back_populates="invitations")
    lawyer: Mapped[Lawyer] = relationship()


class MeetingMinutes(Base):
    """The minutes (会议纪要) of one occurrence of a joint meeting: a PDF, DOCX or ODT document kept in the
    database (a few megabytes at most), downloadable by staff only. A new upload replaces the old one."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (
        UniqueConstraint("meeting_id", "meeting_date", name="uq_meeting_minutes_meeting_date"),
        CheckConstraint(_in("kind", MINUTES_TYPES), name="kind"),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[JointMeeting] = relationship()


class MeetingDecision(Base):
    """One decision of a joint meeting's occurrence (议定事项): what, who carries it out, by when."""

    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("joint_meetings.id", ondelete="CASCADE"), index=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(1000))
    owner: Mapped[str] = mapped_column(String(100))
    due: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[JointMeeting] = relationship()
