"""ServiceRequest: a referral to one of the neighbourhood's services."""

from oneroof.fhir import systems
from oneroof.referrals.models import ReferralStatus

from .common import concept, fhir_datetime, patient_ref, practitioner_ref, prune, ref

S = ReferralStatus
# A referral's status as FHIR request-status: still to be seen is active; redirected (to a
# better-suited service, as a new referral that `replaces` it) and declined are revoked.
REQUEST_STATUS = {
    S.RECEIVED: "active",
    S.ACCEPTED: "active",
    S.BOOKED: "active",
    S.COMPLETED: "completed",
    S.REDIRECTED: "revoked",
    S.DECLINED: "revoked",
}
REFERRAL = ("3457005", "Patient referral")  # SNOMED CT


def _as_given(referral) -> dict:
    """The person as the referrer gave them: NHS number and name."""
    return {
        "identifier": {"system": systems.NHS_NUMBER, "value": referral.nhs_number},
        "display": referral.name,
    }


def _subject(referral) -> dict:
    """The person referred; when the NHS number given belongs to someone with another date of
    birth the referral is about nobody yet, so it names the person only as the referrer did."""
    if referral.person is not None:
        return patient_ref(referral.person)
    return _as_given(referral)


def referral_as_sent(referral, resource: dict) -> dict:
    """`resource` (the referral's ServiceRequest) for a client that may not read the person:
    the subject as the referrer gave it, whether or not OneRoof found the person, and no
    Patient as the requester of a self-referral."""
    shown = {**resource, "subject": _as_given(referral)}
    if referral.requester is None:
        shown.pop("requester", None)
    return shown


def _requester(referral) -> dict | None:
    if referral.requester is not None:
        return practitioner_ref(referral.requester)
    if referral.person is not None:  # a self-referral
        return patient_ref(referral.person)
    return None


def referral_to_service_request(referral) -> dict:
    """A referral. Its OneRoof status (received, accepted, booked...) is kept as a second
    category beside FHIR's coarser status."""
    return prune(
        {
            "resourceType": "ServiceRequest",
            "id": str(referral.public_id),
            "identifier": [{"system": systems.REFERRAL_ID, "value": str(referral.public_id)}],
            "replaces": (
                [ref("ServiceRequest", referral.replaces.public_id)]
                if referral.replaces_id is not None
                else []
            ),
            "status": REQUEST_STATUS[referral.status],
            "intent": "order",
            "category": [
                concept(systems.SNOMED, *REFERRAL),
                concept(systems.REFERRAL_STATUS, referral.status, referral.get_status_display()),
                concept(systems.REFERRAL_ROUTE, referral.source, referral.get_source_display()),
            ],
            "code": {"text": referral.service.name},
            "subject": _subject(referral),
            "authoredOn": fhir_datetime(referral.received_at),
            "requester": _requester(referral),
            "performer": [
                ref("HealthcareService", referral.service.public_id, referral.service.name)
            ],
            "reasonCode": [{"text": referral.reason}] if referral.reason else [],
            "note": [{"text": referral.status_reason}] if referral.status_reason else [],
        }
    )
