"""Display shaping for the measures pages: plain classes, no database.

A `Figure` is one row of a chart and of its table and CSV: a group (or a month) with its value,
95% confidence limits and counts, or a note saying why there is no figure. Staff pages build
figures from the counts as computed; the public page and the report pack from the counts after
disclosure control (`published=True`), so nothing small ever reaches them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from oneroof.analytics.measures import (
    BREAKDOWNS,
    TOPICS,
    Cell,
    Gap,
    Kind,
    Measure,
    MeasureResult,
    PublishedCell,
    PublishedResult,
    deprivation_gap,
    interval,
    publish,
    value,
)
from oneroof.analytics.measures.results import NO_DATA

from . import charts

HIDDEN = "[c]"  # GSS symbol: confidential (suppressed to protect privacy)
NONE = "[x]"  # GSS symbol: not available (no one counted, or no data yet)
MISSING_WORDS = {
    "access_requests": "access requests",
    "appointments": "appointments",
    "referrals": "referrals",
    "services": "the service directory",
    "feedback": "Friends and Family Test answers",
    "mdt_reviews": "MDT reviews",
    "care_plan_reviews": "care plan reviews",
    "care_teams": "care teams",
    "care_plans": "care plans",
    "contacts": "contacts",
    "coded_events": "coded records",
    "persons": "residents",
    "usual_gp_choices": "usual GP choices",
}


def scale(measure: Measure) -> float:
    return 100.0 if measure.kind == Kind.PROPORTION else 1.0


def decimals(measure: Measure) -> int:
    return 2 if measure.kind == Kind.MEAN and not measure.value_unit else 1


def number(measure: Measure, shown: float | None) -> str:
    """A value already on the display scale (per cent, per 1,000, days), as the table shows it."""
    return "" if shown is None else f"{shown:.{decimals(measure)}f}"


def with_unit(measure: Measure, shown: float | None) -> str:
    text = number(measure, shown)
    if not text:
        return ""
    if measure.kind == Kind.PROPORTION:
        return f"{text}%"
    if measure.kind == Kind.RATE:
        return f"{text} per 1,000"
    return f"{text} {measure.value_unit}".rstrip()


def value_header(measure: Measure) -> str:
    if measure.kind == Kind.PROPORTION:
        return "Per cent"
    if measure.kind == Kind.RATE:
        return "Per 1,000 residents"
    return f"Mean ({measure.value_unit})" if measure.value_unit else "Mean index (0 to 1)"


def gap_unit(measure: Measure) -> str:
    if measure.kind == Kind.PROPORTION:
        return "percentage points"
    if measure.kind == Kind.RATE:
        return "per 1,000"
    return measure.value_unit


def _lower_first(text: str) -> str:
    """'By sex' -> 'by sex', leaving 'IMD' and 'GP' as they are."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def count_text(count: int | None, *, csv: bool = False) -> str:
    if count is None:
        return HIDDEN
    return str(count) if csv else f"{count:,}"


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | None  # on the display scale
    low: float | None
    high: float | None
    numerator: int | None
    units: int | None
    note: str = ""  # HIDDEN or NONE when there is no value to show
    numerator_hidden: bool = False


def staff_figure(measure: Measure, label: str, cell: Cell, *, no_data: bool = False) -> Figure:
    if no_data or cell.units == 0:
        return Figure(label, None, None, None, None, 0 if not no_data else None, NONE)
    s = scale(measure)
    bounds = interval(measure, cell)
    return Figure(
        label,
        value(measure, cell) * s,
        None if bounds is None else bounds[0] * s,
        None if bounds is None else bounds[1] * s,
        None if measure.kind == Kind.MEAN else round(cell.numerator),
        cell.units,
    )


