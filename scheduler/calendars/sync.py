"""Bringing the calendars' publication state in line with a period's published roster.

The publishing code calls `sync_published` inside the transaction of every change to what is
published (a publication, a swap, a replacement). It compares the roster with what the feeds show
(scheduler.models.calendars), raises SEQUENCE exactly where an event changes, keeps lost duties as
cancellations, and queues a notice to each lawyer whose event changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from scheduler.calendars.hotline_events import hotline_view
from scheduler.calendars.views import (
    STANDARD_DISCIPLINE,
    STANDARD_LEADER_SCOPE,
    STANDARD_SCOPE,
    STANDARD_VISITOR_NOTES,
    office_text,
    CalendarOptions,
    DutyView,
    EventView,
    LawyerOnDuty,
    lawyer_uid,
)
from scheduler.config import Settings
from scheduler.core.problem import HOTLINE
from scheduler.db import settings_of
from scheduler.models import Assignment, CalendarEntry, Duty, LawFirm, Lawyer, Office, OfficeEntry, Roster
from scheduler.audit import record
from scheduler.calendars.feeds import calendar_options, feed_url, naive_utc, private_path
from scheduler.calendars.change_mail import Change, Recipient, queue
from scheduler.rosters.versions import current_published


@dataclass(frozen=True)
class SyncResult:
    """What one sync changed. Counts are of lawyers' events unless named `office_*`."""

    roster_id: int | None  # the published roster the state now follows (None: nothing is published)
    added: int = 0  # duties a lawyer now has (new, or given back after a cancellation)
    updated: int = 0  # a lawyer's duty whose time, place, colleagues or texts changed
    cancelled: int = 0  # duties taken from a lawyer
    office_changed: int = 0  # office events created, changed or cancelled
    notices: int = 0  # notices queued
    without_email: tuple[int, ...] = ()  # lawyers with a change but no e-mail address to tell them

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.cancelled or self.office_changed)


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    office_changed: int = 0
    notices: int = 0
    without_email: set[int] = field(default_factory=set)


def _transition(entry: OfficeEntry | CalendarEntry, status: str, fingerprint: str, now: dt.datetime) -> bool:
    """Move `entry` to `status` showing `fingerprint`; raise its SEQUENCE if that is a change. True if changed."""
    if entry.status == status and entry.fingerprint == fingerprint:
        return False
    if status == "cancelled" and entry.status != "cancelled":
        entry.cancelled_at = now
    elif status == "confirmed":
        entry.cancelled_at = None
    entry.status = status
    entry.fingerprint = fingerprint
    entry.sequence += 1
    entry.changed_at = now
    return True


def office_sessions(office: Office, start: dt.time, end: dt.time) -> tuple[tuple[dt.time, dt.time], ...]:
    """The office's morning and afternoon sessions within [start, end] when it closes for lunch in between;
    () when the hours are one block."""
    if office.pm_start is None or office.pm_end is None or not (start < office.am_end <= office.pm_start < end):
        return ()
    return ((start, office.am_end), (office.pm_start, end))


def duty_view(duty: Duty, lawyers: tuple[LawyerOnDuty, ...]) -> DutyView:
    """What the events of `duty` show, from the live office and duty; empty office texts give the standard ones.

    A window day is served in the office's sessions and at its address, with its scope; any other duty (a
    leader reception day) has its own scope and place, or a standard scope of its kind and the office's address.
    """
    if duty.duty_type.code == HOTLINE and duty.office_hotline is not None:
        return hotline_view(duty, duty.office_hotline, lawyers)
    office = duty.office
    window = duty.duty_type.code == "window"
    own_scope = duty.scope.strip()
    scope = own_scope or (office_text(office.reception_scope, STANDARD_SCOPE) if window else STANDARD_LEADER_SCOPE)
    return DutyView(
        duty_id=duty.id,
        office_code=office.code,
        office_name=office.name,
        duty_type=duty.duty_type.name_zh,
        date=duty.date,
        start=duty.start,
        end=duty.end,
        address=duty.place or office.address,
        phone=office.phone,
        scope=scope,
        visitor_notes=office_text(office.visitor_notes, STANDARD_VISITOR_NOTES),
        discipline=office_text(office.discipline_rules, STANDARD_DISCIPLINE),
        note=duty.note,
        lawyers=lawyers,
        sessions=office_sessions(office, duty.start, duty.end) if window else (),
    )


