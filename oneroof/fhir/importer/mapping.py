"""From FHIR resources (R4, as other systems send them) to OneRoof's fields: pure functions,
no database. Each returns the rows to write, or raises `Skip` with the reason it cannot be
kept (reported, never silently dropped) or `Reject` for an error that fails the whole Bundle
(an invalid NHS number, a reference to nothing)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

from oneroof.fhir import systems
from oneroof.fhir.outcomes import Issue
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number

from .crosswalk import LOINC_TO_SNOMED


class Skip(Exception):
    """This resource (or part) cannot be kept in OneRoof; the reason goes in the report."""


class Reject(Exception):
    """This Bundle cannot be imported at all; nothing of it is written."""

    def __init__(self, diagnostics: str, expression: str, code: str = "invalid"):
        super().__init__(diagnostics)
        self.issue = Issue("error", code, diagnostics, (expression,))


@dataclass(frozen=True)
class Link:
    """A reference, resolved: an entry of this Bundle (`entry`) or a OneRoof row (`pk`)."""

    resource_type: str
    entry: int | None = None
    pk: int | None = None


@dataclass
class Row:
    """One OneRoof row to create or update. Field values that are Links become primary keys
    when the row is written."""

    kind: str  # person, organisation, professional, contact, condition, observation, medication
    fields: dict
    part: str = ""
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    source: str
    organisation_kind: str = "community_trust"
    profession: str = "gp"


# Small readers -------------------------------------------------------------------------------


def parse_when(value: str | None) -> datetime | None:
    """A FHIR date or dateTime as an aware datetime (a date alone is local midnight)."""
    if not value:
        return None
    try:
        if len(value) <= 10:
            parts = [int(p) for p in value.split("-")] + [1, 1]
            moment = datetime(parts[0], parts[1], parts[2])
        else:
            moment = datetime.fromisoformat(value)
    except (ValueError, IndexError):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_day(value: str | None) -> date | None:
    moment = parse_when(value)
    if moment is None:
        return None
    return moment.date() if value and len(value) <= 10 else timezone.localdate(moment)


def first_coding(concept: dict | None, system: str) -> dict | None:
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == system and coding.get("code"):
            return coding
    return None


def concept_text(concept: dict | None) -> str:
    concept = concept or {}
    if concept.get("text"):
        return concept["text"]
    for coding in concept.get("coding", []):
        if coding.get("display"):
            return coding["display"]
    return ""


def snomed(concept: dict | None, what: str) -> tuple[str, str]:
    coding = first_coding(concept, systems.SNOMED)
    if coding is None or not coding["code"].isdigit() or len(coding["code"]) > 18:
        found = ", ".join(sorted({c.get("system", "?") for c in (concept or {}).get("coding", [])}))
        raise Skip(f"{what} not coded in SNOMED CT (coded in {found or 'nothing'})")
    return coding["code"], (coding.get("display") or concept_text(concept))[:255]


# Organization and Practitioner ---------------------------------------------------------------

# FHIR organization-type codes that say which kind of organisation OneRoof should record.
ORGANISATION_KIND = {"govt": "local_authority", "cg": "voluntary", "edu": "school"}


def map_organisation(resource: dict, options: Options) -> Row:
    name = (resource.get("name") or "").strip()
    if not name:
        raise Skip("an organisation needs a name")
    ods = next(
        (
            i["value"].strip().upper()
            for i in resource.get("identifier", [])
            if i.get("system") == systems.ODS_ORGANISATION and i.get("value")
        ),
        None,
    )
    notes = []
    type_codes = [c.get("code") for t in resource.get("type", []) for c in t.get("coding", [])]
    kind = next((ORGANISATION_KIND[c] for c in type_codes if c in ORGANISATION_KIND), None)
    if kind is None:
        kind = options.organisation_kind
        notes.append(f"kind of organisation not stated: recorded as {kind}")
    if ods is None:
        notes.append("no ODS code")
    elif len(ods) > 10:
        raise Reject(f"'{ods}' is not an ODS code", "identifier")
    return Row("organisation", {"name": name[:200], "kind": kind, "ods_code": ods}, notes=notes)


def map_practitioner(resource: dict, options: Options) -> Row:
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    family = (name.get("family") or "").strip()
    if not family:
        raise Skip("a practitioner needs a family name")
    prefix = " ".join(name.get("prefix", [])).replace(".", "")[:20]
    phone = next(
        (t["value"] for t in resource.get("telecom", []) if t.get("system") == "phone"), ""
    )
    return Row(
        "professional",
        {
            "prefix": prefix,
            "given_name": " ".join(name.get("given", []))[:100],
            "family_name": family[:100],
            "phone": phone[:30],
            "active": resource.get("active", True) is not False,
        },
        notes=[f"profession not stated: recorded as {options.profession}"],
        extra={"profession": options.profession},
    )


# Patient --------------------------------------------------------------------------------------

# Identifiers OneRoof has no use for and does not keep (data minimisation).
DROPPED_IDENTIFIER_TYPES = {"SS", "DL", "PPN", "SB"}
UK_ETHNIC_GROUP = {
    **dict.fromkeys("ABCT", "white"),
    **dict.fromkeys("DEFG", "mixed"),
    **dict.fromkeys("HJKLR", "asian"),  # the 2021 Census puts Chinese (R) in Asian
    **dict.fromkeys("MNP", "black"),
    "S": "other",
    "Z": "not_stated",
}
US_RACE_GROUP = {
    "2106-3": "white",
    "2054-5": "black",
    "2028-9": "asian",
    "1002-5": "other",
    "2076-8": "other",
    "2131-1": "other",
}
US_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"


def _ethnic_group(resource: dict, notes: list[str]) -> str:
    for extension in resource.get("extension", []):
        if extension.get("url") == systems.ETHNIC_CATEGORY_EXTENSION:
            coding = first_coding(
                extension.get("valueCodeableConcept"), systems.ETHNIC_CATEGORY_SYSTEM
            )
            if coding and coding["code"][:1] in UK_ETHNIC_GROUP:
                return UK_ETHNIC_GROUP[coding["code"][:1]]
        if extension.get("url") == US_RACE:
            for part in extension.get("extension", []):
                code = (part.get("valueCoding") or {}).get("code")
                if part.get("url") == "ombCategory" and code in US_RACE_GROUP:
                    notes.append("ethnic group taken from US Core race")
                    return US_RACE_GROUP[code]
    return "not_stated"


def _nhs_number(resource: dict) -> str | None:
    for index, identifier in enumerate(resource.get("identifier", [])):
        if identifier.get("system") == systems.NHS_NUMBER:
            number = normalise_nhs_number(identifier.get("value", ""))
            if not is_valid_nhs_number(number):
                raise Reject(
                    f"'{identifier.get('value')}' is not a valid NHS number: it must be 10 "
                    "digits with a correct check digit",
                    f"identifier[{index}].value",
                )
            return number
    return None


def _kept_identifiers(resource: dict, notes: list[str]) -> list[tuple[str, str]]:
    kept = []
    for identifier in resource.get("identifier", []):
        system, value = identifier.get("system"), identifier.get("value")
        if not system or not value or system == systems.NHS_NUMBER:
            continue
        types = {c.get("code") for c in (identifier.get("type") or {}).get("coding", [])}
        if types & DROPPED_IDENTIFIER_TYPES:
            notes.append("identity document numbers (SSN, licence, passport) not kept")
            continue
        kept.append((system[:200], value[:100]))
    return kept


def map_patient(resource: dict, options: Options) -> Row:
    notes: list[str] = []
    birth_date = parse_day(resource.get("birthDate"))
    if birth_date is None:
        raise Skip("a person needs a date of birth")
    if resource.get("deceasedBoolean") is True:
        raise Skip("died, but the date of death is not given")
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    family = (name.get("family") or "").strip()
    given = " ".join(name.get("given", [])).strip()
    if not family and not given:
        raise Skip("a person needs a name")
    telecom = resource.get("telecom", [])
    phone = next((t["value"] for t in telecom if t.get("system") == "phone"), "")
    email = next((t["value"] for t in telecom if t.get("system") == "email"), "")
    if resource.get("address"):
        notes.append("address not kept: OneRoof needs its LSOA and deprivation decile")
    gender = resource.get("gender") or "unknown"
    fields = {
        "prefix": " ".join(name.get("prefix", [])).replace(".", "")[:20],
        "given_name": given[:100],
        "family_name": family[:100],
        "birth_date": birth_date,
        "gender": gender if gender in {"male", "female", "other", "unknown"} else "unknown",
        "ethnic_group": _ethnic_group(resource, notes),
        "phone": phone[:30],
        "email": email[:254] if "@" in email else "",
        "deceased_at": parse_when(resource.get("deceasedDateTime")),
    }
    return Row(
        "person",
        fields,
        notes=notes,
        extra={
            "nhs_number": _nhs_number(resource),
            "identifiers": _kept_identifiers(resource, notes),
        },
    )


# Encounter, Condition, Observation, medicines -----------------------------------------------

ENCOUNTER_MODE = {
    "AMB": "face_to_face",
    "EMER": "face_to_face",
    "IMP": "face_to_face",
    "ACUTE": "face_to_face",
    "NONAC": "face_to_face",
    "OBSENC": "face_to_face",
    "SS": "face_to_face",
    "HH": "home_visit",
    "VR": "video",
}
ENCOUNTER_PREFIX = {"EMER": "Emergency department: ", "IMP": "Hospital stay: "}


def map_encounter(resource: dict, person: Link, professional: Link | None) -> Row:
    if resource.get("status") in {"cancelled", "entered-in-error", "planned"}:
        raise Skip(f"an encounter that is {resource['status']} is not a contact")
    if professional is None:
        raise Skip("no practitioner: a contact is with a named professional")
    code = (resource.get("class") or {}).get("code")
    if code not in ENCOUNTER_MODE:
        raise Skip(f"encounter class '{code}' has no OneRoof contact mode")
    occurred_at = parse_when((resource.get("period") or {}).get("start"))
    if occurred_at is None:
        raise Skip("an encounter needs a start")
    summary = "; ".join(
        text
        for text in (
            concept_text((resource.get("type") or [None])[0]),
            concept_text((resource.get("reasonCode") or [None])[0]),
        )
        if text
    )
    return Row(
        "contact",
        {
            "person_id": person,
            "professional_id": professional,
            "mode": ENCOUNTER_MODE[code],
            "occurred_at": occurred_at,
            "summary": ENCOUNTER_PREFIX.get(code, "") + summary,
        },
    )


CLINICAL_STATUS = {
    "active": "active",
    "recurrence": "active",
    "relapse": "active",
    "inactive": "inactive",
    "remission": "inactive",
    "resolved": "resolved",
}


def map_condition(resource: dict, person: Link, recorder: Link | None) -> Row:
    verification = first_coding(resource.get("verificationStatus"), systems.CONDITION_VERIFICATION)
    if verification and verification["code"] in {"entered-in-error", "refuted"}:
        raise Skip(f"a condition that is {verification['code']}")
    code, display = snomed(resource.get("code"), "condition")
    status = first_coding(resource.get("clinicalStatus"), systems.CONDITION_CLINICAL)
    onset = parse_day(
        resource.get("onsetDateTime") or (resource.get("onsetPeriod") or {}).get("start")
    )
    recorded = parse_day(resource.get("recordedDate")) or onset or timezone.localdate()
    return Row(
        "condition",
        {
            "person_id": person,
            "code": code,
            "display": display,
            "category": "physical",
            "clinical_status": CLINICAL_STATUS.get(
                status["code"] if status else "active", "active"
            ),
            "onset_date": onset,
            "recorded_date": recorded,
            "recorder_id": recorder,
        },
        notes=["need category not stated: recorded as physical health"],
    )


def _quantity(quantity: dict) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(str(quantity["value"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (KeyError, InvalidOperation, TypeError):
        raise Skip("a measurement without a number") from None
    if abs(value) >= Decimal("1e8"):
        raise Skip("a value too large to record")
    return value, (quantity.get("code") or quantity.get("unit") or "")[:30]


def _observation_code(concept: dict) -> tuple[str, str]:
    coding = first_coding(concept, systems.SNOMED)
    if coding is not None:
        return snomed(concept, "observation")
    loinc = first_coding(concept, systems.LOINC)
    if loinc is not None and loinc["code"] in LOINC_TO_SNOMED:
        return LOINC_TO_SNOMED[loinc["code"]]
    if loinc is not None:
        raise Skip(f"LOINC {loinc['code']} ({concept_text(concept)[:60]}) has no SNOMED CT mapping")
    raise Skip("observation not coded in SNOMED CT or a mapped LOINC code")


def map_observation(resource: dict, person: Link) -> list[Row]:
    if resource.get("status") in {"entered-in-error", "cancelled", "registered"}:
        raise Skip(f"an observation that is {resource['status']}")
    effective = parse_when(
        resource.get("effectiveDateTime")
        or (resource.get("effectivePeriod") or {}).get("start")
        or resource.get("issued")
    )
    if effective is None:
        raise Skip("an observation needs a date")
    base = {"person_id": person, "effective_at": effective}
    if resource.get("component") and "valueQuantity" not in resource:
        rows = []
        for component in resource["component"]:
            code, display = _observation_code(component.get("code", {}))
            value, unit = _quantity(component.get("valueQuantity") or {})
            loinc = first_coding(component.get("code"), systems.LOINC) or {}
            part = loinc.get("code") or code
            rows.append(
                Row(
                    "observation",
                    {**base, "code": code, "display": display, "value": value, "unit": unit},
                    part=part[:40],
                )
            )
        return rows
    if "valueCodeableConcept" in resource:
        # A coded finding (smoking status: "Ex-smoker") is recorded as the finding itself.
        code, display = snomed(resource["valueCodeableConcept"], "coded value")
        fields = {**base, "code": code, "display": display, "value": None, "unit": ""}
        return [Row("observation", fields, notes=["recorded as its coded value"])]
    code, display = _observation_code(resource.get("code", {}))
    if "valueQuantity" not in resource:
        kinds = [k for k in resource if k.startswith("value")]
        raise Skip(f"{kinds[0] if kinds else 'no value'} is not a measurement OneRoof records")
    value, unit = _quantity(resource["valueQuantity"])
    fields = {**base, "code": code, "display": display, "value": value, "unit": unit}
    return [Row("observation", fields)]


MEDICATION_STATUS = {"active": "active", "completed": "completed", "stopped": "stopped"}
ON_HOLD = "on-hold"


def medicine(concept: dict | None) -> tuple[str, str, list[str]]:
    """(dm+d code or "", name, notes): a medicine coded otherwise (RxNorm) is kept by name."""
    text = concept_text(concept)[:255]
    coding = first_coding(concept, systems.SNOMED)
    if coding is not None and coding["code"].isdigit() and len(coding["code"]) <= 18:
        return coding["code"], (coding.get("display") or text)[:255], []
    if not text:
        raise Skip("a medicine with neither a dm+d code nor a name")
    found = ", ".join(sorted({c.get("system", "?") for c in (concept or {}).get("coding", [])}))
    return "", text, [f"medicine kept by name only: not coded in dm+d ({found or 'no code'})"]


def _medication_status(status: str | None) -> tuple[str, list[str]]:
    if status == ON_HOLD:
        return "active", ["on hold: recorded as current"]
    if status not in MEDICATION_STATUS:
        raise Skip(f"a medicine whose status is {status or 'not given'}")
    return MEDICATION_STATUS[status], []


def map_medication_request(resource: dict, person: Link, concept: dict | None) -> Row:
    status, notes = _medication_status(resource.get("status"))
    code, display, more = medicine(concept)
    start = parse_day(
        resource.get("authoredOn")
        or ((resource.get("dispenseRequest") or {}).get("validityPeriod") or {}).get("start")
    )
    if start is None:
        raise Skip("a prescription needs a date")
    dosage = next(
        (d.get("text") for d in resource.get("dosageInstruction", []) if d.get("text")), ""
    )
    if not dosage and any(d.get("asNeededBoolean") for d in resource.get("dosageInstruction", [])):
        dosage = "As needed"
    return Row(
        "medication",
        {
            "person_id": person,
            "code": code,
            "display": display,
            "dosage": dosage[:255],
            "status": status,
            "effective_start": start,
            "effective_end": None,
        },
        notes=notes + more,
    )


def map_medication_statement(resource: dict, person: Link, concept: dict | None) -> Row:
    status, notes = _medication_status(resource.get("status"))
    code, display, more = medicine(concept)
    period = resource.get("effectivePeriod") or {}
    start = parse_day(period.get("start") or resource.get("effectiveDateTime"))
    start = start or parse_day(resource.get("dateAsserted"))
    if start is None:
        raise Skip("a medicine needs a start date")
    dosage = next((d.get("text") for d in resource.get("dosage", []) if d.get("text")), "")
    return Row(
        "medication",
        {
            "person_id": person,
            "code": code,
            "display": display,
            "dosage": dosage[:255],
            "status": status,
            "effective_start": start,
            "effective_end": parse_day(period.get("end")),
        },
        notes=notes + more,
    )
