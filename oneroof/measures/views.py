"""The measures pages. Thin: parse, load (reports.py), render.

Staff pages (/measures/) are for the neighbourhood team and for managers given the
`measures.view_measureresult` permission; they show the counts as computed. The public
performance pages (/performance/) need no sign-in and show only disclosure-controlled figures,
as do the monthly report pack and the FHIR MeasureReport.
"""

import csv
import io
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from oneroof.analytics.measures import Period
from oneroof.core.roles import professional_of
from oneroof.workforce.models import Neighbourhood

from . import reports
from .fhir import measure_result_to_measurereport

VIEW_PERMISSION = "measures.view_measureresult"


def can_see_measures(user) -> bool:
    professional = professional_of(user)
    return (professional is not None and professional.active) or user.has_perm(VIEW_PERMISSION)


def measures_required(view):
    """Staff measures pages: the neighbourhood team, and managers with the permission."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_see_measures(request.user):
            raise PermissionDenied("Measures are for the neighbourhood team and its managers.")
        return view(request, *args, **kwargs)

    return require_GET(wrapper)


def _csv(chart, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chart.headers)
    writer.writerows(chart.rows(csv=True))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(page, chart: str) -> str:
    return f"{page.neighbourhood.code}-{page.measure.key}-{chart}-{page.month.key}.csv"


# --- Staff ------------------------------------------------------------------------------------


@measures_required
def neighbourhood_list(request):
    neighbourhoods = Neighbourhood.objects.order_by("name")
    return render(
        request,
        "measures/neighbourhood_list.jinja",
        {"neighbourhoods": neighbourhoods, "area": "measures"},
    )


@measures_required
def neighbourhood_view(request, code):
    neighbourhood = reports.neighbourhood_or_404(code)
    page = reports.overview(neighbourhood, request.GET.get("month"))
    return render(request, "measures/neighbourhood.jinja", {"page": page})


@measures_required
def measure_view(request, code, key):
    neighbourhood = reports.neighbourhood_or_404(code)
    measure = reports.measure_or_404(key)
    page = reports.measure_page(neighbourhood, measure, request.GET.get("month"))
    return render(request, "measures/measure.jinja", {"page": page, "published": False})


@measures_required
def chart_csv(request, code, key, chart):
    neighbourhood = reports.neighbourhood_or_404(code)
    measure = reports.measure_or_404(key)
    page = reports.measure_page(neighbourhood, measure, request.GET.get("month"))
    return _csv(page.chart(chart), _filename(page, chart))


@measures_required
def report_pack(request, code, month):
    neighbourhood = reports.neighbourhood_or_404(code)
    try:
        period = Period.parse(month)
    except ValueError:
        return render(request, "core/404.jinja", status=404)
    pack = reports.report_pack(neighbourhood, period)
    return render(request, "measures/report.jinja", {"pack": pack})


# --- Public -------------------------------------------------------------------------------


@require_GET
def public_index(request):
    neighbourhoods = Neighbourhood.objects.order_by("name")
    return render(
        request,
        "measures/neighbourhood_list.jinja",
        {"neighbourhoods": neighbourhoods, "area": "performance"},
    )


@require_GET
def public_neighbourhood(request, code):
    neighbourhood = reports.neighbourhood_or_404(code)
    page = reports.overview(neighbourhood, request.GET.get("month"), published=True)
    return render(request, "measures/public_neighbourhood.jinja", {"page": page})


@require_GET
def public_measure(request, code, key):
    neighbourhood = reports.neighbourhood_or_404(code)
    measure = reports.measure_or_404(key)
    page = reports.measure_page(neighbourhood, measure, request.GET.get("month"), published=True)
    return render(request, "measures/measure.jinja", {"page": page, "published": True})


@require_GET
def public_chart_csv(request, code, key, chart):
    neighbourhood = reports.neighbourhood_or_404(code)
    measure = reports.measure_or_404(key)
    page = reports.measure_page(neighbourhood, measure, request.GET.get("month"), published=True)
    return _csv(page.chart(chart), _filename(page, chart))


@require_GET
def measure_report(request, code, key, month):
    """The FHIR MeasureReport for one measure and month (disclosure-controlled)."""
    neighbourhood = reports.neighbourhood_or_404(code)
    measure = reports.measure_or_404(key)
    try:
        period = Period.parse(month)
    except ValueError:
        return render(request, "core/404.jinja", status=404)
    result = reports.stored_result(neighbourhood, measure, period)
    report = measure_result_to_measurereport(
        measure,
        result,
        neighbourhood_code=neighbourhood.code,
        neighbourhood_name=neighbourhood.name,
        generated_at=timezone.now(),
    )
    return JsonResponse(report, content_type="application/fhir+json")
