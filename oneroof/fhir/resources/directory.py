"""Organization, Location, Practitioner, PractitionerRole and HealthcareService: the
neighbourhood's directory."""

from collections import defaultdict

from django.db.models import Q

from oneroof.fhir import mappers, systems
from oneroof.fhir.registry import Include, ResourceType, register
from oneroof.fhir.search import (
    NOTHING,
    boolean,
    custom,
    parse_uuid,
    reference,
    split_reference,
    split_token,
    string,
    token,
)
from oneroof.workforce.models import (
    OpeningHours,
    Organisation,
    Professional,
    Service,
    ServiceStatus,
    Site,
    WaitingTimeStandard,
)

# Directory: organisations, sites, professionals -----------------------------------------------


def _ods(values: list[str], modifier: str) -> Q:
    q = NOTHING
    for value in values:
        system, code = split_token(value)
        if system in (None, systems.ODS_ORGANISATION):
            q |= Q(ods_code__iexact=code)
    return q


register(
    ResourceType(
        "Organization",
        lambda: Organisation.objects.all(),
        mappers.organisation_to_fhir,
        (
            custom("identifier", "token", f"ODS code ({systems.ODS_ORGANISATION}|A81001)", _ods),
            string("name", "Name (starts with)", "name"),
            token("type", "Kind of organisation", "kind", system=systems.ORGANISATION_KIND),
        ),
        id_field="public_id",
        documentation="A GP practice, trust, council, hospice, pharmacy or voluntary group",
    )
)


def location_extras(sites: list) -> dict:
    extras = defaultdict(lambda: {"opening_hours": []})
    for hours in OpeningHours.objects.filter(site_id__in=[s.pk for s in sites]):
        extras[hours.site_id]["opening_hours"].append(hours)
    return extras


register(
    ResourceType(
        "Location",
        lambda: Site.objects.select_related("organisation"),
        mappers.site_to_location,
        (
            string("name", "Name (starts with)", "name"),
            reference(
                "organization",
                "Managing organisation",
                "organisation",
                "Organization",
                id_kind="uuid",
            ),
            string("address-postalcode", "Postcode (starts with)", "postal_code"),
        ),
        includes=(Include("organization", "Organization", "organisation_id"),),
        id_field="public_id",
        extras=location_extras,
        documentation="A site where care is given, with its opening hours",
    )
)


def _registration(values: list[str], modifier: str) -> Q:
    q = NOTHING
    for value in values:
        q |= Q(registration_number=split_token(value)[1])
    return q


def _same_professional(values: list[str], modifier: str) -> Q:
    ids = [split_reference(v)[1] for v in values if split_reference(v)[0] in (None, "Practitioner")]
    return Q(pk__in=[int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 19])


_professional_names = (
    string("family", "Family name", "family_name"),
    string("given", "Given name", "given_name"),
    string("name", "Any part of the name", "family_name", "given_name", "prefix"),
)
register(
    ResourceType(
        "Practitioner",
        lambda: Professional.objects.select_related("organisation"),
        mappers.professional_to_practitioner,
        (
            custom("identifier", "token", "Professional registration number", _registration),
            *_professional_names,
            boolean("active", "Still working here", "active"),
        ),
        ordering=("family_name", "given_name", "pk"),
        documentation="A member of the neighbourhood team, or a clinician in an imported record",
    )
)
register(
    ResourceType(
        "PractitionerRole",
        lambda: Professional.objects.select_related("organisation"),
        mappers.professional_to_practitioner_role,
        (
            custom("practitioner", "reference", "The practitioner", _same_professional),
            reference(
                "organization", "Their organisation", "organisation", "Organization", id_kind="uuid"
            ),
            token("role", "Their profession", "profession", system=systems.PROFESSION),
            boolean("active", "Still working here", "active"),
        ),
        includes=(
            Include("practitioner", "Practitioner", "pk"),
            Include("organization", "Organization", "organisation_id"),
        ),
        ordering=("family_name", "given_name", "pk"),
        documentation="A professional's profession in their organisation (one per professional)",
    )
)


def healthcare_service_extras(services: list) -> dict:
    pks = [s.pk for s in services]
    extras = defaultdict(lambda: {"sites": [], "standards": []})
    for link in Service.sites.through.objects.filter(service_id__in=pks).select_related("site"):
        extras[link.service_id]["sites"].append(link.site)
    for standard in WaitingTimeStandard.objects.filter(service_id__in=pks).order_by("days"):
        extras[standard.service_id]["standards"].append(standard)
    return extras


def _service_location(values: list[str], modifier: str) -> Q:
    ids = [parse_uuid(i) for t, i in map(split_reference, values) if t in (None, "Location")]
    return Q(
        pk__in=Service.sites.through.objects.filter(
            site__public_id__in=[i for i in ids if i]
        ).values("service_id")
    )


register(
    ResourceType(
        "HealthcareService",
        lambda: Service.objects.select_related("organisation"),
        mappers.healthcare_service_to_fhir,
        (
            string("name", "Name (starts with)", "name"),
            token(
                "active",
                "true if taking referrals",
                "status__in",
                values={
                    "true": [ServiceStatus.ACTIVE],
                    "false": [s for s in ServiceStatus.values if s != ServiceStatus.ACTIVE],
                },
            ),
            reference(
                "organization", "Who provides it", "organisation", "Organization", id_kind="uuid"
            ),
            custom("location", "reference", "Where it is given", _service_location),
        ),
        includes=(Include("organization", "Organization", "organisation_id"),),
        id_field="public_id",
        extras=healthcare_service_extras,
        ordering=("name", "pk"),
        documentation="A service of the neighbourhood (NHS, council or voluntary): who may "
        "refer to it, who it is for and its waiting-time standards",
    )
)