class _Notifier:
    """Queues the notices of one sync: one per lawyer and changed duty, when the lawyer has an address."""

    def __init__(self, session: Session, settings: Settings, options: CalendarOptions, now: dt.datetime) -> None:
        self.session, self.settings, self.options, self.now = session, settings, options, now
        # Only the sender is needed here: a mistake in the other SMTP settings must not block a publication.
        self.sender = settings.smtp_sender
        self.people: dict[int, Recipient] = {}
        self.tokens: dict[int, str] = {}

    def load(self, lawyer_ids: set[int]) -> None:
        rows = self.session.execute(
            select(Lawyer.id, Lawyer.name, Lawyer.email, Lawyer.calendar_token, LawFirm.name.label("firm"))
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(Lawyer.id.in_(lawyer_ids))
        )
        for row in rows:
            self.people[row.id] = Recipient(row.id, row.name, row.email.strip(), row.firm or "")
            self.tokens[row.id] = row.calendar_token

    def on_duty(self, lawyer_id: int) -> LawyerOnDuty:
        person = self.people[lawyer_id]
        return LawyerOnDuty(person.name, person.firm)

    def __call__(
        self, change: Change, entry: CalendarEntry, shown: DutyView, old: DutyView | None, tally: _Tally
    ) -> None:
        me = self.people[entry.lawyer_id]
        if not me.email:
            tally.without_email.add(me.lawyer_id)
            return
        uid = lawyer_uid(entry.duty_id, entry.lawyer_id, self.options.host)
        event = EventView(uid, shown, "CANCELLED" if change == "cancelled" else "CONFIRMED", entry.sequence, self.now)
        url = feed_url(self.settings, private_path(self.tokens[entry.lawyer_id]))
        queue(
            self.session,
            change,
            event,
            old,
            me,
            options=self.options,
            feed_url=url,
            sender=self.sender,
            duty_id=entry.duty_id,
            now=self.now,
        )
        tally.notices += 1


def sync_published(
    session: Session,
    start: dt.date,
    end: dt.date,
    actor: str,
    now: dt.datetime,
    *,
    settings: Settings | None = None,
) -> SyncResult:
    """Make the calendars of the period [start, end] show its published roster; call it in the change's transaction.

    For each (duty, lawyer) of the published roster the lawyer's event is confirmed: new at SEQUENCE 0,
    or one higher when it had been cancelled or when its time, place, colleagues or texts changed.
    An event whose lawyer left the duty becomes CANCELLED with SEQUENCE + 1 and `cancelled_at = now`.
    Office events (one per duty) follow the same rules; a duty left without lawyers is cancelled.
    Unchanged events are not touched, so their bytes stay the same. Every changed lawyer event queues
    a notice (REQUEST or CANCEL), the first publication of a period included. Without a published
    roster for the period every event of the period is cancelled. `now` (naive = UTC) becomes the
    events' DTSTAMP and LAST-MODIFIED. `settings` default to the session's (for the UID host and sender).
    """
    settings = settings or settings_of(session)
    options = calendar_options(settings)
    now = naive_utc(now)
    roster = current_published(session, start, end)
    target: dict[int, list[int]] = defaultdict(list)
    if roster is not None:
        pairs = session.execute(
            select(Assignment.duty_id, Assignment.lawyer_id).where(Assignment.roster_id == roster.id)
        )
        for duty_id, lawyer_id in pairs:
            target[duty_id].append(lawyer_id)
    # Entries of the period, and of any duty of the roster (should a duty have moved out of the period).
    office_entries = {
        entry.duty_id: entry
        for entry in session.scalars(
            select(OfficeEntry).where(or_(OfficeEntry.date.between(start, end), OfficeEntry.duty_id.in_(list(target))))
        )
    }
    lawyer_entries: dict[int, dict[int, CalendarEntry]] = defaultdict(dict)
    for entry in session.scalars(
        select(CalendarEntry).where(
            or_(CalendarEntry.date.between(start, end), CalendarEntry.duty_id.in_(list(target)))
        )
    ):
        lawyer_entries[entry.duty_id][entry.lawyer_id] = entry
    duties = {
        duty.id: duty
        for duty in session.scalars(
            select(Duty)
            .options(joinedload(Duty.office), joinedload(Duty.duty_type), selectinload(Duty.office_hotline))
            .where(Duty.id.in_(list(target)))
        )
    }
    notify = _Notifier(session, settings, options, now)
    notify.load({i for ids in target.values() for i in ids} | {i for by in lawyer_entries.values() for i in by})
    tally = _Tally()
    for duty_id in sorted(set(target) | set(office_entries)):
        _sync_duty(
            session,
            duty_id,
            sorted(target.get(duty_id, ())),
            duties.get(duty_id),
            office_entries.get(duty_id),
            lawyer_entries.get(duty_id, {}),
            notify,
            tally,
            now,
        )
    result = SyncResult(
        roster.id if roster else None,
        tally.added,
        tally.updated,
        tally.cancelled,
        tally.office_changed,
        tally.notices,
        tuple(sorted(tally.without_email)),
    )
    if result.changed:
        session.flush()
        record(
            session,
            actor,
            "calendar.sync",
            entity="period",
            entity_id=f"{start}/{end}",
            after={
                "roster_id": result.roster_id,
                "version": roster.version if roster else None,
                "added": result.added,
                "updated": result.updated,
                "cancelled": result.cancelled,
                "office_changed": result.office_changed,
                "notices": result.notices,
                "without_email": list(result.without_email),
            },
        )
    return result


