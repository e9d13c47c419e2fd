"""Entrusted cases (委托案件 / 包案): a difficult case the petition bureau entrusts to lawyers, their legal
opinions (法律意见书) as documents, and the due-date reminders already queued."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.lawyers import Lawyer
from scheduler.models.offices import Office
from scheduler.models.rosters import utcnow

# 受理, 办理中, 已出具意见, 已结案, 撤回
CASE_STATUSES = ("accepted", "in_progress", "opinion_given", "closed", "withdrawn")

case_lawyers = Table(
    "case_lawyers",
    Base.metadata,
    Column("case_id", Integer, ForeignKey("entrusted_cases.id", ondelete="CASCADE"), primary_key=True),
    Column("lawyer_id", Integer, ForeignKey("lawyers.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class EntrustedCase(Base):
    """A case entrusted to lawyers. Title and summary describe the matter, never the petitioner: they may be
    shown to every lawyer of the case and counted in reports, so no identity belongs in them."""

    __tablename__ = "entrusted_cases"
    __table_args__ = (
        CheckConstraint("status IN ('accepted', 'in_progress', 'opinion_given', 'closed', 'withdrawn')", name="status"),
        CheckConstraint("due_date >= entrusted_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The case's reference on pages and in mail (委托2026-001): a database id never shows.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    # 包案领导: the leader in charge of the case package, by name and post.
    leader: Mapped[str] = mapped_column(String(100), default="")
    # A language the petitioners speak (a code of the vocabulary), or "" for none needed.
    language: Mapped[str] = mapped_column(String(16), default="")
    entrusted_on: Mapped[dt.date] = mapped_column(Date, index=True)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    created_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    office: Mapped[Office] = relationship()
    lawyers: Mapped[list[Lawyer]] = relationship(secondary=case_lawyers, order_by="Lawyer.licence_no")
    opinions: Mapped[list[CaseOpinion]] = relationship(
        back_populates="case", order_by="CaseOpinion.id", cascade="all, delete-orphan"
    )


class CaseOpinion(Base):
    """A legal opinion (法律意见书) filed for a case: the document itself, checked for type and size on upload.

    Kept in the database rather than on disk: a backup of the database then holds every opinion too.
    """

    __tablename__ = "case_opinions"
    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'docx', 'odt')", name="kind"),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("entrusted_cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column()
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[EntrustedCase] = relationship(back_populates="opinions")


class CaseReminder(Base):
    """A due-date reminder queued for a case: one per case and due date (a new due date gets a new one)."""

    __tablename__ = "case_reminders"
    __table_args__ = (UniqueConstraint("case_id", "due_date", name="uq_case_reminders_case_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("entrusted_cases.id", ondelete="CASCADE"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    notices: Mapped[int] = mapped_column(default=0)
