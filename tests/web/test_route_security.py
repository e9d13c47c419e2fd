"""Every route of the URL map, including routes other areas add later, is guarded: by role, and for clerks and
planners by office (another office's duty, proposal, swap request, roster or lawyer is a 403, in pages and API).

The tests walk `app.url_map` rather than a list of known routes: a new write route without
`@role_required(...)` fails here until it gets one (or is listed below with the reason).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import AnyConverter, BaseConverter, FloatConverter, IntegerConverter, Rule, UUIDConverter

from scheduler.db import transaction
from scheduler.models import (
    ConsultationCategory,
    Duty,
    EntrustedCase,
    JointMeeting,
    Lawyer,
    MeetingDecision,
    Proposal,
    SwapRequest,
    Unavailability,
)
from scheduler.models.accounts import ROLES
from scheduler.models.availability import AvailabilityRequest, RequestWindow
from scheduler.models.records import Consultation
from tests.web.conftest import SQLITE_ONLY, START, World, build_roster, login

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Write routes open to anonymous visitors, each with its reason.
PUBLIC_WRITES = {
    "auth.login": "signing in is what an anonymous visitor does",
    "auth.reset": "a one-time reset link stands for the account whose password was forgotten",
}
# Write routes that authenticate by other means than the session cookie (none yet; e.g. an API token).
CSRF_EXEMPT: dict[str, str] = {}


def _sample(converter: BaseConverter) -> object:
    """A value the converter accepts, so the URL reaches the view (whose guard must answer first)."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return next(iter(converter.items))
    return "x1"


def _url(rule: Rule) -> str:
    # Rule._converters is werkzeug's own table of the rule's converters; there is no public accessor.
    values = {name: _sample(conv) for name, conv in rule._converters.items()}
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build a URL for {rule.rule}"
    return built[1]


def _routes(app: Flask, methods: frozenset[str]) -> Iterator[tuple[Rule, str, str]]:
    """(rule, method, url) of every route answering one of `methods`, the static files excepted."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & methods):
            yield rule, method, _url(rule)


def _allowed(app: Flask, rule: Rule) -> frozenset[str] | None:
    roles: frozenset[str] | None = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
    return roles


@pytest.fixture
def accounts(
    app: Flask, session_factory: sessionmaker[Session], client_as: Callable[..., FlaskClient]
) -> dict[str, FlaskClient]:
    """A signed-in client per role (the lawyer's linked to a lawyer)."""
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    return {role: client_as(role, lawyer_id=world.lawyer_ids[0] if role == "lawyer" else None) for role in ROLES}


@pytest.fixture
def without_csrf(app: Flask) -> Flask:
    # The guards are tested on their own here; CSRF has its own test below.
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _send(client: FlaskClient, method: str, url: str) -> int:
    return client.open(url, method=method, data={}).status_code


@SQLITE_ONLY
def test_the_walk_sees_the_write_routes_of_every_area(app: Flask) -> None:
    endpoints = {rule.endpoint for rule, _method, _url in _routes(app, WRITE_METHODS)}
    assert {"auth.login", "auth.logout", "lawyer.rotate_calendar", "lawyer.swap", "lawyer.accept"} <= endpoints


@SQLITE_ONLY
def test_every_write_route_declares_the_roles_it_admits(app: Flask) -> None:
    unguarded = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method, _url in _routes(app, WRITE_METHODS)
        if rule.endpoint not in PUBLIC_WRITES and _allowed(app, rule) is None
    ]
    assert unguarded == [], "write routes without @role_required(...)"


@SQLITE_ONLY
def test_every_write_route_answers_401_to_anonymous_users(without_csrf: Flask) -> None:
    client = without_csrf.test_client()
    answers = {
        f"{method} {url}": _send(client, method, url)
        for rule, method, url in _routes(without_csrf, WRITE_METHODS)
        if rule.endpoint not in PUBLIC_WRITES
    }
    assert answers and all(status == 401 for status in answers.values()), answers


@SQLITE_ONLY
def test_every_write_route_answers_403_to_the_roles_it_does_not_admit(
    without_csrf: Flask, accounts: dict[str, FlaskClient]
) -> None:
    answers = {}
    for rule, method, url in _routes(without_csrf, WRITE_METHODS):
        allowed = _allowed(without_csrf, rule)
        for role in sorted(set(ROLES) - set(allowed or ROLES)):
            answers[f"{role}: {method} {url}"] = _send(accounts[role], method, url)
    assert answers and all(status == 403 for status in answers.values()), answers