def published_figure(measure: Measure, label: str, cell: PublishedCell | None) -> Figure:
    if cell is None:
        return Figure(label, None, None, None, None, None, NONE)
    if cell.units is None:
        return Figure(label, None, None, None, None, None, HIDDEN, numerator_hidden=True)
    if cell.units == 0:
        return Figure(label, None, None, None, None, 0, NONE)
    if cell.value is None:
        return Figure(label, None, None, None, None, cell.units, HIDDEN, numerator_hidden=True)
    s = scale(measure)
    low, high = cell.interval if cell.interval else (None, None)
    return Figure(
        label,
        cell.value * s,
        None if low is None else low * s,
        None if high is None else high * s,
        cell.numerator,
        cell.units,
    )


@dataclass
class Chart:
    """One chart with its table and CSV: the same rows, the same words."""

    key: str
    title: str
    measure: Measure
    first_header: str
    figures: list[Figure]
    csv_url: str
    kind: str = "bars"  # or "trend"
    caption: str = ""
    svg: object = field(init=False)

    def __post_init__(self):
        self.caption = self.caption or f"{self.measure.title}: {_lower_first(self.title)}"
        maximum = self.maximum()
        rows = [(f.label, f.value, f.low, f.high, self.bar_text(f)) for f in self.figures]
        if self.kind == "trend":
            self.svg = charts.trend_chart(
                [(f.label, f.value, f.low, f.high) for f in self.figures],
                maximum=maximum,
                tick_format=self.tick,
            )
        else:
            self.svg = charts.bar_chart(rows, maximum=maximum, tick_format=self.tick)

    def maximum(self) -> float:
        if self.measure.kind == Kind.PROPORTION:
            return 100.0
        if self.measure.calculation == "continuity":
            return 1.0
        highest = max((f.high or f.value or 0.0 for f in self.figures), default=0.0)
        return charts.nice_ceiling(highest)

    def tick(self, v: float) -> str:
        if self.measure.kind == Kind.PROPORTION:
            return f"{v:g}%"
        return f"{v:g}"

    def bar_text(self, figure: Figure) -> str:
        if figure.note == HIDDEN:
            return "hidden"
        if figure.note == NONE:
            return "none counted" if figure.units == 0 else "no data"
        return with_unit(self.measure, figure.value)

    @property
    def description(self) -> str:
        shown = [f for f in self.figures if f.value is not None]
        if not shown:
            return "No figures to show."
        kind = "Line chart over the months" if self.kind == "trend" else "Bar chart"
        return (
            f"{kind} of {_lower_first(self.measure.title)} {_lower_first(self.title)}, with 95% "
            "confidence intervals. The table gives the same figures."
        )

    @property
    def headers(self) -> list[str]:
        heads = [self.first_header, value_header(self.measure), "Lower 95% limit"]
        heads.append("Upper 95% limit")
        if self.measure.kind != Kind.MEAN:
            heads.append("Numerator")
        heads.append(f"Denominator ({self.measure.units})")
        return heads

    def rows(self, *, csv: bool = False) -> list[list[str]]:
        out = []
        for f in self.figures:
            row = [
                f.label,
                f.note or number(self.measure, f.value),
                number(self.measure, f.low),
                number(self.measure, f.high),
            ]
            if self.measure.kind != Kind.MEAN:
                numerator = HIDDEN if f.numerator_hidden else (
                    "" if f.numerator is None else count_text(f.numerator, csv=csv)
                )  # fmt: skip
                row.append(numerator)
            row.append(
                HIDDEN if f.units is None and f.note == HIDDEN
                else ("" if f.units is None else count_text(f.units, csv=csv))
            )  # fmt: skip
            out.append(row)
        return out


