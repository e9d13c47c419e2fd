"""Loading feeds from the publication state, their URLs and options, and rotating a lawyer's token.

Feeds come from the calendar tables only (see scheduler.models.calendars), in two steps with a fixed
number of queries: a feed's state (two queries: small columns, enough for its ETag and Last-Modified),
then its content (one query: the snapshots of its duties). `all_feeds` loads everything in four.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from scheduler.core.errors import BadSetting, Outcome
from scheduler.people.errors import LawyerNotFound
from scheduler.calendars.views import (
    CalendarOptions,
    DutyView,
    EventView,
    FeedKind,
    FeedView,
    Reminder,
    lawyer_uid,
    office_slug,
    office_uid,
)
from scheduler.config import Settings
from scheduler.core.errors import InputError, NotFound
from scheduler.calendars.ical import render_stamp
from scheduler.models import CalendarEntry, Lawyer, Office, OfficeEntry
from scheduler.audit import record
from scheduler.attendance.meetings import meetings_between
from scheduler.attendance.training import training_events

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
REMINDER_SETTING = "SCHEDULER_REMINDER"
ReminderShape = Outcome("calendars.reminder_shape", "须为“天数 时:分”（如“1 18:00”）或 off")
ReminderDays = Outcome("calendars.reminder_days", "提前的天数须在 0 到 30 之间")


def parse_reminder(value: str) -> Reminder | None:
    """The reminder of the setting SCHEDULER_REMINDER: "DAYS HH:MM" before the duty (default "1 18:00"), or "off"."""
    value = value.strip()
    if not value:
        return Reminder()
    if value.lower() in ("off", "none"):
        return None
    try:
        days, at = value.split()
        reminder = Reminder(days_before=int(days), at=dt.time.fromisoformat(at))
    except ValueError:
        raise BadSetting(setting=REMINDER_SETTING, value=value, expected=ReminderShape()) from None
    if not 0 <= reminder.days_before <= 30:
        raise BadSetting(setting=REMINDER_SETTING, value=value, expected=ReminderDays())
    return reminder


def calendar_options(settings: Settings) -> CalendarOptions:
    """Rendering options: the UID host from the base URL, the time zone, the reminder."""
    return CalendarOptions(host=uid_host(settings), tzid=settings.timezone, reminder=parse_reminder(settings.reminder))


def uid_host(settings: Settings) -> str:
    """The domain of every event UID (duties and joint meetings): the host of the base URL."""
    return urlsplit(settings.base_url).hostname or "localhost"


def _base(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/calendars"


def private_path(token: str) -> str:
    """The path of a lawyer's feed under calendars/, the same for the web app and the static files."""
    return f"private/{token}.ics"


def office_path(code: str) -> str:
    return f"office/{office_slug(code)}.ics"


PREFECTURE_PATH = "prefecture.ics"


def feed_url(settings: Settings, path: str) -> str:
    """The http(s) URL of the feed at `path` (one of the *_path functions)."""
    return f"{_base(settings)}/{path}"


def webcal_url(url: str) -> str:
    """The webcal:// form of an http(s) URL: calendar apps subscribe to it instead of downloading once."""
    return "webcal://" + url.split("://", 1)[1]


@dataclass(frozen=True)
class PublicFeed:
    """A public feed (an office's or the prefecture's) as the index page lists it."""

    title: str
    path: str
    feed: FeedView