@SQLITE_ONLY
def test_every_write_route_refuses_a_request_without_a_csrf_token(app: Flask, accounts: dict[str, FlaskClient]) -> None:
    anonymous = app.test_client()
    answers = {}
    for rule, method, url in _routes(app, WRITE_METHODS):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        admitted = sorted(_allowed(app, rule) or ROLES)[0]
        # The API answers an anonymous write (no session to forge) with 401: the login is what is missing.
        expected_anonymous = 401 if url.startswith("/api/") else 400
        answers[f"anonymous: {method} {url}"] = (_send(anonymous, method, url), expected_anonymous)
        answers[f"{admitted}: {method} {url}"] = (_send(accounts[admitted], method, url), 400)
    assert answers and all(status == expected for status, expected in answers.values()), answers


@SQLITE_ONLY
def test_every_guarded_page_sends_anonymous_browsers_to_sign_in_and_refuses_other_roles(
    app: Flask, accounts: dict[str, FlaskClient]
) -> None:
    anonymous = app.test_client()
    answers = {}
    for rule, method, url in _routes(app, frozenset({"GET"})):
        allowed = _allowed(app, rule)
        if allowed is None:
            continue
        response = anonymous.open(url, method=method)
        answers[f"anonymous: {url}"] = (response.status_code, response.headers.get("Location", "").split("?")[0])
        for role in sorted(set(ROLES) - allowed):
            answers[f"{role}: {url}"] = (accounts[role].open(url, method=method).status_code, "")
    expected = {key: ((302, "/login") if key.startswith("anonymous") else (403, "")) for key in answers}
    assert answers and answers == expected


@SQLITE_ONLY
def test_an_api_client_gets_401_rather_than_a_redirect(app: Flask) -> None:
    response = app.test_client().get("/me/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"] == 401


# --- the office dimension: a clerk or planner of one office on another office's records ----------------------

# Write routes a clerk or planner may use that touch no office's duties or lawyers, each with its reason.
OFFICE_FREE = {
    "auth.logout": "the account's own sessions",
    "auth.password": "the account's own password",
    "planner.new_firm": "law firms are shared by every office",
    "planner.edit_firm": "law firms are shared by every office",
    # grades: the use case takes the lawyers of the account's scoped assessment (test_assessment_grades_page)
    "planner.compute_assessment_grades": "grades only the lawyers the account's scope lists",
    "planner.override_assessment_grade": "a lawyer outside the scope is refused with 403",
    # the bureau's lists and events, for every office alike (as their API routes below)
    "planner.reception_categories": "the reception log's categories are the bureau's, for every office",
    "planner.change_reception_category": "the reception log's categories are the bureau's, for every office",
    "planner.trainings": "a training is the bureau's, for lawyers of every office",
    "planner.training_page": "a training is the bureau's, for lawyers of every office",
    "planner.invite_to_training": "a training is the bureau's, for lawyers of every office",
    "planner.training_attendance": "a training is the bureau's, for lawyers of every office",
    "availability.open_window": "a request window covers a period of every office",
    "api.registry.create_firm": "law firms are shared by every office",
    "api.registry.change_firm": "law firms are shared by every office",
}
# API routes of the notice's other work (api15) whose URL names a record by an id the walk below does not
# build (a case, a consultation, a training, an availability request, an office code), or that no office owns;
# each with where its office check is tested, or why there is none (the same as the page's).
API_SCOPED_ELSEWHERE = {
    "api.hotline.put_hotline": "office code in the URL: 403 tested in tests/api/test_api_hotline_availability.py",
    "api.reception.remove_consultation": "the consultation's duty's office: tested in tests/api/test_api_reception.py",
    "api.casework.change_case": "the case's entrusting office: tested in tests/api/test_api_cases.py",
    "api.casework.assign": "the case's entrusting office: tested in tests/api/test_api_cases.py",
    "api.casework.set_status": "the case's entrusting office: tested in tests/api/test_api_cases.py",
    "api.casework.upload_opinion": "the case's entrusting office: tested in tests/api/test_api_cases.py",
    "api.trainings.add_training": "a training is the bureau's, for lawyers of every office (as the training pages)",
    "api.trainings.invite": "a training is the bureau's, for lawyers of every office (as the training pages)",
    "api.trainings.attendance": "a training is the bureau's, for lawyers of every office (as the training pages)",
    "api.availability.open_window": "a request window covers a period of every office (as the planner's page)",
    "api.availability.approve": "a lawyer's own request, decided by planners (as the planner's page)",
    "api.availability.decline": "a lawyer's own request, decided by planners (as the planner's page)",
    "api.meetings.add_decision": "a joint meeting's decisions, kept by staff (as the clerk's meeting page)",
    "api.meetings.decision_state": "a joint meeting's decisions, kept by staff (as the clerk's meeting page)",
}
OFFICE_ROLES = ("clerk", "planner")


