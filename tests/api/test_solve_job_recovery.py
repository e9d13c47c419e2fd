"""A solve job never blocks its period for good: a queue that does not answer marks the job failed at once
(and says so, in Chinese on the planner's page), and a killed worker's or a lost job is reaped on every path
where a solve is requested or followed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import SolveJob
from scheduler.planning import jobs
from scheduler.web.api.rosters import JOB_RUNNER
from scheduler.web.planner.blueprint import RUNNER
from tests.api.conftest import County, Headers
from tests.builders import TEST_REDIS_URL
from tests.integration.roster_fixtures import END, START
from tests.web.conftest import post_form

BODY = {"from": str(START), "to": str(END), "time_limit_s": 5}
# A Redis nobody listens on: the enqueue fails as it does when the real one is down.
UNREACHABLE = "redis://127.0.0.1:1/14"


class Recording:
    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)


def _state(factory: sessionmaker[Session], job_id: int) -> tuple[str, str]:
    with factory() as session:
        job = session.get_one(SolveJob, job_id)
        return job.state, job.error


def _only_job(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalars(select(SolveJob.id)).one()


def test_an_unreachable_queue_fails_the_job_and_the_period_can_be_solved_once_it_is_back(
    app: Flask,
    client: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    app.extensions[JOB_RUNNER] = jobs.RQRunner(UNREACHABLE)
    planner = basic("planner")
    refused = client.post("/api/v1/solve-jobs", json=BODY, headers=planner)
    assert refused.status_code == 503 and "无法把求解任务排入队列" in refused.get_json()["message"]
    job_id = _only_job(session_factory)
    state, error = _state(session_factory, job_id)
    assert state == "failed" and "无法把求解任务排入队列" in error
    back = Recording()
    app.extensions[JOB_RUNNER] = back  # Redis is back
    again = client.post("/api/v1/solve-jobs", json=BODY, headers=planner)
    assert again.status_code == 202 and back.submitted == [again.get_json()["id"]]


def test_a_real_redis_queue_takes_the_job(
    app: Flask, client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    from redis import Redis

    url = TEST_REDIS_URL
    runner = jobs.RQRunner(url)
    app.extensions[JOB_RUNNER] = runner
    response = client.post("/api/v1/solve-jobs", json=BODY, headers=basic("planner"))
    assert response.status_code == 202
    assert f"solve-{response.get_json()['id']}".encode() in [
        key.split(b":")[-1] for key in Redis.from_url(url).keys(b"rq:job:solve-*")
    ]
    runner.queue.empty()


def test_the_planner_is_told_in_chinese_when_the_queue_does_not_answer(
    app: Flask, client_as: Callable[..., FlaskClient], county: County, session_factory: sessionmaker[Session]
) -> None:
    app.extensions[RUNNER] = jobs.RQRunner(UNREACHABLE)
    planner = client_as("planner")
    period = {"start": START.isoformat(), "end": END.isoformat(), "time_limit": "10"}
    response = post_form(planner, "/planner/solve", period)
    assert response.status_code == 503
    assert "求解任务未能交给后台队列" in response.get_data(as_text=True)
    assert _state(session_factory, _only_job(session_factory))[0] == "failed"


@pytest.mark.parametrize("kind", ["killed worker", "lost in the queue"])
def test_a_stale_job_is_reaped_when_a_solve_is_requested_through_the_api(
    app: Flask,
    client: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
    kind: str,
) -> None:
    runner = Recording()
    app.extensions[JOB_RUNNER] = runner
    planner = basic("planner")
    first = client.post("/api/v1/solve-jobs", json=BODY, headers=planner).get_json()["id"]
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=2)
    with transaction(session_factory) as session:
        job = session.get_one(SolveJob, first)
        if kind == "killed worker":
            job.state, job.started_at, job.heartbeat_at = "running", long_ago, long_ago
        else:
            job.created_at = long_ago
    followed = client.get(f"/api/v1/solve-jobs/{first}", headers=planner).get_json()
    assert followed["state"] == "failed"
    again = client.post("/api/v1/solve-jobs", json=BODY, headers=planner)
    assert again.status_code == 202, again.get_json()
