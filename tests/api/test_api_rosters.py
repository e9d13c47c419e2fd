"""The API's rosters: published duties, suggestions, versions and diffs, publishing, solve jobs."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.planning import jobs
from scheduler.planning.duties import generate_windows
from scheduler.planning.solving import solve_period
from tests.api.conftest import County, Headers, errors_of, swap_pair
from tests.integration.roster_fixtures import END, PARAMS, START, TODAY, build_county
from tests.web.conftest import build_roster
from tests.web.querycount import app_engine, count_queries

PERIOD = f"{START}..{END}"


class RecordingRunner:
    """Takes solve jobs and runs none of them: what the API queued is all these tests look at."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)


@pytest.fixture
def runner(app: Flask) -> RecordingRunner:
    recording = RecordingRunner()
    app.extensions["scheduler.job_runner"] = recording
    return recording


def test_anyone_can_read_the_published_duties_with_names_and_firms(anonymous: FlaskClient, county: County) -> None:
    duties = anonymous.get(f"/api/v1/duties?from={START}&to={END}").get_json()
    assert [d["id"] for d in duties] == county.duty_ids
    first = duties[0]
    assert (first["date"], first["start"], first["end"], first["office"]["code"]) == (
        "2026-03-04",
        "09:00",
        "12:00",
        "522326",
    )
    assert sorted(lw["id"] for lw in first["lawyers"]) == county.team[first["id"]]
    assert set(first["lawyers"][0]) == {"id", "name", "firm"}  # no phone, e-mail or licence number
    assert first["roster"] == {"id": county.roster_id, "version": 1} and first["open_places"] == 0


def test_duties_default_to_the_thirty_days_from_today(anonymous: FlaskClient, county: County) -> None:
    # Today is 2026-02-20: the 30 days to 2026-03-22 hold three of the four Wednesdays.
    assert [d["date"] for d in anonymous.get("/api/v1/duties").get_json()] == [
        "2026-03-04",
        "2026-03-11",
        "2026-03-18",
    ]


def test_duties_filter_by_office_and_an_unknown_office_is_a_404(anonymous: FlaskClient, county: County) -> None:
    assert len(anonymous.get(f"/api/v1/duties?from={START}&to={END}&office=522326").get_json()) == 4
    assert anonymous.get(f"/api/v1/duties?from={START}&to={END}&office=522301").status_code == 404


def test_bad_duty_dates_name_the_parameter(anonymous: FlaskClient) -> None:
    assert set(errors_of(anonymous.get("/api/v1/duties?from=2026-13-01&to=03/04/2026"))) == {"from", "to"}
    assert set(errors_of(anonymous.get("/api/v1/duties?from=2026-03-04&to=2026-03-01"))) == {"to"}
    assert set(errors_of(anonymous.get("/api/v1/duties?from=2026-01-01&to=2027-06-01"))) == {"to"}
    assert set(errors_of(anonymous.get("/api/v1/duties?from=1999-01-01"))) == {"from"}


