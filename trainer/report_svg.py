"""Trend charts as inline SVG, drawn by hand: no script, no library, no files beside the page.

One line per criterion (and a thicker one for the overall score) over a trainee's graded runs
in time order, each point the rolling mean of the last few runs, so one bad day shows as a dip
rather than a cliff. Lines differ in colour (a palette safe for colour-blind readers) and in
dash pattern, so the chart also reads in black and white.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from trainer.scoring import half_up

# Okabe-Ito colours, then dashes: distinct for every common kind of colour blindness.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")


@dataclass(frozen=True)
class Series:
    """One line: a key for tests and styles, a label for the legend, one value per run
    (0 to 1, ``None`` where the run has none)."""

    key: str
    label: str
    values: tuple[float | None, ...]
    emphasis: bool = False


def rolling(values: Sequence[float | None], window: int) -> tuple[float | None, ...]:
    """At each run, the mean of the last ``window`` values that exist up to it."""
    out: list[float | None] = []
    seen: list[float] = []
    for v in values:
        if v is not None:
            seen.append(v)
        recent = seen[-window:]
        out.append(sum(recent) / len(recent) if recent else None)
    return tuple(out)


def trend_chart(series: Sequence[Series], *, labels: Sequence[str], title: str,
                width: int = 640, plot_height: int = 200) -> str:
    """An ``<svg>`` element: axes from 0 to 100 %, a line per series over ``labels`` (one per
    run, shown at the ends and a few places between), and a legend beneath."""
    n = len(labels)
    left, right, top = 46, 14, 12
    plot_w = width - left - right
    axis_bottom = top + plot_height
    legend_top = axis_bottom + 34
    per_row = 2
    rows = (len(series) + per_row - 1) // per_row
    height = legend_top + rows * 20 + 6

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(v: float) -> float:
        return top + (1 - v) * plot_height

    parts = [f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    for pct in (0, 25, 50, 75, 100):  # grid and y axis
        gy = y(pct / 100)
        parts.append(f'<line class="grid" x1="{left}" y1="{gy:.1f}" x2="{width - right}" '
                     f'y2="{gy:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{gy + 4:.1f}" '
                     f'text-anchor="end">{pct}%</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{axis_bottom}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{axis_bottom}" x2="{width - right}" '
                 f'y2="{axis_bottom}"/>')
    for i in _ticks(n):
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<line class="axis" x1="{x(i):.1f}" y1="{axis_bottom}" x2="{x(i):.1f}" '
                     f'y2="{axis_bottom + 4}"/>')
        parts.append(f'<text class="tick" x="{x(i):.1f}" y="{axis_bottom + 17}" '
                     f'text-anchor="{anchor}">{escape(labels[i])}</text>')
    for k, s in enumerate(series):
        # the dash moves on one more each time the colours come round again, so no two of
        # the first 49 lines look alike (the 8th had been the 1st, thinner)
        colour = PALETTE[k % len(PALETTE)]
        dash = DASHES[(k + k // len(PALETTE)) % len(DASHES)]
        stroke = (f'stroke="{colour}" stroke-width="{3.5 if s.emphasis else 2}"'
                  + (f' stroke-dasharray="{dash}"' if dash and not s.emphasis else ""))
        points = [(x(i), y(v), v, i) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            parts.append(f'<polyline class="series" data-series="{escape(s.key)}" fill="none" '
                         f'{stroke} points="{path}"/>')
        for px, py, v, i in points:
            parts.append(f'<circle class="point" data-series="{escape(s.key)}" cx="{px:.1f}" '
                         f'cy="{py:.1f}" r="{3.5 if s.emphasis else 2.5}" fill="{colour}">'
                         f"<title>{escape(s.label)}, {escape(labels[i])}: "
                         f"{half_up(v * 100)}%</title></circle>")
        lx = left + (k % per_row) * (plot_w / per_row)
        ly = legend_top + (k // per_row) * 20
        parts.append(f'<line class="key" x1="{lx:.1f}" y1="{ly:.1f}" x2="{lx + 26:.1f}" '
                     f'y2="{ly:.1f}" {stroke}/>')
        parts.append(f'<text class="legend" x="{lx + 32:.1f}" y="{ly + 4:.1f}">'
                     f"{escape(s.label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _ticks(n: int, most: int = 6) -> list[int]:
    """Which of ``n`` run labels to show: the ends, and evenly spaced ones between."""
    if n <= most:
        return list(range(n))
    step = (n - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})
