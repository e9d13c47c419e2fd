"""iCalendar rendering of duty feeds and change notices: pure functions of plain views.

Nothing here reads the clock, the database or the request: the same `FeedView` and options give
the same bytes, which is what lets subscribed calendar apps (and ETags) see "no change".

icalendar builds the VTIMEZONE and encodes durations; the content lines are written here. Why:
icalendar's `Component.to_ical` folds lines character by character and costs about 2.5 ms per event,
ten times the budget of a lawyer's year feed (5 ms); folding the encoded bytes is as correct and fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import icalendar

from scheduler.calendars import views as calendar_view
from scheduler.calendars.views import CalendarOptions, EventView, FeedView, lawyers_zh, session_uid, when_zh

# The VTIMEZONE covers these years: no duty is planned outside them, and a short span keeps it small.
TZ_FIRST = dt.date(2000, 1, 1)
TZ_LAST = dt.date(2100, 1, 1)
LINE_OCTETS = 75  # RFC 5545 3.1: at most 75 octets a line, not counting the CRLF
CRLF = b"\r\n"


def fold(line: bytes) -> bytes:
    """`line` folded at 75 octets, never inside a UTF-8 character or right after a backslash escape."""
    if len(line) <= LINE_OCTETS:
        return line
    parts = []
    start, limit = 0, LINE_OCTETS
    while len(line) - start > limit:
        cut = start + limit
        while line[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: step back to the character's start
            cut -= 1
        if line[cut - 1] == 0x5C:  # keep an escape like \n on one line: some clients mishandle a split one
            cut -= 1
        parts.append(line[start:cut])
        start, limit = cut, LINE_OCTETS - 1  # a continuation line starts with a space
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def text(value: str) -> bytes:
    """A TEXT value, escaped as RFC 5545 3.3.11 says (backslash, semicolon, comma; any line break as \\n)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return escaped.encode("utf-8")


