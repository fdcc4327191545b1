"""The FHIR mappers are pure: unsaved objects in, valid FHIR R4 out, no database."""

import uuid
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.care import models as care
from oneroof.fhir import mappers, systems
from oneroof.people import models as people
from oneroof.workforce import models as workforce
from tests.api.fhir_support import SCHEMA_ABSENT, SCHEMA_FILE, validate

WHEN = timezone.make_aware(datetime(2026, 3, 3, 14, 30))


@pytest.fixture
def organisation():
    return workforce.Organisation(
        pk=7,
        public_id=uuid.uuid4(),
        ods_code="A81001",
        name="Riverside Surgery",
        kind="gp_practice",
    )


@pytest.fixture
def nurse(organisation):
    return workforce.Professional(
        pk=3,
        given_name="Aisha",
        family_name="Khan",
        profession="district_nurse",
        organisation=organisation,
        registration_number="12A3456E",
        phone="0161 496 0000",
    )


@pytest.fixture
def person(organisation):
    return people.Person(
        pk=11,
        public_id=uuid.uuid4(),
        nhs_number="9434765919",
        prefix="Mrs",
        given_name="Meera",
        family_name="Patel",
        birth_date=date(1944, 5, 2),
        gender="female",
        phone="07700 900123",
        general_practice=organisation,
    )


def test_person_to_patient_carries_the_uk_core_nhs_number(person):
    address = people.Address(
        person=person,
        line="4 Mill Lane",
        city="Riverside",
        postal_code="RV1 1AA",
        lsoa_code="E01000001",
        imd_decile=2,
        period_start=date(2010, 1, 1),
    )
    patient = mappers.person_to_patient(person, address=address)

    validate(patient)
    nhs = patient["identifier"][0]
    assert nhs["system"] == systems.NHS_NUMBER == "https://fhir.nhs.uk/Id/nhs-number"
    assert nhs["value"] == "9434765919" and "use" not in nhs
    assert patient["id"] == str(person.public_id)
    assert patient["name"][0] == {
        "use": "official",
        "family": "Patel",
        "given": ["Meera"],
        "prefix": ["Mrs"],
    }
    assert patient["birthDate"] == "1944-05-02"
    assert patient["address"][0]["postalCode"] == "RV1 1AA"
    assert patient["generalPractitioner"][0]["reference"] == (
        f"Organization/{person.general_practice.public_id}"
    )