def test_cover_suggestions_rank_who_could_take_a_lawyers_place(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    leaving = county.team[duty][0]
    answer = client.get(f"/api/v1/duties/{duty}/suggestions?replace={leaving}", headers=basic("clerk")).get_json()
    assert answer["kind"] == "cover" and answer["version"] == 1
    found = answer["suggestions"]
    assert found and all(s["lawyer_id"] in county.off(duty) for s in found)
    deltas = [s["objective_delta"] for s in found]
    assert deltas == sorted(deltas)
    assert found[0]["changes"] == [{"duty_id": duty, "remove": [leaving], "add": [found[0]["lawyer_id"]]}]


def test_swap_suggestions_name_the_partner_and_the_duty_given_in_return(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    mine = county.team[duty][0]
    answer = client.get(f"/api/v1/duties/{duty}/suggestions?swap={mine}", headers=basic("planner")).get_json()
    assert answer["kind"] == "swap" and answer["suggestions"]
    for s in answer["suggestions"]:
        assert s["lawyer_id"] in county.team[s["partner_duty_id"]]


def test_suggestions_refuse_a_lawyer_who_is_not_on_the_duty(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    stranger = county.off(duty)[0]
    clerk = basic("clerk")
    assert set(errors_of(client.get(f"/api/v1/duties/{duty}/suggestions?replace={stranger}", headers=clerk))) == {
        "replace"
    }
    assert set(errors_of(client.get(f"/api/v1/duties/{duty}/suggestions", headers=clerk))) == {"replace"}
    both = f"/api/v1/duties/{duty}/suggestions?replace={county.team[duty][0]}&swap={county.team[duty][1]}"
    assert set(errors_of(client.get(both, headers=clerk))) == {"swap"}
    assert client.get("/api/v1/duties/4242/suggestions?replace=1", headers=clerk).status_code == 404


def test_rosters_list_versions_with_their_assignment_counts(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    (listed,) = client.get(f"/api/v1/rosters?from={START}", headers=basic("clerk")).get_json()
    assert listed["id"] == county.roster_id and listed["period"] == PERIOD
    assert (listed["status"], listed["version"], listed["assignments"]) == ("published", 1, 8)
    assert client.get("/api/v1/rosters?to=2026-01-01", headers=basic("clerk")).get_json() == []


def test_a_roster_shows_its_assignments_and_changelog(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    roster = client.get(f"/api/v1/rosters/{county.roster_id}", headers=basic("planner")).get_json()
    assert {(a["duty_id"], a["lawyer_id"]) for a in roster["assignments"]} == {
        (d, lw) for d, team in county.team.items() for lw in team
    }
    assert roster["changelog"][-1]["what"] == "published version 1"
    assert client.get("/api/v1/rosters/4242", headers=basic("planner")).status_code == 404


def test_the_diff_of_two_versions_shows_the_duties_that_changed(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    planner = basic("planner")
    body = swap_pair(county)
    proposal = client.post("/api/v1/proposals", json=body, headers=planner).get_json()
    accepted = client.post(f"/api/v1/proposals/{proposal['id']}/accept", headers=planner).get_json()
    new_id = accepted["roster"]["id"]
    diff = client.get(f"/api/v1/rosters/{county.roster_id}/diff/{new_id}", headers=planner).get_json()
    assert (diff["from"]["version"], diff["to"]["version"]) == (1, 2)
    changed = {d["duty_id"]: (d["removed"], d["added"]) for d in diff["duties"]}
    assert changed == {
        body["duty_id"]: ([body["lawyer_id"]], [body["other_lawyer_id"]]),
        body["other_duty_id"]: ([body["other_lawyer_id"]], [body["lawyer_id"]]),
    }


def test_only_versions_of_one_period_compare(
    client: FlaskClient, session_factory: sessionmaker[Session], basic: Callable[..., Headers], county: County
) -> None:
    april = (dt.date(2026, 3, 30), dt.date(2026, 4, 26))
    with transaction(session_factory) as session:
        generate_windows(session, *april, "test")
    solve_period(session_factory, *april, PARAMS, actor="test", today=TODAY)
    other = max(r["id"] for r in client.get("/api/v1/rosters", headers=basic("planner")).get_json())
    response = client.get(f"/api/v1/rosters/{county.roster_id}/diff/{other}", headers=basic("planner"))
    assert set(errors_of(response)) == {"other_id"}


def test_a_planner_publishes_a_solved_draft_as_the_next_version(
    client: FlaskClient, session_factory: sessionmaker[Session], basic: Callable[..., Headers], county: County
) -> None:
    solve_period(session_factory, START, END, PARAMS, actor="test", today=TODAY)
    response = client.post(f"/api/v1/rosters/{PERIOD}/publish", json={"reason": "月度重排"}, headers=basic("planner"))
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["version"], response.get_json()["status"]) == (2, "published")
    versions = client.get("/api/v1/rosters", headers=basic("planner")).get_json()
    assert [(r["version"], r["status"]) for r in versions] == [(1, "superseded"), (2, "published")]


def test_publishing_without_a_draft_is_a_404_and_a_bad_period_a_400(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    planner = basic("planner")
    assert client.post(f"/api/v1/rosters/{PERIOD}/publish", headers=planner).status_code == 404
    for bad in ("2026-03-02", "2026-03-29..2026-03-02", "2026-02-30..2026-03-29", "x..y"):
        assert set(errors_of(client.post(f"/api/v1/rosters/{bad}/publish", headers=planner))) == {"period"}


def test_clerks_may_not_publish_or_solve(client: FlaskClient, basic: Callable[..., Headers], county: County) -> None:
    clerk = basic("clerk")
    assert client.post(f"/api/v1/rosters/{PERIOD}/publish", headers=clerk).status_code == 403
    body = {"from": str(START), "to": str(END)}
    assert client.post("/api/v1/solve-jobs", json=body, headers=clerk).status_code == 403


def test_a_solve_job_is_queued_with_its_location_and_handed_to_the_runner(
    client: FlaskClient, basic: Callable[..., Headers], runner: RecordingRunner, county: County
) -> None:
    planner = basic("planner")
    body = {"from": str(START), "to": str(END), "time_limit_s": 5, "workers": 1, "seed": 7}
    response = client.post("/api/v1/solve-jobs", json=body, headers=planner)
    assert response.status_code == 202
    job = response.get_json()
    assert (job["state"], job["period"], job["time_limit_s"], job["workers"], job["seed"]) == (
        "queued",
        PERIOD,
        5.0,
        1,
        7,
    )
    assert runner.submitted == [job["id"]]
    assert response.headers["Location"] == f"/api/v1/solve-jobs/{job['id']}"
    assert client.get(response.headers["Location"], headers=planner).get_json()["state"] == "queued"


def test_a_second_solve_of_a_period_under_way_is_a_conflict(
    client: FlaskClient, basic: Callable[..., Headers], runner: RecordingRunner, county: County
) -> None:
    planner = basic("planner")
    body = {"from": str(START), "to": str(END)}
    assert client.post("/api/v1/solve-jobs", json=body, headers=planner).status_code == 202
    assert client.post("/api/v1/solve-jobs", json=body, headers=planner).status_code == 409
    assert len(runner.submitted) == 1


def test_bad_solve_requests_name_each_bad_field(
    client: FlaskClient, basic: Callable[..., Headers], runner: RecordingRunner
) -> None:
    body = {"from": "2026-03-02", "time_limit_s": 0, "workers": 99, "seed": -1}
    errors = errors_of(client.post("/api/v1/solve-jobs", json=body, headers=basic("planner")))
    assert set(errors) == {"to", "time_limit_s", "workers", "seed"}
    assert errors["to"] == "is required"
    long = {"from": "2026-01-01", "to": "2027-06-30"}
    assert set(errors_of(client.post("/api/v1/solve-jobs", json=long, headers=basic("planner")))) == {"to"}
    assert runner.submitted == []


def test_an_unknown_solve_job_is_a_404(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    assert client.get("/api/v1/solve-jobs/4242", headers=basic("clerk")).status_code == 404


def test_without_a_runner_the_api_makes_one_and_the_job_solves_the_period(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session], basic: Callable[..., Headers]
) -> None:
    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
    for key in ("scheduler.job_runner", "scheduler.solve_runner"):
        app.extensions.pop(key, None)
    planner = basic("planner")
    body = {"from": str(START), "to": str(END), "time_limit_s": 10, "workers": 1}
    location = client.post("/api/v1/solve-jobs", json=body, headers=planner).headers["Location"]
    assert isinstance(app.extensions["scheduler.job_runner"], jobs.ThreadRunner)
    deadline = time.monotonic() + 60
    job = client.get(location, headers=planner).get_json()
    while job["state"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(location, headers=planner).get_json()
    assert job["state"] == "succeeded", job
    draft = client.get(f"/api/v1/rosters/{job['roster_id']}", headers=planner).get_json()
    assert draft["status"] == "draft" and len(draft["assignments"]) == 8
    app.extensions["scheduler.job_runner"].executor.shutdown(wait=True)


def test_the_duties_take_the_same_number_of_queries_for_few_or_many(
    app: Flask, session_factory: sessionmaker[Session], anonymous: FlaskClient
) -> None:
    span = "/api/v1/duties?from=2026-03-01&to=2026-08-31"
    counts, shown = [], []
    for duties, code, start in ((2, "522301", dt.date(2026, 3, 4)), (20, "522302", dt.date(2026, 4, 1))):
        build_roster(session_factory, duties=duties, code=code, name_prefix=f"D{duties}-", start=start)
        with count_queries(app_engine(app)) as counted:
            shown.append(len(anonymous.get(span).get_json()))
        counts.append(counted.count)
    assert shown == [2, 22]
    assert counts[0] == counts[1], counts
