"""Importing lawyers and their unavailability from .csv and .xlsx files, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from io_fixtures import (
    EN_HEADER,
    FIRM,
    FIRM_CODE,
    LI,
    NEW_FIRM,
    NEW_FIRM_CODE,
    WANG,
    ZH_HEADER,
    ZHANG,
    audit_count,
    lawyer_rows,
    seed,
    state,
    write_csv,
    write_sheet,
    write_xlsx,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import InputError
from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import AuditEvent, LawFirm, Lawyer, Unavailability
from scheduler.people.lawyer_sheets import ImportResult, import_lawyers, weekdays
from scheduler.people.unavailability_sheets import import_unavailability

D = dt.date


def _import(factory: sessionmaker[Session], path: Path) -> ImportResult:
    with transaction(factory) as session:
        return import_lawyers(session, path, actor="test")


def _import_unavailability(factory: sessionmaker[Session], path: Path) -> ImportResult:
    with transaction(factory) as session:
        return import_unavailability(session, path, actor="test")


def _problems(factory: sessionmaker[Session], path: Path) -> str:
    """The message of the import's InputError; the database must be as before."""
    before = state(factory), audit_count(factory)
    with pytest.raises(InputError) as caught:
        _import(factory, path)
    assert (state(factory), audit_count(factory)) == before
    return str(caught.value)


def _cli(db_url: str, tmp_path: Path, *args: str) -> Result:
    from scheduler.cli.imports import export, import_

    group = import_ if args[0] == "import" else export
    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    return CliRunner(env=env).invoke(group, list(args[1:]))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("header", [ZH_HEADER, EN_HEADER], ids=["zh", "en"])
def test_a_valid_file_creates_every_lawyer_with_every_field(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, suffix: str, header: list[str]
) -> None:
    seed(session)
    result = _import(session_factory, write_sheet(tmp_path / f"lawyers{suffix}", [header, *lawyer_rows()]))

    assert (result.created, result.updated, result.unchanged, result.firms_created) == (3, 0, 0, 1)
    zhang, li, wang = state(session_factory)["lawyers"]
    assert zhang | {"calendar_token": None} == {
        "name": "张伟",
        "licence_no": ZHANG,
        "firm": FIRM,
        "phone": "13800000001",
        "email": "zhang@example.cn",
        "first_practice_year": 2010,
        "specialties": ["民事", "行政"],
        "languages": ["mandarin", "buyi"],  # every spelling becomes the vocabulary's code
        "offices": ["522301", "522326"],
        "max_per_month": 3,
        "preferred_weekdays": [0, 2],
        "undesired_weekdays": [4],
        "calendar_token": None,
    }
    assert (li["firm"], li["preferred_weekdays"], li["undesired_weekdays"]) == (NEW_FIRM, [1, 3], [6])
    assert (wang["offices"], wang["specialties"], wang["phone"]) == ([], [], "")
    # token_urlsafe(24): 32 characters, 192 bits; each lawyer has their own.
    tokens = {lawyer["calendar_token"] for lawyer in (zhang, li, wang)}
    assert len(tokens) == 3 and all(len(t) == 32 for t in tokens)
    assert (NEW_FIRM, NEW_FIRM_CODE) in state(session_factory)["firms"]


