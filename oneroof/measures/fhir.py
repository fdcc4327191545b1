"""A measure's result as a FHIR R4 MeasureReport (summary), as a pure function.

One MeasureReport per measure, neighbourhood and month: one group with the total's
populations and score, and a stratifier for each breakdown (IMD quintile, ethnic group, age
band, sex, and right or service where the measure has them), each stratum with its own
populations and score. The 95% confidence interval goes in an extension on each score's
element, as a Range.

By default the report is disclosure-controlled (it leaves the team): counts are rounded to 5,
and a suppressed count is left out with the data-absent-reason extension "masked". The fhir
app serves these from its API; it imports this module (it sits above measures).
"""

from datetime import datetime

from oneroof.analytics.measures import (
    BREAKDOWNS,
    Kind,
    Measure,
    MeasureResult,
    PublishedCell,
    interval,
    publish,
    value,
)
from oneroof.analytics.measures.results import NO_DATA, Cell
from oneroof.core.canonical import FHIR_BASE as ONEROOF  # OneRoof's own canonical base

MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"
IMPROVEMENT_NOTATION = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
UCUM = "http://unitsofmeasure.org"
CONFIDENCE_INTERVAL = f"{ONEROOF}/StructureDefinition/confidence-interval-95"
DISCLOSURE_CONTROL = f"{ONEROOF}/StructureDefinition/disclosure-control"
NEIGHBOURHOOD = f"{ONEROOF}/Id/neighbourhood"
BREAKDOWN_SYSTEM = f"{ONEROOF}/CodeSystem/measure-breakdown"


def measure_url(measure: Measure) -> str:
    return f"{ONEROOF}/Measure/{measure.key}"


def _quantity(measure: Measure, score: float) -> dict:
    if measure.kind == Kind.PROPORTION:
        return {"value": round(score * 100, 4), "unit": "%", "system": UCUM, "code": "%"}
    if measure.kind == Kind.RATE:
        return {"value": round(score, 4), "unit": "per 1,000 residents"}
    if measure.value_unit == "days":
        return {"value": round(score, 4), "unit": "days", "system": UCUM, "code": "d"}
    if measure.value_unit == "hours":
        return {"value": round(score, 4), "unit": "hours", "system": UCUM, "code": "h"}
    return {"value": round(score, 4), "unit": "index", "system": UCUM, "code": "1"}


def _population(code: str, count: int | None) -> dict:
    element = {"code": {"coding": [{"system": MEASURE_POPULATION, "code": code}]}}
    if count is None:
        element["extension"] = [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]
    else:
        element["count"] = count
    return element


def _scored(measure: Measure, units, numerator, score, bounds) -> dict:
    """Populations, measureScore and interval for the total or one stratum."""
    if measure.kind == Kind.MEAN:
        populations = [_population("measure-population", units)]
    else:
        populations = [
            _population("initial-population", units),
            _population("denominator", units),
            _population("numerator", numerator),
        ]
    part = {"population": populations}
    if score is not None:
        part["measureScore"] = _quantity(measure, score)
        if bounds is not None:
            low, high = (_quantity(measure, b) for b in bounds)
            part["extension"] = [
                {"url": CONFIDENCE_INTERVAL, "valueRange": {"low": low, "high": high}}
            ]
    return part


def _raw(measure: Measure, cell: Cell) -> dict:
    numerator = None if measure.kind == Kind.MEAN else round(cell.numerator)
    return _scored(measure, cell.units, numerator, value(measure, cell), interval(measure, cell))


def _shown(measure: Measure, cell: PublishedCell) -> dict:
    return _scored(measure, cell.units, cell.numerator, cell.value, cell.interval)


def measure_result_to_measurereport(
    measure: Measure,
    result: MeasureResult,
    *,
    neighbourhood_code: str,
    neighbourhood_name: str,
    generated_at: datetime,
    disclosure_control: bool = True,
) -> dict:
    """The MeasureReport for one measure, neighbourhood and month (FHIR R4, type summary)."""
    period = result.period
    report = {
        "resourceType": "MeasureReport",
        "id": f"{neighbourhood_code}-{measure.key}-{period.key}",
        "status": "pending" if result.status == NO_DATA else "complete",
        "type": "summary",
        "measure": measure_url(measure),
        "date": generated_at.isoformat(),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "reporter": {
            "identifier": {"system": NEIGHBOURHOOD, "value": neighbourhood_code},
            "display": f"{neighbourhood_name} neighbourhood team",
        },
    }
    if measure.higher_is_better is not None:  # a choice (how far ahead to book) has no better
        report["improvementNotation"] = {
            "coding": [
                {
                    "system": IMPROVEMENT_NOTATION,
                    "code": "increase" if measure.higher_is_better else "decrease",
                }
            ]
        }
    if disclosure_control:
        report["extension"] = [
            {
                "url": DISCLOSURE_CONTROL,
                "valueString": "Counts of 1 to 7 suppressed (with secondary suppression), "
                "and so are scores whose numerator or denominator minus numerator is 1 to 7; "
                "others rounded to the nearest 5; scores computed from the rounded counts.",
            }
        ]
    group = {"code": {"text": measure.title}}
    if result.status == NO_DATA:
        group["population"] = [_population("initial-population", None)]
        group["population"][0]["extension"][0]["valueCode"] = "not-applicable"
        report["group"] = [group]
        return report
    shown = publish(measure, result) if disclosure_control else None
    group |= _shown(measure, shown.total) if shown else _raw(measure, result.total)
    group["stratifier"] = []
    for key in measure.breakdowns:
        strata = []
        for group_key, cell in result.cells(key).items():
            part = (
                _shown(measure, shown.breakdowns[key][group_key]) if shown else _raw(measure, cell)
            )
            strata.append(
                {
                    "value": {
                        "coding": [{"system": f"{BREAKDOWN_SYSTEM}/{key}", "code": group_key}],
                        "text": result.label(key, group_key),
                    },
                    **part,
                }
            )
        group["stratifier"].append(
            {
                "code": [
                    {
                        "coding": [{"system": BREAKDOWN_SYSTEM, "code": key}],
                        "text": BREAKDOWNS[key].title,
                    }
                ],
                "stratum": strata,
            }
        )
    report["group"] = [group]
    return report