@dataclass(frozen=True)
class OtherOffice:
    """Office A's records (望谟, 522326), and clients of office B's clerk and planner (兴义, 522301)."""

    ids: dict[str, object]  # URL argument -> a value naming one of A's records
    bodies: dict[str, dict[str, object]]  # endpoint without such an argument -> a request naming A's records
    clients: dict[str, FlaskClient]  # role -> B's account
    world: World
    office_ids: tuple[int, int]  # A, B


@pytest.fixture
def other_office(
    without_csrf: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> OtherOffice:
    a = build_roster(session_factory, lawyers=4, duties=2, per_duty=1, code="522326")
    b = build_roster(
        session_factory,
        lawyers=4,
        duties=2,
        per_duty=1,
        code="522301",
        start=START + dt.timedelta(days=1),
        name_prefix="乙方",
    )
    with transaction(session_factory) as session:
        office_a, office_b = (session.get_one(Duty, w.duty_ids[0]).office_id for w in (a, b))
        duty = a.duty_ids[0]
        out, into = a.team[duty][0], next(x for x in a.lawyer_ids if x not in a.team[duty])
        proposal = Proposal(
            kind="cover",
            base_roster_id=a.roster_id,
            changes=[{"duty_id": duty, "remove": [out], "add": [into]}],
            created_by="test",
        )
        request = SwapRequest(duty_id=duty, from_lawyer_id=out, to_lawyer_id=into, state="accepted", expires_on=START)
        session.add_all([proposal, request])
        session.flush()
        licence = session.get_one(Lawyer, a.lawyer_ids[0]).licence_no
        proposal_id, request_id = proposal.id, request.id
        # A's other records: a case it entrusted, a consultation on its duty, its own joint meeting and one of
        # the meeting's decisions, a period its lawyer cannot serve, and that lawyer's pending availability
        # request (numbered as the swap request: both pages name theirs `request_id`).
        case = EntrustedCase(
            number="委托2026-901",
            title="案",
            category="其他",
            office_id=office_a,
            entrusted_on=START,
            due_date=START + dt.timedelta(days=30),
            created_by="test",
        )
        category = ConsultationCategory(name="测试类别")
        session.add_all([case, category])
        session.flush()
        consultation = Consultation(
            duty_id=duty,
            lawyer_id=out,
            time=dt.time(9),
            visitors=1,
            category_id=category.id,
            referral="none",
            recorded_by="test",
        )
        meeting = JointMeeting(
            title="联席会议", first_date=START, start=dt.time(9), end=dt.time(11), office_id=office_a
        )
        span = Unavailability(lawyer_id=a.lawyer_ids[0], start=START, end=START, reason="x")
        window = RequestWindow(
            period_start=START, period_end=START + dt.timedelta(days=27), opens=START, deadline=START, created_by="t"
        )
        session.add_all([consultation, meeting, span, window])
        session.flush()
        decision = MeetingDecision(
            meeting_id=meeting.id, meeting_date=START, text="x", owner="x", due=START, created_by="test"
        )
        wish = AvailabilityRequest(
            id=request_id, window_id=window.id, lawyer_id=a.lawyer_ids[0], kind="unavailable", start=START, end=START
        )
        session.add_all([decision, wish])
        session.flush()
        case_id, consultation_id, meeting_id, decision_id = case.id, consultation.id, meeting.id, decision.id
        span_id, window_id = span.id, window.id
    first, last = START.isoformat(), (START + dt.timedelta(days=7)).isoformat()
    ids: dict[str, object] = {
        "duty_id": duty,
        "proposal_id": proposal_id,
        "request_id": request_id,
        "roster_id": a.roster_id,
        "other_id": a.roster_id,
        "lawyer_id": a.lawyer_ids[0],
        "office_id": office_a,
        "period": f"{first}..{last}",
        "case_id": case_id,
        "consultation_id": consultation_id,
        "meeting_id": meeting_id,
        "decision_id": decision_id,
        "state": "done",
        "window_id": window_id,
        "span_id": span_id,
        "code": "522326",
        "licence_no": licence,
    }
    bodies: dict[str, dict[str, object]] = {
        "clerk.change_standing": {"licence": licence, "action": "suspend", "start": first, "end": last, "reason": "x"},
        "clerk.record_attendance": {"duty_id": duty, "lawyer_id": out, "status": "attended"},
        "planner.add_leader_days": {"office": "522326", "date": last, "start": "09:00", "end": "12:00"},
        "planner.add_unavailability": {"licence": licence, "start": first, "end": last, "reason": "x"},
        "planner.replan_duties": {"start": first, "end": last, "reason": "x"},
        "planner.solve": {"start": first, "end": last, "time_limit": "10"},
        "planner.new_lawyer": {"office_ids": str(office_a), "name": "新律师"},
        "planner.new_office": {"code": "522399", "name": "新局"},
        "planner.import_lawyers": {},
        "planner.import_holidays": {},
        "planner.import_unavailability": {},
        "api.directory.add_unavailability": {"lawyer_id": a.lawyer_ids[0], "start": first, "end": last, "reason": "x"},
        "api.rosters.start_solve": {"from": first, "to": last, "time_limit_s": 10},
        "api.changes.propose": {"kind": "cover", "duty_id": duty, "lawyer_in_id": into, "lawyer_out_id": out},
        "api.reception.record_consultation": {
            "duty_id": duty,
            "lawyer_id": out,
            "time": "09:00",
            "visitors": 1,
            "category_id": 1,
            "referral": "none",
        },
        "planner.set_hotline_page": {"office": "522326", "phone": "0859-1234567", "needed": "1"},
        "cases.new": {"title": "案", "category": "其他", "office": "522326", "entrusted_on": first, "due_date": last},
        "api.registry.create_office": {"code": "522399", "name": "新局"},
        "api.registry.upsert_lawyers": {
            "lawyers": [{"licence_no": licence, "name": "甲", "firm": "所", "first_practice_year": 2011}]
        },
        "api.registry.create_leader_day": {"office": "522326", "date": last},
        "api.registry.create_duties": {"from": first, "to": last, "offices": ["522326"]},
        "api.casework.create_case": {
            "title": "案",
            "category": "其他",
            "office": "522326",
            "entrusted_on": first,
            "due_date": last,
        },
    }
    clients = {
        role: login(without_csrf.test_client(), make_account(role, office_ids=[office_b])) for role in OFFICE_ROLES
    }
    return OtherOffice(ids, bodies, clients, a, (office_a, office_b))


def _admitted(app: Flask, rule: Rule) -> frozenset[str]:
    view = app.view_functions[rule.endpoint]
    roles: frozenset[str] = getattr(view, "allowed_roles", None) or getattr(view, "api_roles", None) or frozenset()
    return roles


def _send_naming(client: FlaskClient, method: str, url: str, body: dict[str, object] | None) -> int:
    if url.startswith("/api/") and method != "GET":
        return client.open(url, method=method, json=body or {}).status_code
    return client.open(url, method=method, data=body or {}).status_code


def _office_walk(app: Flask, other_office: OtherOffice, clients: dict[str, FlaskClient]) -> dict[str, int]:
    """Every route a clerk or planner may use that names one of office A's records (in its URL or its body),
    sent by `clients` (role -> client): the answers by role, method and URL."""
    answers, unclassified = {}, []
    for rule in app.url_map.iter_rules():
        admitted = _admitted(app, rule) & set(OFFICE_ROLES)
        names = set(rule.arguments)
        scoped_names = names & set(other_office.ids)
        for method in sorted((rule.methods or set()) & (WRITE_METHODS | {"GET"})):
            if not admitted or rule.endpoint in OFFICE_FREE or rule.endpoint in API_SCOPED_ELSEWHERE:
                continue
            body = other_office.bodies.get(rule.endpoint)
            if not scoped_names and body is None:
                if method != "GET":
                    unclassified.append(f"{method} {rule.rule} ({rule.endpoint})")
                continue  # a page or list without an id: filtered, tested below
            if names - scoped_names:
                continue  # other arguments (a year, a file format, a job): not one record of an office
            built = rule.build({n: other_office.ids[n] for n in names}, append_unknown=False)
            assert built is not None
            for role in sorted(admitted):
                key = f"{role}: {method} {built[1]} ({rule.endpoint})"
                answers[key] = _send_naming(clients[role], method, built[1], body)
    assert unclassified == [], "write routes neither naming an office's record nor listed in OFFICE_FREE"
    return answers


@SQLITE_ONLY
def test_every_route_answers_403_to_a_clerk_or_planner_of_another_office(
    without_csrf: Flask, other_office: OtherOffice
) -> None:
    answers = _office_walk(without_csrf, other_office, other_office.clients)
    assert len(answers) > 40 and {k: v for k, v in answers.items() if v != 403} == {}


# What only an account holding every office may do (a working-day calendar, a new office, files naming any
# office or lawyer).
EVERY_OFFICE = {
    "planner.new_office",
    "api.registry.create_office",
    "api.registry.upsert_lawyers",
    "api.registry.upsert_lawyer",
    "planner.import_lawyers",
    "planner.import_holidays",
    "planner.import_unavailability",
}


@SQLITE_ONLY
def test_an_account_holding_both_offices_passes_the_office_check_of_every_route(
    without_csrf: Flask, other_office: OtherOffice, make_account: Callable[..., int]
) -> None:
    clients = {
        role: login(without_csrf.test_client(), make_account(role, office_ids=list(other_office.office_ids)))
        for role in OFFICE_ROLES
    }
    answers = _office_walk(without_csrf, other_office, clients)
    refused = {k for k, v in answers.items() if v == 403 and k.split("(")[-1].rstrip(")") not in EVERY_OFFICE}
    assert refused == set()


@SQLITE_ONLY
def test_lists_show_a_clerk_only_the_offices_duties_and_lawyers_it_holds(
    without_csrf: Flask,
    other_office: OtherOffice,
    session_factory: sessionmaker[Session],
    make_account: Callable[..., int],
) -> None:
    b_clerk = other_office.clients["clerk"]
    with session_factory() as session:
        a_lawyers = [session.get_one(Lawyer, x) for x in other_office.world.lawyer_ids]
        a_marks = [(lw.licence_no, f"{lw.name}<") for lw in a_lawyers]  # a name ends where its cell does
    week = b_clerk.get(f"/clerk/week/{START.isocalendar()[0]}/{START.isocalendar()[1]}").get_data(as_text=True)
    assert "522301" in week and "522326" not in week
    assert f"/clerk/proposals/{other_office.ids['proposal_id']}" not in b_clerk.get("/clerk/proposals").get_data(
        as_text=True
    )
    assert f"/clerk/swap-requests/{other_office.ids['request_id']}" not in b_clerk.get("/clerk/swap-requests").get_data(
        as_text=True
    )
    assert b_clerk.get("/api/v1/me").get_json()["offices"] == ["522301"]
    listed = {item["id"] for item in b_clerk.get("/api/v1/lawyers?per_page=100").get_json()["items"]}
    assert listed and listed.isdisjoint(other_office.world.lawyer_ids)
    b_planner = other_office.clients["planner"]
    for page in (
        b_clerk.get("/clerk/standing"),
        b_planner.get("/planner/lawyers"),
        b_planner.get("/planner/unavailability"),
        b_planner.get("/planner/reports/assessment?year=2026"),
    ):
        assert page.status_code == 200
        assert not any(mark in page.get_data(as_text=True) for pair in a_marks for mark in pair)
    assert "522326" not in b_planner.get("/planner/offices").get_data(as_text=True)
    # The same pages show them to an account holding every office: the check above is not vacuous.
    everyone = login(without_csrf.test_client(), make_account("planner"))
    for url in ("/planner/lawyers", "/planner/reports/assessment?year=2026"):
        assert any(mark in everyone.get(url).get_data(as_text=True) for mark in a_marks[0])


@SQLITE_ONLY
def test_a_swap_crossing_offices_needs_an_account_holding_both(
    without_csrf: Flask,
    other_office: OtherOffice,
    make_account: Callable[..., int],
    session_factory: sessionmaker[Session],
) -> None:
    a = other_office.world
    b = build_roster(
        session_factory, lawyers=2, duties=1, per_duty=1, code="522301", start=START + dt.timedelta(days=2)
    )
    office_a, office_b = other_office.office_ids
    swap = {
        "kind": "swap",
        "duty_id": a.duty_ids[0],
        "lawyer_id": a.team[a.duty_ids[0]][0],
        "other_duty_id": b.duty_ids[0],
        "other_lawyer_id": b.team[b.duty_ids[0]][0],
    }
    only_a = login(without_csrf.test_client(), make_account("clerk", office_ids=[office_a]))
    both = login(without_csrf.test_client(), make_account("clerk", office_ids=[office_a, office_b]))
    assert only_a.post("/api/v1/proposals", json=swap).status_code == 403
    assert both.post("/api/v1/proposals", json=swap).status_code != 403
    assert only_a.get(f"/clerk/duties/{a.duty_ids[0]}").status_code == 200
