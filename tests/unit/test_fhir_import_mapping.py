"""Mapping other systems' FHIR to OneRoof's fields: pure, no database."""

from decimal import Decimal

import pytest

from oneroof.fhir.importer.mapping import (
    Link,
    Options,
    Reject,
    Skip,
    map_condition,
    map_encounter,
    map_medication_request,
    map_observation,
    map_organisation,
    map_patient,
)

OPTIONS = Options(source="test")
PERSON = Link("Patient", entry=0)
CLINICIAN = Link("Practitioner", entry=1)


def patient(**extra):
    return {
        "resourceType": "Patient",
        "name": [{"use": "official", "family": "Koepp", "given": ["Abdul"], "prefix": ["Mr."]}],
        "gender": "male",
        "birthDate": "1956-08-03",
        **extra,
    }


def test_patient_keeps_demographics_and_drops_identity_documents():
    row = map_patient(
        patient(
            identifier=[
                {"system": "http://hospital.smarthealthit.org", "value": "MRN-1"},
                {
                    "system": "http://hl7.org/fhir/sid/us-ssn",
                    "value": "999-22-1962",
                    "type": {"coding": [{"code": "SS"}]},
                },
            ],
            address=[{"city": "Holyoke", "state": "MA"}],
        ),
        OPTIONS,
    )
    assert row.fields["prefix"] == "Mr" and row.fields["family_name"] == "Koepp"
    assert row.extra["nhs_number"] is None  # one is assigned from the test range when written
    assert row.extra["identifiers"] == [("http://hospital.smarthealthit.org", "MRN-1")]
    assert any("SSN" in note for note in row.notes)
    assert any("LSOA" in note for note in row.notes)


def test_patient_with_a_valid_nhs_number_keeps_it():
    row = map_patient(
        patient(
            identifier=[{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "943 476 5919"}]
        ),
        OPTIONS,
    )
    assert row.extra["nhs_number"] == "9434765919"


def test_patient_with_an_invalid_nhs_number_fails_the_bundle():
    with pytest.raises(Reject) as error:
        map_patient(
            patient(
                identifier=[{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234567890"}]
            ),
            OPTIONS,
        )
    assert error.value.issue.expression == ("identifier[0].value",)


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"birthDate": None}, "date of birth"), ({"deceasedBoolean": True}, "date of death")],
)
def test_patient_that_cannot_be_kept_is_skipped_with_a_reason(change, reason):
    with pytest.raises(Skip, match=reason):
        map_patient({k: v for k, v in {**patient(), **change}.items() if v is not None}, OPTIONS)


def test_condition_needs_snomed():
    resource = {
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "remission",
                }
            ]
        },
        "code": {
            "coding": [
                {"system": "http://snomed.info/sct", "code": "44054006", "display": "Diabetes"}
            ]
        },
        "onsetDateTime": "2001-05-06T10:00:00+00:00",
    }
    row = map_condition(resource, PERSON, None)
    assert (row.fields["code"], row.fields["clinical_status"]) == ("44054006", "inactive")
    assert str(row.fields["onset_date"]) == "2001-05-06"
    with pytest.raises(Skip, match="SNOMED"):
        map_condition(
            {"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11"}]}},
            PERSON,
            None,
        )


def test_blood_pressure_panel_becomes_two_snomed_observations():
    panel = {
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
        "effectiveDateTime": "2020-01-01T09:00:00+00:00",
        "component": [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                "valueQuantity": {"value": 128.4, "unit": "mm[Hg]", "code": "mm[Hg]"},
            },
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                "valueQuantity": {"value": 81, "unit": "mm[Hg]", "code": "mm[Hg]"},
            },
        ],
    }
    systolic, diastolic = map_observation(panel, PERSON)
    assert (systolic.fields["code"], systolic.fields["value"]) == ("271649006", Decimal("128.40"))
    assert (diastolic.fields["code"], diastolic.part) == ("271650006", "8462-4")


def test_lab_results_in_foreign_units_are_not_guessed_at():
    glucose = {
        "status": "final",
        "code": {
            "coding": [{"system": "http://loinc.org", "code": "2339-0", "display": "Glucose"}]
        },
        "effectiveDateTime": "2020-01-01",
        "valueQuantity": {"value": 90, "unit": "mg/dL"},
    }
    with pytest.raises(Skip, match="LOINC 2339-0"):
        map_observation(glucose, PERSON)


def test_coded_finding_is_kept_as_the_finding():
    smoking = {
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
        "effectiveDateTime": "2020-01-01",
        "valueCodeableConcept": {
            "coding": [
                {"system": "http://snomed.info/sct", "code": "8517006", "display": "Ex-smoker"}
            ]
        },
    }
    (row,) = map_observation(smoking, PERSON)
    assert (row.fields["code"], row.fields["value"]) == ("8517006", None)


def test_rxnorm_medicine_is_kept_by_name_only():
    request = {
        "status": "stopped",
        "authoredOn": "2017-03-21T23:37:54+00:00",
        "medicationCodeableConcept": {
            "coding": [
                {
                    "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                    "code": "310965",
                    "display": "Ibuprofen 200 MG Oral Tablet",
                }
            ],
            "text": "Ibuprofen 200 MG Oral Tablet",
        },
        "dosageInstruction": [{"asNeededBoolean": True}],
    }
    row = map_medication_request(request, PERSON, request["medicationCodeableConcept"])
    assert (row.fields["code"], row.fields["display"]) == ("", "Ibuprofen 200 MG Oral Tablet")
    assert row.fields["status"] == "stopped" and row.fields["dosage"] == "As needed"
    assert any("by name only" in note for note in row.notes)


def test_encounter_needs_a_practitioner_and_a_known_class():
    encounter = {
        "status": "finished",
        "class": {"code": "EMER"},
        "period": {"start": "2020-01-01T09:00:00Z"},
        "type": [{"text": "Emergency room admission"}],
    }
    row = map_encounter(encounter, PERSON, CLINICIAN)
    assert row.fields["mode"] == "face_to_face"
    assert row.fields["summary"] == "Emergency department: Emergency room admission"
    with pytest.raises(Skip, match="practitioner"):
        map_encounter(encounter, PERSON, None)
    with pytest.raises(Skip, match="class"):
        map_encounter({**encounter, "class": {"code": "FLD"}}, PERSON, CLINICIAN)


def test_organisation_kind_defaults_and_is_reported():
    row = map_organisation(
        {"name": "North Shore Medical Center", "type": [{"coding": [{"code": "prov"}]}]}, OPTIONS
    )
    assert row.fields == {
        "name": "North Shore Medical Center",
        "kind": "community_trust",
        "ods_code": None,
    }
    assert "no ODS code" in row.notes
