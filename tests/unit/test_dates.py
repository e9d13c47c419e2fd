"""Dates as people type them: one parser (scheduler.core.dates) behind spreadsheets, the command line and forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scheduler.cli.common import DATE
from scheduler.core import tabular
from scheduler.core.dates import NotADate, parse_date
from scheduler.core.tabular import Column

JAN_12 = dt.date(2027, 1, 12)


@pytest.mark.parametrize(
    "text",
    [
        "2027年1月12日",
        "2027年01月12日",
        "2027 年 1 月 12 日",
        "2027/1/12",
        "2027/01/12",
        "2027-1-12",
        "2027-01-12",
        "2027.1.12",
        "20270112",
        "２０２７年１月１２日",
        "２０２７／１／１２",
        "  2027-01-12 ",
        "2027-01-12T00:00:00",
    ],
)
def test_a_date_is_read_as_people_type_it(text: str) -> None:
    assert parse_date(text) == JAN_12


@pytest.mark.parametrize("text", ["", "2027-13-01", "2027-02-30", "12/1/2027", "明天", "2027年1月", "2027-01-12 09:30"])
def test_anything_else_is_a_chinese_message_naming_what_was_typed(text: str) -> None:
    with pytest.raises(NotADate) as caught:
        parse_date(text)
    assert str(caught.value) == f"“{text.strip()}”不是日期；请按 2027年1月12日、2027-1-12 或 2027/1/12 填写"


def test_the_message_names_the_field_when_given() -> None:
    with pytest.raises(NotADate) as caught:
        parse_date("下周二", "开始日期")
    assert str(caught.value).startswith("开始日期：“下周二”不是日期")


def test_a_spreadsheet_cell_takes_every_form_and_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "请假.csv"
    path.write_text("日期\n2027年1月12日\n2027/1/12\n２０２７－１－１２\n20270112\n明天\n", encoding="utf-8")
    sheet = tabular.read_sheet(path, [Column("date", "日期", "date", required=True)])
    read = []
    for row in sheet.rows:
        try:
            read.append(tabular.date(row.cells["date"]))
        except ValueError as exc:
            sheet.problem(row.number, "date", exc)
    assert read == [JAN_12] * 4
    with pytest.raises(tabular.InputError) as caught:
        sheet.raise_problems()
    assert str(caught.value).splitlines()[1] == (
        "请假.csv 第 6 行“日期”列：“明天”不是日期；请按 2027年1月12日、2027-1-12 或 2027/1/12 填写"
    )


def test_a_command_line_date_takes_every_form_and_refuses_the_rest_in_one_line() -> None:
    @click.command()
    @click.option("--from", "start", type=DATE, required=True)
    def show(start: dt.date) -> None:
        click.echo(start.isoformat())

    runner = CliRunner()
    for text in ("2027年1月12日", "2027/1/12", "2027-1-12", "20270112"):
        result = runner.invoke(show, ["--from", text])
        assert (result.exit_code, result.output) == (0, "2027-01-12\n")
    refused = runner.invoke(show, ["--from", "明天"], env={"SCHEDULER_LANG": "zh"})
    assert refused.exit_code == 2 and "“明天”不是日期" in refused.output
    english = runner.invoke(show, ["--from", "明天"], env={"SCHEDULER_LANG": "en"})
    assert english.exit_code == 2 and "“明天” is not a date" in english.output