def test_assigned_test_range_nhs_number_is_temporary_and_needs_a_trace(person):
    patient = mappers.person_to_patient(
        person,
        identifiers=[("http://hospital.example.org", "MRN-1", "secondary")],
        nhs_number_assigned=True,
    )

    validate(patient)
    nhs, mrn = patient["identifier"]
    assert nhs["use"] == "temp"
    status = nhs["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert (status["code"], status["display"]) == ("03", "Trace required")
    assert mrn == {"use": "secondary", "system": "http://hospital.example.org", "value": "MRN-1"}


def test_deceased_person_has_a_date_of_death(person):
    person.deceased_at = WHEN
    patient = mappers.person_to_patient(person)
    validate(patient)
    assert patient["deceasedDateTime"] == "2026-03-03T14:30:00+00:00"


def test_directory_resources_are_valid(organisation, nurse):
    site = workforce.Site(
        pk=2,
        public_id=uuid.uuid4(),
        name="Riverside Health Centre",
        organisation=organisation,
        line="1 River Road",
        postal_code="RV1 2AB",
    )
    hours = [
        workforce.OpeningHours(site=site, weekday=day, opens=time(8), closes=time(20))
        for day in range(5)
    ] + [workforce.OpeningHours(site=site, weekday=5, opens=time(9), closes=time(13))]

    location = mappers.site_to_location(site, opening_hours=hours)
    practitioner = mappers.professional_to_practitioner(nurse)
    role = mappers.professional_to_practitioner_role(nurse)
    org = mappers.organisation_to_fhir(organisation)

    for resource in (location, practitioner, role, org):
        validate(resource)
    assert location["hoursOfOperation"] == [
        {
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
            "openingTime": "08:00:00",
            "closingTime": "20:00:00",
        },
        {"daysOfWeek": ["sat"], "openingTime": "09:00:00", "closingTime": "13:00:00"},
    ]
    assert practitioner["identifier"] == [{"system": systems.NMC, "value": "12A3456E"}]
    assert role["practitioner"]["reference"] == "Practitioner/3"
    assert role["organization"]["reference"] == f"Organization/{organisation.public_id}"
    assert org["identifier"] == [{"system": systems.ODS_ORGANISATION, "value": "A81001"}]


def test_organisation_without_an_ods_code_has_no_identifier(organisation):
    organisation.ods_code = None
    org = mappers.organisation_to_fhir(organisation)
    validate(org)
    assert "identifier" not in org


def test_care_team_lists_the_coordinator_then_the_members(person, nurse):
    team = workforce.CareTeam(pk=5, person=person, coordinator=nurse, created_at=WHEN)
    member = workforce.CareTeamMember(
        care_team=team, professional=nurse, period_start=date(2025, 1, 1)
    )
    resource = mappers.care_team_to_fhir(team, members=[member])
    validate(resource)
    coordinator, participant = resource["participant"]
    assert coordinator["role"][0]["coding"][0]["code"] == "coordinator"
    assert participant["period"] == {"start": "2025-01-01"}


def test_clinical_resources_are_valid(person, nurse):
    condition = care.Condition(
        pk=1,
        person=person,
        code="84114007",
        display="Heart failure",
        category="physical",
        onset_date=date(2019, 3, 1),
        recorded_date=date(2019, 3, 2),
        recorder=nurse,
    )
    observation = care.Observation(
        pk=2,
        person=person,
        code="27113001",
        display="Body weight",
        value=Decimal("61.50"),
        unit="kg",
        effective_at=WHEN,
    )
    medicine = care.MedicationStatement(
        pk=3,
        person=person,
        code="",
        display="Ibuprofen 200 MG Oral Tablet",
        dosage="",
        effective_start=date(2020, 1, 1),
        effective_end=date(2020, 2, 1),
        status="stopped",
    )
    contact = care.Contact(
        pk=4,
        person=person,
        professional=nurse,
        mode="home_visit",
        occurred_at=WHEN,
        summary='Breathless <script>alert("x")</script>',
    )
    resources = [
        mappers.condition_to_fhir(condition),
        mappers.observation_to_fhir(observation),
        mappers.medication_to_fhir(medicine),
        mappers.contact_to_encounter(contact),
    ]
    for resource in resources:
        validate(resource)
    condition_json, observation_json, medicine_json, encounter = resources
    assert condition_json["code"]["coding"][0] == {
        "system": systems.SNOMED,
        "code": "84114007",
        "display": "Heart failure",
    }
    assert observation_json["valueQuantity"] == {
        "value": 61.5,
        "unit": "kg",
        "system": systems.UCUM,
        "code": "kg",
    }
    # A medicine imported by name alone is sent by name alone, never with a made-up code.
    assert medicine_json["medicationCodeableConcept"] == {"text": "Ibuprofen 200 MG Oral Tablet"}
    assert encounter["class"]["code"] == "HH"
    assert "<script>" not in encounter["text"]["div"]
    assert "&lt;script&gt;" in encounter["text"]["div"]


def test_care_plan_goal_and_task_are_valid(person, nurse):
    plan = care.CarePlan(pk=9, person=person, what_matters="Staying at home", created_at=WHEN)
    goal = care.Goal(
        pk=4,
        care_plan=plan,
        description="Walk to the shop",
        lifecycle_status="completed",
        target_date=date(2026, 6, 1),
        created_at=WHEN,
    )
    task = care.Task(
        public_id=uuid.uuid4(),
        person=person,
        description="Physio review",
        status="requested",
        owner=nurse,
        requester=nurse,
        due_date=date(2026, 4, 1),
        authored_on=WHEN,
        last_modified=WHEN,
    )
    action = care.CarePlanAction(pk=1, care_plan=plan, description="Physio review", owner=nurse)
    action.task = task

    resources = [
        mappers.care_plan_to_fhir(plan, goal_ids=[4], actions=[action]),
        mappers.goal_to_fhir(goal),
        mappers.task_to_fhir(task),
    ]
    for resource in resources:
        validate(resource)
    plan_json, goal_json, task_json = resources
    assert plan_json["activity"] == [
        {"reference": {"reference": f"Task/{task.public_id}", "display": "Physio review"}}
    ]
    assert goal_json["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert task_json["for"]["reference"] == f"Patient/{person.public_id}"
    assert task_json["restriction"] == {"period": {"end": "2026-04-01"}}


def test_carer_consent_and_audit_event_are_valid(person):
    carer = people.Carer(
        pk=8,
        cared_for=person,
        name="Raj Patel",
        relationship="SPS",
        period_start=date(2020, 1, 1),
    )
    consent = people.Consent(
        pk=2, person=person, scope="carer_proxy", status="active", grantee=carer, date_time=WHEN
    )
    consent.grantee_id = 8
    access = RecordAccess(
        pk=6,
        at=WHEN,
        actor_name="Riverside Opticians",
        actor_role="Connected system",
        person=person,
        action="read Patient via API",
        purpose="system",
    )
    glass = RecordAccess(
        pk=7,
        at=WHEN,
        actor_name="Lee Park",
        actor_role="Physiotherapist",
        person=person,
        action="broke the glass",
        purpose="break_glass",
    )
    resources = [
        mappers.carer_to_related_person(carer),
        mappers.consent_to_fhir(consent),
        mappers.record_access_to_audit_event(access),
        mappers.record_access_to_audit_event(glass),
    ]
    for resource in resources:
        validate(resource)
    related, consent_json, system_event, glass_event = resources
    assert related["relationship"][0]["coding"][0]["code"] == "SPS"
    assert consent_json["provision"]["actor"][0]["reference"] == {"reference": "RelatedPerson/8"}
    assert system_event["action"] == "R"
    assert system_event["agent"][0]["who"] == {"display": "Riverside Opticians"}
    assert glass_event["agent"][0]["purposeOfUse"][0]["coding"][0]["code"] == "ETREAT"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(
            {"resourceType": "Patient", "gender": "woman"},  # not in the value set (JSON Schema)
            marks=pytest.mark.skipif(not SCHEMA_FILE.is_file(), reason=SCHEMA_ABSENT),
        ),
        {"resourceType": "Patient", "birthDate": "3 March 1944"},  # not a FHIR date
        {"resourceType": "Patient", "name": []},  # FHIR forbids empty arrays
        {"resourceType": "Observation", "status": "final"},  # code is required
    ],
)
def test_validation_rejects_what_is_not_fhir(bad):
    """The check every emitted resource goes through can fail."""
    with pytest.raises(Exception):  # noqa: B017  (pydantic or jsonschema, whichever sees it)
        validate(bad)
