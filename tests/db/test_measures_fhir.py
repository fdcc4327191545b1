"""The FHIR MeasureReport for a measure and month: valid R4, disclosure-controlled by default."""

from datetime import UTC, datetime
from functools import cache

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.measurereport import MeasureReport

from oneroof.analytics.measures import MEASURES, Period, measure
from oneroof.analytics.measures.results import Cell, MeasureResult
from oneroof.measures.fhir import measure_result_to_measurereport
from tests.api.fhir_support import r4_schema

MAY = Period.month(2026, 5)
GENERATED = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@cache
def r4_validator():
    schema = r4_schema()
    return None if schema is None else jsonschema.Draft6Validator(schema)


def check_valid(report: dict) -> None:
    MeasureReport.model_validate(report)  # fhir.resources (R4B)
    if r4_validator() is None:
        return  # HL7's schema is absent: tests/api/test_fhir_schema.py reports it as a skip
    errors = sorted(r4_validator().iter_errors(report), key=lambda e: e.path)
    assert not errors, errors[0].message  # the HL7 R4 JSON schema


def carers_result(**fields) -> MeasureResult:
    return MeasureResult(
        "carers-identified",
        1,
        MAY,
        total=Cell(1003, 22),
        breakdowns={
            "imd_quintile": {"1": Cell(500, 14), "2": Cell(0, 0), "3": Cell(0, 0),
                             "4": Cell(0, 0), "5": Cell(503, 8), "unknown": Cell(0, 0)},
            "sex": {"female": Cell(502, 14), "male": Cell(498, 5), "other": Cell(3, 3)},
        },
        **fields,
    )  # fmt: skip


def report_for(result, **options) -> dict:
    return measure_result_to_measurereport(
        measure(result.measure),
        result,
        neighbourhood_code="riverside",
        neighbourhood_name="Riverside",
        generated_at=GENERATED,
        **options,
    )


def populations(part: dict) -> dict:
    return {
        p["code"]["coding"][0]["code"]: p.get("count", p.get("extension", [{}])[0].get("valueCode"))
        for p in part["population"]
    }


def test_measurereport_is_valid_r4_and_disclosure_controlled():
    report = report_for(carers_result())
    check_valid(report)
    assert report["measure"] == "https://oneroof.example.org/fhir/Measure/carers-identified"
    assert report["period"] == {"start": "2026-05-01", "end": "2026-05-31"}
    [group] = report["group"]
    assert populations(group) == {"initial-population": 1005, "denominator": 1005, "numerator": 20}
    assert group["measureScore"]["value"] == pytest.approx(20 / 1005 * 1000, abs=1e-4)
    sex = next(s for s in group["stratifier"] if s["code"][0]["coding"][0]["code"] == "sex")
    strata = {s["value"]["coding"][0]["code"]: populations(s) for s in sex["stratum"]}
    assert strata["other"] == {
        "initial-population": "masked", "denominator": "masked", "numerator": "masked",
    }  # fmt: skip
    assert strata["male"]["denominator"] == "masked"  # hidden so "other" cannot be worked out


def test_measurereport_without_disclosure_control_has_the_counts():
    report = report_for(carers_result(), disclosure_control=False)
    check_valid(report)
    assert populations(report["group"][0])["numerator"] == 22
    assert "extension" not in report


def test_measurereport_for_every_kind_of_measure_is_valid():
    for m in MEASURES:
        groups = {b: {"a": Cell(40, 20.0 if m.kind == "mean" else 20, 30.0)} for b in m.breakdowns}
        result = MeasureResult(m.key, 1, MAY, total=Cell(40, 20, 30.0), breakdowns=groups)
        check_valid(report_for(result))


def test_measurereport_with_no_data_yet_is_pending():
    result = MeasureResult("fft-positive", 1, MAY, status="no_data", missing_sources=("feedback",))
    report = report_for(result)
    check_valid(report)
    assert report["status"] == "pending"
    assert "measureScore" not in report["group"][0]


def test_measurereport_is_served_as_fhir_json(db):
    from oneroof.measures.models import MeasureResult as Stored
    from oneroof.measures.models import MeasureRun
    from tests.factories import NeighbourhoodFactory

    riverside = NeighbourhoodFactory(code="riverside", name="Riverside")
    run = MeasureRun.objects.create(
        trigger="on_demand", first_month=MAY.start, last_month=MAY.start, engine="duckdb",
        definitions_version="test", rule_version="test",
    )  # fmt: skip
    result = carers_result()
    Stored.objects.create(
        run=run, measure=result.measure, neighbourhood=riverside, period_start=MAY.start,
        period_end=MAY.end, status="ok", cells=result.to_json(),
    )  # fmt: skip
    url = reverse(
        "performance:measure_report",
        kwargs={"code": "riverside", "key": "carers-identified", "month": "2026-05"},
    )
    response = Client().get(url)
    assert response["Content-Type"] == "application/fhir+json"
    report = response.json()
    check_valid(report)
    assert report["id"] == "riverside-carers-identified-2026-05"
    assert populations(report["group"][0])["numerator"] == 20