def breakdown_charts(
    measure: Measure,
    result: MeasureResult,
    csv_url,
    *,
    published: PublishedResult | None = None,
) -> list[Chart]:
    """A bar chart for each breakdown of the measure."""
    out = []
    for key in measure.breakdowns:
        breakdown = BREAKDOWNS[key]
        figures = []
        for group, cell in result.cells(key).items():
            label = result.label(key, group)
            if published is not None:
                figures.append(published_figure(measure, label, published.breakdowns[key][group]))
            else:
                figures.append(staff_figure(measure, label, cell))
        out.append(
            Chart(
                key=key,
                title=f"By {breakdown.title[0].lower()}{breakdown.title[1:]}",
                measure=measure,
                first_header=breakdown.title,
                figures=figures,
                csv_url=csv_url(key),
            )
        )
    return out


def trend_chart(
    measure: Measure, results: Sequence[MeasureResult], csv_url: str, *, published: bool = False
) -> Chart:
    """The measure month by month (oldest first)."""
    figures = []
    for result in results:
        label = result.period.short_label
        if result.status == NO_DATA:
            figures.append(staff_figure(measure, label, Cell(), no_data=True))
        elif published:
            figures.append(published_figure(measure, label, publish(measure, result).total))
        else:
            figures.append(staff_figure(measure, label, result.total))
    return Chart(
        key="trend",
        title="Month by month",
        measure=measure,
        first_header="Month",
        figures=figures,
        csv_url=csv_url,
        kind="trend",
    )


def describe_gap(measure: Measure, gap: Gap | None) -> str:
    if gap is None:
        return ""
    s = scale(measure)
    text = f"{gap.value * s:+.{decimals(measure)}f} {gap_unit(measure)}".rstrip()
    if gap.interval is None:
        return text
    low, high = (bound * s for bound in gap.interval)
    return f"{text} (95% CI {low:+.{decimals(measure)}f} to {high:+.{decimals(measure)}f})"


def missing_text(result: MeasureResult) -> str:
    words = [MISSING_WORDS.get(name, name) for name in result.missing_sources]
    return f"No data yet: {', '.join(words)} are not in the analytic snapshot yet."


@dataclass(frozen=True)
class Headline:
    """A measure's total for one month, as a line of the overview and the report pack."""

    measure: Measure
    result: MeasureResult
    figure: Figure
    gap: str
    no_data: str

    @property
    def value(self) -> str:
        if self.no_data:
            return "No data yet"
        if self.figure.note == HIDDEN:
            return "Hidden (fewer than 8)"
        if self.figure.value is None:
            return "None counted"
        return with_unit(self.measure, self.figure.value)

    @property
    def interval(self) -> str:
        f = self.figure
        if f.low is None or f.high is None:
            return ""
        return f"{with_unit(self.measure, f.low)} to {with_unit(self.measure, f.high)}"

    @property
    def counted(self) -> str:
        if self.no_data:
            return ""
        if self.figure.units is None:
            return HIDDEN
        noun = self.measure.unit if self.figure.units == 1 else self.measure.units
        return f"{self.figure.units:,} {noun}"


def headline(measure: Measure, result: MeasureResult, *, published: bool = False) -> Headline:
    if result.status == NO_DATA:
        figure = staff_figure(measure, "Total", Cell(), no_data=True)
        return Headline(measure, result, figure, "", missing_text(result))
    if published:
        shown = publish(measure, result)
        return Headline(
            measure,
            result,
            published_figure(measure, "Total", shown.total),
            describe_gap(measure, shown.gap),
            "",
        )
    return Headline(
        measure,
        result,
        staff_figure(measure, "Total", result.total),
        describe_gap(measure, deprivation_gap(measure, result)),
        "",
    )


@dataclass(frozen=True)
class Topic:
    title: str
    headlines: list[Headline]


def topics(
    measures: Sequence[Measure], results: Mapping[str, MeasureResult], *, published: bool = False
) -> list[Topic]:
    """The month's headlines grouped by topic, in the definitions' order; measures without a
    stored result are left out."""
    out = []
    for title in TOPICS:
        lines = [
            headline(m, results[m.key], published=published)
            for m in measures
            if m.topic == title and m.key in results
        ]
        if lines:
            out.append(Topic(title, lines))
    return out