@dataclass(frozen=True)
class AllFeeds:
    """Every feed: one per lawyer (by token), one per office, and the prefecture's."""

    lawyers: dict[str, FeedView]
    public: tuple[PublicFeed, ...]  # the prefecture's first, then the offices by code


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as the naive UTC the schema stores (see scheduler.models.rosters.utcnow)."""
    return moment if moment.tzinfo is None else moment.astimezone(dt.UTC).replace(tzinfo=None)


class _Window:
    """Which events are still shown at `now`, and the feed's Last-Modified.

    A cancellation drops out `keep_days` after it happened; that drop changes the feed, so it counts
    towards Last-Modified (otherwise If-Modified-Since would answer 304 to a feed that lost an event).
    Duties more than `past_days` before today drop out too (office and prefecture feeds keep a quarter,
    a lawyer's own feed a year: a subscribed feed must stay small, Google stops reading one of about 1 MB).
    """

    def __init__(self, now: dt.datetime, keep_days: int, past_days: int | None = None) -> None:
        self.now = naive_utc(now)
        self.keep = dt.timedelta(days=keep_days)
        self.since = self.now.date() - dt.timedelta(days=past_days) if past_days is not None else dt.date.min
        self.last_modified: dt.datetime | None = None

    def _touch(self, moment: dt.datetime) -> None:
        if self.last_modified is None or moment > self.last_modified:
            self.last_modified = moment

    def shows(
        self, status: str, changed_at: dt.datetime, cancelled_at: dt.datetime | None, day: dt.date | None = None
    ) -> bool:
        if day is not None and day < self.since:
            return False
        if status == "cancelled" and cancelled_at is not None and cancelled_at + self.keep <= self.now:
            self._touch(cancelled_at + self.keep)
            return False
        self._touch(changed_at)
        return True


def office_window(settings: Settings, now: dt.datetime) -> _Window:
    """The window of an office's or the prefecture's feed (Settings.feed_past_days of past duties)."""
    return _Window(now, settings.cancelled_keep_days, settings.feed_past_days)


def lawyer_window(settings: Settings, now: dt.datetime) -> _Window:
    """The window of a lawyer's own feed (Settings.lawyer_feed_past_days of past duties)."""
    return _Window(now, settings.cancelled_keep_days, settings.lawyer_feed_past_days)


@dataclass(frozen=True)
class EntryState:
    """An event of a feed without its content: enough to tell whether the feed's bytes changed."""

    uid: str
    duty_id: int
    status: str  # "confirmed" or "cancelled"
    sequence: int
    changed_at: dt.datetime
    # The fingerprint of the duty's published snapshot (its office entry's), which the event shows.
    fingerprint: str
    date: dt.date


@dataclass(frozen=True)
class FeedState:
    """A feed as a few small columns: its validators come from here, without loading or rendering content."""

    kind: FeedKind
    name: str
    description: str
    entries: tuple[EntryState, ...]
    last_modified: dt.datetime | None
    # Events that are not duties: the joint meetings of the public feeds.
    extra: tuple[EventView, ...] = ()


def feed_etag(state: FeedState, options: CalendarOptions) -> str:
    """A key of the bytes of `state`'s feed, computed without rendering it: equal keys give equal bytes.

    It is the cache key of the rendered feed, not its ETag: a different key may still give the same bytes
    (e.g. a lawyer's cancelled event does not show who took the duty over), and the ETag is a hash of them.

    The bytes are a function of the rendering code, the options, the calendar's name and, per event, its
    UID, status, SEQUENCE, change time and the snapshot it shows (by its fingerprint); all are hashed here.
    """
    digest = hashlib.sha256(repr((render_stamp(), options, state.kind, state.name, state.description)).encode())
    for entry in sorted(state.entries, key=lambda e: e.uid):
        line = f"{entry.uid}|{entry.status}|{entry.sequence}|{entry.changed_at.isoformat()}|{entry.fingerprint}\n"
        digest.update(line.encode())
    for view in state.extra:
        digest.update(repr(view).encode())
    return digest.hexdigest()[:32]


def _lawyer_uid(host: str) -> Callable[[Any], str]:
    return lambda row: lawyer_uid(row.duty_id, row.owner_id, host)


def _office_uid(host: str) -> Callable[[Any], str]:
    return lambda row: office_uid(row.duty_id, host)


def _entries(rows: Iterable[Any], uid: Callable[[Any], str], window: _Window) -> tuple[EntryState, ...]:
    return tuple(
        EntryState(uid(row), row.duty_id, row.status, row.sequence, row.changed_at, row.fingerprint, row.date)
        for row in rows
        if window.shows(row.status, row.changed_at, row.cancelled_at, row.date)
    )


def _entry_rows() -> Select:
    return select(
        CalendarEntry.lawyer_id.label("owner_id"),
        CalendarEntry.duty_id,
        CalendarEntry.status,
        CalendarEntry.sequence,
        CalendarEntry.changed_at,
        CalendarEntry.cancelled_at,
        OfficeEntry.fingerprint,
        CalendarEntry.date,
    ).join(OfficeEntry, OfficeEntry.duty_id == CalendarEntry.duty_id)


def _office_rows(*extra: Any) -> Select:
    return select(
        OfficeEntry.office_id.label("owner_id"),
        OfficeEntry.duty_id,
        OfficeEntry.status,
        OfficeEntry.sequence,
        OfficeEntry.changed_at,
        OfficeEntry.cancelled_at,
        OfficeEntry.fingerprint,
        OfficeEntry.date,
        *extra,
    )


def _lawyer_state(
    name: str, entries: tuple[EntryState, ...], window: _Window, trainings: tuple[EventView, ...] = ()
) -> FeedState:
    description = f"{name}律师的信访值班安排。这是个人日历，链接请勿转发。"
    return FeedState("lawyer", f"{name}律师 · 信访值班", description, entries, window.last_modified, trainings)


def _office_state(
    office: Office, entries: tuple[EntryState, ...], window: _Window, meetings: tuple[EventView, ...] = ()
) -> FeedState:
    name, description = f"{office.name} · 律师值班", f"{office.name}的律师值班安排（公示）。"
    return FeedState("office", name, description, entries, window.last_modified, meetings)


def _prefecture_title(prefecture: Office | None) -> str:
    return f"{prefecture.name} · 全部信访部门律师值班" if prefecture else "全部信访部门律师值班"


def _prefecture_state(
    prefecture: Office | None, entries: tuple[EntryState, ...], window: _Window, meetings: tuple[EventView, ...] = ()
) -> FeedState:
    title, description = _prefecture_title(prefecture), "各信访部门的律师值班安排（公示）。"
    return FeedState("prefecture", title, description, entries, window.last_modified, meetings)


# Joint meetings shown: those of the last quarter and the coming year (they recur without end).
MEETINGS_PAST = dt.timedelta(days=92)
MEETINGS_AHEAD = dt.timedelta(days=366)


def meeting_events(session: Session, settings: Settings, now: dt.datetime) -> dict[str | None, tuple[EventView, ...]]:
    """Joint meetings (联席会议) as events, by office code (None: prefecture-wide); one query.

    An office's feed shows its own meetings and the prefecture-wide ones; the prefecture feed shows them all.
    """
    today = naive_utc(now).date()
    found: dict[str | None, list[EventView]] = defaultdict(list)
    host = calendar_options(settings).host
    for m in meetings_between(session, today - MEETINGS_PAST, today + MEETINGS_AHEAD, host=host):
        duty = DutyView(0, m.office_code or "", m.office_name, f"联席会议：{m.title}", m.date, m.start, m.end,
                        address=m.location, scope=m.description, meeting=True)  # fmt: skip
        found[m.office_code].append(EventView(m.uid, duty, "CONFIRMED", m.sequence, naive_utc(m.changed_at)))
    return {code: tuple(events) for code, events in found.items()}


def _with_meetings(window: _Window, meetings: tuple[EventView, ...]) -> tuple[EventView, ...]:
    # A changed meeting changes the feed, so it counts towards Last-Modified.
    for meeting in meetings:
        window.shows("confirmed", meeting.changed_at, None)
    return meetings


def training_event_views(
    session: Session, settings: Settings, now: dt.datetime, *, lawyer_id: int | None = None
) -> dict[int, tuple[EventView, ...]]:
    """Trainings (专项培训) as events, by invited lawyer (or for one lawyer); one query. Like joint meetings,
    those of the last quarter and the coming year."""
    today = naive_utc(now).date()
    found: dict[int, list[EventView]] = defaultdict(list)
    host = calendar_options(settings).host
    for t in training_events(session, today - MEETINGS_PAST, today + MEETINGS_AHEAD, host=host, lawyer_id=lawyer_id):
        # Not a duty: no visitor notes or discipline (the `meeting` kind of event), no office.
        duty = DutyView(0, "", "", f"专项培训：{t.title}", t.date, t.start, t.end, address=t.location,
                        scope=t.description, meeting=True)  # fmt: skip
        found[t.lawyer_id].append(EventView(t.uid, duty, "CONFIRMED", t.sequence, naive_utc(t.changed_at)))
    return {lawyer: tuple(events) for lawyer, events in found.items()}


def lawyer_feed_state(session: Session, settings: Settings, token: str, now: dt.datetime) -> FeedState | None:
    """The state of the private feed of the lawyer with `token` (three queries: the third for the trainings
    the lawyer is invited to), or None for an unknown token."""
    lawyer = session.execute(select(Lawyer.id, Lawyer.name).where(Lawyer.calendar_token == token)).first()
    if lawyer is None:
        return None
    window = lawyer_window(settings, now)
    rows = session.execute(
        _entry_rows().where(CalendarEntry.lawyer_id == lawyer.id, CalendarEntry.date >= window.since)
    )
    entries = _entries(rows, _lawyer_uid(calendar_options(settings).host), window)
    trainings = _with_meetings(
        window, training_event_views(session, settings, now, lawyer_id=lawyer.id).get(lawyer.id, ())
    )
    return _lawyer_state(lawyer.name, entries, window, trainings)


def office_feed_state(session: Session, settings: Settings, code: str, now: dt.datetime) -> FeedState | None:
    """The state of the public feed of the office `code` (two queries), or None when there is no such office."""
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        return None
    window = office_window(settings, now)
    rows = session.execute(_office_rows().where(OfficeEntry.office_id == office.id, OfficeEntry.date >= window.since))
    entries = _entries(rows, _office_uid(calendar_options(settings).host), window)
    meetings = meeting_events(session, settings, now)
    own = _with_meetings(window, meetings.get(office.code, ()) + meetings.get(None, ()))
    return _office_state(office, entries, window, own)


def prefecture_feed_state(session: Session, settings: Settings, now: dt.datetime) -> FeedState:
    """The state of the public feed of every office's duties (two queries)."""
    prefecture = session.scalar(select(Office).where(Office.level == "prefecture").order_by(Office.code).limit(1))
    window = office_window(settings, now)
    rows = session.execute(_office_rows().where(OfficeEntry.date >= window.since))
    entries = _entries(rows, _office_uid(calendar_options(settings).host), window)
    meetings = meeting_events(session, settings, now)
    everything = _with_meetings(window, tuple(e for events in meetings.values() for e in events))
    return _prefecture_state(prefecture, entries, window, everything)


def _view(state: FeedState, duties: Mapping[int, DutyView]) -> FeedView:
    events = []
    for entry in state.entries:
        duty = duties[entry.duty_id]
        if entry.status == "cancelled":
            # A lawyer who lost the duty sees it cancelled, not who took it over (a cancelled office
            # entry's snapshot has no lawyers already).
            events.append(EventView(entry.uid, duty.without_lawyers(), "CANCELLED", entry.sequence, entry.changed_at))
        else:
            events.append(EventView(entry.uid, duty, "CONFIRMED", entry.sequence, entry.changed_at))
    events.extend(state.extra)
    return FeedView(state.kind, state.name, state.description, tuple(events), state.last_modified)


def feed_view(session: Session, state: FeedState) -> FeedView:
    """The content of the feed of `state`: its duties' snapshots (one query)."""
    query = select(OfficeEntry.duty_id, OfficeEntry.snapshot)
    if state.kind != "prefecture":
        query = query.where(OfficeEntry.duty_id.in_(sorted({e.duty_id for e in state.entries})))
    else:
        # Every office's duties, but only those of the window (the prefecture keeps no older ones).
        query = query.where(OfficeEntry.date >= min((e.date for e in state.entries), default=dt.date.max))
    duties = {duty_id: DutyView.from_snapshot(snapshot) for duty_id, snapshot in session.execute(query)}
    return _view(state, duties)


def lawyer_feed(session: Session, settings: Settings, token: str, now: dt.datetime) -> FeedView | None:
    """The private feed of the lawyer whose token is `token`, or None for an unknown (or rotated) token."""
    state = lawyer_feed_state(session, settings, token, now)
    return feed_view(session, state) if state is not None else None


def office_feed(session: Session, settings: Settings, code: str, now: dt.datetime) -> FeedView | None:
    """The public feed of the office `code`, or None when there is no such office."""
    state = office_feed_state(session, settings, code, now)
    return feed_view(session, state) if state is not None else None


def prefecture_feed(session: Session, settings: Settings, now: dt.datetime) -> FeedView:
    """The public feed of every office's duties."""
    return feed_view(session, prefecture_feed_state(session, settings, now))


def all_feeds(session: Session, settings: Settings, now: dt.datetime) -> AllFeeds:
    """Every feed, for the static publication: a lawyer's even when empty (their URL must keep working).

    Four queries (and one for the trainings); each duty's snapshot is parsed once and shared by the office, prefecture and lawyers' events.
    """
    host = calendar_options(settings).host
    offices = list(session.scalars(select(Office).order_by(Office.code)))
    lawyers = session.execute(select(Lawyer.id, Lawyer.name, Lawyer.calendar_token)).all()
    # The snapshots of every duty some feed shows: the lawyers' feeds reach further back than the offices'.
    since = min(lawyer_window(settings, now).since, office_window(settings, now).since)
    office_rows = session.execute(_office_rows(OfficeEntry.snapshot).where(OfficeEntry.date >= since)).all()
    duties = {row.duty_id: DutyView.from_snapshot(row.snapshot) for row in office_rows}
    by_office: dict[int, list[Any]] = defaultdict(list)
    for row in office_rows:
        by_office[row.owner_id].append(row)
    by_lawyer: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(_entry_rows().where(CalendarEntry.date >= since)):
        by_lawyer[row.owner_id].append(row)

    prefecture = next((o for o in offices if o.level == "prefecture"), None)
    window = office_window(settings, now)
    meetings = meeting_events(session, settings, now)
    everything = _with_meetings(window, tuple(e for events in meetings.values() for e in events))
    entries = _entries(office_rows, _office_uid(host), window)
    public = [
        PublicFeed(
            _prefecture_title(prefecture),
            PREFECTURE_PATH,
            _view(_prefecture_state(prefecture, entries, window, everything), duties),
        )
    ]
    for office in offices:
        window = office_window(settings, now)
        own = _with_meetings(window, meetings.get(office.code, ()) + meetings.get(None, ()))
        state = _office_state(office, _entries(by_office[office.id], _office_uid(host), window), window, own)
        public.append(PublicFeed(office.name, office_path(office.code), _view(state, duties)))
    lawyer_feeds = {}
    trainings = training_event_views(session, settings, now)
    for lawyer in lawyers:
        window = lawyer_window(settings, now)
        own = _with_meetings(window, trainings.get(lawyer.id, ()))
        state = _lawyer_state(lawyer.name, _entries(by_lawyer[lawyer.id], _lawyer_uid(host), window), window, own)
        lawyer_feeds[lawyer.calendar_token] = _view(state, duties)
    return AllFeeds(lawyers=lawyer_feeds, public=tuple(public))


def public_links(session: Session) -> tuple[tuple[str, str], ...]:
    """(title, path) of every public feed, the prefecture's first: what the index page lists."""
    offices = list(session.scalars(select(Office).order_by(Office.code)))
    prefecture = next((o for o in offices if o.level == "prefecture"), None)
    return ((_prefecture_title(prefecture), PREFECTURE_PATH), *((o.name, office_path(o.code)) for o in offices))


def new_token() -> str:
    """A fresh calendar token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def rotate_token(session: Session, licence_no: str, actor: str, reason: str = "") -> str:
    """Give the lawyer `licence_no` a new calendar token; the old private URL answers 404 from now on.

    The audit event says that the token was rotated, never the token itself.
    """
    lawyer = session.scalar(select(Lawyer).where(Lawyer.licence_no == licence_no))
    if lawyer is None:
        raise LawyerNotFound(value=licence_no)
    lawyer.calendar_token = new_token()
    session.flush()
    record(session, actor, "calendar.rotate_token", entity="lawyer", entity_id=lawyer.id, reason=reason)
    return lawyer.calendar_token
