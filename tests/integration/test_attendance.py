"""Attendance on past duties: recording, corrections, refusals, sign-in sheets, the command line,
and the fairness history computed from what was served."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.records import attendance_between, record_attendance
from scheduler.attendance.sign_in_sheet import import_sign_in_sheet, write_sign_in_sheet
from scheduler.cli.attendance import attendance
from scheduler.core.errors import InputError, NotFound
from scheduler.db import transaction
from scheduler.models import AuditEvent, StatusPeriod
from scheduler.models.attendance import Attendance
from scheduler.planning.problem_builder import served_before
from tests.integration.attendance_fixtures import (
    ATTENDANCE,
    LEADER_DAY,
    RECORDED_ON,
    published_roster,
    record_all,
    recorded_county,
)

MAR_4, MAR_11, MAR_18, APR_1, APR_8 = (dt.date(2026, m, d) for m, d in ((3, 4), (3, 11), (3, 18), (4, 1), (4, 8)))


@pytest.fixture(autouse=True)
def _instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Publishing writes the calendars' secret key into the instance folder: keep it out of the repository.
    monkeypatch.setenv("SCHEDULER_INSTANCE_DIR", str(tmp_path / "instance"))
    yield


def _rows(session: Session) -> dict[tuple[int, int], tuple[str, int | None, str]]:
    return {
        (r.duty_id, r.lawyer_id): (r.status, r.substitute_lawyer_id, r.note)
        for r in session.scalars(select(Attendance))
    }


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.entity == "attendance"))]


def test_a_clerk_records_every_status_and_each_entry_is_audited(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    with session_factory() as session:
        rows = _rows(session)
        assert len(rows) == len(ATTENDANCE)
        ids, duties = county.lawyers, county.duties
        assert rows[(duties[MAR_11], ids[3])] == ("substituted", ids[4], "")
        assert rows[(duties[MAR_11], ids[2])] == ("absent", None, "")
        assert rows[(duties[MAR_4], ids[1])] == ("late", None, "")
        assert _actions(session) == ["attendance.record"] * len(ATTENDANCE)
        recorded_by = {r.recorded_by for r in session.scalars(select(Attendance))}
        assert recorded_by == {"clerk"}


def test_a_correction_changes_the_row_and_audits_before_and_after(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    duty, lawyer = county.duties[MAR_11], county.licences[2]
    with transaction(session_factory) as session:
        row = record_attendance(session, duty, lawyer, "迟到", "clerk2", note="堵车", today=RECORDED_ON)
        assert (row.status, row.note, row.recorded_by) == ("late", "堵车", "clerk2")
    with transaction(session_factory) as session:
        # The same entry again is no change and writes no audit event.
        record_attendance(session, duty, lawyer, "late", "clerk2", note="堵车", today=RECORDED_ON)
    with session_factory() as session:
        assert len(_rows(session)) == len(ATTENDANCE)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "attendance.correct")).all()
        assert len(events) == 1
        assert events[0].actor == "clerk2"
        assert events[0].before["status"] == "absent" and events[0].after["status"] == "late"
        assert events[0].after["note"] == "堵车"


def test_a_substitution_can_be_corrected_to_attended(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    with transaction(session_factory) as session:
        row = record_attendance(
            session, county.duties[MAR_11], county.lawyers[3], "attended", "clerk", today=RECORDED_ON
        )
        assert row.substitute_lawyer_id is None


# (duty, rostered lawyer, status, substitute, today, error, message)
REFUSALS = [
    (None, 0, "attended", None, RECORDED_ON, NotFound, "该值班不存在"),
    (APR_8, 0, "attended", None, dt.date(2026, 4, 7), InputError, "在今天（2026年4月7日）之后"),
    (MAR_4, 2, "attended", None, RECORDED_ON, InputError, "律师2（15223201011000102） 不在已发布排班的"),
    (MAR_4, 0, "substituted", None, RECORDED_ON, InputError, "替班须填写替班律师"),
    (MAR_4, 0, "attended", 3, RECORDED_ON, InputError, "只有“替班”才填写替班律师"),
    (MAR_4, 0, "substituted", 0, RECORDED_ON, InputError, "不能为自己替班"),
    (MAR_4, 0, "substituted", 1, RECORDED_ON, InputError, "本就在"),
    (MAR_4, 0, "present", None, RECORDED_ON, InputError, "不认识的出勤情况“present”"),
    (MAR_4, 0, "attended", None, RECORDED_ON, InputError, "备注超过 500 个字"),
]


def test_bad_attendance_is_refused_with_a_clear_message(session_factory: sessionmaker[Session]) -> None:
    county = published_roster(session_factory)
    for duty, lawyer, status, substitute, today, error, message in REFUSALS:
        note = "长" * 501 if "备注" in message else ""
        with transaction(session_factory) as session, pytest.raises(error, match=re.escape(message)):
            record_attendance(
                session,
                county.duties[duty] if duty else 99999,
                county.licences[lawyer],
                status,
                "clerk",
                substitute=county.licences[substitute] if substitute is not None else None,
                note=note,
                today=today,
            )
    with session_factory() as session:
        assert _rows(session) == {}


def test_the_refusal_of_a_lawyer_not_on_the_duty_names_who_is_on_it(session_factory: sessionmaker[Session]) -> None:
    county = published_roster(session_factory)
    with transaction(session_factory) as session, pytest.raises(InputError) as caught:
        record_attendance(session, county.duties[MAR_4], county.lawyers[2], "attended", "clerk", today=RECORDED_ON)
    assert str(caught.value) == (
        "律师2（15223201011000102） 不在已发布排班的 2026年3月4日 望谟县信访局的律师接待窗口值班 中"
        "（在班：律师0（15223201011000100）、律师1（15223201011000101））"
    )


def test_a_substitute_serves_one_place_of_a_duty_and_must_be_in_good_standing(
    session_factory: sessionmaker[Session],
) -> None:
    county = published_roster(session_factory)
    duty, (a, b, _, _, idle) = county.duties[MAR_4], county.licences
    with transaction(session_factory) as session:
        record_attendance(session, duty, a, "substituted", "clerk", substitute=idle, today=RECORDED_ON)
    with transaction(session_factory) as session, pytest.raises(InputError, match="已在这次值班中为 律师0"):
        record_attendance(session, duty, b, "substituted", "clerk", substitute=idle, today=RECORDED_ON)
    with transaction(session_factory) as session:
        session.add(StatusPeriod(lawyer_id=county.lawyers[2], status="removed", start=MAR_4, reason="违纪"))
    with transaction(session_factory) as session, pytest.raises(InputError, match="在 2026年3月4日 取消资格"):
        record_attendance(session, duty, b, "substituted", "clerk", substitute=county.licences[2], today=RECORDED_ON)


def test_a_lawyer_is_found_by_id_licence_or_unique_name(session_factory: sessionmaker[Session]) -> None:
    county = published_roster(session_factory)
    with transaction(session_factory) as session:
        record_attendance(session, county.duties[MAR_4], county.lawyers[0], "attended", "c", today=RECORDED_ON)
        record_attendance(session, county.duties[MAR_4], str(county.lawyers[1]), "attended", "c", today=RECORDED_ON)
        record_attendance(session, county.duties[LEADER_DAY], "律师3", "attended", "c", today=RECORDED_ON)
        with pytest.raises(NotFound, match="没有名叫“王五”的律师"):
            record_attendance(session, county.duties[MAR_18], "王五", "attended", "c", today=RECORDED_ON)
    with session_factory() as session:
        assert len(_rows(session)) == 3


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_sign_in_sheet_with_chinese_headers_dates_and_names_is_imported(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    county = published_roster(session_factory)
    sheet = _xlsx(
        tmp_path / "签到表.xlsx",
        [
            ["日期", "信访局", "姓名", "出勤情况", "替班律师", "备注"],
            [dt.datetime(2026, 3, 4), "望谟县信访局", "律师0", "到岗", None, None],
            [dt.datetime(2026, 3, 4), "522326", "律师1", "迟到", None, "迟到20分钟"],
            [dt.datetime(2026, 3, 9), "望谟县信访局", "律师3", "出勤", None, None],
            [dt.datetime(2026, 3, 11), "望谟县信访局", "律师2", "缺勤", None, "未请假"],
            [dt.datetime(2026, 3, 11), "望谟县信访局", "律师3", "替班", "律师4", None],
            [dt.datetime(2026, 3, 18), "望谟县信访局", "律师0", None, None, None],
        ],
    )
    with transaction(session_factory) as session:
        result = import_sign_in_sheet(session, sheet, "clerk", today=RECORDED_ON)
    assert (result.created, result.corrected, result.unchanged, result.skipped) == (5, 0, 0, 1)
    with session_factory() as session:
        rows = _rows(session)
        ids, duties = county.lawyers, county.duties
        assert rows == {
            (duties[MAR_4], ids[0]): ("attended", None, ""),
            (duties[MAR_4], ids[1]): ("late", None, "迟到20分钟"),
            (duties[LEADER_DAY], ids[3]): ("attended", None, ""),
            (duties[MAR_11], ids[2]): ("absent", None, "未请假"),
            (duties[MAR_11], ids[3]): ("substituted", ids[4], ""),
        }
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "attendance.record")).all()
        assert len(events) == 5 and {e.reason for e in events} == {"imported from 签到表.xlsx"}


def test_a_csv_sheet_with_english_headers_and_duty_ids_is_imported_and_corrects(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    county = recorded_county(session_factory)
    sheet = tmp_path / "sign-in.csv"
    lines = ["duty_id,licence_no,status,substitute,note"]
    lines.append(f"{county.duties[MAR_11]},{county.licences[2]},attended,,")  # was absent: a correction
    lines.append(f"{county.duties[MAR_18]},{county.licences[0]},attended,,")  # as recorded: unchanged
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with transaction(session_factory) as session:
        result = import_sign_in_sheet(session, sheet, "clerk", today=RECORDED_ON)
    assert (result.created, result.corrected, result.unchanged) == (0, 1, 1)
    with session_factory() as session:
        assert _rows(session)[(county.duties[MAR_11], county.lawyers[2])][0] == "attended"
        assert _actions(session).count("attendance.correct") == 1


def test_an_import_reports_every_bad_row_by_row_and_column_and_writes_nothing(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    county = published_roster(session_factory)
    ok = f"{county.duties[MAR_4]},{county.licences[0]},出勤,"
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "\n".join(
            [
                "值班编号,执业证号,出勤情况,替班律师",
                ok,
                f"99999,{county.licences[0]},出勤,",
                f"{county.duties[APR_8]},{county.licences[0]},出勤,",
                f"{county.duties[MAR_4]},{county.licences[2]},出勤,",
                f"{county.duties[MAR_4]},{county.licences[1]},替班,",
                f"{county.duties[MAR_18]},{county.licences[0]},请假,",
                ok,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with transaction(session_factory) as session, pytest.raises(InputError) as caught:
        import_sign_in_sheet(session, sheet, "clerk", today=dt.date(2026, 4, 7))
    lines = str(caught.value).splitlines()
    assert lines[0] == "bad.csv：有 6 处问题，未导入任何数据"
    assert lines[1] == "bad.csv 第 3 行“值班编号”列：没有编号为 99999 的值班"
    assert lines[2].startswith("bad.csv 第 4 行“值班编号”列：2026年4月8日 望谟县信访局的")
    assert lines[2].endswith("在今天（2026年4月7日）之后；值班结束后才能登记出勤")
    assert lines[3].startswith("bad.csv 第 5 行“执业证号”列：律师2（15223201011000102） 不在已发布排班的")
    assert lines[4].startswith("bad.csv 第 6 行“替班律师”列：律师1（15223201011000101） 的 2026年")
    assert lines[5] == "bad.csv 第 7 行“出勤情况”列：不认识的出勤情况“请假”；请写 出勤、迟到、缺勤 或 替班"
    assert lines[6] == (
        "bad.csv 第 8 行“执业证号”列："
        "律师0（15223201011000100） 的 2026年3月4日 望谟县信访局的律师接待窗口值班 也在第 2 行"
    )
    with session_factory() as session:
        assert _rows(session) == {}


def test_a_sign_in_sheet_written_for_a_period_is_filled_and_read_back(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    county = published_roster(session_factory)
    path = tmp_path / "三月.xlsx"
    with session_factory() as session:
        assert write_sign_in_sheet(session, path, dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 9
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "值班编号",
        "日期",
        "信访局",
        "值班类型",
        "执业证号",
        "姓名",
        "出勤情况",
        "替班律师",
        "备注",
    ]
    for row in sheet.iter_rows(min_row=2):
        row[6].value = "出勤"
    book.save(path)
    with transaction(session_factory) as session:
        assert import_sign_in_sheet(session, path, "clerk", today=RECORDED_ON).created == 9
    with session_factory() as session:
        lines = attendance_between(session, dt.date(2026, 3, 1), dt.date(2026, 4, 30))
        assert [line.status for line in lines] == ["attended"] * 9 + [None] * 4
        assert {line.lawyer_id for line in lines if line.duty_id == county.duties[MAR_4]} == set(county.lawyers[:2])


def test_the_fairness_history_counts_served_duties_not_rostered_ones(session_factory: sessionmaker[Session]) -> None:
    county = published_roster(session_factory)
    start, days = dt.date(2026, 4, 13), 42
    with session_factory() as session:
        # Nothing recorded yet: the published roster stands in for the attendance.
        before = served_before(session, start, days)
    assert [before[i] for i in county.lawyers] == [3, 3, 2, 3, 2]
    record_all(session_factory, county)
    with session_factory() as session:
        after = served_before(session, start, days)
    # 律师2 was absent on 03-11 and is not counted; 律师4 substituted for 律师3 and is; 04-08 is not
    # recorded yet, so 律师0 and 律师1 keep it from the roster.
    assert [after[i] for i in county.lawyers] == [3, 3, 1, 2, 3]
    assert sum(after.values()) == sum(before.values()) - 1


def _runner(db_url: str, tmp_path: Path) -> CliRunner:
    return CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})


def test_the_command_line_records_lists_and_imports(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    county = published_roster(session_factory)
    runner = _runner(db_url, tmp_path)
    duty = county.duties[MAR_11]
    args = ["record", "--duty", str(duty), "--lawyer", county.licences[3], "--today", "2026-04-10"]
    result = runner.invoke(attendance, [*args, "--status", "替班", "--substitute", county.licences[4]])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"duty {duty} (2026-03-11 望谟县信访局 律师接待窗口值班): 律师3 (15223201011000103) substituted (替班), "
        "served by 律师4 (15223201011000104)\n"
    )
    listed = runner.invoke(attendance, ["list", "--from", "2026-03-11", "--to", "2026-03-11"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        f"2026-03-11 duty {duty} 望谟县信访局 律师接待窗口值班  律师2 15223201011000102  -",
        f"2026-03-11 duty {duty} 望谟县信访局 律师接待窗口值班  律师3 15223201011000103  substituted (替班)"
        " by 律师4 (15223201011000104)",
        "2 rostered, 1 not recorded",
    ]
    sheet = tmp_path / "sheet.csv"
    assert (
        runner.invoke(attendance, ["list", "--from", "2026-03-11", "--to", "2026-03-11", "--out", str(sheet)]).exit_code
        == 0
    )
    text = sheet.read_text(encoding="utf-8-sig").replace(",律师2,,", ",律师2,缺勤,")
    sheet.write_text(text, encoding="utf-8")
    imported = runner.invoke(attendance, ["import", str(sheet), "--today", "2026-04-10"])
    assert imported.exit_code == 0, imported.output
    assert imported.output == "sheet.csv: recorded 1, corrected 0, unchanged 1\n"


def test_the_command_line_refuses_bad_input_in_one_line(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    county = published_roster(session_factory)
    runner = _runner(db_url, tmp_path)
    args = ["record", "--duty", str(county.duties[APR_8]), "--lawyer", county.licences[0], "--status", "attended"]
    result = runner.invoke(attendance, [*args, "--today", "2026-04-01"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("错误：2026年4月8日 望谟县信访局的")
    assert "在今天（2026年4月1日）之后" in result.output