def utc(moment: dt.datetime) -> bytes:
    """A UTC DATE-TIME value; a naive `moment` is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return b"%04d%02d%02dT%02d%02d%02dZ" % (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )


def local(day: dt.date, time: dt.time) -> bytes:
    """A local DATE-TIME value, to be written with a TZID parameter."""
    return b"%04d%02d%02dT%02d%02d%02d" % (day.year, day.month, day.day, time.hour, time.minute, time.second)


@lru_cache(maxsize=256)
def duration(value: dt.timedelta) -> bytes:
    """A DURATION value, e.g. -PT15H (few distinct values occur: a cache saves icalendar's work)."""
    return icalendar.vDuration(value).to_ical()


def address(email: str) -> bytes:
    """A CAL-ADDRESS value (a mailto: URI); line breaks are dropped so that no address can add a line."""
    return ("mailto:" + "".join(email.split())).encode("utf-8")


def param(value: str) -> bytes:
    """A parameter value, always quoted (a quoted value may hold any character but the quote itself)."""
    return b'"' + " ".join(value.replace('"', "'").split()).encode("utf-8") + b'"'


def content_line(name: str, value: bytes, params: bytes = b"") -> bytes:
    """One folded content line, with its CRLF."""
    return fold(name.encode("ascii") + params + b":" + value) + CRLF


@lru_cache(maxsize=1)
def render_stamp() -> str:
    """Changes whenever the code that makes a feed's bytes may change: this module, the views, icalendar."""
    digest = hashlib.sha256(icalendar.__version__.encode())
    for source in (__file__, calendar_view.__file__):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of the IANA zone `tzid` as icalendar builds it (Asia/Shanghai: one STANDARD at +0800)."""
    return icalendar.Timezone.from_tzid(tzid, first_date=TZ_FIRST, last_date=TZ_LAST).to_ical()


def summary(event: EventView) -> str:
    """The title, e.g. 律师接待窗口值班 · 兴义市信访局 (prefixed 已取消： once cancelled)."""
    duty = event.duty
    # A prefecture-wide joint meeting belongs to no one office.
    title = f"{duty.duty_type} · {duty.office_name}" if duty.office_name else duty.duty_type
    return f"已取消：{title}" if event.status == "CANCELLED" else title


def location(event: EventView) -> str:
    """The office and its address."""
    return f"{event.duty.office_name} {event.duty.address}".rstrip()


def description(event: EventView) -> str:
    """The scope of the duty, its time, place and lawyers, the discipline rules and the office's contact."""
    duty = event.duty
    if duty.meeting:
        return "\n".join(line for line in (duty.scope, f"时间：{when_zh(duty)}", f"地点：{location(event)}") if line)
    lines = ["此次值班安排已取消。"] if event.status == "CANCELLED" else []
    lines += [f"值班内容：{duty.scope}", f"时间：{when_zh(duty)}", f"地点：{location(event)}"]
    if duty.lawyers:
        lines.append(f"值班律师：{lawyers_zh(duty.lawyers)}")
    if duty.note:
        lines.append(f"备注：{duty.note}")
    if duty.hotline:
        # A hotline day: the number and the mailbox the lawyer answers, as the public notice shows them.
        lines += [f"咨询电话：{duty.phone}", *([f"电子信箱：{duty.mailbox}"] if duty.mailbox else [])]
        lines += [f"来电来信须知：{duty.visitor_notes}", "值班纪律：", duty.discipline, f"联系单位：{duty.office_name}"]
        return "\n".join(lines)
    lines += [f"来访须知：{duty.visitor_notes}", "值班纪律：", duty.discipline]
    lines.append(f"联系电话：{duty.phone}（{duty.office_name}）" if duty.phone else f"联系单位：{duty.office_name}")
    return "\n".join(lines)


def alarm(view: EventView, options: CalendarOptions) -> bytes:
    """A VALARM at the configured local time before the duty, as a trigger relative to DTSTART."""
    assert options.reminder is not None
    duty = view.duty
    ring = dt.datetime.combine(duty.date - dt.timedelta(days=options.reminder.days_before), options.reminder.at)
    return b"".join(
        (
            b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n",
            content_line("DESCRIPTION", text(f"值班提醒：{when_zh(duty)} {summary(view)}")),
            b"TRIGGER:%s\r\nEND:VALARM\r\n" % duration(ring - dt.datetime.combine(duty.date, duty.start)),
        )
    )


def event(
    view: EventView, options: CalendarOptions, *, reminder: bool, extra: Iterable[bytes] = (), split: bool = True
) -> bytes:
    """The VEVENT of `view`, one per session when the office closes for lunch (`split`; the first keeps the
    duty's UID, the others get session_uid's). DTSTAMP and LAST-MODIFIED are the time of the change, never
    the time of rendering. An iTIP message (`split=False`) holds one event, over the duty's whole hours."""
    duty = view.duty
    tzid = options.tzid.encode("ascii")
    cancelled = view.status == "CANCELLED"
    stamp = utc(view.changed_at)
    day = duty.date
    blocks = duty.parts() if split else ((duty.start, duty.end),)
    shared = (
        content_line("SUMMARY", text(summary(view))),
        content_line("LOCATION", text(location(view))),
        content_line("DESCRIPTION", text(description(view))),
        b"TRANSP:TRANSPARENT\r\n" if cancelled else b"TRANSP:OPAQUE\r\n",
        *extra,
    )
    out = []
    for index, (start, end) in enumerate(blocks):
        # Lines of fixed, short ASCII form are written directly: no folding can apply to them.
        lines = [
            b"BEGIN:VEVENT\r\n",
            content_line("UID", text(view.uid if index == 0 else session_uid(view.uid, index))),
            b"DTSTAMP:%s\r\nLAST-MODIFIED:%s\r\nSEQUENCE:%d\r\nSTATUS:%s\r\n"
            % (stamp, stamp, view.sequence, view.status.encode("ascii")),
            content_line("DTSTART", local(day, start), b";TZID=" + tzid),
            content_line("DTEND", local(day, end), b";TZID=" + tzid),
            *shared,
        ]
        if index == 0 and reminder and options.reminder is not None and not cancelled:
            lines.append(alarm(view, options))
        lines.append(b"END:VEVENT\r\n")
        out.append(b"".join(lines))
    return b"".join(out)


def _sort_key(view: EventView) -> tuple[dt.date, dt.time, str, str]:
    return (view.duty.date, view.duty.start, view.duty.office_code, view.uid)


def _header(options: CalendarOptions, properties: Iterable[bytes]) -> bytes:
    return b"".join(
        (
            b"BEGIN:VCALENDAR\r\n",
            content_line("PRODID", text(options.product)),
            b"VERSION:2.0\r\n",
            b"CALSCALE:GREGORIAN\r\n",
            *properties,
            vtimezone(options.tzid),
        )
    )


def calendar(
    feed: FeedView, options: CalendarOptions, cache: dict[tuple[EventView, bool], bytes] | None = None
) -> bytes:
    """The bytes of `feed`: calendar properties, the VTIMEZONE, then the events in date order.

    RFC 5545 form: UTF-8, CRLF line ends, lines folded at 75 octets. `cache` (any dict, kept by the
    caller for the options given) saves rendering an event twice, e.g. in an office's and the prefecture's feed.
    """
    refresh = duration(options.refresh)
    header = _header(
        options,
        (
            content_line("NAME", text(feed.name)),
            content_line("X-WR-CALNAME", text(feed.name)),
            content_line("X-WR-CALDESC", text(feed.description)),
            content_line("X-WR-TIMEZONE", text(options.tzid)),
            content_line("REFRESH-INTERVAL", refresh, b";VALUE=DURATION"),
            content_line("X-PUBLISHED-TTL", refresh),
        ),
    )
    # Alarms only in a lawyer's own feed: public subscribers do not want to be woken for others' duties.
    reminder = feed.kind == "lawyer"
    if cache is None:
        events = [event(view, options, reminder=reminder) for view in sorted(feed.events, key=_sort_key)]
    else:
        events = []
        for view in sorted(feed.events, key=_sort_key):
            key = (view, reminder)
            if key not in cache:
                cache[key] = event(view, options, reminder=reminder)
            events.append(cache[key])
    return b"".join((header, *events, b"END:VCALENDAR\r\n"))


def invitation(
    view: EventView,
    options: CalendarOptions,
    *,
    organizer: str,
    attendee_email: str,
    attendee_name: str,
) -> bytes:
    """An iTIP message (RFC 5546) for one lawyer's event: METHOD:REQUEST, or METHOD:CANCEL once cancelled.

    The event is the one of the lawyer's feed (same UID and SEQUENCE) plus ORGANIZER and ATTENDEE.
    """
    method = b"CANCEL" if view.status == "CANCELLED" else b"REQUEST"
    attendee = content_line(
        "ATTENDEE",
        address(attendee_email),
        b";CN=" + param(attendee_name) + b";ROLE=REQ-PARTICIPANT;RSVP=FALSE",
    )
    extra = (content_line("ORGANIZER", address(organizer)), attendee)
    header = _header(options, (content_line("METHOD", method),))
    return b"".join((header, event(view, options, reminder=True, extra=extra, split=False), b"END:VCALENDAR\r\n"))


def with_organizer(ics: bytes, organizer: str) -> bytes:
    """`ics` with its ORGANIZER set to `organizer`: an invitation is queued long before it is sent, and its
    ORGANIZER must be the address the e-mail comes From at sending time (replies go there)."""
    lines = ics.replace(CRLF + b" ", b"").split(CRLF)  # unfolded: one content line each
    new = content_line("ORGANIZER", address(organizer))[: -len(CRLF)]
    return CRLF.join(new if line.startswith((b"ORGANIZER:", b"ORGANIZER;")) else fold(line) for line in lines)
