"""An SVG bar chart of duties served and absences per lawyer, built as plain text (no plotting library).

Horizontal bars keep long Chinese names readable and let the chart grow downwards with the number of
lawyers. Text declares a CJK font family and lang="zh-CN", so browsers and office software pick a
Chinese font; lawyers flagged for their absences have their names in bold red.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from scheduler.attendance.assessment import AssessmentReport
from scheduler.attendance.reports.table import DEFAULT_BUREAU

FONT = "Noto Sans CJK SC, sans-serif"
WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 160, 60, 76, 40  # margins: names, value labels, title and legend, axis
BAND = 30  # height per lawyer
BAR = 11
FLAG_COLOUR = "#C00000"


@dataclass(frozen=True)
class Series:
    """One kind of bar: its legend name, colour, and one value per label."""

    name: str
    colour: str
    values: tuple[int, ...]


def _step(largest: int) -> int:
    """A round tick step (1, 2, 5, 10, 20, ...) giving at most 8 ticks up to `largest`."""
    for power in range(10):
        for base in (1, 2, 5):
            step = base * 10**power
            if largest <= step * 8:
                return step
    return 10**10


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], flagged: Sequence[bool] = ()) -> str:
    """An SVG document: for each label, one horizontal bar per series, with its value at the bar's end."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("each series needs one value per label")
    flagged = tuple(flagged) or (False,) * len(labels)
    height = TOP + max(len(labels), 1) * BAND + BOTTOM
    plot = WIDTH - LEFT - RIGHT
    largest = max((v for s in series for v in s.values), default=0)
    step = _step(max(largest, 1))
    top_value = max(step, math.ceil(largest / step) * step)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" lang="zh-CN" font-family={quoteattr(FONT)} font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#FFFFFF"/>',
        _text(WIDTH / 2, 28, title, text_anchor="middle", font_size="17", font_weight="bold"),
    ]
    x = LEFT
    for s in series:
        parts.append(f'<rect x="{x}" y="44" width="12" height="12" fill="{s.colour}"/>')
        parts.append(_text(x + 18, 55, s.name))
        x += 30 + 14 * len(s.name)
    bottom = TOP + len(labels) * BAND
    for tick in range(0, top_value + 1, step):
        tx = LEFT + plot * tick / top_value
        parts.append(f'<line x1="{tx:g}" y1="{TOP}" x2="{tx:g}" y2="{bottom}" stroke="#D9D9D9"/>')
        parts.append(_text(tx, bottom + 18, str(tick), text_anchor="middle", fill="#595959"))
    if not labels:
        parts.append(_text(LEFT + plot / 2, TOP + BAND / 2 + 5, "无数据", text_anchor="middle", fill="#595959"))
    for i, label in enumerate(labels):
        y = TOP + i * BAND
        style = {"fill": FLAG_COLOUR, "font_weight": "bold"} if flagged[i] else {}
        parts.append(_text(LEFT - 8, y + BAND / 2 + 5, label, text_anchor="end", **style))
        for j, s in enumerate(series):
            value = s.values[i]
            bar_y = y + (BAND - BAR * len(series)) / 2 + j * BAR
            bar_width = plot * value / top_value
            parts.append(
                f'<rect x="{LEFT}" y="{bar_y:g}" width="{bar_width:g}" height="{BAR - 1}" fill="{s.colour}">'
                f"<title>{escape(f'{label} {s.name} {value}')}</title></rect>"
            )
            parts.append(_text(LEFT + bar_width + 4, bar_y + BAR - 2, str(value), font_size="11"))
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#404040"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def assessment_chart(report: AssessmentReport, bureau: str = DEFAULT_BUREAU) -> str:
    """Duties served and absences per lawyer for the year; flagged lawyers' names in bold red."""
    names = Counter(row.name for row in report.rows)
    # Two lawyers of the same name are told apart by the end of their licence numbers.
    labels = [row.name if names[row.name] == 1 else f"{row.name}（{row.licence_no[-4:]}）" for row in report.rows]
    return bar_chart(
        f"{bureau} {report.year}年度律师值班与缺勤情况",
        labels,
        (
            Series("实际值班", "#4472C4", tuple(row.served for row in report.rows)),
            Series("缺勤", FLAG_COLOUR, tuple(row.absent for row in report.rows)),
        ),
        tuple(row.flagged for row in report.rows),
    )
