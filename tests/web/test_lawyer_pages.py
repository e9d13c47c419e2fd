"""A lawyer's pages: own duties, the personal feed with its QR code and rotation, swap requests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import segno
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import AuditEvent, Lawyer, SwapRequest
from scheduler.rosters import swap_requests
from tests.web.conftest import BASE_URL, SQLITE_ONLY, TODAY, World, build_roster, post_form
from tests.web.querycount import app_engine, count_queries

ClientAs = Callable[..., FlaskClient]


def _token(factory: sessionmaker[Session], lawyer_id: int) -> str:
    with factory() as session:
        return session.get_one(Lawyer, lawyer_id).calendar_token


def _page(client: FlaskClient, url: str = "/me/") -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _requests(factory: sessionmaker[Session]) -> list[SwapRequest]:
    with factory() as session:
        return list(session.scalars(select(SwapRequest).order_by(SwapRequest.id)))


def test_a_lawyer_sees_upcoming_and_past_duties_with_colleagues(
    app: Flask, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=4, per_duty=2)  # both lawyers on every duty
    app.config["TODAY"] = dt.date(2026, 3, 12)
    page = _page(client_as("lawyer", lawyer_id=world.lawyer_ids[0]))
    upcoming, past = page.split("过去一年的值班")
    assert "2026年3月18日" in upcoming and "2026年3月25日" in upcoming and "2026年3月4日" not in upcoming
    assert "2026年3月4日" in past and "2026年3月11日" in past
    assert "律师1" in upcoming  # the colleague on the same duty
    assert "律师0" in page  # the lawyer's own name heads the page


def test_a_lawyer_sees_only_published_duties(session_factory: sessionmaker[Session], client_as: ClientAs) -> None:
    world = build_roster(session_factory, status="draft")
    page = _page(client_as("lawyer", lawyer_id=world.lawyer_ids[0]))
    assert "2026年3月4日" not in page and "暂无您即将到来的值班" in page


@SQLITE_ONLY
def test_the_feed_is_offered_as_webcal_and_https_links(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    token = _token(session_factory, world.lawyer_ids[0])
    page = _page(client_as("lawyer", lawyer_id=world.lawyer_ids[0]))
    url = f"{BASE_URL}/calendars/private/{token}.ics"
    assert f'href="webcal://{url.split("://")[1]}"' in page and f'value="{url}"' in page


@SQLITE_ONLY
def test_the_qr_code_is_an_inline_svg_encoding_the_feed_url(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    url = f"{BASE_URL}/calendars/private/{_token(session_factory, world.lawyer_ids[0])}.ics"
    page = _page(client_as("lawyer", lawyer_id=world.lawyer_ids[0]))
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None and f"<title>{url}</title>" in svg.group(0)
    # The modules drawn are those of a QR code of exactly this URL.
    drawn = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg.group(0))
    expected = re.search(r'class="qrline"[^>]* d="([^"]+)"', segno.make(url, error="m").svg_inline(border=2))
    assert drawn is not None and expected is not None and drawn.group(1) == expected.group(1)
    assert "<img" not in page.split('class="qr"')[1].split("</figure>")[0]  # no image fetched from anywhere


def test_rotating_the_feed_changes_the_token_and_the_old_url_answers_404(
    client: FlaskClient, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    lawyer = client_as("lawyer", lawyer_id=world.lawyer_ids[0])
    old = _token(session_factory, world.lawyer_ids[0])
    assert client.get(f"/calendars/private/{old}.ics").status_code == 200
    response = post_form(lawyer, "/me/calendar/rotate")
    assert response.status_code == 302 and response.headers["Location"] == "/me/"
    new = _token(session_factory, world.lawyer_ids[0])
    assert new != old
    assert client.get(f"/calendars/private/{old}.ics").status_code == 404
    assert client.get(f"/calendars/private/{new}.ics").status_code == 200
    page = _page(lawyer)
    assert new in page and old not in page
    with session_factory() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.rotate_token")).all()
        assert [e.actor for e in events] == [f"user:{_username(session_factory, world.lawyer_ids[0])}"]


def _username(factory: sessionmaker[Session], lawyer_id: int) -> str:
    from scheduler.models.accounts import User

    with factory() as session:
        return session.scalars(select(User.username).where(User.lawyer_id == lawyer_id)).one()


@SQLITE_ONLY
def test_rotation_without_the_csrf_token_changes_nothing(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    old = _token(session_factory, world.lawyer_ids[0])
    assert client_as("lawyer", lawyer_id=world.lawyer_ids[0]).post("/me/calendar/rotate").status_code == 400
    assert _token(session_factory, world.lawyer_ids[0]) == old


@SQLITE_ONLY
def test_the_lawyer_pages_are_not_cached_and_send_no_referrer(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    response = client_as("lawyer", lawyer_id=world.lawyer_ids[0]).get("/me/")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


# --- swap requests -------------------------------------------------------------------------------


def _pair(world: World) -> tuple[int, int, int]:
    """The first duty, a lawyer on it, and a lawyer on the second duty only."""
    first, second = world.duty_ids[0], world.duty_ids[1]
    giver = world.team[first][0]
    taker = next(lw for lw in world.team[second] if lw not in world.team[first])
    return first, giver, taker


def test_a_lawyer_offers_a_duty_and_the_colleague_accepts(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    giving, taking = client_as("lawyer", lawyer_id=giver), client_as("lawyer", lawyer_id=taker)
    form = _page(giving, f"/me/duties/{duty}/swap")
    assert f'value="{taker}"' in form
    response = post_form(giving, f"/me/duties/{duty}/swap", {"to_lawyer": str(taker), "message": "开庭冲突"})
    assert response.status_code == 302
    [request] = _requests(session_factory)
    assert (request.state, request.duty_id, request.to_lawyer_id, request.message) == (
        "proposed",
        duty,
        taker,
        "开庭冲突",
    )
    incoming = _page(taking)
    assert "请您接替" in incoming and "开庭冲突" in incoming and f"/me/swap-requests/{request.id}/accept" in incoming
    assert post_form(taking, f"/me/swap-requests/{request.id}/accept").status_code == 302
    assert _requests(session_factory)[0].state == "accepted"
    assert "对方已同意，待审批" in _page(giving)


def test_a_lawyer_proposes_an_exchange_of_duties(session_factory: sessionmaker[Session], client_as: ClientAs) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    theirs = world.duty_ids[1]
    giving = client_as("lawyer", lawyer_id=giver)
    response = post_form(giving, f"/me/duties/{duty}/swap", {"to_lawyer": str(taker), "exchange": f"{taker}:{theirs}"})
    assert response.status_code == 302
    [request] = _requests(session_factory)
    assert request.exchange_duty_id == theirs
    assert "换取" in _page(giving)


def test_an_exchange_with_a_duty_of_another_colleague_is_refused(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    other = next(lw for lw in world.team[world.duty_ids[1]] if lw != taker)
    giving = client_as("lawyer", lawyer_id=giver)
    data = {"to_lawyer": str(taker), "exchange": f"{other}:{world.duty_ids[1]}"}
    response = post_form(giving, f"/me/duties/{duty}/swap", data)
    assert response.status_code == 400 and "所选的值班不是这位律师的" in response.get_data(as_text=True)
    assert _requests(session_factory) == []


def test_a_colleague_declines_and_a_requester_withdraws(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    giving, taking = client_as("lawyer", lawyer_id=giver), client_as("lawyer", lawyer_id=taker)
    for _ in range(2):
        post_form(giving, f"/me/duties/{duty}/swap", {"to_lawyer": str(taker)})
    first, second = _requests(session_factory)
    assert post_form(taking, f"/me/swap-requests/{first.id}/decline").status_code == 302
    assert post_form(giving, f"/me/swap-requests/{second.id}/withdraw").status_code == 302
    assert [r.state for r in _requests(session_factory)] == ["declined", "withdrawn"]
    page = _page(giving)
    assert "对方已拒绝" in page and "已撤回" in page and f"/me/swap-requests/{first.id}/withdraw" not in page


def test_a_request_cannot_be_answered_twice_or_by_its_author(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    giving, taking = client_as("lawyer", lawyer_id=giver), client_as("lawyer", lawyer_id=taker)
    post_form(giving, f"/me/duties/{duty}/swap", {"to_lawyer": str(taker)})
    [request] = _requests(session_factory)
    assert post_form(giving, f"/me/swap-requests/{request.id}/accept").status_code == 409
    assert post_form(taking, f"/me/swap-requests/{request.id}/decline").status_code == 302
    response = post_form(taking, f"/me/swap-requests/{request.id}/accept")
    assert response.status_code == 409 and "对方已拒绝" in response.get_data(as_text=True)


def test_other_lawyers_cannot_see_or_touch_a_request(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    outsider = next(lw for lw in world.lawyer_ids if lw not in (giver, taker))
    with transaction(session_factory) as session:
        request_id = swap_requests.create(session, duty, giver, taker, today=TODAY).id
    stranger = client_as("lawyer", lawyer_id=outsider)
    for action in ("accept", "decline", "withdraw"):
        assert post_form(stranger, f"/me/swap-requests/{request_id}/{action}").status_code == 404
    assert post_form(stranger, "/me/swap-requests/999999/accept").status_code == 404
    assert _requests(session_factory)[0].state == "proposed"


@SQLITE_ONLY
def test_the_swap_form_is_only_for_the_lawyer_s_own_upcoming_duties(
    app: Flask, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory)
    duty, giver, taker = _pair(world)
    giving = client_as("lawyer", lawyer_id=giver)
    assert giving.get(f"/me/duties/{world.duty_ids[1]}/swap").status_code == 404  # someone else's duty
    assert giving.get("/me/duties/999999/swap").status_code == 404
    app.config["TODAY"] = dt.date(2026, 3, 5)
    assert giving.get(f"/me/duties/{duty}/swap").status_code == 404  # it has passed
    assert post_form(giving, f"/me/duties/{duty}/swap", {"to_lawyer": str(taker)}).status_code == 404


def _queries(app: Flask, client: FlaskClient) -> int:
    with count_queries(app_engine(app)) as counted:
        assert client.get("/me/").status_code == 200
    return counted.count


def test_the_lawyer_page_runs_a_fixed_number_of_queries_whatever_the_roster_size(
    app: Flask, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    small = build_roster(session_factory, lawyers=3, duties=2, per_duty=1)
    few = _queries(app, client_as("lawyer", lawyer_id=small.lawyer_ids[0]))
    # A lawyer on fourteen duties with colleagues, past and upcoming, and several swap requests.
    large = build_roster(
        session_factory, lawyers=4, duties=28, per_duty=2, every_days=1, start=dt.date(2026, 2, 10), code="522301"
    )
    me = large.lawyer_ids[0]
    with transaction(session_factory) as session:
        mine = [d for d, team in large.team.items() if me in team]
        upcoming = [d for d in mine if d >= large.duty_ids[12]]
        for duty_id in upcoming[:3]:
            other = next(lw for lw in large.lawyer_ids if lw not in large.team[duty_id])
            swap_requests.create(session, duty_id, me, other, today=TODAY)
    many = _queries(app, client_as("lawyer", lawyer_id=me))
    # Five for the duties and requests, three for the changes to their duties, three for cases and requests.
    assert few == many <= 11


def test_rotating_on_the_page_republishes_the_static_feeds(
    session_factory: sessionmaker[Session], client_as: ClientAs, app: Flask
) -> None:
    # A web server serving calendars/ must stop serving the leaked file at once, as the page promises.
    from scheduler.calendars.static_files import publish_all
    from scheduler.models.rosters import utcnow

    world = build_roster(session_factory)
    directory = app.extensions["scheduler.settings"].calendars_dir
    with session_factory() as session:
        publish_all(session, app.extensions["scheduler.settings"], utcnow())
    old = _token(session_factory, world.lawyer_ids[0])
    assert (directory / f"private/{old}.ics").exists()
    assert post_form(client_as("lawyer", lawyer_id=world.lawyer_ids[0]), "/me/calendar/rotate").status_code == 302
    new = _token(session_factory, world.lawyer_ids[0])
    assert not (directory / f"private/{old}.ics").exists()
    assert (directory / f"private/{new}.ics").exists()
