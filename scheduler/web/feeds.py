"""Calendar feeds over HTTP, at the same paths as the static files of `scheduler publish`.

Calendar apps poll these URLs (a webcal:// link is the same URL with another scheme). Each answer
carries an ETag (a hash of the feed's bytes, so it changes exactly when the bytes do) and Last-Modified
(the feed's latest change). The rendered bytes and their hash are cached per process under a key of the
feed's state, computed without rendering it, so a poll of an unchanged feed gets a cheap 304. HEAD is
answered like GET, without the body (Flask does that).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict

from flask import Blueprint, Response, abort, request

from scheduler.calendars.feeds import (
    FeedState,
    calendar_options,
    feed_etag,
    feed_view,
    lawyer_feed_state,
    office_feed_state,
    prefecture_feed_state,
    public_links,
)
from scheduler.calendars.ical import calendar
from scheduler.calendars.static_files import index_page
from scheduler.calendars.views import SAFE_TOKEN, code_from_slug
from scheduler.models.rosters import utcnow
from scheduler.web import db_session, settings

bp = Blueprint("feeds", __name__, url_prefix="/calendars")

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Rendered feeds (and their ETag) by state key, per process: a poll of an unchanged feed without validators
# (many calendar apps send none) then costs two small queries, not the rendering of hundreds of events.
RENDER_CACHE_BYTES = 32 * 1024 * 1024


class _RenderCache:
    """A least-recently-used map of state key -> (ETag, bytes), bounded in total size."""

    def __init__(self, capacity: int) -> None:
        self.capacity, self.size = capacity, 0
        self.items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: str, value: tuple[str, bytes]) -> None:
        if len(value[1]) > self.capacity:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.size += len(value[1])
            while self.size > self.capacity:
                _, (_etag, dropped) = self.items.popitem(last=False)
                self.size -= len(dropped)


_rendered = _RenderCache(RENDER_CACHE_BYTES)


def _not_modified(etag: str, last_modified: dt.datetime | None) -> bool:
    # RFC 9110 13.2.2: If-None-Match, when sent, decides alone; If-Modified-Since only without it.
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified <= since


def body_etag(body: bytes) -> str:
    """The ETag of a feed: a hash of its bytes (nothing else, e.g. another feed's change, may move it)."""
    return hashlib.sha256(body).hexdigest()[:32]


def _rendered_feed(state: FeedState) -> tuple[str, bytes]:
    options = calendar_options(settings())
    key = feed_etag(state, options)
    found = _rendered.get(key)
    if found is None:
        body = calendar(feed_view(db_session(), state), options)
        found = (body_etag(body), body)
        _rendered.put(key, found)
    return found


def _answer(state: FeedState, *, private: bool, filename: str) -> Response:
    etag, body = _rendered_feed(state)
    last_modified = state.last_modified.replace(tzinfo=dt.UTC, microsecond=0) if state.last_modified else None
    if _not_modified(etag, last_modified):
        response = Response(status=304)
    else:
        response = Response(body, content_type=CONTENT_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    if private:
        # The URL is the secret: no shared cache, no search engine, no Referer carrying it elsewhere.
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/private/<token>.ics")
def lawyer(token: str) -> Response:
    """A lawyer's private feed; an unknown or rotated token gets the same 404 as any unknown URL.

    A token of another form is answered 404 without asking the database.
    """
    state = lawyer_feed_state(db_session(), settings(), token, utcnow()) if SAFE_TOKEN.fullmatch(token) else None
    if state is None:
        abort(404)
    return _answer(state, private=True, filename="duty-calendar.ics")


@bp.get("/office/<slug>.ics")
def office(slug: str) -> Response:
    """An office's public feed."""
    code = code_from_slug(slug)
    state = office_feed_state(db_session(), settings(), code, utcnow()) if code is not None else None
    if state is None:
        abort(404)
    return _answer(state, private=False, filename=f"{slug}.ics")


@bp.get("/prefecture.ics")
def prefecture() -> Response:
    """The public feed of every office's duties."""
    return _answer(prefecture_feed_state(db_session(), settings(), utcnow()), private=False, filename="prefecture.ics")


@bp.get("/")
def index() -> Response:
    """The page of public feeds, the same as the static calendars/index.html."""
    page = index_page(public_links(db_session()), settings())
    return Response(page, content_type="text/html; charset=utf-8")
