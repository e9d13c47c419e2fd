"""The SVG chart of duties and absences: valid XML, bars to scale, Chinese text declared, names escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from scheduler.attendance.assessment import AssessmentReport, AssessmentRow
from scheduler.attendance.reports.chart import FONT, LEFT, RIGHT, WIDTH, Series, assessment_chart, bar_chart

SVG = "{http://www.w3.org/2000/svg}"
PLOT = WIDTH - LEFT - RIGHT


def _row(lawyer_id: int, name: str, served: int, absent: int, flagged: bool = False) -> AssessmentRow:
    return AssessmentRow(
        lawyer_id=lawyer_id,
        name=name,
        licence_no=f"1522320101100{lawyer_id:04d}",
        firm="某律师事务所",
        assigned=served + absent,
        attended=served,
        late=0,
        absent=absent,
        substituted=0,
        substitute=0,
        given_away=0,
        taken_over=0,
        leader_days=0,
        swap_requests=0,
        unrecorded=0,
        flagged=flagged,
    )


def _bars(svg: ET.Element) -> list[tuple[str, float]]:
    """(tooltip, width) of each data bar."""
    return [
        (rect.findtext(f"{SVG}title") or "", float(rect.get("width", "0")))
        for rect in svg.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]


def test_bars_are_drawn_to_scale_for_each_lawyer_and_series() -> None:
    report = AssessmentReport(2026, 2, dt.date(2026, 12, 31), (_row(1, "王明", 8, 0), _row(2, "李华", 4, 2, True)))
    svg = ET.fromstring(assessment_chart(report))
    assert svg.get("lang") == "zh-CN" and svg.get("font-family") == FONT == "Noto Sans CJK SC, sans-serif"
    assert svg.findtext(f"{SVG}title") == "黔西南州司法局 2026年度律师值班与缺勤情况"
    # The axis runs to 8 in steps of 1, so a duty is an eighth of the plot's width.
    assert _bars(svg) == [
        ("王明 实际值班 8", PLOT),
        ("王明 缺勤 0", 0),
        ("李华 实际值班 4", PLOT / 2),
        ("李华 缺勤 2", PLOT / 4),
    ]
    names = {t.text: t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"}
    assert list(names) == ["王明", "李华"]
    assert names["李华"].get("fill") == "#C00000" and names["李华"].get("font-weight") == "bold"
    assert names["王明"].get("fill") is None


def test_names_are_escaped_and_namesakes_told_apart() -> None:
    rows = (_row(1, "张<三>&", 1, 0), _row(2, "王明", 2, 1), _row(3, "王明", 3, 0))
    text = assessment_chart(AssessmentReport(2026, 2, dt.date(2026, 12, 31), rows))
    svg = ET.fromstring(text)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels == ["张<三>&", "王明（0002）", "王明（0003）"]
    assert "张&lt;三&gt;&amp;" in text


def test_an_empty_year_draws_an_empty_chart_that_says_so() -> None:
    svg = ET.fromstring(assessment_chart(AssessmentReport(2026, 2, dt.date(2026, 12, 31), ())))
    assert "无数据" in [t.text for t in svg.iter(f"{SVG}text")]
    assert _bars(svg) == []


def test_large_values_get_round_ticks() -> None:
    svg = ET.fromstring(bar_chart("t", ["a"], [Series("值班", "#000", (37,))]))
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("fill") == "#595959"]
    assert ticks == ["0", "5", "10", "15", "20", "25", "30", "35", "40"]


def test_a_series_must_have_a_value_per_label() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart("t", ["a", "b"], [Series("值班", "#000", (1,))])
