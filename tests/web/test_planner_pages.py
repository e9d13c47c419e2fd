"""The planner's pages: offices, firms and lawyers (search, edit, import with row errors), unavailability,
leader days, holiday overrides, the review of a draft, and the allowance and assessment reports."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from scheduler.attendance.allowance import set_rate
from scheduler.attendance.records import record_attendance
from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import AuditEvent, Duty, HolidayOverride, LawFirm, Lawyer, Office, Proposal, Roster
from tests.integration.roster_fixtures import published_county
from tests.web.conftest import SQLITE_ONLY, build_roster, csrf_token, post_form
from tests.web.querycount import app_engine, count_queries

ClientAs = Callable[..., FlaskClient]


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _upload(client: FlaskClient, url: str, name: str, content: bytes, **fields: str) -> TestResponse:
    data: dict[str, object] = {"csrf_token": csrf_token(client), "file": (io.BytesIO(content), name), **fields}
    return client.post(url, data=data, content_type="multipart/form-data")


def _error_beside(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', page)
    assert found, f"no message beside {field}"
    return found.group(1)


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- offices, firms, lawyers ---------------------------------------------------------------------


def test_a_planner_adds_an_office_and_changes_its_window(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    planner = client_as("planner")
    office = {
        "code": "522327",
        "name": "册亨县信访局",
        "level": "county",
        "window_weekday": "4",
        "am_start": "09:00",
        "am_end": "12:00",
        "lawyers_per_window": "2",
        "holiday_policy": "skip",
        "wanted_languages": "buyi",
    }
    assert post_form(planner, "/planner/offices/new", office).status_code == 302
    with session_factory() as session:
        saved = session.scalars(select(Office).where(Office.code == "522327")).one()
        assert (saved.window_weekday, saved.lawyers_per_window, saved.wanted_languages) == (4, 2, ["buyi"])
    assert "册亨县信访局" in _page(planner, "/planner/offices")
    changed = post_form(planner, f"/planner/offices/{saved.id}", {**office, "pm_start": "14:30", "pm_end": "17:30"})
    assert changed.status_code == 302
    with session_factory() as session:
        assert session.get_one(Office, saved.id).pm_end == dt.time(17, 30)
        events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "office")).all()
        assert events == ["office.create", "office.update"]


def test_bad_office_input_is_shown_beside_the_field_and_changes_nothing(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    with session_factory() as session:
        office = session.scalars(select(Office)).one()
    planner = client_as("planner")
    base = {
        "name": "望谟县信访局",
        "level": "county",
        "window_weekday": "2",
        "lawyers_per_window": "1",
        "holiday_policy": "skip",
    }
    cases = [
        ({**base, "am_start": "12:00", "am_end": "09:00"}, "am_end", "结束时间须晚于开始时间"),
        ({**base, "am_start": "09:00", "am_end": "12:00", "pm_start": "14:00"}, "pm_start", "要么都填"),
        ({**base, "am_start": "09:00", "am_end": "12:00", "lawyers_per_window": "11"}, "lawyers_per_window", "1 到 10"),
        ({**base, "am_start": "9 点", "am_end": "12:00"}, "am_start", "时间"),
    ]
    for data, field, message in cases:
        response = post_form(planner, f"/planner/offices/{office.id}", data)
        assert response.status_code == 400
        assert message in _error_beside(response.get_data(as_text=True), field)
    taken = post_form(
        planner, "/planner/offices/new", {**base, "code": office.code, "am_start": "09:00", "am_end": "12:00"}
    )
    assert taken.status_code == 400 and "taken" in _error_beside(taken.get_data(as_text=True), "code")
    with session_factory() as session:
        assert session.get_one(Office, office.id).holiday_policy == "next_workday"
        assert session.scalar(select(func.count()).select_from(Office)) == 1


def test_a_firm_is_renamed_and_a_wrong_credit_code_is_refused(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    with session_factory() as session:
        firms = session.scalars(select(LawFirm).order_by(LawFirm.name)).all()
    planner = client_as("planner")
    page = _page(planner, "/planner/firms")
    assert firms[0].name in page and firms[0].credit_code in page
    bad = post_form(planner, f"/planner/firms/{firms[0].id}", {"name": "新名称", "credit_code": "12345"})
    assert bad.status_code == 400 and "18 位" in _error_beside(bad.get_data(as_text=True), "credit_code")
    clash = post_form(
        planner, f"/planner/firms/{firms[0].id}", {"name": firms[1].name, "credit_code": firms[0].credit_code}
    )
    assert clash.status_code == 400 and "already has this name" in _error_beside(clash.get_data(as_text=True), "name")
    good = post_form(
        planner, f"/planner/firms/{firms[0].id}", {"name": "贵州新名律师事务所", "credit_code": firms[0].credit_code}
    )
    assert good.status_code == 302
    with session_factory() as session:
        assert session.get_one(LawFirm, firms[0].id).name == "贵州新名律师事务所"


def test_lawyers_are_searched_by_name_licence_firm_and_office_and_paged(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=60, duties=1, per_duty=1)
    build_roster(
        session_factory, lawyers=2, duties=1, per_duty=1, code="522301", name_prefix="兴义", start=dt.date(2026, 4, 1)
    )
    with session_factory() as session:
        first = session.get_one(Lawyer, world.lawyer_ids[7])
        licence, firm = first.licence_no, first.firm.name if first.firm else ""
    planner = client_as("planner")
    assert "共 62 名律师" in _page(planner, "/planner/lawyers")
    assert "第 1 页，共 2 页" in _page(planner, "/planner/lawyers")
    assert "律师9" in _page(planner, "/planner/lawyers?page=2") or "律师9" in _page(planner, "/planner/lawyers")
    by_licence = _page(planner, f"/planner/lawyers?q={licence[-6:]}")
    assert "共 1 名律师" in by_licence and "律师7" in by_licence
    assert "共 30 名律师" in _page(planner, f"/planner/lawyers?q={firm}")
    by_office = _page(planner, "/planner/lawyers?office=522301")
    assert "共 2 名律师" in by_office and "兴义0" in by_office and "律师7" not in by_office
    assert "没有符合条件的律师" in _page(planner, "/planner/lawyers?q=%25")  # % is a character, not a wildcard
    assert _page(planner, "/planner/lawyers?page=abc")  # a bad page number is the first page


def test_a_lawyer_is_edited_and_bad_input_changes_nothing(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    with session_factory() as session:
        lawyer = session.get_one(Lawyer, world.lawyer_ids[0])
        office_id, firm_id = lawyer.offices[0].id, lawyer.firm_id
    planner = client_as("planner")
    url = f"/planner/lawyers/{lawyer.id}"
    form = _page(planner, url)
    assert lawyer.licence_no in form and 'value="律师0"' in form
    base = {"name": "王律师", "firm_id": str(firm_id), "first_practice_year": "2012", "office_ids": str(office_id)}
    bad = post_form(planner, url, {**base, "email": "not an address"})
    assert bad.status_code == 400 and "电子邮箱" in _error_beside(bad.get_data(as_text=True), "email")
    both = post_form(planner, url, {**base, "preferred_weekdays": "2", "undesired_weekdays": "2"})
    assert both.status_code == 400 and "不希望" in _error_beside(both.get_data(as_text=True), "undesired_weekdays")
    year = post_form(planner, url, {**base, "first_practice_year": "1900"})
    assert year.status_code == 400 and "1950" in _error_beside(year.get_data(as_text=True), "first_practice_year")
    with session_factory() as session:
        assert session.get_one(Lawyer, lawyer.id).name == "律师0"
    good = post_form(
        planner, url, {**base, "email": "wang@example.org", "specialties": "行政、劳动争议", "preferred_weekdays": "2"}
    )
    assert good.status_code == 302
    with session_factory() as session:
        saved = session.get_one(Lawyer, lawyer.id)
        assert (saved.name, saved.specialties, saved.preferred_weekdays) == ("王律师", ["行政", "劳动争议"], [2])
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "lawyer.update")).one()
        assert event.before["name"] == "律师0" and event.after["name"] == "王律师"


def test_a_new_lawyer_needs_a_well_formed_unused_licence_number(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    with session_factory() as session:
        taken = session.get_one(Lawyer, world.lawyer_ids[0]).licence_no
    planner = client_as("planner")
    base = {"name": "新律师", "firm_id": "0", "first_practice_year": "2015"}
    wrong = post_form(planner, "/planner/lawyers/new", {**base, "licence_no": "12345"})
    assert wrong.status_code == 400 and "17 digits" in _error_beside(wrong.get_data(as_text=True), "licence_no")
    again = post_form(planner, "/planner/lawyers/new", {**base, "licence_no": taken})
    assert again.status_code == 400 and "律师0" in _error_beside(again.get_data(as_text=True), "licence_no")
    licence = make_licence("5223", 2015, 1, 4242)
    assert post_form(planner, "/planner/lawyers/new", {**base, "licence_no": licence}).status_code == 302
    assert "新律师" in _page(planner, f"/planner/lawyers?q={licence}")


def test_an_import_with_bad_rows_shows_each_problem_beside_its_row_and_imports_nothing(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    before = _count(session_factory, Lawyer)
    good = make_licence("5223", 2016, 1, 901)
    rows = [
        "姓名,执业证号,律师事务所,首次执业年份,可服务信访局",
        f"赵一,{good},贵州第0律师事务所,2016,522326",
        "钱二,12345,贵州第0律师事务所,2016,522326",
        f"孙三,{make_licence('5223', 2016, 1, 902)},贵州第0律师事务所,今年,999999",
    ]
    planner = client_as("planner")
    response = _upload(planner, "/planner/lawyers/import", "名单.csv", "\n".join(rows).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "名单.csv" in page
    row3 = re.search(r'<tr id="row-3">(.*?)</tr>', page, re.S)
    row4 = re.search(r'<tr id="row-4">(.*?)</tr>', page, re.S)
    assert row3 and row4 and 'id="row-2"' not in page  # only the rows with problems
    assert '<td class="bad">12345</td>' in row3.group(1) and "17 digits" in row3.group(1)
    assert '<td class="bad">今年</td>' in row4.group(1) and "unknown office code 999999" in row4.group(1)
    assert _count(session_factory, Lawyer) == before

    fixed = [rows[0], rows[1], f"钱二,{make_licence('5223', 2016, 1, 903)},贵州第0律师事务所,2016,522326"]
    done = _upload(planner, "/planner/lawyers/import", "名单.csv", "\n".join(fixed).encode())
    assert done.status_code == 302
    assert "新增 2 名" in _page(planner, "/planner/lawyers")
    assert _count(session_factory, Lawyer) == before + 2


@SQLITE_ONLY
def test_an_upload_must_be_a_spreadsheet(client_as: ClientAs) -> None:
    planner = client_as("planner")
    response = _upload(planner, "/planner/lawyers/import", "notes.txt", b"hello")
    assert response.status_code == 400 and ".xlsx" in _error_beside(response.get_data(as_text=True), "file")
    header_only = _upload(planner, "/planner/lawyers/import", "x.csv", b"name,colour\n")
    assert header_only.status_code == 400 and "unknown column" in header_only.get_data(as_text=True)


# --- unavailability, leader days, holidays -------------------------------------------------------


def test_unavailability_on_a_published_duty_proposes_a_repair_for_the_clerk(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    ids = published_county(session_factory)
    with session_factory() as session:
        roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
        duty_id, lawyer_id = next((a.duty_id, a.lawyer_id) for a in roster.assignments)
        day = session.get_one(Duty, duty_id).date
        licence = session.get_one(Lawyer, lawyer_id).licence_no
    planner = client_as("planner")
    response = post_form(
        planner,
        "/planner/unavailability",
        {"licence": licence, "start": day.isoformat(), "end": day.isoformat(), "reason": "开庭"},
    )
    assert response.status_code == 302
    page = _page(planner, f"/planner/unavailability?start={day}&end={day}")
    assert "开庭" in page and "已生成补位方案" in page
    assert _count(session_factory, Proposal) == 1
    assert len(ids) == 8
    bad = post_form(
        planner, "/planner/unavailability", {"licence": licence, "start": "2026-03-10", "end": "2026-03-01"}
    )
    assert bad.status_code == 400 and "早于" in _error_beside(bad.get_data(as_text=True), "end")


def test_unavailability_is_imported_from_a_file(client_as: ClientAs, session_factory: sessionmaker[Session]) -> None:
    world = build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    with session_factory() as session:
        licence = session.get_one(Lawyer, world.lawyer_ids[0]).licence_no
    planner = client_as("planner")
    content = (
        f"执业证号,开始日期,结束日期,原因\n{licence},2026-03-02,2026-03-03,出差\n{licence},2026-03-05,2026-03-04,x\n"
    )
    refused = _upload(planner, "/planner/unavailability/import", "请假.csv", content.encode())
    assert refused.status_code == 400 and 'id="row-3"' in refused.get_data(as_text=True)
    content = f"执业证号,开始日期,结束日期,原因\n{licence},2026-03-02,2026-03-03,出差\n"
    assert _upload(planner, "/planner/unavailability/import", "请假.csv", content.encode()).status_code == 302
    assert "出差" in _page(planner, "/planner/unavailability?start=2026-03-01&end=2026-03-31")


def test_a_leader_day_is_added_but_never_on_a_day_off(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    planner = client_as("planner")
    base = {"office": "522326", "start": "09:00", "end": "12:00", "needed": "1", "min_years": "5", "note": "县长接待"}
    holiday = post_form(planner, "/planner/leader-days", {**base, "date": "2026-10-01"})
    assert holiday.status_code == 400 and "2026-10-01" in _error_beside(holiday.get_data(as_text=True), "date")
    reversed_hours = post_form(planner, "/planner/leader-days", {**base, "date": "2026-03-10", "end": "08:00"})
    assert reversed_hours.status_code == 400
    assert "晚于" in _error_beside(reversed_hours.get_data(as_text=True), "end")
    added = post_form(planner, "/planner/leader-days", {**base, "date": "2026-03-10", "place": "县政府接待室"})
    assert added.status_code == 302
    page = _page(planner, added.headers["Location"])
    assert "县长接待" in page and "执业满 5 年" in page
    with session_factory() as session:
        duty = session.scalars(select(Duty).where(Duty.date == dt.date(2026, 3, 10))).one()
        assert (duty.place, duty.scope) == ("县政府接待室", "")  # the standard leader-day scope applies


def test_a_year_of_holiday_overrides_is_imported_and_bad_rows_are_listed(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    planner = client_as("planner")
    bad = "date,kind,name\n2027-01-01,off,元旦\n2027-13-01,off,x\n2027-02-03,workday,调休\n"
    refused = _upload(planner, "/planner/holidays", "2027.csv", bad.encode(), provisional="y")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert re.search(r'<tr id="row-3">.*?is not a date', page, re.S)
    assert re.search(r'<tr id="row-4">.*?only weekends are make-up workdays', page, re.S)
    assert _count(session_factory, HolidayOverride) == 0
    good = "date,kind,name\n2027-01-01,off,元旦\n2027-02-06,workday,春节调休\n"
    done = _upload(planner, "/planner/holidays", "2027.csv", good.encode(), provisional="y")
    assert done.status_code == 302
    listed = _page(planner, done.headers["Location"])
    assert "春节调休" in listed and "暂定" in listed and "调休上班" in listed


# --- reviewing a draft ---------------------------------------------------------------------------


def _with_report(factory: sessionmaker[Session], roster_id: int, duty_id: int) -> None:
    with transaction(factory) as session:
        roster = session.get_one(Roster, roster_id)
        roster.objective, roster.bound, roster.solver_status = 10_040, 10_000, "feasible"
        roster.report = {
            "terms": {"uncovered": 10_000, "fairness": 40},
            "unstaffed": [
                {
                    "duty_id": duty_id,
                    "missing": 1,
                    "reasons": [{"code": "language", "en": "needs a Buyi speaker", "zh": "需要会布依语的律师"}],
                }
            ],
            "objective": 10_040,
            "bound": 10_000,
        }


def test_the_review_shows_the_score_open_places_fairness_and_the_changes_from_the_published_version(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    draft = build_roster(session_factory, lawyers=2, duties=2, per_duty=1, status="draft", name_prefix="新", version=2)
    _with_report(session_factory, draft.roster_id, draft.duty_ids[0])
    planner = client_as("planner")
    page = _page(planner, f"/planner/rosters/{draft.roster_id}")
    assert "草稿" in page and "发布这一版" in page
    assert re.search(r"未排满的岗位</th><td class=\"num\">10000<", page)
    assert "需要会布依语的律师" in page and "差距 0.4%" in page
    assert "与第 1 版（已发布）相比的变化" in page
    assert re.search(r'<td class="before">律师\d</td>\s*<td class="after">新\d</td>', page)
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg and "<title>新0: 1</title>" in svg.group(0) and "<title>律师0: 0</title>" in svg.group(0)
    download = planner.get(f"/planner/rosters/{draft.roster_id}/fairness.svg")
    assert download.mimetype == "image/svg+xml" and download.data.startswith(b"<svg")
    planner.get("/language/en")
    english = _page(planner, f"/planner/rosters/{draft.roster_id}")
    assert "needs a Buyi speaker" in english and "Places left open" in english


def test_the_review_measures_balance_from_the_versions_own_assignments_and_flags_a_piled_load(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=4, duties=3, per_duty=1)
    # The draft gives all three duties to one new lawyer while four equally eligible colleagues get none.
    piled = build_roster(session_factory, lawyers=1, duties=3, per_duty=1, status="draft", name_prefix="新", version=2)
    page = _page(client_as("planner"), f"/planner/rosters/{piled.roster_id}")
    table = re.search(r'<table class="measures">.*?</table>', page, re.S)
    assert table, page
    row = re.search(r"<tr class=\"warn\">(.*?)</tr>", table.group(0), re.S)
    assert row, table.group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    assert cells == ["5", "0–3", "9", "3–0 ⚠"]


def _queries(app: Flask, client: FlaskClient, url: str) -> int:
    with count_queries(app_engine(app)) as counted:
        assert client.get(url).status_code == 200
    return counted.count


def test_the_review_page_runs_a_fixed_number_of_queries_whatever_the_roster_size(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    planner = client_as("planner")
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    small = build_roster(session_factory, lawyers=4, duties=2, per_duty=1, status="draft", name_prefix="新", version=2)
    first = _queries(app, planner, f"/planner/rosters/{small.roster_id}")
    start = dt.date(2026, 6, 1)
    build_roster(session_factory, lawyers=60, duties=30, per_duty=3, every_days=1, start=start, code="522301")
    large = build_roster(
        session_factory,
        lawyers=60,
        duties=30,
        per_duty=3,
        every_days=1,
        start=start,
        code="522301",
        status="draft",
        name_prefix="大",
        version=2,
    )
    assert _queries(app, planner, f"/planner/rosters/{large.roster_id}") == first


def test_publishing_a_draft_puts_it_on_the_public_notice(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    draft = build_roster(session_factory, lawyers=2, duties=2, per_duty=1, status="draft", name_prefix="新", version=2)
    planner = client_as("planner")
    assert "新0" not in app.test_client().get("/notice/522326/week/2026/10").get_data(as_text=True)
    too_long = post_form(planner, f"/planner/rosters/{draft.roster_id}/publish", {"reason": "说明" * 300})
    assert too_long.status_code == 400 and _error_beside(too_long.get_data(as_text=True), "reason")
    assert "新0" not in app.test_client().get("/notice/522326/week/2026/10").get_data(as_text=True)
    response = post_form(planner, f"/planner/rosters/{draft.roster_id}/publish")
    assert response.status_code == 302
    assert "新0" in app.test_client().get("/notice/522326/week/2026/10").get_data(as_text=True)
    again = post_form(planner, f"/planner/rosters/{draft.roster_id}/publish")
    assert "不是草稿" in _page(planner, again.headers["Location"])


# --- reports -------------------------------------------------------------------------------------


def test_the_allowance_and_assessment_are_shown_and_downloaded(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=2, per_duty=1)
    app.config["TODAY"] = dt.date(2026, 4, 2)
    planner = client_as("planner")
    unrecorded = _page(planner, "/planner/reports/allowance?month=2026-03")
    assert "尚未登记出勤的值班" in unrecorded
    with transaction(session_factory) as session:
        for duty_id, team in world.team.items():
            record_attendance(session, duty_id, team[0], "attended", "test", today=dt.date(2026, 4, 2))
    no_rate = planner.get("/planner/reports/allowance?month=2026-03")
    assert no_rate.status_code == 400 and "no allowance rate" in no_rate.get_data(as_text=True)
    with transaction(session_factory) as session:
        set_rate(session, "window", dt.date(2026, 1, 1), "200", "test", today=dt.date(2026, 1, 5))
    page = _page(planner, "/planner/reports/allowance?month=2026-03")
    assert "400.00" in page and "律师0" in page
    assert "请按 YYYY-MM" in _error_beside(
        planner.get("/planner/reports/allowance?month=2026-13").get_data(as_text=True), "month"
    )
    xlsx = planner.get("/planner/reports/allowance/2026/3.xlsx?by=firm")
    assert (
        xlsx.status_code == 200 and xlsx.data.startswith(b"PK") and "attachment" in xlsx.headers["Content-Disposition"]
    )
    csv = planner.get("/planner/reports/allowance/2026/3.csv")
    assert csv.mimetype == "text/csv" and "律师0" in csv.data.decode("utf-8-sig")

    report = _page(planner, "/planner/reports/assessment?year=2026")
    assert "律师0" in report and "<svg" in report
    svg = planner.get("/planner/reports/assessment/2026.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert planner.get("/planner/reports/assessment/2026.xlsx").data.startswith(b"PK")
    assert planner.get("/planner/reports/assessment?year=1999").status_code == 400


@SQLITE_ONLY
def test_the_planner_pages_speak_english_on_request(client_as: ClientAs) -> None:
    planner = client_as("planner")
    planner.get("/language/en")
    page = _page(planner, "/planner/")
    assert "Plan a period" in page and "Start solving" in page


@SQLITE_ONLY
def test_odd_input_gets_an_answer_never_a_server_error(client_as: ClientAs) -> None:
    planner = client_as("planner")
    for url in (
        "/planner/lawyers?page=99999999999999999999",
        "/planner/holidays?year=99999999999999999999",
        "/planner/unavailability?start=9999-12-31&end=9999-12-31",
        "/planner/reports/allowance/99999/1.csv",
        "/planner/reports/assessment?year=20266&threshold=99999999999999999999",
    ):
        assert planner.get(url).status_code in (200, 400), url
    far = post_form(planner, "/planner/solve", {"start": "20266-03-01", "end": "2026-03-29", "time_limit": "10"})
    assert far.status_code == 400
    typo = post_form(planner, "/planner/solve", {"start": "0226-03-01", "end": "2026-03-29", "time_limit": "10"})
    assert typo.status_code == 400 and "2000" in _error_beside(typo.get_data(as_text=True), "start")
    upload = _upload(planner, "/planner/lawyers/import", "../../etc/\x01名单.csv", b"name\n")
    assert upload.status_code == 400 and "名单.csv" in upload.get_data(as_text=True)


@SQLITE_ONLY
def test_a_malformed_or_bombed_workbook_upload_is_a_400_without_the_server_path(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    from tests.unit.test_spreadsheet_limits import HEADER_ROW, MALFORMED, SHEET, _sheet_xml, valid_xlsx, with_part

    planner = client_as("planner")
    before = _count(session_factory, Lawyer)
    bomb = with_part(
        valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW).replace(b"<sheetData>", b"<sheetData>" + b" " * 50_000_000)
    )
    for content in [bomb, *(make() for make in MALFORMED.values())]:
        response = _upload(planner, "/planner/lawyers/import", "名单.xlsx", content)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, page
        assert "cannot read 名单.xlsx" in page and "scheduler-upload-" not in page
    assert _count(session_factory, Lawyer) == before

def test_the_language_fields_offer_the_vocabulary_by_chinese_name_and_refuse_anything_else(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    planner = client_as("planner")
    page = _page(planner, "/planner/offices/new")
    assert 'value="buyi"' in page and "布依语" in page and "苗语" in page
    office = {
        "code": "522324",
        "name": "晴隆县信访局",
        "level": "county",
        "window_weekday": "2",
        "am_start": "09:00",
        "am_end": "12:00",
        "lawyers_per_window": "1",
        "holiday_policy": "skip",
        "wanted_languages": "klingon",
    }
    refused = post_form(planner, "/planner/offices/new", office)
    assert refused.status_code == 400
    with session_factory() as session:
        assert session.scalars(select(Office).where(Office.code == "522324")).first() is None
    both = {**office, "wanted_languages": ["buyi", "miao"]}
    assert post_form(planner, "/planner/offices/new", both).status_code == 302  # type: ignore[arg-type]
    with session_factory() as session:
        assert session.scalars(select(Office).where(Office.code == "522324")).one().wanted_languages == ["buyi", "miao"]


def test_a_stale_draft_says_the_published_roster_changed_and_can_be_discarded(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    from scheduler.planning.solving import solve_period
    from scheduler.rosters import drafts, proposals, versions
    from tests.integration.roster_fixtures import END, PARAMS, START, TODAY

    published_county(session_factory)
    solve_period(session_factory, START, END, PARAMS, actor="planner", today=TODAY)
    with transaction(session_factory) as session:
        published = versions.current_published(session, START, END)
        assert published is not None
        (d1, team1), (d2, team2) = sorted(versions.assignments_of(published).items())[:2]
        b = next(lw for lw in team2 if lw not in team1)
        proposal = proposals.propose_swap(session, d1, team1[0], d2, b, "clerk", today=TODAY)
        proposals.accept(session, proposal.id, "clerk", today=TODAY)
        draft = drafts.current_draft(session, START, END)
        assert draft is not None
        draft_id = draft.id
    planner = client_as("planner")
    page = _page(planner, f"/planner/rosters/{draft_id}")
    assert "已发布的排班表发生了变化（草稿基于第 1 版，当前为第 2 版）" in page
    assert "以当前版本为基准重新求解" in page and "放弃草稿" in page
    refused = post_form(planner, f"/planner/rosters/{draft_id}/publish")
    assert "请重新求解草稿" in _page(planner, refused.headers["Location"])
    assert post_form(planner, f"/planner/rosters/{draft_id}/discard").status_code == 302
    with session_factory() as session:
        assert drafts.current_draft(session, START, END) is None
        assert session.get(Roster, draft_id) is None


def test_the_holidays_page_lists_duties_a_new_arrangement_hits_and_replans_them(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    from scheduler.rosters import versions
    from tests.integration.roster_fixtures import END, START

    published_county(session_factory)
    with session_factory() as session:
        first = versions.current_published(session, START, END)
        assert first is not None
        before = versions.assignments_of(first)
        hit = session.scalars(select(Duty).where(Duty.date == dt.date(2026, 3, 11))).one()
    planner = client_as("planner")
    # A (made-up) arrangement for 2026 that shuts Wednesday March 11: the window moves to Thursday.
    arrangement = "date,kind,name\n2026-01-01,off,元旦\n2026-03-11,off,临时闭馆\n"
    done = _upload(planner, "/planner/holidays", "2026.csv", arrangement.encode())
    page = _page(planner, done.headers["Location"])
    assert "与节假日安排不一致的值班" in page and "顺延" in page and "2026年3月12日" in page
    replanned = post_form(planner, "/planner/replan", {"start": str(START), "end": str(END), "reason": "临时闭馆"})
    assert replanned.status_code == 302
    with session_factory() as session:
        after = versions.current_published(session, START, END)
        assert after is not None and after.version == first.version + 1
        assert session.get_one(Duty, hit.id).date == dt.date(2026, 3, 12)
        assert versions.assignments_of(after) == before  # same lawyers, nothing else moved
        assert after.changelog[-1]["why"] == "临时闭馆"
    assert "与节假日安排不一致的值班" not in _page(planner, "/planner/holidays?year=2026")


def test_a_planner_cancels_and_moves_published_duties_on_the_duty_page(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    from scheduler.rosters import versions
    from tests.integration.roster_fixtures import END, START

    published_county(session_factory)
    with session_factory() as session:
        first = versions.current_published(session, START, END)
        assert first is not None
        table = versions.assignments_of(first)
        moved, cancelled = sorted(table)[2:4]
    planner = client_as("planner")
    page = _page(planner, f"/planner/duties/{moved}")
    assert "改期" in page and "取消" in page
    refused = post_form(planner, f"/planner/duties/{moved}/move", {"date": "2026-03-21", "reason": "调整"})
    assert refused.status_code == 400 and "不是工作日" in _error_beside(refused.get_data(as_text=True), "date")
    done = post_form(planner, f"/planner/duties/{moved}/move", {"date": "2026-03-19", "reason": "领导日程"})
    assert done.status_code == 302 and "已发布第 2 版" in _page(planner, done.headers["Location"])
    gone = post_form(planner, f"/planner/duties/{cancelled}/cancel", {"reason": "闭馆"})
    assert gone.status_code == 302
    with session_factory() as session:
        current = versions.current_published(session, START, END)
        assert current is not None and current.version == 3
        assert session.get_one(Duty, moved).date == dt.date(2026, 3, 19)
        now = versions.assignments_of(current)
        assert now.get(cancelled, ()) == () and now[moved] == table[moved]
        others = {d: ls for d, ls in table.items() if d != cancelled}
        assert {d: ls for d, ls in now.items() if d != cancelled} == others
    notice = app.test_client().get("/notice/522326/week/2026/13").get_data(as_text=True)
    assert "已取消" in notice


def test_a_leader_day_added_to_a_published_period_leads_to_its_staffing_proposal(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    published_county(session_factory)
    planner = client_as("planner")
    form = {"office": "522326", "date": "2026-03-20", "start": "09:00", "end": "12:00", "needed": "1",
            "min_years": "5", "note": "县长接待"}  # fmt: skip
    added = post_form(planner, "/planner/leader-days", form)
    assert added.status_code == 302 and "/clerk/proposals/" in added.headers["Location"]
    page = _page(planner, added.headers["Location"])
    assert "该时段已发布" in page
    with session_factory() as session:
        proposal = session.scalars(select(Proposal)).one()
        duty = session.scalars(select(Duty).where(Duty.date == dt.date(2026, 3, 20))).one()
        assert proposal.kind == "repair" and [c["duty_id"] for c in proposal.changes] == [duty.id]
