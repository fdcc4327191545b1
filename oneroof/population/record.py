"""The record section "Proactive care": why a person is in the complex-needs cohort."""

from .models import CohortMember, WorklistEntry
from .presenters import CohortMemberPresenter


def load_cohort_section(person, user) -> dict:
    """The person's latest cohort membership and open worklist entry: two queries whatever
    the size of the record."""
    membership = CohortMember.objects.for_person(person).order_by("-run__started_at").first()
    entry = WorklistEntry.objects.for_person(person).filter(status="open").first()
    return {
        "membership": membership,
        "cohort": CohortMemberPresenter(membership) if membership else None,
        "worklist_entry": entry,
    }
