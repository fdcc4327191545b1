"""Patient, RelatedPerson, Consent and AuditEvent: the person, the people around them, their
decisions, and who opened their record."""

from django.db.models import Q

from oneroof.audit.models import RecordAccess
from oneroof.fhir import mappers, systems
from oneroof.fhir.models import PatientIdentifier
from oneroof.fhir.outcomes import invalid
from oneroof.fhir.registry import Include, ResourceType, register
from oneroof.fhir.search import (
    NOTHING,
    custom,
    date_param,
    reference,
    split_token,
    string,
    token,
)
from oneroof.people.models import Address, Carer, Consent, Person
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number

# Patient --------------------------------------------------------------------------------------


def _patient_identifier(values: list[str], modifier: str) -> Q:
    result = NOTHING
    for value in values:
        system, code = split_token(value)
        if code and (
            system == systems.NHS_NUMBER
            or (
                system is None
                and code.replace(" ", "").isascii()
                and code.replace(" ", "").isdigit()
            )
        ):
            number = normalise_nhs_number(code)
            if system == systems.NHS_NUMBER and not is_valid_nhs_number(number):
                raise invalid(
                    f"'{code}' is not a valid NHS number: it must be 10 digits with a correct "
                    "check digit, like 9434765919",
                    "identifier",
                )
            result |= Q(nhs_number=number)
        if system == systems.NHS_NUMBER and not code:  # "system|": anyone with one
            result |= ~NOTHING
        if system != systems.NHS_NUMBER and system != "":
            other = (
                PatientIdentifier.objects.filter(value=code) if code else PatientIdentifier.objects
            )
            if system is not None:
                other = other.filter(system=system)
            result |= Q(pk__in=other.values("person_id"))
    return result


def _postcode(values: list[str], modifier: str) -> Q:
    q = NOTHING
    for value in values:
        q |= Q(postal_code__istartswith=value.strip())
    return Q(pk__in=Address.objects.filter(q).values("person_id"))


def _deceased(values: list[str], modifier: str) -> Q:
    flags = {"true": Q(deceased_at__isnull=False), "false": Q(deceased_at__isnull=True)}
    q = NOTHING
    for value in values:
        q |= flags.get(value, NOTHING)
    return q


def patient_extras(people: list) -> dict:
    pks = [p.pk for p in people]
    extras: dict = {pk: {} for pk in pks}
    addresses = Address.objects.filter(person_id__in=pks, period_end__isnull=True).order_by(
        "person_id", "-period_start", "-pk"
    )
    for address in addresses:
        extras[address.person_id].setdefault("address", address)
    for row in PatientIdentifier.objects.filter(person_id__in=pks).order_by("pk"):
        if row.system == systems.NHS_NUMBER:
            extras[row.person_id]["nhs_number_assigned"] = row.use == "temp"
        else:
            extras[row.person_id].setdefault("identifiers", []).append(
                (row.system, row.value, row.use)
            )
    return extras


register(
    ResourceType(
        "Patient",
        lambda: Person.objects.select_related("general_practice"),
        mappers.person_to_patient,
        (
            custom(
                "identifier",
                "token",
                f"NHS number ({systems.NHS_NUMBER}|9434765919) or another system's identifier",
                _patient_identifier,
            ),
            string("family", "Family name", "family_name"),
            string("given", "Given name", "given_name"),
            string("name", "Any part of the name", "family_name", "given_name", "prefix"),
            date_param("birthdate", "Date of birth", "birth_date", is_date=True),
            token(
                "gender",
                "Administrative gender",
                "gender",
                system="http://hl7.org/fhir/administrative-gender",
            ),
            reference(
                "general-practitioner",
                "The registered GP practice",
                "general_practice",
                "Organization",
                id_kind="uuid",
            ),
            custom("address-postalcode", "string", "Postcode (starts with)", _postcode),
            custom("deceased", "token", "true if the person has died", _deceased),
        ),
        id_field="public_id",
        person_path="",
        includes=(Include("general-practitioner", "Organization", "general_practice_id"),),
        extras=patient_extras,
        documentation="A resident (UK Core NHS number identifier)",
    )
)


# The people around the person, and their decisions -------------------------------------------


def _carer_active(values: list[str], modifier: str) -> Q:
    flags = {"true": Q(period_end__isnull=True), "false": Q(period_end__isnull=False)}
    q = NOTHING
    for value in values:
        q |= flags.get(value, NOTHING)
    return q


register(
    ResourceType(
        "RelatedPerson",
        lambda: Carer.objects.select_related("cared_for", "carer_person"),
        mappers.carer_to_related_person,
        (
            reference("patient", "The person cared for", "cared_for", "Patient", id_kind="uuid"),
            token("relationship", "v3 RoleCode", "relationship", system=systems.V3_ROLE_CODE),
            custom("active", "token", "Still caring", _carer_active),
        ),
        person_path="cared_for",
        includes=(Include("patient", "Patient", "cared_for_id"),),
        documentation="An unpaid carer of the person",
    )
)
register(
    ResourceType(
        "Consent",
        lambda: Consent.objects.select_related("person"),
        mappers.consent_to_fhir,
        (
            reference("patient", "Whose decision", "person", "Patient", id_kind="uuid"),
            token("status", "active (given), rejected (refused) or inactive (withdrawn)", "status"),
            date_param("date", "When it was decided", "date_time", is_date=False),
        ),
        person_path="person",
        includes=(Include("patient", "Patient", "person_id"),),
        documentation="The person's decision to share their record or let a carer act for them",
    )
)
register(
    ResourceType(
        "AuditEvent",
        lambda: RecordAccess.objects.select_related("person"),
        mappers.record_access_to_audit_event,
        (
            reference("patient", "Whose record", "person", "Patient", id_kind="uuid"),
            date_param("date", "When", "at", is_date=False),
            string("agent-name", "Who (starts with)", "actor_name"),
        ),
        person_path="person",
        includes=(Include("patient", "Patient", "person_id"),),
        ordering=("-at", "-pk"),
        in_everything=False,
        documentation="One opening of, or change to, a person's record (who opened my record)",
    )
)
