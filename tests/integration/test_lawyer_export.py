"""Exporting lawyers and unavailability to .csv and .xlsx, and reading the files back unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from io_fixtures import (
    EN_HEADER,
    FIRM,
    FIRM_CODE,
    LI,
    ZH_HEADER,
    ZHANG,
    audit_count,
    seed,
    state,
)
from openpyxl import load_workbook
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import InputError
from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer, Office, Unavailability
from scheduler.people.lawyer_sheets import (
    export_lawyers,
    import_lawyers,
)
from scheduler.people.unavailability_sheets import export_unavailability, import_unavailability

D = dt.date
NO_FIRM = make_licence("5201", 2020, 1, 4)


def _populate(session: Session) -> None:
    """Lawyers with every field in use, one with a firm created on the way, one with no firm at all."""
    seed(session)
    offices = {o.code: o for o in session.scalars(select(Office))}
    firm = session.scalars(select(LawFirm)).one()
    other = LawFirm(name="兴义（西城）律师事务所", credit_code="31520000MD0999999K")
    zhang = Lawyer(
        name="张伟",
        licence_no=ZHANG,
        firm=firm,
        phone="+86 859 3220000",
        email="zhang@example.cn",
        first_practice_year=2010,
        specialties=["民事", "行政", "=劳动"],
        languages=["mandarin", "buyi"],
        offices=[offices["522301"], offices["522326"]],
        max_per_month=3,
        preferred_weekdays=[4, 0],
        undesired_weekdays=[6],
        calendar_token="token-zhang",
    )
    li = Lawyer(
        name="李娜",
        licence_no=LI,
        firm=other,
        first_practice_year=2015,
        offices=[offices["522327"]],
        calendar_token="token-li",
    )
    loner = Lawyer(name="=1+1", licence_no=NO_FIRM, first_practice_year=2020, max_per_month=0, calendar_token="t-4")
    session.add_all([zhang, li, loner])
    session.flush()
    session.add_all(
        [
            Unavailability(lawyer=zhang, start=D(2026, 3, 2), end=D(2026, 3, 6), reason="开庭，兴义"),
            Unavailability(lawyer=zhang, start=D(2026, 3, 2), end=D(2026, 3, 6), reason=""),
            Unavailability(lawyer=li, start=D(2026, 12, 31), end=D(2027, 1, 2), reason="休假"),
        ]
    )
    session.commit()


def _export(factory: sessionmaker[Session], folder: Path, suffix: str, language: str) -> tuple[Path, Path]:
    lawyers, away = folder / f"lawyers{suffix}", folder / f"away{suffix}"
    with transaction(factory) as session:
        assert export_lawyers(session, lawyers, language) == 3
        assert export_unavailability(session, away, language) == 3
    return lawyers, away


def _import(factory: sessionmaker[Session], lawyers: Path, away: Path) -> tuple[int, int, int]:
    with transaction(factory) as session:
        first = import_lawyers(session, lawyers, actor="test")
        second = import_unavailability(session, away, actor="test")
    return first.created, first.updated, second.created


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_importing_an_export_into_the_same_database_changes_nothing(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, suffix: str, language: str
) -> None:
    _populate(session)
    before, events = state(session_factory), audit_count(session_factory)
    lawyers, away = _export(session_factory, tmp_path, suffix, language)

    assert _import(session_factory, lawyers, away) == (0, 0, 0)
    assert state(session_factory) == before
    assert audit_count(session_factory) == events


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_rebuilds_lawyers_firms_and_unavailability_in_an_emptied_database(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, suffix: str
) -> None:
    _populate(session)
    before = state(session_factory, tokens=False)
    lawyers, away = _export(session_factory, tmp_path, suffix, "zh")
    with transaction(session_factory) as emptying:
        emptying.execute(delete(Unavailability))
        emptying.execute(delete(Lawyer))
        emptying.execute(delete(LawFirm))
        # The firms come back from the credit codes in the file; only the offices stay.
        emptying.add(LawFirm(name=FIRM, credit_code=FIRM_CODE))

    assert _import(session_factory, lawyers, away) == (3, 0, 3)
    assert state(session_factory, tokens=False) == before


def test_the_header_row_is_chinese_by_default_and_english_on_request(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _populate(session)
    (tmp_path / "zh").mkdir()
    _export(session_factory, tmp_path / "zh", ".csv", "zh")
    with transaction(session_factory) as s:
        export_lawyers(s, tmp_path / "en.csv", "en")

    zh_text = (tmp_path / "zh" / "lawyers.csv").read_bytes()
    assert zh_text.startswith(b"\xef\xbb\xbf")  # the BOM, so that Excel reads UTF-8
    assert zh_text.decode("utf-8-sig").splitlines()[0] == ",".join(ZH_HEADER)
    assert (tmp_path / "en.csv").read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(EN_HEADER)
    away = (tmp_path / "zh" / "away.csv").read_text(encoding="utf-8-sig").splitlines()
    assert away[0] == "执业证号,姓名,开始日期,结束日期,原因"
    assert away[1] == f"{ZHANG},张伟,2026-03-02,2026-03-06,"


def test_an_xlsx_export_keeps_licences_as_text_and_dates_as_dates(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _populate(session)
    lawyers, away = _export(session_factory, tmp_path, ".xlsx", "zh")

    sheet = load_workbook(lawyers).worksheets[0]
    assert [sheet.cell(row, 2).value for row in (2, 3, 4)] == [NO_FIRM, LI, ZHANG]  # "=1+1", 李娜, 张伟: pinyin order
    assert sheet.cell(2, 1).data_type == "s" and sheet.cell(2, 1).value == "=1+1"
    assert sheet.cell(4, 12).value == "周五、周一"  # in the order stored
    assert sheet.cell(4, 10).value == "兴义市信访局、望谟县信访局"  # offices by name; the import reads names and codes
    dates = load_workbook(away).worksheets[0]
    assert dates.cell(2, 3).value == dt.datetime(2026, 3, 2) and dates.cell(2, 3).number_format == "yyyy-mm-dd"


def test_an_export_to_an_unknown_format_or_folder_is_an_input_error(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _populate(session)
    out = tmp_path / "out"
    out.mkdir()
    with transaction(session_factory) as s:
        with pytest.raises(InputError, match=r"不支持的文件类型“\.ods”"):
            export_lawyers(s, out / "lawyers.ods")
        with pytest.raises(InputError, match="无法写入"):
            export_lawyers(s, out / "missing" / "lawyers.csv")
        with pytest.raises(InputError, match="表头语言“fr”"):
            export_lawyers(s, out / "lawyers.csv", "fr")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_cli_exports_and_reimports_without_change(
    session: Session, session_factory: sessionmaker[Session], db_url: str, tmp_path: Path, suffix: str
) -> None:
    from scheduler.cli.imports import export, import_

    _populate(session)
    before = state(session_factory)
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})
    lawyers, away = str(tmp_path / f"lawyers{suffix}"), str(tmp_path / f"away{suffix}")

    exported = runner.invoke(export, ["lawyers", lawyers, "--headers", "en"])
    assert (exported.exit_code, exported.stdout) == (0, f"lawyers{suffix}: exported 3 lawyers\n")
    assert runner.invoke(export, ["unavailability", away]).exit_code == 0
    imported = runner.invoke(import_, ["lawyers", lawyers])
    assert imported.stdout == f"lawyers{suffix}: created 0, updated 0, unchanged 3 lawyers\n"
    again = runner.invoke(import_, ["unavailability", away])
    assert again.stdout == f"away{suffix}: created 0, updated 0, unchanged 3 unavailability periods\n"
    assert state(session_factory) == before


def test_the_cli_reports_an_unwritable_export_in_one_line(db_url: str, tmp_path: Path) -> None:
    from scheduler.cli.imports import export

    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    result = CliRunner(env=env).invoke(export, ["lawyers", str(tmp_path / "no" / "such" / "lawyers.xlsx")])

    assert result.exit_code != 0
    assert result.stderr.startswith("错误：无法写入") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_a_csv_export_writes_formula_like_text_with_an_apostrophe(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    import csv

    _populate(session)
    lawyers, _away = _export(session_factory, tmp_path, ".csv", "zh")
    text = lawyers.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert "'=1+1" in cells and "=1+1" not in cells
    assert "'+86 859 3220000" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