def test_every_create_writes_an_audit_event_naming_the_file(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    _import(session_factory, write_csv(tmp_path / "lawyers.csv", [ZH_HEADER, *lawyer_rows()]))

    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["law_firms.create"] + ["lawyers.create"] * 3
    assert {e.actor for e in events} == {"test"}
    assert all(e.reason == "imported from lawyers.csv" for e in events)
    created = events[1].after
    assert created is not None and created["licence_no"] == ZHANG
    assert "calendar_token" not in created


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, encoding: str
) -> None:
    seed(session)
    path = write_csv(tmp_path / "lawyers.csv", [ZH_HEADER, *lawyer_rows()], encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")

    assert _import(session_factory, path).created == 3
    assert [lawyer["name"] for lawyer in state(session_factory)["lawyers"]] == ["张伟", "李娜", "王芳"]


def test_headers_match_whatever_their_case_spacing_or_spelling(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    header = [" Name ", "License No", "FIRM", "First-Practice-Year"]
    rows = [header, ["张伟", ZHANG, FIRM, "2010"]]

    assert _import(session_factory, write_csv(tmp_path / "lawyers.csv", rows)).created == 1


def test_numbers_and_dates_typed_into_xlsx_cells_are_read(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    header = ["姓名", "执业证号", "律师事务所", "首次执业年份", "可服务信访局", "每月最多值班", "电话", "希望值班日"]
    rows: list[Sequence[object]] = [header, ["张伟", ZHANG, FIRM, 2010, 522301, 2.0, 13800000001, 3]]
    _import(session_factory, write_xlsx(tmp_path / "lawyers.xlsx", rows))

    (zhang,) = state(session_factory)["lawyers"]
    assert (zhang["offices"], zhang["max_per_month"], zhang["phone"], zhang["preferred_weekdays"]) == (
        ["522301"],
        2,
        "13800000001",
        [2],
    )


def test_a_licence_number_stored_as_an_xlsx_number_is_refused(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    rows: list[Sequence[object]] = [
        ["姓名", "执业证号", "律师事务所", "首次执业年份"],
        ["张伟", int(ZHANG), FIRM, 2010],
    ]
    message = _problems(session_factory, write_xlsx(tmp_path / "lawyers.xlsx", rows))
    assert "第 2 行“执业证号”列：执业证号存成了数字" in message


def test_three_bad_rows_are_all_reported_by_the_cli_and_nothing_is_written(
    session: Session, session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    seed(session)
    _import(session_factory, write_csv(tmp_path / "first.csv", [ZH_HEADER, lawyer_rows()[0]]))
    before = state(session_factory), audit_count(session_factory)
    good_update, good_new, _ = lawyer_rows()
    good_update[0] = "张伟（改名）"
    rows: list[Sequence[object]] = [
        ZH_HEADER,
        good_update,
        ["赵六", "12345", FIRM, "", "", "", "2012", "", "", "", "2", "", ""],
        good_new,
        ["孙七", make_licence("5201", 2011, 1, 7), FIRM, "", "", "", "2011", "", "", "", "2", "周八", ""],
        [],
        ["周九", make_licence("5201", 2012, 1, 9), FIRM, "", "", "", "二〇一二", "", "", "", "2", "", ""],
    ]
    result = _cli(db_url, tmp_path, "import", "lawyers", str(write_csv(tmp_path / "bad.csv", rows)))

    assert result.exit_code != 0
    stderr = result.stderr
    assert stderr.startswith("错误：bad.csv：有 3 处问题，未导入任何数据\n")
    assert "bad.csv 第 3 行“执业证号”列：执业证号“12345”须为 17 位数字" in stderr
    assert "bad.csv 第 5 行“希望值班日”列：不认识的星期“周八”" in stderr
    # Row 6 is blank; the sheet still counts it, so the clerk finds the bad row at 7.
    assert "bad.csv 第 7 行“首次执业年份”列：“二〇一二”不是整数" in stderr
    assert "Traceback" not in result.output
    assert (state(session_factory), audit_count(session_factory)) == before


def test_a_licence_given_twice_in_the_file_names_both_rows(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    first, second, _ = lawyer_rows()
    second[1] = ZHANG
    message = _problems(session_factory, write_csv(tmp_path / "dup.csv", [ZH_HEADER, first, second]))
    assert f"dup.csv 第 3 行“执业证号”列：执业证号 {ZHANG} 已在第 2 行出现" in message


def test_an_unknown_office_code_is_named_with_the_known_ones(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    row = lawyer_rows()[0]
    row[9] = "522301、522322"
    message = _problems(session_factory, write_csv(tmp_path / "o.csv", [ZH_HEADER, row]))
    assert "o.csv 第 2 行“可服务信访局”列：不认识的信访局代码 522322（可用：522301、522326、522327）" in message


def test_an_unknown_firm_without_a_credit_code_is_refused(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    row = lawyer_rows()[0]
    row[2] = "不存在律师事务所"
    message = _problems(session_factory, write_csv(tmp_path / "f.csv", [ZH_HEADER, row]))
    assert "f.csv 第 2 行“律师事务所”列：不认识的律师事务所“不存在律师事务所”" in message


def test_a_new_firm_is_created_once_even_when_its_code_is_given_in_a_later_row(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    first, second, third = lawyer_rows()
    first[2], first[3] = NEW_FIRM, ""
    result = _import(session_factory, write_csv(tmp_path / "f.csv", [ZH_HEADER, first, second, third]))

    assert result.firms_created == 1
    assert session.scalar(select(LawFirm).where(LawFirm.name == NEW_FIRM)) is not None
    assert [lawyer["firm"] for lawyer in state(session_factory)["lawyers"]] == [NEW_FIRM, NEW_FIRM, FIRM]


def test_a_credit_code_that_contradicts_a_known_firm_is_refused(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    first, second, _ = lawyer_rows()
    first[3] = NEW_FIRM_CODE
    second[3] = FIRM_CODE
    message = _problems(session_factory, write_csv(tmp_path / "f.csv", [ZH_HEADER, first, second]))
    assert f"第 2 行“统一社会信用代码”列：{FIRM} 的统一社会信用代码是 {FIRM_CODE}，不是 {NEW_FIRM_CODE}" in message
    assert f"第 3 行“统一社会信用代码”列：统一社会信用代码 {FIRM_CODE} 属于 {FIRM}" in message


def test_a_weekday_both_preferred_and_undesired_is_refused(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    row = lawyer_rows()[0]
    row[12] = "wed"
    message = _problems(session_factory, write_csv(tmp_path / "w.csv", [ZH_HEADER, row]))
    assert "w.csv 第 2 行“不希望值班日”列：周三 也是希望值班日" in message


def test_a_missing_required_column_is_named(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    full: list[Sequence[object]] = [list(ZH_HEADER), *lawyer_rows()]
    rows = [[cell for i, cell in enumerate(row) if i != 6] for row in full]
    message = _problems(session_factory, write_csv(tmp_path / "m.csv", rows))
    assert message == "m.csv：缺少必填的列 首次执业年份/first_practice_year"


def test_an_unknown_column_is_named_rather_than_ignored(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    header = [*EN_HEADER[:5], "emial", *EN_HEADER[6:]]
    message = _problems(session_factory, write_csv(tmp_path / "u.csv", [header, *lawyer_rows()]))
    assert message.startswith("u.csv：不认识的列 emial；可用的列：姓名/name、执业证号/licence_no")


def test_a_value_under_no_header_is_refused(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    rows: list[Sequence[object]] = [[*ZH_HEADER, ""], [*lawyer_rows()[0], "备注"]]
    message = _problems(session_factory, write_csv(tmp_path / "n.csv", rows))
    assert "n.csv 第 2 行 N 列：值“备注”上方没有列名" in message


def test_a_known_licence_updates_the_lawyer_and_leaves_absent_columns_alone(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    _import(session_factory, write_csv(tmp_path / "first.csv", [ZH_HEADER, *lawyer_rows()]))
    before = {lawyer["licence_no"]: lawyer for lawyer in state(session_factory)["lawyers"]}
    events_before = audit_count(session_factory)
    rows: list[Sequence[object]] = [
        ["执业证号", "姓名", "律师事务所", "首次执业年份", "电话", "可服务信访局"],
        [ZHANG, "张伟", FIRM, "2010", "13900000009", "522327"],
        [LI, "李娜", NEW_FIRM, "2015", "13800000002", "522327"],
    ]
    result = _import(session_factory, write_csv(tmp_path / "update.csv", rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    after = {lawyer["licence_no"]: lawyer for lawyer in state(session_factory)["lawyers"]}
    assert after[ZHANG] == before[ZHANG] | {"phone": "13900000009", "offices": ["522327"]}
    assert after[LI] == before[LI] and after[WANG] == before[WANG]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and audit_count(session_factory) == events_before + 1
    zhang_id = session.scalar(select(Lawyer.id).where(Lawyer.licence_no == ZHANG))
    assert (event.action, event.entity_id) == ("lawyers.update", str(zhang_id))
    assert event.before == {"phone": "13800000001", "offices": ["522301", "522326"]}
    assert event.after == {"phone": "13900000009", "offices": ["522327"]}


def test_a_missing_file_an_unknown_format_and_a_broken_workbook_are_one_line_errors(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "lawyers.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    for name, reason in [
        ("missing.csv", "文件不存在"),
        ("lawyers.xls", "不支持的文件类型“.xls”；请用 .csv 或 .xlsx"),
        ("broken.xlsx", "不是可读的 .xlsx 工作簿"),
    ]:
        result = _cli(db_url, tmp_path, "import", "lawyers", str(tmp_path / name))
        stderr = result.stderr
        assert result.exit_code != 0, name
        assert stderr.startswith("错误：") and stderr.count("\n") == 1, stderr
        assert reason in stderr
        assert "Traceback" not in result.output


def test_the_cli_prints_a_one_line_summary(session: Session, db_url: str, tmp_path: Path) -> None:
    seed(session)
    path = write_csv(tmp_path / "lawyers.csv", [ZH_HEADER, *lawyer_rows()])
    result = _cli(db_url, tmp_path, "import", "lawyers", str(path))

    assert result.exit_code == 0, result.output
    assert result.stdout == "lawyers.csv: created 3, updated 0, unchanged 0 lawyers; created 1 law firm\n"


def test_a_licence_from_outside_guizhou_is_imported_with_a_warning(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    beijing = make_licence("1101", 2012, 1, 5)
    rows: list[Sequence[object]] = [["姓名", "执业证号", "律师事务所", "首次执业年份"], ["陈静", beijing, FIRM, 2012]]
    result = _import(session_factory, write_csv(tmp_path / "w.csv", rows))

    assert result.created == 1
    assert [str(w) for w in result.warnings] == [f"w.csv 第 2 行：执业证号 {beijing} 不是贵州颁发的（地区 1101）"]


def test_weekdays_are_read_in_chinese_english_and_numbers() -> None:
    assert weekdays("周一、星期二，礼拜三; Thu fri 6 周天") == [0, 1, 2, 3, 4, 5, 6]
    assert weekdays("星期日 礼拜天 SUNDAY 7") == [6]
    assert weekdays("") == []
    with pytest.raises(ValueError, match="不认识的星期“0、Mo”"):
        weekdays("0, Mo")


# Unavailability.

UNAVAILABILITY_HEADER = ["执业证号", "姓名", "开始日期", "结束日期", "原因"]


def _with_lawyers(session: Session, factory: sessionmaker[Session], tmp_path: Path) -> None:
    seed(session)
    _import(factory, write_csv(tmp_path / "lawyers.csv", [ZH_HEADER, *lawyer_rows()]))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_unavailability_is_added_once_even_when_imported_twice(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, suffix: str
) -> None:
    _with_lawyers(session, session_factory, tmp_path)
    start = D(2026, 3, 2) if suffix == ".xlsx" else "2026-03-02"
    rows: list[Sequence[object]] = [
        UNAVAILABILITY_HEADER,
        [ZHANG, "张伟", start, "2026/3/6", "开庭"],
        [LI, "", "2026-04-01", "2026-04-01", ""],
        [ZHANG, "张伟", start, "2026-03-06", "开庭"],
    ]
    path = write_sheet(tmp_path / f"away{suffix}", rows)
    first = _import_unavailability(session_factory, path)
    again = _import_unavailability(session_factory, path)

    assert (first.created, first.unchanged, again.created, again.unchanged) == (2, 1, 0, 3)
    assert state(session_factory)["unavailability"] == [
        (ZHANG, D(2026, 3, 2), D(2026, 3, 6), "开庭"),
        (LI, D(2026, 4, 1), D(2026, 4, 1), ""),
    ]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "unavailability.create")).all()
    assert len(events) == 2


def test_bad_unavailability_rows_are_all_reported_and_nothing_is_added(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _with_lawyers(session, session_factory, tmp_path)
    unknown = make_licence("5201", 2011, 1, 99)
    rows: list[Sequence[object]] = [
        UNAVAILABILITY_HEADER,
        [ZHANG, "张伟", "2026-03-06", "2026-03-02", "开庭"],
        [unknown, "", "2026-03-01", "2026-03-02", ""],
        [LI, "张伟", "2026-03-01", "2026-03-02", ""],
        [WANG, "", "2026-02-30", "", ""],
        [WANG, "", "2206-01-01", "2206-01-02", ""],
        [ZHANG, "", "2026-05-01", "2026-05-02", ""],
    ]
    before = state(session_factory), audit_count(session_factory)
    with pytest.raises(InputError) as caught:
        _import_unavailability(session_factory, write_csv(tmp_path / "away.csv", rows))

    assert str(caught.value).splitlines() == [
        "away.csv：有 7 处问题，未导入任何数据",
        "away.csv 第 2 行“结束日期”列：结束日期（2026年3月2日）早于开始日期（2026年3月6日）",
        f"away.csv 第 3 行“执业证号”列：没有执业证号为 {unknown} 的律师；请先导入该律师",
        f"away.csv 第 4 行“姓名”列：执业证号 {LI} 属于 李娜，不属于 张伟",
        "away.csv 第 5 行“开始日期”列：“2026-02-30”不是日期；请按 2027年1月12日、2027-1-12 或 2027/1/12 填写",
        "away.csv 第 5 行“结束日期”列：须填写日期",
        "away.csv 第 6 行“开始日期”列：2206年1月1日 不是合理的日期",
        "away.csv 第 6 行“结束日期”列：2206年1月2日 不是合理的日期",
    ]
    assert (state(session_factory), audit_count(session_factory)) == before
    assert session.scalars(select(Unavailability)).first() is None


def test_every_spelling_of_a_language_becomes_its_code(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    session.commit()
    row = lawyer_rows()[0]
    row[8] = "国语、Buyi；布依话，苗语"
    _import(session_factory, write_csv(tmp_path / "l.csv", [ZH_HEADER, row]))
    with session_factory() as s:
        lawyer = s.scalars(select(Lawyer).where(Lawyer.licence_no == row[1])).one()
        assert lawyer.languages == ["mandarin", "buyi", "miao"]


def test_an_unknown_language_is_refused_naming_the_row_the_column_and_the_known_languages(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(session)
    session.commit()
    row = lawyer_rows()[0]
    row[8] = "普通话、布衣语"
    message = _problems(session_factory, write_csv(tmp_path / "x.csv", [ZH_HEADER, row]))
    assert "x.csv 第 2 行“语言”列：未知语言“布衣语”" in message
    assert "布依语" in message and "苗语" in message and "buyi" not in message
