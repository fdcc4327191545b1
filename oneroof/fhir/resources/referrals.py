"""ServiceRequest: referrals to the neighbourhood's services, read, searched and sent."""

from django.db.models import Q

from oneroof.fhir import mappers, scopes, systems
from oneroof.fhir.mappers.referrals import REQUEST_STATUS
from oneroof.fhir.referral_intake import create_service_request
from oneroof.fhir.registry import Include, ResourceType, get_resource, register
from oneroof.fhir.search import (
    NOTHING,
    custom,
    date_param,
    parse_uuid,
    reference,
    split_token,
    token,
)
from oneroof.referrals.models import Referral

from .common import patient_includes, patient_params

_STATUSES = {
    fhir: [ours for ours, code in REQUEST_STATUS.items() if code == fhir]
    for fhir in set(REQUEST_STATUS.values())
}


def _referral_identifier(values: list[str], modifier: str) -> Q:
    """OneRoof's referral id (the `identifier` every ServiceRequest carries), with or without
    its system. A sender's own identifier is not kept: it only makes a retried POST idempotent."""
    result = NOTHING
    for value in values:
        system, code = split_token(value)
        referral_id = parse_uuid(code) if system in (None, systems.REFERRAL_ID) else None
        if referral_id is not None:
            result |= Q(public_id=referral_id)
    return result


def _sent_by_clients_organisation(client) -> Q:
    return Q(requester__organisation_id=client.organisation_id)


def _subject_only_if_readable(rows: list, resources: list[dict], auth) -> list[dict]:
    """A referral names its Patient only to a client that may read that Patient. To anyone
    else (the optician's system that sent it, a write-only sender) it names the person as the
    referrer gave them, whether OneRoof matched them, holds their NHS number with another date
    of birth, or does not hold it at all: the API never tells a sender which (docs/fhir.md)."""
    pks = {row.person_id for row in rows} - {None}
    readable: set[int] = set()
    if pks and scopes.allows(auth.scopes, "Patient", "read"):
        patients = get_resource("Patient").rows(auth.client).filter(pk__in=pks)
        readable = set(patients.values_list("pk", flat=True))
    return [
        resource if row.person_id in readable else mappers.referral_as_sent(row, resource)
        for row, resource in zip(rows, resources, strict=True)
    ]


register(
    ResourceType(
        "ServiceRequest",
        lambda: Referral.objects.select_related("service", "person", "requester", "replaces"),
        mappers.referral_to_service_request,
        (
            *patient_params("person"),
            custom(
                "identifier",
                "token",
                f"OneRoof's referral id ({systems.REFERRAL_ID}|<id>)",
                _referral_identifier,
            ),
            token(
                "status",
                "active (waiting, accepted or booked), completed or revoked (declined or "
                "redirected)",
                "status__in",
                values=_STATUSES,
            ),
            date_param("authored", "When it was received", "received_at", is_date=False),
            reference("requester", "Who referred", "requester", "Practitioner"),
            reference(
                "performer", "The service asked", "service", "HealthcareService", id_kind="uuid"
            ),
        ),
        id_field="public_id",
        person_path="person",
        includes=(
            *patient_includes("person_id"),
            Include("requester", "Practitioner", "requester_id"),
            Include("performer", "HealthcareService", "service_id"),
        ),
        create=create_service_request,
        made_by=_sent_by_clients_organisation,
        shown_to=_subject_only_if_readable,
        ordering=("-received_at", "-pk"),
        documentation="A referral to a neighbourhood service. Create (POST) sends one, through "
        "the same eligibility rules and identity matching as the referral forms",
    )
)
