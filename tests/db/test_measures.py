"""The measures app: computing from a snapshot, storing, and the staff and public pages."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from oneroof.analytics.measures import MEASURES, Period
from oneroof.analytics.schema import TABLES
from oneroof.analytics.snapshot import write_snapshot
from oneroof.measures.models import MeasureResult, MeasureRun
from oneroof.measures.reports import measure_page, neighbourhood_or_404
from oneroof.measures.services import compute_measures, store_results
from tests.factories import NeighbourhoodFactory, PersonFactory, UserFactory
from tests.spec.measures_harness import computed_results, random_neighbourhoods, summary

pytestmark = pytest.mark.django_db

MAY = Period.month(2026, 5)
MONTHS = MAY.months_back(3)


def snapshot(directory, neighbourhoods, *, leave_out=(), seed=20260531, people=400):
    ids = tuple(getattr(n, "pk", n) for n in neighbourhoods)
    rows = random_neighbourhoods(seed, people=people, neighbourhoods=(*ids, None))
    tables = {
        name: TABLES[name].from_rows(table_rows)
        for name, table_rows in rows.items()
        if name not in leave_out
    }
    write_snapshot(directory, tables)
    return directory


RIVERSIDE, HILLSIDE = 9001, 9002  # fixed ids, so the computed results can be shared


@pytest.fixture
def riverside(db):
    return NeighbourhoodFactory(pk=RIVERSIDE, code="riverside", name="Riverside")


@pytest.fixture
def hillside(db):
    return NeighbourhoodFactory(pk=HILLSIDE, code="hillside", name="Hillside")


def computed_once():
    """March to May without feedback, computed once (tests.spec.measures_harness)."""
    return computed_results((RIVERSIDE, HILLSIDE), tuple(MONTHS), ("feedback",))


@pytest.fixture
def computed(riverside, hillside):
    run = MeasureRun.objects.create(
        trigger="on_demand", first_month=MONTHS[0].start, last_month=MAY.start, engine="duckdb",
        definitions_version="test", rule_version="test", status="done",
    )  # fmt: skip
    for month, results in computed_once():
        store_results(run, month, results)
    return run


def test_compute_measures_stores_a_result_per_measure_neighbourhood_and_month(
    tmp_path, riverside, hillside
):
    directory = snapshot(tmp_path / "snapshot", [riverside, hillside], leave_out=["feedback"])
    computed = compute_measures(snapshot_dir=directory, months=MONTHS[1:])
    assert computed.run.status == "done"
    assert MeasureResult.objects.count() == len(MEASURES) * 2 * 2
    assert computed.run.results == len(MEASURES) * 2 * 2
    assert computed.no_data == ("fft-positive",)
    fft = MeasureResult.objects.get(measure="fft-positive", neighbourhood__code="riverside",
                                    period_start=MAY.start)  # fmt: skip
    assert fft.status == "no_data" and fft.missing_sources == ["feedback"]
    # What was stored is what the analytics computed.
    [(_, may)] = [(m, r) for m, r in computed_once() if m == MAY]
    expected = {(r.measure, r.neighbourhood_id): summary(r) for r in may}
    stored = MeasureResult.objects.filter(period_start=MAY.start)
    assert {(s.measure, s.neighbourhood_id): summary(s.to_result()) for s in stored} == expected


def test_compute_measures_again_replaces_the_months_results(computed, tmp_path, riverside):
    directory = snapshot(tmp_path / "again", [riverside], seed=7)
    again = compute_measures(snapshot_dir=directory, months=[MAY])
    assert again.run.status == "done"
    assert MeasureResult.objects.filter(period_start=MAY.start).count() == len(MEASURES) * 2
    assert set(
        MeasureResult.objects.filter(period_start=MAY.start).values_list("run", flat=True)
    ) == {again.run.pk}
    assert MeasureResult.objects.count() == len(MEASURES) * 2 * 3


def test_stored_result_reads_back_as_computed(computed, riverside):
    stored = MeasureResult.objects.get(
        measure="carers-identified", neighbourhood=riverside, period_start=MAY.start
    )
    result = stored.to_result()
    assert result.total.units > 100
    assert sum(c.units for c in result.cells("imd_quintile").values()) == result.total.units


def test_compute_measures_command_prints_counts_only(tmp_path, riverside):
    directory = snapshot(tmp_path / "snap", [riverside])
    out = io.StringIO()
    call_command(
        "compute_measures", "--snapshot-dir", str(directory), "--month", "2026-05",
        "--months", "2", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert f"{len(MEASURES)} measures for April 2026 to May 2026" in text
    assert MeasureRun.objects.get().results == len(MEASURES) * 2
    assert "person_id" not in text


def test_compute_measures_command_without_a_snapshot_says_how_to_get_one(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="find_cases"):
        call_command("compute_measures", stdout=io.StringIO())


def test_compute_measures_command_refuses_a_bad_month():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("compute_measures", "--month", "May 2026", stdout=io.StringIO())


# --- Who may see what ------------------------------------------------------------------------


def staff_pages(code="riverside"):
    return [
        reverse("measures:neighbourhood_list"),
        reverse("measures:neighbourhood_view", kwargs={"code": code}),
        reverse("measures:measure_view", kwargs={"code": code, "key": "carers-identified"}),
        reverse("measures:report_pack", kwargs={"code": code, "month": "2026-05"}),
        reverse(
            "measures:chart_csv",
            kwargs={"code": code, "key": "carers-identified", "chart": "sex"},
        ),
    ]


def public_pages(code="riverside"):
    return [
        reverse("performance:index"),
        reverse("performance:neighbourhood_view", kwargs={"code": code}),
        reverse("performance:measure_view", kwargs={"code": code, "key": "carers-identified"}),
        reverse(
            "performance:chart_csv",
            kwargs={"code": code, "key": "carers-identified", "chart": "imd_quintile"},
        ),
        reverse(
            "performance:measure_report",
            kwargs={"code": code, "key": "carers-identified", "month": "2026-05"},
        ),
    ]


def test_staff_measures_pages_are_for_the_team(computed, client_for, nurse):
    client = client_for(nurse)
    for url in staff_pages():
        assert client.get(url).status_code == 200, url


def test_staff_measures_pages_are_for_managers_with_the_permission(computed, client_for):
    manager = UserFactory(username="icb.manager")
    manager.user_permissions.add(Permission.objects.get(codename="view_measureresult"))
    client = client_for(manager)
    for url in staff_pages():
        assert client.get(url).status_code == 200, url
    assert b'href="/measures/"' in client.get(staff_pages()[0]).content  # in the header


def test_staff_measures_pages_refuse_residents_and_signed_out_visitors(computed, client_for):
    resident = client_for(PersonFactory(user=UserFactory()))
    for url in staff_pages():
        assert resident.get(url).status_code == 403, url
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_public_pages_need_no_sign_in(computed):
    client = Client()
    for url in public_pages():
        assert client.get(url).status_code == 200, url


def test_unknown_neighbourhood_measure_or_month_is_404(computed, client_for, nurse):
    client = client_for(nurse)
    for url in (
        reverse("measures:neighbourhood_view", kwargs={"code": "nowhere"}),
        reverse("measures:measure_view", kwargs={"code": "riverside", "key": "no-such"}),
        reverse("measures:neighbourhood_view", kwargs={"code": "riverside"}) + "?month=2019-01",
        reverse("measures:neighbourhood_view", kwargs={"code": "riverside"}) + "?month=May",
        reverse("measures:report_pack", kwargs={"code": "riverside", "month": "2026-13"}),
        reverse("performance:measure_report",
                kwargs={"code": "riverside", "key": "carers-identified", "month": "2020-01"}),
        reverse("measures:chart_csv",
                kwargs={"code": "riverside", "key": "carers-identified", "chart": "shoe_size"}),
    ):  # fmt: skip
        assert client.get(url).status_code == 404, url


# --- What the pages show ---------------------------------------------------------------------


def test_overview_shows_every_measure_and_no_data_yet_honestly(computed, client_for, nurse):
    response = client_for(nurse).get(
        reverse("measures:neighbourhood_view", kwargs={"code": "riverside"})
    )
    body = response.content.decode()
    assert "May 2026" in body
    for m in MEASURES:
        assert m.title in body.replace("&#39;", "'"), m.key
    assert "No data yet: Friends and Family Test answers are not in the analytic snapshot" in body


def test_overview_query_count_does_not_grow_with_months(
    computed, client_for, nurse, django_assert_max_num_queries
):
    client = client_for(nurse)
    url = reverse("measures:neighbourhood_view", kwargs={"code": "riverside"})
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_measure_page_query_count_is_small(
    computed, client_for, nurse, django_assert_max_num_queries
):
    client = client_for(nurse)
    url = reverse("measures:measure_view", kwargs={"code": "riverside", "key": "continuity-upc"})
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_staff_csv_is_the_charts_table(computed, client_for, nurse, riverside):
    url = reverse(
        "measures:chart_csv",
        kwargs={"code": "riverside", "key": "right-met-same-day", "chart": "imd_quintile"},
    )
    rows = read_csv(client_for(nurse).get(url + "?month=2026-05"))
    page = measure_page(neighbourhood_or_404("riverside"), MEASURES[0], "2026-05")
    chart = page.chart("imd_quintile")
    assert rows[0] == [
        "Deprivation (IMD 2019 quintile of where the person lives)", "Per cent",
        "Lower 95% limit", "Upper 95% limit", "Numerator", "Denominator (requests)",
    ]  # fmt: skip
    assert rows[1:] == chart.rows(csv=True)
    assert [r[0] for r in rows[1:]] == [
        "1 (most deprived)", "2", "3", "4", "5 (least deprived)", "Not known",
    ]  # fmt: skip


def published_counts_are_safe(cells: list[str]) -> None:
    for cell in cells:
        if cell in ("", "[c]", "[x]"):
            continue
        count = int(cell)
        assert count % 5 == 0 and not 1 <= count <= 7, cells


@pytest.mark.parametrize("key", [m.key for m in MEASURES])
def test_public_csvs_show_only_rounded_counts(computed, key):
    client = Client()
    for chart in ("trend", *measure_named(key).breakdowns):
        url = reverse(
            "performance:chart_csv", kwargs={"code": "riverside", "key": key, "chart": chart}
        )
        response = client.get(url)
        if response.status_code == 404:  # no data yet: only the trend
            assert key == "fft-positive" and chart != "trend"
            continue
        rows = read_csv(response)
        counts = rows[0].index("Lower 95% limit") + 2
        for row in rows[1:]:
            published_counts_are_safe(row[counts:])


def measure_named(key):
    from oneroof.analytics.measures import measure

    return measure(key)


def test_public_page_never_shows_a_count_from_1_to_7(computed):
    body = (
        Client()
        .get(reverse("performance:neighbourhood_view", kwargs={"code": "riverside"}))
        .content.decode()
    )
    for based_on in re.findall(r"Based on ([\d,]+) ", body):
        published_counts_are_safe([based_on.replace(",", "")])
    assert "Based on" in body


def test_report_pack_is_printable_and_disclosure_controlled(computed, client_for, nurse):
    url = reverse("measures:report_pack", kwargs={"code": "riverside", "month": "2026-05"})
    body = client_for(nurse).get(url).content.decode()
    assert "Print this report" in body and "measures/print.js" in body
    assert "rounded to the nearest 5" in body
    tables = re.findall(r"<table.*?</table>", body, flags=re.S)
    assert len(tables) > len(MEASURES)
    for table in tables:
        headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
        counted = [i for i, h in enumerate(headers) if h == "Numerator" or h.startswith("Denom")]
        for row in re.findall(r"<tbody.*?</tbody>", table, flags=re.S)[0].split("</tr>")[:-1]:
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
            published_counts_are_safe([cells[i].replace(",", "") for i in counted])
