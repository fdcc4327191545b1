"""Chart geometry for server-rendered SVG: plain numbers in, coordinates out.

The templates (measures/_bars.jinja, measures/_trend.jinja) only place what is computed here.
Every chart is drawn beside a table of the same figures, so the SVG is one image with a title
and a description, and the table is what a screen reader reads.
"""

from dataclasses import dataclass
from math import floor, log10

WIDTH = 640
LABEL_WIDTH = 230  # room on the left for a group's name
PLOT_RIGHT = WIDTH - 70  # room on the right for the value's text
ROW = 30
TOP = 24
TREND_HEIGHT = 260
TREND_LEFT, TREND_BOTTOM = 56, 40


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-12:
            return step * power
    return 10 * power


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: float  # the row's centre
    width: float  # 0 when there is no value
    low_x: float | None
    high_x: float | None
    text: str  # the value, or why there is none
    text_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    ticks: list[Tick]


def bar_chart(
    rows: list[tuple[str, float | None, float | None, float | None, str]],
    *,
    maximum: float,
    tick_format=lambda v: f"{v:g}",
) -> BarChart:
    """Horizontal bars, one per (label, value, low, high, text), with 95% interval whiskers."""
    scale = (PLOT_RIGHT - LABEL_WIDTH) / maximum

    def x(v: float) -> float:
        return LABEL_WIDTH + min(max(v, 0.0), maximum) * scale

    bars = []
    for i, (label, value, low, high, text) in enumerate(rows):
        y = TOP + ROW * i + ROW / 2
        width = 0.0 if value is None else x(value) - LABEL_WIDTH
        end = x(max(value or 0.0, high or 0.0))
        bars.append(
            Bar(
                label=label,
                y=y,
                width=width,
                low_x=None if low is None else x(low),
                high_x=None if high is None else x(high),
                text=text,
                text_x=end + 6,
            )
        )
    bottom = TOP + ROW * len(rows)
    ticks = [
        Tick(x(maximum * f), bottom + 16, tick_format(maximum * f)) for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return BarChart(WIDTH, int(bottom + 28), LABEL_WIDTH, PLOT_RIGHT, TOP, bottom, bars, ticks)


@dataclass(frozen=True)
class Point:
    x: float
    y: float | None  # None: no value that month
    low_y: float | None
    high_y: float | None
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[Point]
    lines: list[str]  # SVG path data, one per unbroken run of months with a value
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def trend_chart(
    points: list[tuple[str, float | None, float | None, float | None]],
    *,
    maximum: float,
    tick_format=lambda v: f"{v:g}",
) -> TrendChart:
    """A line over the months (label, value, low, high), with 95% interval whiskers."""
    left, right = TREND_LEFT, WIDTH - 16
    top, bottom = 16, TREND_HEIGHT - TREND_BOTTOM
    step = (right - left) / max(len(points) - 1, 1)

    def y(v: float) -> float:
        return bottom - min(max(v, 0.0), maximum) / maximum * (bottom - top)

    placed = []
    for i, (label, value, low, high) in enumerate(points):
        placed.append(
            Point(
                x=left + step * i if len(points) > 1 else (left + right) / 2,
                y=None if value is None else y(value),
                low_y=None if low is None else y(low),
                high_y=None if high is None else y(high),
                label=label,
            )
        )
    lines, run = [], []
    for point in [*placed, None]:
        if point is not None and point.y is not None:
            run.append(point)
            continue
        if len(run) > 1:
            lines.append(
                " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(run))
            )
        run = []
    y_ticks = [Tick(left - 8, y(maximum * f), tick_format(maximum * f)) for f in (0, 0.5, 1)]
    every = max(1, round(len(placed) / 6))
    x_ticks = [Tick(p.x, bottom + 20, p.label) for i, p in enumerate(placed) if i % every == 0]
    return TrendChart(
        WIDTH, TREND_HEIGHT, left, right, top, bottom, placed, lines, y_ticks, x_ticks
    )
