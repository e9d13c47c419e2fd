"""GET /api/v1/assessment/{year}: the lawyers' counts and grades and the commendation list, for planners;
a scoped planner sees only their offices' lawyers."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.grading import compute_grades, override_grade
from scheduler.db import transaction
from scheduler.models import Lawyer
from tests.api.conftest import County, basic_header

Headers = dict[str, str]


def _grade(factory: sessionmaker[Session], county: County) -> str:
    with transaction(factory) as session:
        report = annual_assessment(session, 2026)
        compute_grades(session, report, "test")
        licence = session.get(Lawyer, county.lawyer_ids[0]).licence_no  # type: ignore[union-attr]
        override_grade(session, report, licence, "优秀", "承办疑难案件", "test")
        return licence


def test_a_planner_reads_the_year_s_grades_and_commendation(
    anonymous: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    before = anonymous.get("/api/v1/assessment/2026", headers=planner).get_json()
    assert before["graded"] is False and {lw["grade"] for lw in before["lawyers"]} == {None}
    assert len(before["lawyers"]) == len(county.lawyer_ids)
    licence = _grade(session_factory, county)
    answer = anonymous.get("/api/v1/assessment/2026", headers=planner).get_json()
    assert answer["year"] == 2026 and answer["graded"] is True
    first = next(lw for lw in answer["lawyers"] if lw["licence_no"] == licence)
    assert (first["grade"], first["override"], first["override_reason"]) == ("excellent", "excellent", "承办疑难案件")
    assert first["computed"] in ("competent", "basic", "incompetent")
    assert all(r["text"] for r in first["reasons"]) and set(first["counts"]) >= {"assigned", "absent", "opinions"}
    assert answer["commendation"]["lawyer_ids"] == [county.lawyer_ids[0]]


def test_only_planners_and_admins_read_it_and_years_out_of_range_are_not_found(
    anonymous: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    assert anonymous.get("/api/v1/assessment/2026").status_code == 401
    assert anonymous.get("/api/v1/assessment/2026", headers=basic("clerk")).status_code == 403
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert anonymous.get("/api/v1/assessment/2026", headers=lawyer).status_code == 403
    assert anonymous.get("/api/v1/assessment/2026", headers=basic("admin")).status_code == 200
    assert anonymous.get("/api/v1/assessment/1999", headers=basic("admin")).status_code == 404


def test_a_scoped_planner_sees_only_their_offices_lawyers(
    anonymous: FlaskClient, make_account: Callable[..., int], county: County
) -> None:
    # A planner holding no office (say, of an office not set up yet) sees none of the county's lawyers.
    make_account("planner", username="elsewhere-planner", office_ids=[])
    answer = anonymous.get("/api/v1/assessment/2026", headers=basic_header("elsewhere-planner")).get_json()
    assert answer["lawyers"] == [] and answer["commendation"] == {"lawyer_ids": [], "firms": []}
    everywhere = anonymous.get("/api/v1/assessment/2026", headers=basic_header(_planner(make_account)))
    assert len(everywhere.get_json()["lawyers"]) == len(county.lawyer_ids)


def _planner(make_account: Callable[..., int]) -> str:
    make_account("planner", username="all-offices-planner")
    return "all-offices-planner"
