"""The person's objection to sharing, in the API: the same rule as the pages (people.consent).

A connected system is never a relationship the person chose, and has no break-glass, so it
reads nothing about a person who has refused or withdrawn consent to share their record with
the team. It is told so, never left to guess: a read is a 403 OperationOutcome saying that
consent was withdrawn, and a search says how many matches it withheld (issue type
`suppressed`, FHIR's code for data kept back for consent or privacy).
"""

from django.db.models import Count, Q, QuerySet

from oneroof.people.consent import objecting_people_q

from .outcomes import FhirError, Issue

WITHDRAWN = (
    "The person has withdrawn (or refused) consent to share their record with the "
    "neighbourhood care team, so it is not shared with other systems"
)


def objecting_q(resource) -> Q | None:
    """Rows of this resource type about people who object to sharing; None for resources about
    no one person."""
    if resource.person_path is None:
        return None
    via = "pk" if resource.person_path == "" else f"{resource.person_path}_id"
    return objecting_people_q(via)


def shared_only(resource, rows: QuerySet) -> QuerySet:
    """The rows a system may have: none about people who object to sharing."""
    objecting = objecting_q(resource)
    return rows if objecting is None else rows.exclude(objecting)


def count_shared(resource, rows: QuerySet) -> tuple[int, int]:
    """(shared, withheld) among these rows, in one query."""
    objecting = objecting_q(resource)
    if objecting is None:
        return rows.count(), 0
    counts = rows.aggregate(all=Count("pk"), withheld=Count("pk", filter=objecting))
    return counts["all"] - counts["withheld"], counts["withheld"]


def consent_withdrawn(resource_type: str) -> FhirError:
    """403 for a read of a row about a person who objects to sharing."""
    return FhirError(403, "suppressed", WITHDRAWN, (f"{resource_type}.id",))


def withheld_issues(withheld: int) -> list[Issue]:
    """The search's warning when it kept matches back; none when it kept none."""
    if not withheld:
        return []
    what = "1 match was" if withheld == 1 else f"{withheld} matches were"
    return [Issue("warning", "suppressed", f"{what} withheld: {WITHDRAWN}")]
