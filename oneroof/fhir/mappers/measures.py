"""MeasureReport: a stored measure result, as the measures app shapes it."""

from oneroof.analytics.measures import BY_KEY
from oneroof.measures.fhir import measure_result_to_measurereport


def measure_result_to_fhir(stored) -> dict:
    """One measure for one neighbourhood and month, disclosure-controlled (it leaves the team).
    The API names it by the stored result's id; `date` is when it was computed."""
    report = measure_result_to_measurereport(
        BY_KEY[stored.measure],
        stored.to_result(),
        neighbourhood_code=stored.neighbourhood.code,
        neighbourhood_name=stored.neighbourhood.name,
        generated_at=stored.computed_at,
    )
    return {**report, "id": str(stored.pk)}