def _sync_duty(
    session: Session,
    duty_id: int,
    on_duty: list[int],
    duty: Duty | None,
    office_entry: OfficeEntry | None,
    entries: dict[int, CalendarEntry],
    notify: _Notifier,
    tally: _Tally,
    now: dt.datetime,
) -> None:
    old = DutyView.from_snapshot(office_entry.snapshot) if office_entry is not None else None
    if on_duty:
        assert duty is not None
        view = duty_view(duty, tuple(notify.on_duty(i) for i in on_duty))
    else:
        assert old is not None  # a duty without lawyers is only here because it was published before
        view = old.without_lawyers()
    fingerprint = view.fingerprint()
    if office_entry is None:
        assert duty is not None
        session.add(
            OfficeEntry(
                duty_id=duty_id,
                office_id=duty.office_id,
                date=view.date,
                status="confirmed",
                sequence=0,
                changed_at=now,
                fingerprint=fingerprint,
                snapshot=view.to_snapshot(),
            )
        )
        tally.office_changed += 1
    elif _transition(office_entry, "confirmed" if on_duty else "cancelled", fingerprint, now):
        office_entry.snapshot = view.to_snapshot()
        office_entry.date = view.date
        if duty is not None:
            office_entry.office_id = duty.office_id
        tally.office_changed += 1

    for lawyer_id in on_duty:
        entry = entries.get(lawyer_id)
        change: Change
        if entry is None:
            entry = CalendarEntry(
                duty_id=duty_id,
                lawyer_id=lawyer_id,
                date=view.date,
                status="confirmed",
                sequence=0,
                changed_at=now,
                fingerprint=fingerprint,
            )
            session.add(entry)
            change = "added"
        else:
            was = entry.status
            if not _transition(entry, "confirmed", fingerprint, now):
                continue
            entry.date = view.date
            change = "added" if was == "cancelled" else "updated"
        if change == "added":
            tally.added += 1
        else:
            tally.updated += 1
        notify(change, entry, view, old, tally)

    # Those who lost the duty see it cancelled, without the names of who has it now.
    cancelled_view = view.without_lawyers()
    cancelled_fingerprint = cancelled_view.fingerprint()
    for lawyer_id, entry in sorted(entries.items()):
        if lawyer_id in on_duty:
            continue
        was = entry.status
        if _transition(entry, "cancelled", cancelled_fingerprint, now):
            entry.date = view.date
            if was == "confirmed":
                tally.cancelled += 1
                notify("cancelled", entry, cancelled_view, old, tally)


def sync_all_published(
    session: Session, actor: str, now: dt.datetime, *, settings: Settings | None = None
) -> list[SyncResult]:
    """`sync_published` for every period with a published roster: picks up edits of offices, duties and lawyers."""
    periods = session.execute(
        select(Roster.period_start, Roster.period_end)
        .where(Roster.status == "published")
        .distinct()
        .order_by(Roster.period_start, Roster.period_end)
    ).all()
    settings = settings or settings_of(session)
    return [sync_published(session, start, end, actor, now, settings=settings) for start, end in periods]
