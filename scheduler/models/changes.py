"""Changes to a published roster: proposals awaiting a clerk, and lawyers' swap requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.duties import Duty
from scheduler.models.lawyers import Lawyer
from scheduler.models.rosters import Roster, utcnow

PROPOSAL_KINDS = ("swap", "cover", "repair")
PROPOSAL_STATES = ("open", "accepted", "discarded")
SWAP_REQUEST_STATES = ("proposed", "accepted", "approved", "rejected", "declined", "withdrawn", "expired")


class Proposal(Base):
    """A computed change to a published version: nothing changes until a clerk accepts it.

    `changes` holds [{"duty_id", "remove": [lawyer ids], "add": [lawyer ids]}]; `evaluation` the
    rule check (new violations) and the objective change term by term, as shown before acceptance.
    """

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("kind IN ('swap', 'cover', 'repair')", name="kind"),
        CheckConstraint("state IN ('open', 'accepted', 'discarded')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")
    # The version the proposal was computed on; it can be accepted only while that version is current.
    base_roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"), index=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Text: a swap request's proposal says "swap request N: <message of up to 500>" (migration 0007a).
    reason: Mapped[str] = mapped_column(Text, default="")
    # The reason as data when the service worded it ({"code", "params"} of scheduler.core.errors.Message):
    # a page words it in the reader's language; `reason` keeps its Chinese text (migration 0009m).
    reason_message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result_roster_id: Mapped[int | None] = mapped_column(ForeignKey("rosters.id", ondelete="SET NULL"))
    swap_request_id: Mapped[int | None] = mapped_column(ForeignKey("swap_requests.id", ondelete="SET NULL"))

    base_roster: Mapped[Roster] = relationship(foreign_keys=[base_roster_id])


class SwapRequest(Base):
    """A lawyer offers a duty to a colleague, or proposes an exchange of duties.

    States: proposed -> accepted (by the colleague) -> approved / rejected (by a clerk);
    proposed -> declined (colleague) or withdrawn (requester); any open state -> expired when the
    duty has passed.
    """

    __tablename__ = "swap_requests"
    __table_args__ = (
        CheckConstraint(
            "state IN ('proposed', 'accepted', 'approved', 'rejected', 'declined', 'withdrawn', 'expired')",
            name="state",
        ),
        CheckConstraint("from_lawyer_id <> to_lawyer_id", name="two_lawyers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), index=True)
    from_lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    to_lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    # For an exchange: the colleague's duty the requester takes in return; NULL for a plain offer.
    exchange_duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Earliest date of the duties involved: the request expires when it has passed.
    expires_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    # Optimistic lock: two people acting on one request at once cannot both succeed.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    duty: Mapped[Duty] = relationship(foreign_keys=[duty_id])
    exchange_duty: Mapped[Duty | None] = relationship(foreign_keys=[exchange_duty_id])
    from_lawyer: Mapped[Lawyer] = relationship(foreign_keys=[from_lawyer_id])
    to_lawyer: Mapped[Lawyer] = relationship(foreign_keys=[to_lawyer_id])
