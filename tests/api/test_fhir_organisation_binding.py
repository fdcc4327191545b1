"""A client registered with an organisation reads, of every resource type about a person, only
what is about people its organisation's professionals have a relationship with (the record
pages' own rule), plus what its organisation made; includes and $everything follow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import oneroof.fhir.api  # noqa: F401  (registers every resource type)
from oneroof.access.models import Appointment
from oneroof.fhir.registry import get_resource, resource_types
from oneroof.workforce.models import CareTeamMember
from tests.api.fhir_support import Api, validate, whole_record
from tests.factories import (
    CareTeamMemberFactory,
    PersonFactory,
    ProfessionalFactory,
    team_around,
)
from tests.referral_factories import ReferralFactory, optician

pytestmark = pytest.mark.django_db

ABOUT_A_PERSON = [r.name for r in resource_types() if r.person_path is not None]


@pytest.fixture
def practice_nurse(db):
    return ProfessionalFactory(registration_number="12A3456E")


@pytest.fixture
def records(practice_nurse):
    """Meera, in the care team of the practice's nurse; Grace, whom nobody there knows."""
    meera, _ = whole_record(practice_nurse)
    grace, _ = whole_record(ProfessionalFactory(given_name="Sam"))
    return meera, grace


@pytest.fixture
def practice_system(practice_nurse):
    return Api(
        "system/*.read", name="Riverside Surgery system", organisation=practice_nurse.organisation
    )


def ids(bundle, mode="match") -> set[str]:
    return {e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode}


def about(resource, person) -> set[str]:
    return {resource.id_of(row) for row in resource.for_person_pk(person.pk, None)}


@pytest.mark.parametrize("name", ABOUT_A_PERSON)
def test_every_type_shows_only_people_the_organisation_cares_for(practice_system, records, name):
    meera, grace = records
    resource = get_resource(name)
    mine, theirs = about(resource, meera), about(resource, grace)
    assert mine and theirs  # the test has something to show and something to hide

    response = practice_system.get(f"/fhir/R4/{name}", {"_count": 100})

    assert response.status_code == 200
    validate(response.json())
    assert ids(response.json()) == mine
    for hidden in theirs:
        assert practice_system.get(f"/fhir/R4/{name}/{hidden}").status_code == 404
    shown = next(iter(mine))
    assert practice_system.get(f"/fhir/R4/{name}/{shown}").status_code == 200


def test_the_directory_is_not_bound(practice_system, records):
    everyone = Api("system/*.read")
    for name in ("Practitioner", "Organization", "HealthcareService", "Slot", "Location"):
        ours = practice_system.get(f"/fhir/R4/{name}").json()["total"]
        assert ours == everyone.get(f"/fhir/R4/{name}").json()["total"] > 0


def test_includes_bring_no_one_the_organisation_does_not_care_for(practice_system, records):
    meera, grace = records
    # A referral the practice sent about Grace: the practice reads it, not Grace's record.
    sent = ReferralFactory(
        person=grace,
        requester=ProfessionalFactory(organisation=practice_system.client_row.organisation),
    )

    bundle = practice_system.get(
        "/fhir/R4/ServiceRequest", {"_include": "ServiceRequest:patient", "_count": 100}
    ).json()

    validate(bundle)
    assert str(sent.public_id) in ids(bundle)
    assert ids(bundle, "include") == {str(meera.public_id)}
    (as_sent,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["id"] == str(sent.public_id)
    ]
    assert "reference" not in as_sent["subject"]  # Grace's Patient id is not given away
    assert as_sent["subject"]["identifier"]["value"] == grace.nhs_number


def test_everything_of_someone_the_organisation_does_not_care_for_is_404(practice_system, records):
    meera, grace = records
    assert practice_system.get(f"/fhir/R4/Patient/{grace.public_id}/$everything").status_code == 404
    bundle = practice_system.get(f"/fhir/R4/Patient/{meera.public_id}/$everything").json()
    validate(bundle)
    patients = {
        e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    }
    assert patients == {str(meera.public_id)}


def test_the_relationship_ends_when_the_care_does(practice_system, records, practice_nurse):
    meera, _ = records
    assert practice_system.get(f"/fhir/R4/Patient/{meera.public_id}").status_code == 200
    # The nurse leaves Meera's care team, and has no open task or appointment with her.
    CareTeamMember.objects.filter(professional=practice_nurse).delete()
    meera.care_team.coordinator = ProfessionalFactory()
    meera.care_team.save()
    meera.tasks.update(status="completed")
    Appointment.objects.filter(person=meera).update(status="cancelled")
    assert practice_system.get(f"/fhir/R4/Patient/{meera.public_id}").status_code == 404


def test_an_opticians_system_reads_no_one_whatever_its_scopes(records):
    meera, _ = records
    optometrist = optician()
    # Even in her team: an external referrer opens no record.
    CareTeamMemberFactory(care_team=meera.care_team, professional=optometrist)
    system = Api("system/*.read", name="Visionlink", organisation=optometrist.organisation)

    for name in ABOUT_A_PERSON:
        assert system.get(f"/fhir/R4/{name}").json()["total"] == 0, name
    assert system.get(f"/fhir/R4/Patient/{meera.public_id}").status_code == 404


def test_a_bound_search_costs_the_same_queries_whatever_its_size(practice_system, practice_nurse):
    for _ in range(3):
        team_around(PersonFactory(), practice_nurse)

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            response = practice_system.get("/fhir/R4/Patient", {"_count": count})
        assert response.status_code == 200
        return len(captured), len(response.json()["entry"])

    one, many = queries(1), queries(100)
    assert (one[1], many[1]) == (1, 3)
    assert one[0] == many[0]
