"""ServiceRequest create (POST): a referral from an optician's, pharmacy's or other referrer's
system, made by the referrals app's own `submit_referral`, so the same eligibility rules,
identity matching (NHS number and date of birth), idempotency and notifications apply.

What the referrer sends: `performer` (the one HealthcareService), `requester` (the referring
Practitioner: their profession is the front door), the person as a contained Patient with NHS
number, date of birth and name (`subject` = "#<its id>"), why in `reasonCode[0].text`, and an
`identifier` so a retried POST makes one referral.
"""

from oneroof.referrals.models import Referral
from oneroof.referrals.rules import referrer_kind
from oneroof.referrals.services import ReferralRefused, submit_referral

from .outcomes import business_rule, forbidden, invalid
from .people_details import contained_person
from .trail import audit_people
from .writes import referenced, submission_key

WHERE = "ServiceRequest"


def _reason(body: dict) -> str:
    texts = [c.get("text", "") for c in body.get("reasonCode") or []]
    texts += [n.get("text", "") for n in body.get("note") or []]
    reason = "\n".join(t.strip() for t in texts if t and t.strip())
    if not reason:
        raise invalid(
            "Say why the person is referred, in the referrer's words, in reasonCode[0].text",
            f"{WHERE}.reasonCode",
        )
    return reason


def create_service_request(*, body: dict, client) -> tuple[Referral, bool]:
    """The registry's `create` for ServiceRequest: (the referral, whether it is new)."""
    if body.get("status") != "active":
        raise business_rule(
            f"A referral is sent with status 'active', not {body.get('status')!r}",
            f"{WHERE}.status",
        )
    performers = body.get("performer") or []
    if len(performers) != 1:
        raise invalid(
            "Name the one HealthcareService the referral is for in performer",
            f"{WHERE}.performer",
        )
    service = referenced(performers[0], "HealthcareService", f"{WHERE}.performer[0]")
    requester = referenced(body.get("requester"), "Practitioner", f"{WHERE}.requester")
    if client.organisation_id is not None and requester.organisation_id != client.organisation_id:
        raise forbidden(
            f"This system may send referrals only from its own organisation's practitioners, "
            f"and Practitioner/{requester.pk} is not one of them",
            f"{WHERE}.requester",
        )
    if not requester.active:
        raise business_rule(
            f"Practitioner/{requester.pk} no longer works in the neighbourhood",
            f"{WHERE}.requester",
        )
    details, patient_path = contained_person(body, WHERE)
    reason = _reason(body)
    key = submission_key(client, body)
    existing = Referral.objects.filter(submission_id=key).first()
    if existing is not None:
        return existing, False
    try:
        referral = submit_referral(
            service=service,
            details=details,
            reason=reason,
            kind=referrer_kind(requester.profession),
            requester=requester,
            by=None,  # a system, not a signed-in user: the audit below names it
            submission_id=key,
        )
    except ReferralRefused as refused:
        fields = {"service": f"{WHERE}.performer[0]", "birth_date": f"{patient_path}.birthDate"}
        problem = refused.problems[0]
        raise business_rule(problem.message, fields.get(problem.field, WHERE)) from None
    audit_people(client, [referral.person_id], "sent a referral via API")
    return referral, True
