"""Organization, Location, Practitioner, PractitionerRole, CareTeam and HealthcareService."""

from itertools import groupby

from oneroof.fhir import systems
from oneroof.referrals.rules import describe_ages
from oneroof.workforce.models import ReferrerKind, ServiceStatus, describe_days

from .common import (
    concept,
    fhir_date,
    fhir_datetime,
    human_name,
    patient_ref,
    practitioner_ref,
    prune,
    ref,
    telecom,
)

# Which register holds each profession's registration number (UK Core identifier systems).
# Social workers (Social Work England) and optometrists (GOC) have no UK Core system yet.
REGISTER = {
    "gp": systems.GMC,
    "district_nurse": systems.NMC,
    "practice_nurse": systems.NMC,
    "palliative_care": systems.NMC,
    "health_visitor": systems.NMC,
    "physiotherapist": systems.HCPC,
    "occupational_therapist": systems.HCPC,
    "pharmacist": systems.GPHC,
}
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def organisation_ref(organisation) -> dict:
    return ref("Organization", organisation.public_id, organisation.name)


def organisation_to_fhir(organisation) -> dict:
    """An organisation; its id is its public id, as in the Open Referral UK directory."""
    identifiers = []
    if organisation.ods_code:  # a voluntary group, or an imported provider, may have none
        identifiers.append({"system": systems.ODS_ORGANISATION, "value": organisation.ods_code})
    return prune(
        {
            "resourceType": "Organization",
            "id": str(organisation.public_id),
            "identifier": identifiers,
            "active": True,
            "type": [
                concept(
                    systems.ORGANISATION_KIND, organisation.kind, organisation.get_kind_display()
                )
            ],
            "name": organisation.name,
            "telecom": [{"system": "email", "value": organisation.email}]
            if getattr(organisation, "email", "")
            else [],
        }
    )


def _hours_of_operation(opening_hours) -> list[dict]:
    """Days with the same hours become one entry, as FHIR groups them."""
    ordered = sorted(opening_hours, key=lambda h: (h.opens, h.closes, h.weekday))
    return [
        {
            "daysOfWeek": [_DAYS[h.weekday] for h in group],
            "openingTime": opens.isoformat(timespec="seconds"),
            "closingTime": closes.isoformat(timespec="seconds"),
        }
        for (opens, closes), group in (
            (key, list(items)) for key, items in groupby(ordered, key=lambda h: (h.opens, h.closes))
        )
    ]


def site_to_location(site, *, opening_hours=()) -> dict:
    return prune(
        {
            "resourceType": "Location",
            "id": str(site.public_id),
            "status": "active",
            "name": site.name,
            "mode": "instance",
            "address": prune({"line": [site.line], "postalCode": site.postal_code}),
            "managingOrganization": organisation_ref(site.organisation),
            "hoursOfOperation": _hours_of_operation(opening_hours),
        }
    )


def professional_to_practitioner(professional) -> dict:
    identifiers = []
    if professional.registration_number:
        identifier = {"value": professional.registration_number}
        if professional.profession in REGISTER:
            identifier = {"system": REGISTER[professional.profession], **identifier}
        identifiers.append(identifier)
    return prune(
        {
            "resourceType": "Practitioner",
            "id": str(professional.pk),
            "identifier": identifiers,
            "active": professional.active,
            "name": [
                human_name(
                    prefix=professional.prefix,
                    given=professional.given_name,
                    family=professional.family_name,
                )
            ],
            "telecom": telecom(professional.phone),
        }
    )


def professional_to_practitioner_role(professional) -> dict:
    """Each professional has one role here: their profession, in their organisation. The role
    shares the professional's id."""
    return prune(
        {
            "resourceType": "PractitionerRole",
            "id": str(professional.pk),
            "active": professional.active,
            "practitioner": practitioner_ref(professional),
            "organization": organisation_ref(professional.organisation),
            "code": [
                concept(
                    systems.PROFESSION,
                    professional.profession,
                    professional.get_profession_display(),
                )
            ],
            "telecom": telecom(professional.phone),
        }
    )


def care_team_to_fhir(team, *, members=()) -> dict:
    """The person's care team: the named coordinator first, then every member, past and
    present, with the period they were in the team."""
    participants = []
    if team.coordinator_id:
        participants.append(
            {
                "role": [concept(systems.CARE_TEAM_ROLE, "coordinator", "Named care coordinator")],
                "member": practitioner_ref(team.coordinator),
            }
        )
    for member in members:
        participants.append(
            {
                "role": [
                    concept(
                        systems.PROFESSION,
                        member.professional.profession,
                        member.professional.get_profession_display(),
                    )
                ],
                "member": practitioner_ref(member.professional),
                "period": prune(
                    {
                        "start": fhir_date(member.period_start),
                        "end": fhir_date(member.period_end),
                    }
                ),
            }
        )
    return prune(
        {
            "resourceType": "CareTeam",
            "id": str(team.pk),
            "status": "active",
            "name": "Neighbourhood care team",
            "subject": patient_ref(team.person),
            "period": {"start": fhir_datetime(team.created_at)},
            "participant": participants,
        }
    )


def _eligibility(service) -> list[dict]:
    """Who the service is for: the age range as a code and in words, and the service's own
    description of who is eligible."""
    ages = describe_ages(service.minimum_age, service.maximum_age)
    if not ages and not service.eligibility_description:
        return []
    code = (
        concept(systems.SERVICE_ELIGIBILITY, "age-range", "Age range", text=ages)
        if ages
        else {"text": "Eligibility"}
    )
    return [prune({"code": code, "comment": service.eligibility_description})]


def healthcare_service_to_fhir(service, *, sites=(), standards=()) -> dict:
    """A service in the directory. Who may refer (its front doors, self-referral among them)
    and its waiting-time standards are characteristics in OneRoof's code systems, with the
    same terms as its Open Referral UK export; referrals reach it electronically (OneRoof or
    this API); mental health services are in the mental health reporting programme."""
    routes = ([ReferrerKind.SELF] if service.accepts_self_referral else []) + [
        kind for kind in service.referrers if kind in ReferrerKind.values
    ]
    characteristics = [
        concept(
            systems.REFERRAL_ROUTE,
            kind,
            ReferrerKind(kind).label,
            text=f"Takes referrals from: {ReferrerKind(kind).label}",
        )
        for kind in routes
    ] + [
        concept(
            systems.WAITING_TIME_STANDARD,
            f"{s.percent}% within {s.days} days",
            text=f"{s.percent}% seen within {describe_days(s.days)}",
        )
        for s in standards
    ]
    return prune(
        {
            "resourceType": "HealthcareService",
            "id": str(service.public_id),
            "active": service.status == ServiceStatus.ACTIVE,
            "providedBy": organisation_ref(service.organisation),
            "location": [ref("Location", site.public_id, site.name) for site in sites],
            "name": service.name,
            "comment": service.description,
            "telecom": telecom(email=service.email)
            + ([{"system": "url", "value": service.url}] if service.url else []),
            "eligibility": _eligibility(service),
            "program": (
                [concept(systems.WAITING_TIME_REPORTING, "mental-health", "Mental health")]
                if service.is_mental_health
                else []
            ),
            "characteristic": characteristics,
            "referralMethod": [
                concept(systems.SERVICE_REFERRAL_METHOD, "elec", "Secure Messaging")
            ],
        }
    )
