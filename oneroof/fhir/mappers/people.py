"""Patient, RelatedPerson and Consent."""

from oneroof.fhir import systems

from .common import (
    coding,
    concept,
    fhir_date,
    fhir_datetime,
    human_name,
    patient_ref,
    prune,
    ref,
    telecom,
)

# UK Core NHS number verification status: OneRoof stores only numbers that pass the modulus 11
# check; one assigned from the test range for an imported person still needs a trace on PDS.
_VERIFICATION = {
    "01": "Number present and verified",
    "02": "Number present but not traced",
    "03": "Trace required",
}


def nhs_number_identifier(nhs_number: str, *, verification: str = "01", assigned=False) -> dict:
    code = "03" if assigned else verification
    display = _VERIFICATION.get(code)
    identifier = {
        "extension": [
            {
                "url": systems.NHS_NUMBER_VERIFICATION_EXTENSION,
                "valueCodeableConcept": concept(
                    systems.NHS_NUMBER_VERIFICATION_SYSTEM, code, display
                ),
            }
        ],
        "system": systems.NHS_NUMBER,
        "value": nhs_number,
    }
    if assigned:
        identifier["use"] = "temp"
    return identifier


def address_to_fhir(address) -> dict:
    return prune(
        {
            "use": "home",
            "line": [address.line],
            "city": address.city,
            "postalCode": address.postal_code,
            "period": prune({"start": fhir_date(address.period_start)}),
        }
    )


def person_to_patient(person, *, address=None, identifiers=(), nhs_number_assigned=False) -> dict:
    """A Person as a FHIR Patient (UK Core NHS number identifier).

    `identifiers` are other systems' (system, value, use) for this person, kept at import;
    `nhs_number_assigned` marks an NHS number OneRoof gave from the test range."""
    verification = getattr(person, "nhs_number_verification", "01")
    ids = [
        nhs_number_identifier(
            person.nhs_number, verification=verification, assigned=nhs_number_assigned
        )
    ]
    ids += [
        prune({"use": use, "system": system, "value": value}) for system, value, use in identifiers
    ]
    general_practice = person.general_practice
    return prune(
        {
            "resourceType": "Patient",
            "id": str(person.public_id),
            "identifier": ids,
            "active": True,
            "name": [
                human_name(prefix=person.prefix, given=person.given_name, family=person.family_name)
            ],
            "telecom": telecom(person.phone, person.email),
            "gender": person.gender,
            "birthDate": fhir_date(person.birth_date),
            "deceasedDateTime": fhir_datetime(person.deceased_at),
            "address": [address_to_fhir(address)] if address is not None else [],
            "generalPractitioner": (
                [ref("Organization", general_practice.public_id, general_practice.name)]
                if general_practice is not None
                else []
            ),
        }
    )


def carer_to_related_person(carer) -> dict:
    """A Carer as a RelatedPerson of the person they care for."""
    born = carer.carer_person.birth_date if carer.carer_person_id else carer.birth_date
    return prune(
        {
            "resourceType": "RelatedPerson",
            "id": str(carer.pk),
            "active": carer.period_end is None,
            "patient": patient_ref(carer.cared_for),
            "relationship": [
                concept(systems.V3_ROLE_CODE, carer.relationship, carer.get_relationship_display())
            ],
            "name": [{"text": carer.name}],
            "telecom": telecom(carer.phone),
            "birthDate": fhir_date(born),
            "period": prune(
                {"start": fhir_date(carer.period_start), "end": fhir_date(carer.period_end)}
            ),
        }
    )


def consent_to_fhir(consent) -> dict:
    """A decision to share the record with the team, or to let a carer act for the person."""
    provision: dict[str, object] = {"type": "permit"}
    if consent.grantee_id:
        provision["actor"] = [
            {
                "role": concept("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "AGNT"),
                "reference": ref("RelatedPerson", consent.grantee_id),
            }
        ]
    return prune(
        {
            "resourceType": "Consent",
            "id": str(consent.pk),
            "status": consent.status,
            "scope": concept(systems.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
            "category": [
                concept(systems.LOINC, "59284-0", "Patient Consent"),
                {
                    "coding": [
                        coding(
                            systems.CONSENT_SCOPE_LOCAL, consent.scope, consent.get_scope_display()
                        )
                    ],
                    "text": consent.get_scope_display(),
                },
            ],
            "patient": patient_ref(consent.person),
            "dateTime": fhir_datetime(consent.date_time),
            "performer": [patient_ref(consent.person)],
            "policyRule": concept(systems.V3_ACT_CODE, "OPTIN", "opt-in"),
            "provision": provision,
        }
    )
