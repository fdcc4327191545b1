"""Presenters and chart geometry for the measures pages (plain classes, no database needed)."""

import pytest

from oneroof.analytics.measures import Period, measure
from oneroof.analytics.measures.results import Cell, MeasureResult
from oneroof.measures import charts
from oneroof.measures.presenters import (
    HIDDEN,
    NONE,
    breakdown_charts,
    describe_gap,
    headline,
    with_unit,
)

MAY = Period.month(2026, 5)


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1.0), (0.7, 1.0), (3.2, 5.0), (11, 20), (21, 25), (260, 500)]
)
def test_nice_ceiling(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_bar_chart_places_bars_and_whiskers_on_the_scale():
    chart = charts.bar_chart(
        [("a", 50.0, 40.0, 60.0, "50%"), ("b", None, None, None, "hidden")], maximum=100.0
    )
    a, b = chart.bars
    plot = chart.right - chart.left
    assert a.width == pytest.approx(plot / 2)
    assert a.low_x == pytest.approx(chart.left + plot * 0.4)
    assert b.width == 0 and b.low_x is None and b.text == "hidden"
    assert [t.label for t in chart.ticks] == ["0", "25", "50", "75", "100"]


def test_trend_chart_breaks_the_line_where_a_month_has_no_value():
    chart = charts.trend_chart(
        [("Jan", 1.0, None, None), ("Feb", 2.0, None, None), ("Mar", None, None, None),
         ("Apr", 1.0, None, None), ("May", 3.0, None, None)],
        maximum=4.0,
    )  # fmt: skip
    assert len(chart.lines) == 2
    assert chart.points[2].y is None


def test_values_are_shown_in_the_measures_own_units():
    assert with_unit(measure("right-met-same-day"), 82.34) == "82.3%"
    assert with_unit(measure("carers-identified"), 21.0) == "21.0 per 1,000"
    assert with_unit(measure("time-to-appointment-book-ahead"), 3.456) == "3.5 days"
    assert with_unit(measure("time-to-appointment-same-day"), 3.456) == "3.5 hours"
    assert with_unit(measure("continuity-upc"), 0.6234) == "0.62"


def result(cells: dict[str, Cell]) -> MeasureResult:
    total = sum(cells.values(), Cell())
    return MeasureResult("right-met-same-day", 1, MAY, total=total, breakdowns={"sex": cells})


def test_staff_charts_show_the_counts_as_computed():
    same_day = measure("right-met-same-day")
    r = result({"female": Cell(40, 30), "male": Cell(3, 1), "other": Cell(0, 0)})
    [chart] = [
        c for c in breakdown_charts(same_day, r, lambda key: f"/{key}.csv") if c.key == "sex"
    ]
    assert chart.rows() == [
        ["Female", "75.0", "59.8", "85.8", "30", "40"],
        ["Male", "33.3", "6.1", "79.2", "1", "3"],
        ["Other or not known", NONE, "", "", "", "0"],
    ]
    assert chart.csv_url == "/sex.csv"


def test_published_charts_hide_small_counts_and_round_the_rest():
    from oneroof.analytics.measures import publish

    same_day = measure("right-met-same-day")
    r = result({"female": Cell(40, 30), "male": Cell(3, 1), "other": Cell(0, 0)})
    [chart] = [
        c
        for c in breakdown_charts(same_day, r, lambda key: "", published=publish(same_day, r))
        if c.key == "sex"
    ]
    female, male, other = chart.rows(csv=True)
    assert female[0] == "Female" and female[1] == HIDDEN  # 40 shown, but hidden with male
    assert male == ["Male", HIDDEN, "", "", HIDDEN, HIDDEN]
    assert other == ["Other or not known", NONE, "", "", "", "0"]


def test_headline_and_gap_in_words():
    same_day = measure("right-met-same-day")
    r = MeasureResult(
        same_day.key, 1, MAY, total=Cell(200, 150),
        breakdowns={"imd_quintile": {"1": Cell(100, 60), "5": Cell(100, 90)}},
    )  # fmt: skip
    line = headline(same_day, r)
    assert (line.value, line.counted) == ("75.0%", "200 requests")
    assert line.gap == "-30.0 percentage points (95% CI -40.8 to -18.3)"
    assert describe_gap(same_day, None) == ""
    no_data = MeasureResult(
        same_day.key, 1, MAY, status="no_data", missing_sources=("access_requests",)
    )
    assert headline(same_day, no_data).value == "No data yet"
