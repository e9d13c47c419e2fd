"""The clerk's pages: the week's duties, swaps and covers with ranked suggestions and the rule check shown
before accepting, overrides, removal with its replacement proposal, swap request approval, attendance and
the audit log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import (
    Assignment,
    Attendance,
    AuditEvent,
    Duty,
    Lawyer,
    Proposal,
    Roster,
    SwapRequest,
    Unavailability,
)
from scheduler.rosters import swap_requests
from tests.integration.roster_fixtures import published_county
from tests.web.conftest import SQLITE_ONLY, build_roster, post_form
from tests.web.querycount import app_engine, count_queries

ClientAs = Callable[..., FlaskClient]
MARCH_4, MARCH_11, MARCH_18 = dt.date(2026, 3, 4), dt.date(2026, 3, 11), dt.date(2026, 3, 18)


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _published(factory: sessionmaker[Session]) -> Roster:
    with factory() as session:
        roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
        _ = roster.assignments  # loaded while the session is open
        return roster


def _duty_on(factory: sessionmaker[Session], day: dt.date) -> tuple[int, list[int]]:
    """The duty of `day` and its lawyers in the published roster."""
    roster = _published(factory)
    with factory() as session:
        duty_id = session.scalars(select(Duty.id).where(Duty.date == day)).one()
    return duty_id, sorted(a.lawyer_id for a in roster.assignments if a.duty_id == duty_id)


def _names(factory: sessionmaker[Session]) -> dict[int, str]:
    with factory() as session:
        return {lw.id: lw.name for lw in session.scalars(select(Lawyer))}


def _hidden(form: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="(\d*)"', form)
    assert found, name
    return found.group(1)


def _first_form(page: str, action: str) -> str:
    found = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert found, f"no form posting to {action}"
    return found.group(0)


# --- the week ------------------------------------------------------------------------------------


def test_the_week_shows_each_office_s_published_duties_with_their_lawyers_and_open_places(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=4, duties=2, per_duty=2)
    build_roster(session_factory, lawyers=2, duties=1, per_duty=1, status="draft", name_prefix="草稿", version=2)
    with transaction(session_factory) as session:
        session.get_one(Duty, world.duty_ids[0]).needed = 3
    page = _page(client_as("clerk"), "/clerk/week/2026/10")
    assert "望谟县信访局" in page and "2026年3月4日" in page and "2026年3月11日" not in page
    assert "律师0" in page and "律师1" in page and "草稿0" not in page  # only the published version
    assert "空缺 1 人" in page
    assert f'href="/clerk/duties/{world.duty_ids[0]}?lawyer={world.team[world.duty_ids[0]][0]}"' in page
    assert "2026年3月11日" in _page(client_as("clerk"), "/clerk/week/2026/11")
    assert client_as("clerk").get("/clerk/week/2026/60").status_code == 404


def _queries(app: Flask, client: FlaskClient, url: str) -> int:
    with count_queries(app_engine(app)) as counted:
        assert client.get(url).status_code == 200
    return counted.count


def test_the_week_page_runs_a_fixed_number_of_queries_whatever_the_roster_size(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    clerk = client_as("clerk")
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    small = _queries(app, clerk, "/clerk/week/2026/10")
    build_roster(
        session_factory, lawyers=60, duties=7, per_duty=3, every_days=1, start=dt.date(2026, 3, 2), code="522301"
    )
    assert _queries(app, clerk, "/clerk/week/2026/10") == small


# --- covers and swaps ----------------------------------------------------------------------------


def test_a_clerk_covers_a_place_with_a_ranked_suggestion_after_seeing_the_rule_check(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    names = _names(session_factory)
    clerk = client_as("clerk")
    desk = _page(clerk, f"/clerk/duties/{duty_id}?lawyer={team[0]}")
    assert "由谁代替" in desk and "与谁换班" in desk and "评分变化" in desk
    suggestion = _first_form(desk, f"/clerk/duties/{duty_id}/cover")
    lawyer_in = int(_hidden(suggestion, "lawyer_in"))
    assert _hidden(suggestion, "lawyer_out") == str(team[0]) and lawyer_in not in team

    proposed = post_form(
        clerk, f"/clerk/duties/{duty_id}/cover", {"lawyer_out": str(team[0]), "lawyer_in": str(lawyer_in)}
    )
    assert proposed.status_code == 302
    proposal = _page(clerk, proposed.headers["Location"])
    changes = re.search(r'<td class="before">(.*?)</td>\s*<td class="after">(.*?)</td>', proposal, re.S)
    assert changes and names[team[0]] in changes.group(1) and names[lawyer_in] in changes.group(2)
    assert "不违反任何硬性规则" in proposal and "采纳并发布" in proposal
    assert len(_published(session_factory).assignments) == 8  # nothing changed yet

    accepted = post_form(clerk, proposed.headers["Location"] + "/accept")
    assert accepted.status_code == 302
    roster = _published(session_factory)
    assert roster.version == 2
    assert sorted(a.lawyer_id for a in roster.assignments if a.duty_id == duty_id) == sorted([team[1], lawyer_in])
    notice = app.test_client().get("/notice/522326/week/2026/12").get_data(as_text=True)
    assert names[lawyer_in] in notice


def test_a_cover_that_breaks_a_rule_needs_a_planner_s_reason(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    names = _names(session_factory)
    outsider = next(x for x in names if x not in team)
    with transaction(session_factory) as session:
        session.add(Unavailability(lawyer_id=outsider, start=MARCH_18, end=MARCH_18, reason="开庭"))
    clerk = client_as("clerk")
    desk = _page(clerk, f"/clerk/duties/{duty_id}?lawyer={team[0]}")
    suggested = re.findall(r'name="lawyer_in" value="(\d+)"', desk)
    assert str(outsider) not in suggested  # suggestions keep every rule
    assert f'<option value="{outsider}">' in desk  # a cover of one's own choice may name anyone of the office

    proposed = post_form(
        clerk, f"/clerk/duties/{duty_id}/cover", {"lawyer_out": str(team[0]), "lawyer_in": str(outsider)}
    )
    url = proposed.headers["Location"]
    page = _page(clerk, url)
    assert 'class="violations error"' in page and "只有排班人员可以说明理由后采纳" in page

    refused = post_form(clerk, url + "/accept")
    assert refused.status_code == 409 and "违反硬性规则" in refused.get_data(as_text=True)
    assert post_form(clerk, url + "/accept", {"override_reason": "本人同意"}).status_code == 403
    assert _published(session_factory).version == 1

    planner = client_as("planner")
    assert 'name="override_reason"' in _page(planner, url)
    assert post_form(planner, url + "/accept", {"override_reason": "律师本人确认可以到岗"}).status_code == 302
    assert _published(session_factory).version == 2
    with session_factory() as session:
        override = session.scalars(select(AuditEvent).where(AuditEvent.action == "roster.override")).one()
        assert override.reason == "律师本人确认可以到岗" and override.actor.startswith("user:planner")


def test_a_discarded_proposal_changes_nothing(client_as: ClientAs, session_factory: sessionmaker[Session]) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    clerk = client_as("clerk")
    desk = _page(clerk, f"/clerk/duties/{duty_id}?lawyer={team[0]}")
    swap = _first_form(desk, f"/clerk/duties/{duty_id}/swap")
    fields = {name: _hidden(swap, name) for name in ("lawyer_a", "duty_b", "lawyer_b")}
    proposed = post_form(clerk, f"/clerk/duties/{duty_id}/swap", fields)
    assert proposed.status_code == 302
    assert "换班方案" in _page(clerk, "/clerk/proposals") or "换班" in _page(clerk, "/clerk/proposals")
    assert post_form(clerk, proposed.headers["Location"] + "/discard").status_code == 302
    assert "没有待处理的变更" in _page(clerk, "/clerk/proposals")
    again = post_form(clerk, proposed.headers["Location"] + "/accept")
    assert again.status_code == 409 and "discarded" in again.get_data(as_text=True)
    assert _published(session_factory).version == 1


@SQLITE_ONLY
def test_a_cover_by_someone_outside_the_office_is_refused_beside_the_field(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    with transaction(session_factory) as session:
        stranger = Lawyer(
            name="外县律师", licence_no="15223201611000999", first_practice_year=2016, calendar_token="stranger-token"
        )
        session.add(stranger)
        session.flush()
        stranger_id = stranger.id
    response = post_form(
        client_as("clerk"),
        f"/clerk/duties/{duty_id}/cover",
        {"lawyer_out": str(team[0]), "lawyer_in": str(stranger_id)},
    )
    assert response.status_code == 400 and 'id="lawyer_in-error"' in response.get_data(as_text=True)
    with session_factory() as session:
        assert session.scalars(select(Proposal)).all() == []


def test_a_past_duty_cannot_be_changed_from_its_page(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    app.config["TODAY"] = dt.date(2026, 3, 12)
    duty_id, team = _duty_on(session_factory, MARCH_4)
    page = _page(client_as("clerk"), f"/clerk/duties/{duty_id}?lawyer={team[0]}")
    assert "这次值班已经过去" in page and "/clerk/duties/" not in page.split("这次值班已经过去")[1].split("</main>")[0]


# --- removal and suspension ----------------------------------------------------------------------


def test_removing_a_lawyer_proposes_the_replacement_and_accepting_it_publishes_it(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    _duty_id, team = _duty_on(session_factory, MARCH_18)
    with session_factory() as session:
        licence = session.get_one(Lawyer, team[0]).licence_no
    clerk = client_as("clerk")
    missing_end = post_form(
        clerk, "/clerk/standing", {"licence": licence, "action": "suspend", "start": "2026-03-01", "reason": "投诉"}
    )
    assert missing_end.status_code == 400 and "暂停需要结束日期" in missing_end.get_data(as_text=True)
    no_reason = post_form(clerk, "/clerk/standing", {"licence": licence, "action": "remove", "start": "2026-03-01"})
    assert no_reason.status_code == 400

    removed = post_form(
        clerk, "/clerk/standing", {"licence": licence, "action": "remove", "start": "2026-03-01", "reason": "违反纪律"}
    )
    assert removed.status_code == 302 and "/clerk/proposals/" in removed.headers["Location"]
    proposal = _page(clerk, removed.headers["Location"])
    assert "补位方案" in proposal and "违反纪律" in proposal
    assert "已取消资格" in _page(clerk, "/clerk/standing")
    assert post_form(clerk, removed.headers["Location"] + "/accept").status_code == 302
    roster = _published(session_factory)
    assert roster.version == 2 and team[0] not in {a.lawyer_id for a in roster.assignments}
    again = post_form(
        clerk, "/clerk/standing", {"licence": licence, "action": "remove", "start": "2026-03-01", "reason": "再次"}
    )
    assert again.status_code == 400 and "已被取消资格" in again.get_data(as_text=True)


# --- swap requests -------------------------------------------------------------------------------


def _agreed_request(factory: sessionmaker[Session], duty_id: int, giver: int, taker: int) -> int:
    with transaction(factory) as session:
        request = swap_requests.create(session, duty_id, giver, taker, message="家中有事", today=dt.date(2026, 2, 20))
        swap_requests.respond(session, request.id, taker, True, today=dt.date(2026, 2, 20))
        return request.id


def test_a_clerk_approves_a_swap_request_after_its_rule_check(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    names = _names(session_factory)
    taker = next(x for x in names if x not in team and x not in _duty_on(session_factory, MARCH_11)[1])
    request_id = _agreed_request(session_factory, duty_id, team[0], taker)
    clerk = client_as("clerk")
    listed = _page(clerk, "/clerk/swap-requests")
    assert f"{names[team[0]]} 请 {names[taker]} 接替" in listed and "家中有事" in listed
    detail = _page(clerk, f"/clerk/swap-requests/{request_id}")
    assert "不违反任何硬性规则" in detail and "目标值变化" in detail
    assert post_form(clerk, f"/clerk/swap-requests/{request_id}/approve").status_code == 302
    with session_factory() as session:
        assert session.get_one(SwapRequest, request_id).state == "approved"
    assert taker in {a.lawyer_id for a in _published(session_factory).assignments if a.duty_id == duty_id}
    assert "没有等待审批的换班请求" in _page(clerk, "/clerk/swap-requests")
    twice = post_form(clerk, f"/clerk/swap-requests/{request_id}/approve")
    assert twice.status_code == 302 and "已批准" in _page(clerk, twice.headers["Location"])


def test_a_rejected_swap_request_leaves_the_roster_alone(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    taker = next(x for x in _names(session_factory) if x not in team)
    request_id = _agreed_request(session_factory, duty_id, team[0], taker)
    assert post_form(client_as("clerk"), f"/clerk/swap-requests/{request_id}/reject").status_code == 302
    with session_factory() as session:
        assert session.get_one(SwapRequest, request_id).state == "rejected"
    assert _published(session_factory).version == 1


# --- attendance ----------------------------------------------------------------------------------


def test_attendance_is_recorded_for_past_duties_and_bad_entries_are_shown_on_their_line(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    app.config["TODAY"] = dt.date(2026, 3, 12)
    duty_id, team = _duty_on(session_factory, MARCH_4)
    clerk = client_as("clerk")
    page = _page(clerk, "/clerk/attendance")
    assert f'id="line-{duty_id}-{team[0]}"' in page and "尚未登记" in page
    url = "/clerk/attendance?start=2026-02-12&end=2026-03-12"
    missing = post_form(clerk, url, {"duty_id": str(duty_id), "lawyer_id": str(team[0]), "status": "substituted"})
    text = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "替班需要选择替班律师" in text
    assert re.search(rf'<tr id="line-{duty_id}-{team[0]}" class="invalid">', text)

    future, future_team = _duty_on(session_factory, MARCH_18)
    later = post_form(clerk, url, {"duty_id": str(future), "lawyer_id": str(future_team[0]), "status": "attended"})
    assert later.status_code == 400 and "值班结束后才能登记出勤" in later.get_data(as_text=True)

    done = post_form(
        clerk, url, {"duty_id": str(duty_id), "lawyer_id": str(team[0]), "status": "late", "note": "迟到十分钟"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"#line-{duty_id}-{team[0]}")
    with session_factory() as session:
        row = session.scalars(select(Attendance)).one()
        assert (row.status, row.note, row.recorded_by) == ("late", "迟到十分钟", row.recorded_by)
        assert row.recorded_by.startswith("user:clerk")
    assert "迟到十分钟" in _page(clerk, url)


# --- the audit log -------------------------------------------------------------------------------


def test_the_audit_log_is_filtered_by_actor_action_and_day_and_paged(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    with transaction(session_factory) as session:
        for i in range(60):
            session.add(
                AuditEvent(
                    actor="user:zhang" if i % 2 else "user:li",
                    action="roster.swap" if i % 3 else "lawyer.remove",
                    entity="roster",
                    entity_id=str(i),
                    at=dt.datetime(2026, 3, 1, 12) + dt.timedelta(days=i // 10),
                    after={"n": i},
                )
            )
    clerk = client_as("clerk")
    everything = _page(clerk, "/clerk/audit")
    assert "共 60 条" in everything and "第 1 页，共 2 页" in everything
    assert "共 30 条" in _page(clerk, "/clerk/audit?actor=zhang")
    assert "共 40 条" in _page(clerk, "/clerk/audit?action=roster.swap")
    assert "共 40 条" in _page(clerk, "/clerk/audit?action=roster")  # an area covers its actions
    assert "共 10 条" in _page(clerk, "/clerk/audit?start=2026-03-02&end=2026-03-02")
    second = _page(clerk, "/clerk/audit?actor=zhang&page=2")
    assert "第 2 页" not in second and "共 30 条" in second  # thirty fit on one page
    assert 'href="/clerk/audit?page=2"' in everything
    bad = clerk.get("/clerk/audit?start=yesterday")
    assert bad.status_code == 400 and "共 60 条" in bad.get_data(as_text=True)


def test_accepted_changes_appear_in_the_audit_log_with_who_made_them(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    duty_id, team = _duty_on(session_factory, MARCH_18)
    clerk = client_as("clerk")
    desk = _page(clerk, f"/clerk/duties/{duty_id}?lawyer={team[0]}")
    suggestion = _first_form(desk, f"/clerk/duties/{duty_id}/cover")
    fields = {"lawyer_out": str(team[0]), "lawyer_in": _hidden(suggestion, "lawyer_in"), "reason": "病假"}
    proposed = post_form(clerk, f"/clerk/duties/{duty_id}/cover", fields)
    post_form(clerk, proposed.headers["Location"] + "/accept")
    log = _page(clerk, "/clerk/audit?action=roster.cover")
    assert "共 1 条" in log and "（窗口）安排代班：" in log and "病假" in log and "user:clerk" not in log
    with session_factory() as session:
        assert session.scalars(select(Assignment).where(Assignment.origin == "manual")).first() is not None


@SQLITE_ONLY
def test_forged_or_odd_input_gets_an_answer_never_a_server_error(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    clerk = client_as("clerk")
    assert clerk.get("/clerk/week/9999/52").status_code == 404
    assert clerk.get("/clerk/audit?page=99999999999999999999&end=9999-12-31").status_code in (200, 400)
    huge = str(2**70)
    forged = post_form(clerk, "/clerk/attendance", {"duty_id": huge, "lawyer_id": "1", "status": "attended"})
    assert forged.status_code == 400
    swap = post_form(clerk, "/clerk/duties/1/swap", {"lawyer_a": huge, "duty_b": "1", "lawyer_b": "1"})
    assert swap.status_code in (400, 404)
