"""The fairness chart of a roster: duties per lawyer in each pool, as an SVG picture built as text.

One panel per pool (offices linked by lawyers who may serve several of them), one vertical bar per
lawyer, most duties first, with a dashed line at the pool's median: an uneven roster shows as a
slope, an even one as a flat row. Names are written under the bars while they fit, and always carry
a <title> (the browser's tooltip, and what a screen reader says). Colours are attributes, not style,
so the picture shows under the pages' Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from scheduler.attendance.reports.chart import FONT
from scheduler.rosters.review import PoolBars

WIDTH = 760
LEFT, RIGHT = 48, 16
HEADER = 34  # the pool's title line
PLOT = 120  # bar area
AXIS = 18
NAMES = 64  # room for slanted names under the bars
NAMED_UP_TO = 24  # lawyers per pool whose names still fit under the bars
BAR_COLOUR = "#4472C4"
MEDIAN_COLOUR = "#C00000"


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def _ticks(largest: int) -> list[int]:
    """Whole-number ticks from 0 to at least `largest`, at most six of them."""
    step = 1
    while largest / step > 5:
        step *= 2
    top = max(step, -(-largest // step) * step)
    return list(range(0, top + 1, step))


def _panel(pool: PoolBars, top: float, title: str) -> tuple[list[str], float]:
    """The SVG parts of one pool's panel starting at `top`, and its height."""
    named = len(pool.bars) <= NAMED_UP_TO
    parts = [_text(LEFT, top + 20, title, font_size="14", font_weight="bold")]
    plot_top = top + HEADER
    bottom = plot_top + PLOT
    ticks = _ticks(pool.max)
    scale = PLOT / ticks[-1]
    for tick in ticks:
        y = bottom - tick * scale
        parts.append(f'<line x1="{LEFT}" y1="{y:g}" x2="{WIDTH - RIGHT}" y2="{y:g}" stroke="#E0E0E0"/>')
        parts.append(_text(LEFT - 6, y + 4, str(tick), text_anchor="end", fill="#595959", font_size="11"))
    width = WIDTH - LEFT - RIGHT
    slot = width / max(1, len(pool.bars))
    bar = max(2.0, min(28.0, slot * 0.8))
    for i, entry in enumerate(pool.bars):
        x = LEFT + i * slot + (slot - bar) / 2
        height = entry.duties * scale
        parts.append(
            f'<rect x="{x:g}" y="{bottom - height:g}" width="{bar:g}" height="{height:g}" fill="{BAR_COLOUR}">'
            f"<title>{escape(f'{entry.name}: {entry.duties}')}</title></rect>"
        )
        if named:
            cx = x + bar / 2
            parts.append(
                _text(
                    cx,
                    bottom + 12,
                    entry.name,
                    text_anchor="end",
                    font_size="11",
                    transform=f"rotate(-45 {cx:g} {bottom + 12:g})",
                )
            )
    median_y = bottom - pool.median * scale
    parts.append(
        f'<line x1="{LEFT}" y1="{median_y:g}" x2="{WIDTH - RIGHT}" y2="{median_y:g}" '
        f'stroke="{MEDIAN_COLOUR}" stroke-dasharray="6 4"/>'
    )
    parts.append(f'<line x1="{LEFT}" y1="{plot_top}" x2="{LEFT}" y2="{bottom}" stroke="#404040"/>')
    return parts, HEADER + PLOT + (NAMES if named else AXIS)


def fairness_chart(
    pools: Sequence[PoolBars], title: str, pool_title: Callable[[PoolBars], str], empty: str, lang: str
) -> str:
    """An SVG document with one panel per pool; `pool_title` names a pool (offices, min/median/max)."""
    parts: list[str] = []
    y = 44.0
    for pool in pools:
        panel, height = _panel(pool, y, pool_title(pool))
        parts += panel
        y += height + 12
    if not pools:
        parts.append(_text(WIDTH / 2, y + 20, empty, text_anchor="middle", fill="#595959"))
        y += 40
    height = round(y + 8)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" lang={quoteattr(lang)} font-family={quoteattr(FONT)} font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#FFFFFF"/>',
        _text(WIDTH / 2, 26, title, text_anchor="middle", font_size="17", font_weight="bold"),
    ]
    return "\n".join([*head, *parts, "</svg>"]) + "\n"
