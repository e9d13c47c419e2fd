"""Background solving through the planner's pages: start, follow, review, publish; one solve per period;
failures shown; then a clerk's swap reaching the public notice and the feeds. Who may do what."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import Lawyer, Roster, SolveJob
from scheduler.planning import jobs
from scheduler.web.planner.blueprint import RUNNER
from tests.integration.roster_fixtures import END, START, build_county, published_county
from tests.web.conftest import SQLITE_ONLY, build_roster, post_form

ClientAs = Callable[..., FlaskClient]
PERIOD = {"start": START.isoformat(), "end": END.isoformat(), "time_limit": "10", "generate_windows": "y"}


class QueueOnly:
    """A runner that only takes note of the jobs it is given: they stay queued until the test runs them."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)


def _county(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        build_county(session)


def _job_id(response_location: str) -> int:
    found = re.fullmatch(r"/planner/jobs/(\d+)", response_location)
    assert found, response_location
    return int(found.group(1))


def _poll(client: FlaskClient, job_id: int, limit_s: float = 60) -> dict[str, object]:
    """The job's JSON once it has finished, asked for as the page's script does."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        response = client.get(f"/planner/jobs/{job_id}.json", headers={"Accept": "application/json"})
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        body = response.get_json()
        assert body["state"] in ("queued", "running", "succeeded", "failed")
        assert 0 <= body["percent"] <= 100 and body["time_left_s"] >= 0
        if body["finished"]:
            return dict(body)
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {limit_s} s")


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_planner_solves_a_period_in_the_background_reviews_the_draft_and_publishes_it(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _county(session_factory)
    planner = client_as("planner")
    started = post_form(planner, "/planner/solve", PERIOD)
    assert started.status_code == 302
    job_id = _job_id(started.headers["Location"])
    page = planner.get(f"/planner/jobs/{job_id}").get_data(as_text=True)
    assert f'data-job-url="/planner/jobs/{job_id}.json"' in page and "<progress" in page

    body = _poll(planner, job_id)
    assert body["state"] == "succeeded" and body["percent"] == 100 and body["objective"] is not None
    assert body["review_url"] == f"/planner/rosters/{body['roster_id']}"
    # Any planner follows the same job: the page reads the database, not the starting browser's session.
    other = client_as("planner").get(f"/planner/jobs/{job_id}").get_data(as_text=True)
    assert "已完成" in other and f'href="/planner/rosters/{body["roster_id"]}"' in other

    review = planner.get(str(body["review_url"]))
    text = review.get_data(as_text=True)
    assert review.status_code == 200 and "草稿" in text and "评分明细" in text and "<svg" in text
    assert "未排满的岗位" in text and "每次值班都已排满" in text
    published = post_form(planner, f"/planner/rosters/{body['roster_id']}/publish", {"reason": "三月排班"})
    assert published.status_code == 302
    assert "已发布第 1 版" in planner.get(published.headers["Location"]).get_data(as_text=True)
    with session_factory() as session:
        roster = session.get_one(Roster, body["roster_id"])
        assert roster.status == "published" and roster.changelog[-1]["why"] == "三月排班"
    notice = client_as("clerk").get("/notice/522326/week/2026/10").get_data(as_text=True)
    assert "律师" in notice and "待安排" not in notice
    app.extensions[RUNNER].executor.shutdown(wait=True)


def test_a_second_solve_of_the_same_period_is_refused_while_the_first_is_under_way(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _county(session_factory)
    runner = QueueOnly()
    app.extensions[RUNNER] = runner
    first = post_form(client_as("planner"), "/planner/solve", PERIOD)
    job_id = _job_id(first.headers["Location"])
    assert runner.submitted == [job_id]

    again = post_form(client_as("planner"), "/planner/solve", PERIOD)
    text = again.get_data(as_text=True)
    assert again.status_code == 409 and "的求解已在进行中" in text
    assert f'href="/planner/jobs/{job_id}"' in text  # the way to the running job
    assert runner.submitted == [job_id] and _count(session_factory, SolveJob) == 1

    jobs.run_job(session_factory, job_id, today=START)
    with session_factory() as session:
        assert session.get_one(SolveJob, job_id).state == "succeeded"
    assert post_form(client_as("planner"), "/planner/solve", PERIOD).status_code == 302  # free again


def test_a_failed_job_shows_its_error_and_writes_no_roster(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _county(session_factory)
    runner = QueueOnly()
    app.extensions[RUNNER] = runner
    planner = client_as("planner")
    # 2028's working days are unknown and no override was imported: the solve must fail, not guess.
    period = {"start": "2028-03-06", "end": "2028-03-26", "time_limit": "10"}
    job_id = _job_id(post_form(planner, "/planner/solve", period).headers["Location"])
    jobs.run_job(session_factory, job_id, today=START)

    body = planner.get(f"/planner/jobs/{job_id}.json").get_json()
    assert body["state"] == "failed" and "2028" in body["error"] and body["roster_id"] is None
    page = planner.get(f"/planner/jobs/{job_id}").get_data(as_text=True)
    assert "求解失败" in page and "2028" in page
    assert _count(session_factory, Roster) == 0


@SQLITE_ONLY
def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    runner = QueueOnly()
    app.extensions[RUNNER] = runner
    response = post_form(client_as("planner"), "/planner/solve", {**PERIOD, "end": "2026-02-01"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="end-error">结束日期早于开始日期。', text)
    for bad in ({**PERIOD, "time_limit": "0"}, {**PERIOD, "start": "2026-02-30"}):
        assert post_form(client_as("planner"), "/planner/solve", bad).status_code == 400
    assert runner.submitted == [] and _count(session_factory, SolveJob) == 0


def test_a_clerk_swaps_using_a_suggestion_and_the_notice_and_feed_follow(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    clerk = client_as("clerk")
    week = clerk.get("/clerk/week/2026/10").get_data(as_text=True)
    duty_link = re.search(r'href="/clerk/duties/(\d+)\?lawyer=(\d+)"', week)
    assert duty_link, "the week page links each lawyer on duty to the duty's page"
    duty_id, lawyer_id = (int(x) for x in duty_link.groups())
    desk = clerk.get(f"/clerk/duties/{duty_id}?lawyer={lawyer_id}").get_data(as_text=True)
    swap = re.search(
        r'action="/clerk/duties/\d+/swap".*?name="lawyer_a" value="(\d+)".*?name="duty_b" value="(\d+)".*?'
        r'name="lawyer_b" value="(\d+)"',
        desk,
        re.S,
    )
    assert swap, "the duty page offers ranked swaps"
    lawyer_a, duty_b, lawyer_b = swap.groups()
    with session_factory() as session:
        names = {lw.id: lw.name for lw in session.scalars(select(Lawyer))}
    feed_before = clerk.get("/calendars/office/522326.ics").get_data(as_text=True)

    proposed = post_form(
        clerk, f"/clerk/duties/{duty_id}/swap", {"lawyer_a": lawyer_a, "duty_b": duty_b, "lawyer_b": lawyer_b}
    )
    assert proposed.status_code == 302
    proposal = clerk.get(proposed.headers["Location"]).get_data(as_text=True)
    assert "不违反任何硬性规则" in proposal and "目标值由" in proposal
    accepted = post_form(clerk, proposed.headers["Location"] + "/accept")
    assert accepted.status_code == 302
    assert "第 2 版已发布" in clerk.get(accepted.headers["Location"]).get_data(as_text=True)

    notice = app.test_client().get("/notice/522326/week/2026/10").get_data(as_text=True)
    assert 'data-roster-versions="2"' in notice  # the notice names no version; its markup does
    feed_after = clerk.get("/calendars/office/522326.ics").get_data(as_text=True)
    assert feed_after != feed_before
    assert names[int(lawyer_b)] in feed_after


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("clerk", "/planner/"),
        ("lawyer", "/planner/jobs/1.json"),
        ("clerk", "/planner/rosters/1"),
        ("lawyer", "/clerk/"),
        ("lawyer", "/clerk/audit"),
    ],
)
def test_other_roles_are_refused_and_anonymous_visitors_sent_to_sign_in(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session], role: str, url: str
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    client = client_as(role, lawyer_id=world.lawyer_ids[0] if role == "lawyer" else None)
    assert client.get(url).status_code == 403
    anonymous = app.test_client()
    page = anonymous.get(url)
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    assert anonymous.get(url, headers={"Accept": "application/json"}).status_code == 401
    assert anonymous.post("/planner/solve", data=PERIOD).status_code in (400, 401)  # no token, no account


@SQLITE_ONLY
def test_the_start_of_a_solve_is_refused_to_a_clerk(app: Flask, client_as: ClientAs) -> None:
    runner = QueueOnly()
    app.extensions[RUNNER] = runner
    assert post_form(client_as("clerk"), "/planner/solve", PERIOD).status_code == 403
    assert runner.submitted == []


def test_dates_in_the_job_json_are_the_period_asked_for(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _county(session_factory)
    app.extensions[RUNNER] = QueueOnly()
    planner = client_as("planner")
    job_id = _job_id(post_form(planner, "/planner/solve", PERIOD).headers["Location"])
    body = planner.get(f"/planner/jobs/{job_id}.json").get_json()
    assert body["period"] == [START.isoformat(), END.isoformat()] and body["state"] == "queued"
    assert body["time_limit_s"] == 10 and body["time_left_s"] == 10 and body["percent"] == 0
    assert dt.date.fromisoformat(body["period"][0]) == START


def test_a_job_whose_worker_died_is_shown_as_stalled_and_no_longer_blocks_its_period(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _county(session_factory)
    app.extensions[RUNNER] = QueueOnly()
    planner = client_as("planner")
    job_id = _job_id(post_form(planner, "/planner/solve", PERIOD).headers["Location"])
    with transaction(session_factory) as session:
        job = session.get_one(SolveJob, job_id)
        long_ago = dt.datetime(2026, 1, 1, 8)
        job.state, job.started_at, job.heartbeat_at = "running", long_ago, long_ago
    assert planner.get(f"/planner/jobs/{job_id}.json").get_json()["stalled"] is True
    assert "求解似乎已经停止" in planner.get(f"/planner/jobs/{job_id}").get_data(as_text=True)
    again = post_form(planner, "/planner/solve", PERIOD)
    assert again.status_code == 302 and _job_id(again.headers["Location"]) != job_id
    body = planner.get(f"/planner/jobs/{job_id}.json").get_json()
    assert body["state"] == "failed" and "worker stopped" in body["error"]
