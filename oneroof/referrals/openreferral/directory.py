"""The service directory in and out of Open Referral UK, against the database.

An import is all or nothing: the whole document is validated first (every problem reported
with its path), references are checked, and only then is anything written, in one transaction.
Services are matched by their ORUK id, organisations by id and then ODS code, locations by id,
so importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from oneroof.workforce.models import (
    Organisation,
    OrganisationKind,
    Service,
    Site,
    WaitingTimeStandard,
)

from .mapping import (
    DEFAULT_REFERRERS,
    OrganisationRecord,
    OrukError,
    ServiceRecord,
    page,
    parse_document,
    service_to_oruk,
)


def _directory_queryset():
    return Service.objects.select_related("organisation").prefetch_related(
        Prefetch("sites", queryset=Site.objects.order_by("name")),
        "standards",
    )


def _to_oruk(service) -> dict:
    return service_to_oruk(
        service,
        organisation=service.organisation,
        sites=list(service.sites.all()),
        standards=list(service.standards.all()),
    )


def export_directory() -> dict:
    """Every service in the directory as one ORUK page (three queries, whatever its size)."""
    return page([_to_oruk(service) for service in _directory_queryset().order_by("name")])


def export_service(public_id) -> dict:
    """One service, fully nested; Service.DoesNotExist when there is none with that id."""
    return _to_oruk(_directory_queryset().get(public_id=public_id))


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_directory(document, *, neighbourhood) -> ImportSummary:
    """Create or update the services of an ORUK document in `neighbourhood`'s directory.

    Raises OrukError (with every problem) and writes nothing when the document is not valid.
    """
    records = parse_document(document)
    _check_references(records)
    with transaction.atomic():
        return _write(records, neighbourhood)


def _check_references(records: list[ServiceRecord]) -> None:
    referenced = {r.organisation.id for r in records if r.organisation.reference_only}
    nested = {r.organisation.id for r in records if not r.organisation.reference_only}
    known = set(
        Organisation.objects.filter(public_id__in=referenced).values_list("public_id", flat=True)
    )
    missing = referenced - known - nested
    errors = [
        f"service {r.id}: organization_id {r.organisation.id} is not an organisation in the "
        "directory; include the organization"
        for r in records
        if r.organisation.id in missing
    ]
    if errors:
        raise OrukError(errors)


def _write(records: list[ServiceRecord], neighbourhood) -> ImportSummary:
    summary = ImportSummary()
    organisations: dict = {}
    now = timezone.now()
    for record in records:
        organisation = organisations.get(record.organisation.id)
        if organisation is None:
            organisation = _organisation(record.organisation, neighbourhood)
            organisations[record.organisation.id] = organisation
        service = Service.objects.filter(public_id=record.id).first()
        created = service is None
        if created:
            service = Service(public_id=record.id, referrers=list(DEFAULT_REFERRERS))
        service.organisation = organisation
        service.name = record.name
        service.description = record.description
        service.status = record.status
        service.url = record.url
        service.email = record.email
        service.minimum_age = record.minimum_age
        service.maximum_age = record.maximum_age
        service.eligibility_description = record.eligibility_description
        service.updated_at = record.last_modified or now
        if record.referrers is not None:  # OneRoof's own attributes came with it
            service.accepts_self_referral = record.accepts_self_referral
            service.referrers = list(record.referrers)
            service.is_mental_health = record.is_mental_health
        service.save()
        if record.standards is not None:
            service.standards.all().delete()
            WaitingTimeStandard.objects.bulk_create(
                WaitingTimeStandard(service=service, percent=percent, days=days)
                for percent, days in record.standards
            )
        if record.locations is not None:
            service.sites.set(
                [_site(location, organisation, neighbourhood) for location in record.locations]
            )
        (summary.created if created else summary.updated).append(service.name)
    return summary


def _organisation(record: OrganisationRecord, neighbourhood) -> Organisation:
    organisation = Organisation.objects.filter(public_id=record.id).first()
    if organisation is None and record.ods_code:
        organisation = Organisation.objects.filter(ods_code=record.ods_code).first()
    if record.reference_only:
        return organisation  # checked to exist before anything was written
    if organisation is None:
        organisation = Organisation(
            public_id=record.id,
            ods_code=record.ods_code or None,
            kind=record.kind or OrganisationKind.VOLUNTARY,
            neighbourhood=neighbourhood,
        )
    organisation.name = record.name
    organisation.description = "" if record.description == record.name else record.description
    organisation.email = record.email
    organisation.website = record.website
    organisation.save()
    return organisation


def _site(location, organisation, neighbourhood) -> Site:
    site = Site.objects.filter(public_id=location.id).first()
    if site is None:
        site = Site(public_id=location.id, organisation=organisation, neighbourhood=neighbourhood)
    site.name = location.name
    site.line = location.line
    site.postal_code = location.postal_code
    site.save()
    return site
