"""Who may book for whom.

A professional books for the people registered with their own practice (reception's everyday
work), or for anyone they have a legitimate relationship with (a care team member booking a
home visit). Residents book and cancel only for themselves: the portal never takes a person's
id from the request.

Which appointments a professional may mark, cancel or rebook is the scope
`Appointment.objects.manageable_by`.
"""

from oneroof.audit.models import Purpose
from oneroof.people.access import relationship_with

REGISTERED_PRACTICE = Purpose.REGISTERED_PRACTICE  # booking for the practice's own patients


def booking_purpose(*, professional, person) -> str | None:
    """Why this professional may book for this person (recorded in the audit trail), or None."""
    if person.general_practice_id is not None and (
        person.general_practice_id == professional.organisation_id
    ):
        return REGISTERED_PRACTICE
    return relationship_with(professional.user, person)
