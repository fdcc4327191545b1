"""Loading stored results for a page: a few queries each, then the presenters do the rest.

`published=True` applies disclosure control (analytics.measures.disclosure) to every figure:
the public performance page, its CSVs, the report pack and the FHIR MeasureReport use it.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from oneroof.analytics.measures import (
    BY_KEY,
    MEASURES,
    Measure,
    MeasureResult,
    Period,
    publish,
)
from oneroof.workforce.models import Neighbourhood

from .models import MeasureResult as StoredResult
from .presenters import Chart, Headline, Topic, breakdown_charts, headline, topics, trend_chart

TREND_MONTHS = 12


def neighbourhood_or_404(code: str) -> Neighbourhood:
    try:
        return Neighbourhood.objects.get(code=code)
    except Neighbourhood.DoesNotExist:
        raise Http404("No neighbourhood with that code") from None


def measure_or_404(key: str) -> Measure:
    try:
        return BY_KEY[key]
    except KeyError:
        raise Http404("No measure with that key") from None


def months_for(neighbourhood: Neighbourhood) -> list[Period]:
    return StoredResult.objects.for_neighbourhood(neighbourhood).months()


def chosen_month(text: str | None, months: list[Period]) -> Period | None:
    """The month asked for if there are results for it, else the latest; None if no results."""
    if text:
        try:
            asked = Period.parse(text)
        except ValueError:
            raise Http404("Months are written YYYY-MM") from None
        if asked not in months:
            raise Http404("No results for that month")
        return asked
    return months[0] if months else None


@dataclass
class Overview:
    neighbourhood: Neighbourhood
    month: Period | None
    months: list[Period]
    topics: list[Topic]


def overview(neighbourhood: Neighbourhood, month_text: str | None, *, published=False):
    months = months_for(neighbourhood)
    month = chosen_month(month_text, months)
    results = {}
    if month is not None:
        results = {
            stored.measure: stored.to_result()
            for stored in StoredResult.objects.for_neighbourhood(neighbourhood).for_month(month)
        }
    return Overview(neighbourhood, month, months, topics(MEASURES, results, published=published))


@dataclass
class MeasurePage:
    neighbourhood: Neighbourhood
    measure: Measure
    month: Period
    months: list[Period]
    result: MeasureResult
    headline: Headline
    trend: Chart
    breakdowns: list[Chart]

    def chart(self, key: str) -> Chart:
        for chart in [self.trend, *self.breakdowns]:
            if chart.key == key:
                return chart
        raise Http404("No such chart")


def measure_page(
    neighbourhood: Neighbourhood, measure: Measure, month_text: str | None, *, published=False
) -> MeasurePage:
    months = months_for(neighbourhood)
    month = chosen_month(month_text, months)
    if month is None:
        raise Http404("No measures have been computed for this neighbourhood yet")
    stored = list(
        StoredResult.objects.for_neighbourhood(neighbourhood)
        .filter(measure=measure.key, period_start__lte=month.start)
        .order_by("-period_start")[:TREND_MONTHS]
    )
    if not stored or stored[0].period_start != month.start:
        raise Http404("No result for this measure and month")
    history = [s.to_result() for s in reversed(stored)]
    result = history[-1]
    area = "performance" if published else "measures"

    def csv_url(chart: str) -> str:
        url = reverse(
            f"{area}:chart_csv",
            kwargs={"code": neighbourhood.code, "key": measure.key, "chart": chart},
        )
        return f"{url}?month={month.key}"

    shown = None
    if published and result.status == "ok":
        shown = publish(measure, result)
    charts = (
        breakdown_charts(measure, result, csv_url, published=shown) if result.status == "ok" else []
    )
    return MeasurePage(
        neighbourhood=neighbourhood,
        measure=measure,
        month=month,
        months=months,
        result=result,
        headline=headline(measure, result, published=published),
        trend=trend_chart(measure, history, csv_url("trend"), published=published),
        breakdowns=charts,
    )


@dataclass
class ReportMeasure:
    headline: Headline
    deprivation: Chart | None
    trend: Chart


@dataclass
class ReportPack:
    neighbourhood: Neighbourhood
    month: Period
    topics: list[tuple[str, list[ReportMeasure]]]


def report_pack(neighbourhood: Neighbourhood, month: Period) -> ReportPack:
    """Every measure for the month with disclosure control: its headline, its deprivation
    chart and its last 12 months."""
    first = month.months_back(TREND_MONTHS)[0]
    stored = (
        StoredResult.objects.for_neighbourhood(neighbourhood)
        .filter(period_start__gte=first.start, period_start__lte=month.start)
        .order_by("period_start")
    )
    history: dict[str, list[MeasureResult]] = {}
    for s in stored:
        history.setdefault(s.measure, []).append(s.to_result())
    if not any(h[-1].period == month for h in history.values()):
        raise Http404("No results for that month")
    by_topic: dict[str, list[ReportMeasure]] = {}
    for measure in MEASURES:
        results = history.get(measure.key)
        if not results or results[-1].period != month:
            continue
        result = results[-1]
        deprivation = None
        if result.status == "ok":
            [deprivation] = [
                c
                for c in breakdown_charts(
                    measure, result, lambda _key: "", published=publish(measure, result)
                )
                if c.key == "imd_quintile"
            ]
        by_topic.setdefault(measure.topic, []).append(
            ReportMeasure(
                headline=headline(measure, result, published=True),
                deprivation=deprivation,
                trend=trend_chart(measure, results, "", published=True),
            )
        )
    return ReportPack(neighbourhood, month, list(by_topic.items()))


def stored_result(neighbourhood: Neighbourhood, measure: Measure, month: Period) -> MeasureResult:
    try:
        stored = StoredResult.objects.for_neighbourhood(neighbourhood).get(
            measure=measure.key, period_start=month.start
        )
    except StoredResult.DoesNotExist:
        raise Http404("No result for this measure and month") from None
    return stored.to_result()
