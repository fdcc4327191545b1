"""Pure functions from OneRoof objects to FHIR R4 resources (plain dicts).

A mapper reads only the object it is given, the related objects its registry entry loads with
`select_related`, and keyword arguments its entry's batch loader passes in: it never queries
the database, so it can be tested without one and a page of results costs a fixed number of
queries.
"""

from .access import appointment_to_fhir, schedule_to_fhir, slot_to_fhir
from .audit import record_access_to_audit_event
from .care import (
    care_plan_to_fhir,
    condition_to_fhir,
    contact_to_encounter,
    goal_to_fhir,
    medication_to_fhir,
    observation_to_fhir,
    task_to_fhir,
)
from .measures import measure_result_to_fhir
from .people import carer_to_related_person, consent_to_fhir, person_to_patient
from .referrals import referral_as_sent, referral_to_service_request
from .workforce import (
    care_team_to_fhir,
    healthcare_service_to_fhir,
    organisation_to_fhir,
    professional_to_practitioner,
    professional_to_practitioner_role,
    site_to_location,
)

__all__ = [
    "appointment_to_fhir",
    "healthcare_service_to_fhir",
    "measure_result_to_fhir",
    "referral_as_sent",
    "referral_to_service_request",
    "schedule_to_fhir",
    "slot_to_fhir",
    "care_plan_to_fhir",
    "care_team_to_fhir",
    "carer_to_related_person",
    "condition_to_fhir",
    "consent_to_fhir",
    "contact_to_encounter",
    "goal_to_fhir",
    "medication_to_fhir",
    "observation_to_fhir",
    "organisation_to_fhir",
    "person_to_patient",
    "professional_to_practitioner",
    "professional_to_practitioner_role",
    "record_access_to_audit_event",
    "site_to_location",
    "task_to_fhir",
]
