"""Importing one Bundle into OneRoof, all or nothing.

The Bundle is checked first (its shape, and every resource OneRoof imports against the FHIR
models); then, in one transaction, each resource is mapped (mapping.py) and written, in an order
that puts what is referred to before what refers to it. The import-identity table
(ImportedResource) makes a second import of the same Bundle change nothing: a resource seen
before is compared with what OneRoof holds and updated only if the source changed it.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from oneroof.care.models import Condition, Contact, MedicationStatement, Observation
from oneroof.fhir import systems
from oneroof.fhir.bodies import validate_resource
from oneroof.fhir.models import ImportedResource, PatientIdentifier
from oneroof.fhir.outcomes import Issue
from oneroof.people.models import Person
from oneroof.people.nhs_numbers import check_digit
from oneroof.workforce.models import Organisation, Professional

from . import mapping
from .mapping import Link, Options, Reject, Row, Skip
from .report import CREATED, SKIPPED, UNCHANGED, UPDATED, BundleReport

# What is imported, in the order that puts what is referred to first.
ORDER = (
    "Organization",
    "Practitioner",
    "Patient",
    "Encounter",
    "Condition",
    "Observation",
    "MedicationRequest",
    "MedicationStatement",
)
# Read only to resolve references from the resources above.
HELPERS = {"Medication", "PractitionerRole"}
BUNDLE_TYPES = {"transaction", "collection", "batch"}
MODELS = {
    "person": Person,
    "organisation": Organisation,
    "professional": Professional,
    "contact": Contact,
    "condition": Condition,
    "observation": Observation,
    "medication": MedicationStatement,
}


class Rollback(Exception):
    pass


@dataclass
class Entry:
    index: int
    full_url: str
    resource: dict

    @property
    def type(self) -> str:
        return self.resource.get("resourceType", "")

    @property
    def id(self) -> str:
        return str(self.resource.get("id") or self.full_url.rsplit(":", 1)[-1].rsplit("/", 1)[-1])

    @property
    def where(self) -> str:
        return f"Bundle.entry[{self.index}].resource"


@dataclass(frozen=True)
class Settings:
    options: Options
    neighbourhood: object  # workforce.Neighbourhood for imported organisations
    strict: bool = False  # unmappable resources fail the Bundle instead of being skipped


def _shape_errors(bundle) -> list[Issue]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        found = bundle.get("resourceType") if isinstance(bundle, dict) else type(bundle).__name__
        return [Issue("error", "invalid", f"Expected a Bundle, found {found}", ("resourceType",))]
    if bundle.get("type") not in BUNDLE_TYPES:
        return [
            Issue(
                "error",
                "invalid",
                f"A {bundle.get('type')} Bundle cannot be imported: send a transaction or "
                "collection Bundle",
                ("Bundle.type",),
            )
        ]
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        return [Issue("error", "invalid", "Bundle.entry must be a list", ("Bundle.entry",))]
    return [
        Issue("error", "invalid", "Each entry needs a resource", (f"Bundle.entry[{i}]",))
        for i, e in enumerate(entries)
        if not isinstance(e, dict) or not isinstance(e.get("resource"), dict)
    ]


def import_bundle(bundle, *, name: str, settings: Settings) -> BundleReport:
    """Import one Bundle: everything or, on any error, nothing. Returns its report."""
    report = BundleReport(name)
    report.errors = _shape_errors(bundle)
    if report.errors:
        return report
    entries = [
        Entry(i, e.get("fullUrl", ""), e["resource"]) for i, e in enumerate(bundle.get("entry", []))
    ]
    for entry in entries:
        if entry.type in ORDER or entry.type in HELPERS:
            report.errors += validate_resource(entry.resource, entry.where)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            BundleWriter(entries, settings, report).run()
            if report.errors:
                raise Rollback
    except Rollback:
        report.outcomes.clear()
    return report


class BundleWriter:
    def __init__(self, entries: list[Entry], settings: Settings, report: BundleReport):
        self.entries = entries
        self.settings = settings
        self.source = settings.options.source
        self.report = report
        self.by_reference: dict[str, Entry] = {}
        for entry in entries:
            if entry.full_url:
                self.by_reference[entry.full_url] = entry
            self.by_reference[f"{entry.type}/{entry.id}"] = entry
        self.pks: dict[int, int] = {}  # entry index -> OneRoof pk
        self.skipped: dict[int, str] = {}  # entry index -> why
        self.known = {
            (i.resource_type, i.resource_id, i.part): i
            for i in ImportedResource.objects.filter(
                source=self.source, resource_id__in={e.id for e in entries}
            )
        }
        self.existing = self._existing_objects()
        self.organisation_hint = self._organisation_hints()

    def _existing_objects(self) -> dict:
        """What earlier imports made of this Bundle's resources, one query per model."""
        ids: dict[int, list[str]] = {}
        for identity in self.known.values():
            ids.setdefault(identity.content_type_id, []).append(identity.object_id)
        existing = {}
        for content_type_id, object_ids in ids.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            for obj in model.objects.filter(pk__in=object_ids):
                existing[(content_type_id, str(obj.pk))] = obj
        return existing

    # References ----------------------------------------------------------------------------

    def link(self, reference, where: str, *, kind: str) -> Link:
        """Resolve a reference to an entry of this Bundle or something OneRoof already has
        (from an earlier import); anything else is an error that fails the Bundle."""
        text = (reference or {}).get("reference", "") if isinstance(reference, dict) else ""
        if not text:
            raise Reject(f"{where} has no reference", where)
        entry = self.by_reference.get(text) or self.by_reference.get("/".join(text.split("/")[-2:]))
        if entry is not None:
            if entry.type != kind:
                raise Reject(f"{where} refers to a {entry.type}, not a {kind}", where)
            return Link(kind, entry=entry.index)
        found_kind, _, found_id = "/".join(text.split("/")[-2:]).partition("/")
        known = self.known_elsewhere(kind, found_id) if found_kind == kind else None
        if known is None:
            raise Reject(
                f"{where} refers to {text}, which is neither in this Bundle nor in OneRoof",
                where,
                code="not-found",
            )
        return Link(kind, pk=known)

    def known_elsewhere(self, kind: str, resource_id: str) -> int | None:
        identity = ImportedResource.objects.filter(
            source=self.source, resource_type=kind, resource_id=resource_id, part=""
        ).first()
        return int(identity.object_id) if identity else None

    def optional_link(self, reference, where: str, *, kind: str) -> Link | None:
        return self.link(reference, where, kind=kind) if reference else None

    def pk(self, value):
        """A Link as the primary key it now has, or Skip if what it names was not imported."""
        if not isinstance(value, Link):
            return value
        if value.pk is not None:
            return value.pk
        if value.entry in self.skipped:
            raise Skip(f"its {value.resource_type} was not imported")
        return self.pks[value.entry]

    def _organisation_hints(self) -> dict[int, Link]:
        """Where each practitioner in the Bundle works, from a PractitionerRole or from the
        encounters they took part in (serviceProvider)."""
        hints: dict[int, Link] = {}
        for entry in self.entries:
            resource = entry.resource
            pairs = []
            if entry.type == "PractitionerRole":
                pairs = [(resource.get("practitioner"), resource.get("organization"))]
            elif entry.type == "Encounter" and resource.get("serviceProvider"):
                pairs = [
                    (p.get("individual"), resource["serviceProvider"])
                    for p in resource.get("participant", [])
                ]
            for practitioner, organisation in pairs:
                target = self.by_reference.get((practitioner or {}).get("reference", ""))
                place = self.by_reference.get((organisation or {}).get("reference", ""))
                if target and place and place.type == "Organization":
                    hints.setdefault(target.index, Link("Organization", entry=place.index))
        return hints

    # The run ------------------------------------------------------------------------------

    def run(self) -> None:
        for kind in ORDER:
            for entry in self.entries:
                if entry.type == kind:
                    self.import_entry(entry)
                    if self.report.errors:
                        return
        for entry in self.entries:
            if entry.type not in ORDER and entry.type not in HELPERS:
                self.unmapped(entry, f"OneRoof does not import {entry.type}")

    def unmapped(self, entry: Entry, reason: str) -> None:
        if self.settings.strict:
            self.report.errors.append(
                Issue("error", "not-supported", f"{entry.type}: {reason}", (entry.where,))
            )
        else:
            self.report.skip(entry.type, reason)
        self.skipped[entry.index] = reason

    def import_entry(self, entry: Entry) -> None:
        method = (entry.resource.get("request") or {}).get("method")
        try:
            if method == "DELETE":
                raise Skip("deleting through an import is not supported")
            rows = self.map(entry)
            outcomes = [self.write(entry, row) for row in rows]
        except Skip as skip:
            return self.unmapped(entry, str(skip))
        except Reject as reject:
            issue = reject.issue
            where = f"{entry.where}.{issue.expression[0]}" if issue.expression else entry.where
            if issue.expression and issue.expression[0].startswith("Bundle.entry"):
                where = issue.expression[0]
            self.report.errors.append(Issue("error", issue.code, issue.diagnostics, (where,)))
            return None
        for row in rows:
            for note in row.notes:
                self.report.note(entry.type, note)
        for outcome in (CREATED, UPDATED, UNCHANGED):
            if outcome in outcomes:
                self.report.count(entry.type, outcome)
                break
        return None

    def map(self, entry: Entry) -> list[Row]:
        resource, where, options = entry.resource, entry.where, self.settings.options
        kind = entry.type
        if kind == "Organization":
            return [mapping.map_organisation(resource, options)]
        if kind == "Practitioner":
            return [mapping.map_practitioner(resource, options)]
        if kind == "Patient":
            return [mapping.map_patient(resource, options)]
        subject = resource.get("subject") or resource.get("patient")
        person = self.link(subject, f"{where}.subject", kind="Patient")
        if kind == "Encounter":
            individual = next(
                (
                    p["individual"]
                    for p in resource.get("participant", [])
                    if (p.get("individual") or {}).get("reference")
                ),
                None,
            )
            professional = self.optional_link(
                individual, f"{where}.participant.individual", kind="Practitioner"
            )
            return [mapping.map_encounter(resource, person, professional)]
        if kind == "Condition":
            recorder = resource.get("recorder")
            if recorder and "Practitioner" not in recorder.get("reference", "Practitioner"):
                recorder = None  # a recorder who is not a practitioner is not kept
            link = self.optional_link(recorder, f"{where}.recorder", kind="Practitioner")
            return [mapping.map_condition(resource, person, link)]
        if kind == "Observation":
            return mapping.map_observation(resource, person)
        concept = self.medication_concept(entry)
        if kind == "MedicationRequest":
            return [mapping.map_medication_request(resource, person, concept)]
        return [mapping.map_medication_statement(resource, person, concept)]

    def medication_concept(self, entry: Entry) -> dict | None:
        resource = entry.resource
        if "medicationCodeableConcept" in resource:
            return resource["medicationCodeableConcept"]
        text = (resource.get("medicationReference") or {}).get("reference", "")
        medication = self.by_reference.get(text)
        if medication is None or medication.type != "Medication":
            raise Reject(
                f"medicationReference {text!r} is not a Medication in this Bundle",
                f"{entry.where}.medicationReference",
                code="not-found",
            )
        return medication.resource.get("code")

    # Writing ------------------------------------------------------------------------------

    def write(self, entry: Entry, row: Row) -> str:
        model = MODELS[row.kind]
        identity = self.known.get((entry.type, entry.id, row.part))
        fields = {name: self.pk(value) for name, value in row.fields.items()}
        obj = (
            self.existing.get((identity.content_type_id, identity.object_id)) if identity else None
        )
        if obj is not None:
            outcome = UNCHANGED if not identity.owned else self.update(obj, entry, row, fields)
            self.pks[entry.index] = obj.pk
            return outcome
        obj, owned = self.create(entry, row, fields)
        self.pks[entry.index] = obj.pk
        values = {
            "content_type": ContentType.objects.get_for_model(model),
            "object_id": str(obj.pk),
            "owned": owned,
        }
        if identity is not None:  # its row was deleted in OneRoof: import it again
            ImportedResource.objects.filter(pk=identity.pk).update(**values)
        else:
            ImportedResource.objects.create(
                source=self.source,
                resource_type=entry.type,
                resource_id=entry.id,
                part=row.part,
                **values,
            )
        return CREATED if owned else UNCHANGED

    def practitioner_organisation(self, entry: Entry, *, default=True) -> int | None:
        hint = self.organisation_hint.get(entry.index)
        if hint is not None and hint.entry not in self.skipped:
            return self.pk(hint)
        return self.unstated_organisation() if default else None

    def update(self, obj, entry: Entry, row: Row, fields: dict) -> str:
        if row.kind == "professional":
            organisation = self.practitioner_organisation(entry, default=False)
            if organisation is not None:  # otherwise keep what an earlier import found
                fields["organisation_id"] = organisation
        changed = [name for name, value in fields.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, fields[name])
        if changed:
            obj.save(update_fields=changed)
        if row.kind == "person":
            self.add_identifiers(obj, row, entry)
        return UPDATED if changed else UNCHANGED

    def create(self, entry: Entry, row: Row, fields: dict):
        """Create the row; (object, owned). A person or organisation OneRoof already knows
        (same NHS number, same ODS code) is linked to, not duplicated or overwritten."""
        if row.kind == "person":
            return self.create_person(entry, row, fields)
        if row.kind == "organisation":
            existing = (
                Organisation.objects.filter(ods_code=fields["ods_code"]).first()
                if fields["ods_code"]
                else None
            )
            if existing is not None:
                self.report.note(entry.type, "matched an organisation OneRoof holds (ODS code)")
                return existing, False
            fields["neighbourhood_id"] = self.settings.neighbourhood.pk
        if row.kind == "professional":
            fields["user_id"] = self.user_for(entry).pk
            fields["profession"] = row.extra["profession"]
            fields["organisation_id"] = self.practitioner_organisation(entry)
        return MODELS[row.kind].objects.create(**fields), True

    def user_for(self, entry: Entry):
        """An account for an imported practitioner: the record needs one, but it is never
        active and has no password, so it cannot sign in."""
        tag = hashlib.sha256(f"{self.source}|{entry.id}".encode()).hexdigest()[:20]
        user, _ = get_user_model().objects.get_or_create(
            username=f"imported:{tag}", defaults={"is_active": False}
        )
        return user

    def unstated_organisation(self) -> int:
        """Where imported practitioners whose organisation the source did not say belong."""
        identity = ImportedResource.objects.filter(
            source=self.source, resource_type="Organization", resource_id="-", part="not-stated"
        ).first()
        if identity is not None:
            return int(identity.object_id)
        organisation = Organisation.objects.create(
            name=f"Organisation not stated ({self.source})"[:200],
            kind=self.settings.options.organisation_kind,
            neighbourhood=self.settings.neighbourhood,
        )
        ImportedResource.objects.create(
            source=self.source,
            resource_type="Organization",
            resource_id="-",
            part="not-stated",
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id=str(organisation.pk),
        )
        return organisation.pk

    def create_person(self, entry: Entry, row: Row, fields: dict):
        number = row.extra["nhs_number"]
        if number is not None:
            existing = Person.objects.filter(nhs_number=number).first()
            if existing is not None:
                if existing.birth_date != fields["birth_date"]:
                    raise Reject(
                        f"NHS number {number} belongs to someone OneRoof holds with another "
                        "date of birth",
                        "identifier",
                        code="conflict",
                    )
                self.report.note(entry.type, "matched a person OneRoof holds (NHS number)")
                return existing, False
            person = Person.objects.create(nhs_number=number, **fields)
        else:
            person = Person.objects.create(nhs_number=self.test_range_number(entry), **fields)
            PatientIdentifier.objects.create(
                person=person, system=systems.NHS_NUMBER, value=person.nhs_number, use="temp"
            )
            self.report.note(entry.type, "no NHS number: one assigned from the test range (999)")
        self.add_identifiers(person, row, entry)
        return person, True

    def add_identifiers(self, person, row: Row, entry: Entry) -> None:
        for system, value in row.extra["identifiers"]:
            holder = PatientIdentifier.objects.filter(system=system, value=value).first()
            if holder is None:
                try:
                    with transaction.atomic():
                        PatientIdentifier.objects.create(
                            person=person, system=system, value=value, use="secondary"
                        )
                except IntegrityError:
                    holder = PatientIdentifier.objects.get(system=system, value=value)
            if holder is not None and holder.person_id != person.pk:
                raise Reject(
                    f"Identifier {system}|{value} belongs to another person in OneRoof",
                    "identifier",
                    code="conflict",
                )

    def test_range_number(self, entry: Entry) -> str:
        """An NHS number from the 999 range, which is never issued to a patient: derived from
        the source and id (so the same person gets the same number), skipping any in use."""
        seed = int(hashlib.sha256(f"{self.source}|{entry.id}".encode()).hexdigest(), 16)
        for step in range(1_000_000):
            first_nine = f"999{(seed + step) % 1_000_000:06d}"
            digit = check_digit(first_nine)
            if digit is None:
                continue
            number = f"{first_nine}{digit}"
            if not Person.objects.filter(nhs_number=number).exists():
                return number
        raise Reject("The NHS number test range is full", "identifier")


__all__ = ["SKIPPED", "Settings", "import_bundle"]
