"""MeasureReport: the neighbourhood's measures, one report per measure and month, as the
measures app computes and stores them. About no one person: disclosure-controlled counts."""

from django.db.models import Q

from oneroof.analytics.measures import BY_KEY
from oneroof.fhir import mappers, systems
from oneroof.fhir.registry import ResourceType, register
from oneroof.fhir.search import NOTHING, custom, date_param, split_token, token
from oneroof.measures.fhir import measure_url
from oneroof.measures.models import MeasureResult, Status


def _measure(values: list[str], modifier: str) -> Q:
    """The Measure's canonical URL, or its key (`carers-identified`)."""
    by_url = {measure_url(m): key for key, m in BY_KEY.items()}
    keys = [by_url.get(value, value) for value in values]
    return Q(measure__in=[k for k in keys if k in BY_KEY])


def _neighbourhood(values: list[str], modifier: str) -> Q:
    q = NOTHING
    for value in values:
        system, code = split_token(value)
        if system in (None, systems.NEIGHBOURHOOD):
            q |= Q(neighbourhood__code=code)
    return q


register(
    ResourceType(
        "MeasureReport",
        lambda: MeasureResult.objects.filter(measure__in=list(BY_KEY)).select_related(
            "neighbourhood"
        ),
        mappers.measure_result_to_fhir,
        (
            custom("measure", "reference", "The Measure (its URL, or its key)", _measure),
            date_param(
                "period", "The month reported (its first day)", "period_start", is_date=True
            ),
            token(
                "status",
                "complete, or pending when there is no data yet",
                "status",
                values={"complete": Status.OK, "pending": Status.NO_DATA},
            ),
            custom(
                "neighbourhood",
                "token",
                f"The neighbourhood ({systems.NEIGHBOURHOOD}|riverside)",
                _neighbourhood,
            ),
        ),
        ordering=("neighbourhood_id", "measure", "period_start", "pk"),
        documentation="One measure for one neighbourhood and month (summary, disclosure-"
        "controlled: counts of 1 to 7 suppressed, others rounded to 5)",
    )
)
