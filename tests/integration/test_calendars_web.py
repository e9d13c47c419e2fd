"""The feeds over HTTP: content type, validators, 304s, HEAD, and 404s that reveal nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from scheduler.calendars.feeds import rotate_token
from scheduler.calendars.sync import sync_all_published
from scheduler.config import Settings
from scheduler.models import Office
from scheduler.web import create_app
from tests.integration.calendar_fixtures import FIRST_ROSTER, T0, World, build_world, calendar_settings, parse_both
from tests.integration.calendar_fixtures import publish_and_sync as _publish_and_sync

TOKEN = "token-0-" + "x" * 30


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    # The app serves feeds at the real now; the fixture's duties (March 2026) must stay within the windows.
    return calendar_settings(db_url, tmp_path, feed_past_days=36500, lawyer_feed_past_days=36500)


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    built = build_world(session)
    session.commit()
    _publish_and_sync(session, built, FIRST_ROSTER, settings, T0)
    return built


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[Flask]:
    application = create_app({"SETTINGS": settings, "TESTING": True, "AUTO_MIGRATE": False})
    yield application
    application.extensions["scheduler.sessions"].kw["bind"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


FEEDS = [f"/calendars/private/{TOKEN}.ics", "/calendars/office/522301.ics", "/calendars/prefecture.ics"]


def test_a_feed_is_served_as_utf8_calendar_with_validators(client: FlaskClient) -> None:
    for url in FEEDS:
        _served_with_validators(client, url)


def _served_with_validators(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"')
    assert response.last_modified == T0.replace(tzinfo=dt.UTC)
    assert parse_both(response.data).walk("VEVENT")
    assert client.get(url).data == response.data  # nothing in the bytes depends on the moment of the request


def test_a_poll_with_the_etag_or_the_date_gets_304_without_a_body(client: FlaskClient) -> None:
    for url in FEEDS:
        _conditional(client, url)


def _conditional(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    etag = first.headers["ETag"]
    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.data == b"" and by_etag.headers["ETag"] == etag
    since = first.headers["Last-Modified"]
    by_date = client.get(url, headers={"If-Modified-Since": since})
    assert by_date.status_code == 304
    earlier = format_datetime(T0.replace(tzinfo=dt.UTC) - dt.timedelta(seconds=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    # A non-matching ETag wins over a matching date (RFC 9110 13.2.2).
    both = client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": since})
    assert both.status_code == 200


def test_a_changed_roster_changes_the_etag(
    client: FlaskClient, session: Session, world: World, settings: Settings
) -> None:
    url = "/calendars/office/522323.ics"
    etag = client.get(url).headers["ETag"]
    _publish_and_sync(session, world, {**FIRST_ROSTER, 1: (5,)}, settings, T0 + dt.timedelta(days=1))
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_head_answers_like_get_without_the_body(client: FlaskClient) -> None:
    for url in FEEDS:
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200 and head.data == b""
        for name in ("Content-Type", "ETag", "Last-Modified", "Content-Length"):
            assert head.headers[name] == get.headers[name]


def test_the_private_feed_is_not_cached_by_others_and_the_public_ones_are(client: FlaskClient) -> None:
    private = client.get(FEEDS[0])
    assert private.headers["Cache-Control"] == "private, no-cache"
    assert private.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(FEEDS[1]).headers["Cache-Control"].startswith("public")


def test_an_unknown_or_rotated_token_gets_the_same_404_as_any_unknown_page(
    client: FlaskClient, session: Session, world: World
) -> None:
    def not_found(path: str) -> bytes:
        response = client.get(path)
        assert response.status_code == 404
        # The error page may name the requested path (in its login link); everything else must be equal.
        return response.get_data(as_text=True).replace(path, "PATH").encode()

    nowhere = not_found("/calendars/nowhere")
    assert not_found(f"/calendars/private/{'y' * 40}.ics") == nowhere
    assert not_found("/calendars/private/short.ics") == nowhere
    assert client.get(FEEDS[0]).status_code == 200
    new = rotate_token(session, world.licence(0), "test")
    session.commit()
    assert not_found(FEEDS[0]) == nowhere
    assert client.get(f"/calendars/private/{new}.ics").status_code == 200


def test_an_unknown_office_gets_404(client: FlaskClient) -> None:
    assert client.get("/calendars/office/999999.ics").status_code == 404
    assert client.get("/calendars/office/x-zz.ics").status_code == 404


def test_the_index_page_links_public_feeds_by_webcal_and_https_and_each_link_works(client: FlaskClient) -> None:
    page = client.get("/calendars/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "private" not in page
    webcal = [part.split('"')[0] for part in page.split('href="webcal://duty.example.org')[1:]]
    assert len(webcal) == 4  # the prefecture and three offices
    for path in webcal:
        assert f'href="https://duty.example.org{path}"' in page
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")


def test_a_synced_office_edit_changes_the_etag_and_the_bytes(
    client: FlaskClient, session: Session, world: World, settings: Settings
) -> None:
    url = "/calendars/office/522301.ics"
    before = client.get(url)
    office = session.get(Office, world.offices["522301"])
    assert office is not None
    office.phone = "0859-3109999"
    sync_all_published(session, "test", T0 + dt.timedelta(days=1), settings=settings)
    session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert b"0859-3109999" in after.data and after.data != before.data


def test_a_304_is_answered_from_the_feed_state_without_loading_its_content(app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import event

    etag = client.get(FEEDS[2]).headers["ETag"]
    engine = app.extensions["scheduler.sessions"].kw["bind"]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(FEEDS[2], headers={"If-None-Match": etag}).status_code == 304
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements and not any("snapshot" in statement for statement in statements)


def test_a_lawyer_feed_whose_bytes_did_not_change_keeps_its_etag(
    client: FlaskClient, session: Session, world: World, settings: Settings
) -> None:
    # Lawyer 0 loses duty 0 (a cancelled event in their feed); later the duty's other lawyers change, which
    # changes the office's snapshot of it but not one byte of lawyer 0's feed: the ETag is a hash of the bytes.
    url = FEEDS[0]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # the feed is served at the real now: keep the cancellation
    _publish_and_sync(session, world, {0: (1, 2), 1: (2,), 2: (3, 4), 3: (5,)}, settings, now)
    first = client.get(url)
    _publish_and_sync(session, world, {0: (1, 3), 1: (2,), 2: (3, 4), 3: (5,)}, settings, now)
    second = client.get(url)
    assert b"STATUS:CANCELLED" in first.data
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
