"""Consent withdrawn binds in the API too (issue 10, part 2): a connected system reads nothing
about a person who has refused or withdrawn consent to share with the team, and is told so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import oneroof.fhir.api  # noqa: F401  (registers every resource type)
from oneroof.audit.models import RecordAccess
from oneroof.people.models import Consent
from tests.api.fhir_support import Api, issue, outcome_of, validate, whole_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NHS = "https://fhir.nhs.uk/Id/nhs-number"
PERSON_LEVEL = ["Condition", "Observation", "CarePlan", "CareTeam", "Task", "Appointment"]


@pytest.fixture
def reader(db):
    return Api("system/*.read")


def withdraw(person, status="inactive"):
    Consent.objects.create(
        person=person, scope="share_with_team", status=status, date_time=timezone.now()
    )


def matches(bundle):
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def outcomes(bundle):
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "outcome"]


def test_patient_read_after_withdrawal_is_403_saying_consent_was_withdrawn(reader):
    """The issue's third bullet, on the API: every team system still read the record."""
    person, _ = whole_record()
    url = f"/fhir/R4/Patient/{person.public_id}"
    assert reader.get(url).status_code == 200

    withdraw(person)
    before = RecordAccess.objects.count()
    response = reader.get(url)

    assert response.status_code == 403
    validate(outcome_of(response))
    found = issue(response)
    assert found["code"] == "suppressed"
    assert "withdrawn" in found["diagnostics"] and "consent" in found["diagnostics"]
    assert found["expression"] == ["Patient.id"]
    assert person.nhs_number not in response.content.decode()
    assert RecordAccess.objects.count() == before  # nothing was read, so nothing to audit


def test_everything_and_each_person_level_read_are_refused(reader):
    person, task = whole_record()
    withdraw(person, "rejected")
    everything = reader.get(f"/fhir/R4/Patient/{person.public_id}/$everything")
    assert everything.status_code == 403 and issue(everything)["code"] == "suppressed"
    assert reader.get(f"/fhir/R4/Task/{task.public_id}").status_code == 403


@pytest.mark.parametrize("resource", PERSON_LEVEL)
def test_searches_withhold_the_persons_rows_and_say_so(reader, resource):
    person, _ = whole_record()
    assert matches(reader.get(f"/fhir/R4/{resource}", {"patient": person.public_id}).json())

    withdraw(person)
    response = reader.get(f"/fhir/R4/{resource}", {"patient": person.public_id})

    assert response.status_code == 200
    bundle = response.json()
    validate(bundle)
    assert matches(bundle) == [] and bundle["total"] == 0
    [outcome] = outcomes(bundle)
    [warning] = outcome["issue"]
    assert (warning["severity"], warning["code"]) == ("warning", "suppressed")
    assert "withheld" in warning["diagnostics"]


def test_a_patient_search_keeps_everyone_else_and_counts_what_it_withheld(reader):
    shared = PersonFactory.create_batch(3)
    objecting = PersonFactory.create_batch(2)
    for person in objecting:
        withdraw(person)

    bundle = reader.get("/fhir/R4/Patient").json()

    assert {p["id"] for p in matches(bundle)} == {str(p.public_id) for p in shared}
    assert bundle["total"] == 3
    assert "2 matches were withheld" in outcomes(bundle)[0]["issue"][0]["diagnostics"]
    audited = set(RecordAccess.objects.values_list("person_id", flat=True))
    assert audited == {p.pk for p in shared}


def test_consent_given_again_shares_again(reader):
    person = PersonFactory()
    withdraw(person)
    Consent.objects.create(person=person, scope="share_with_team", status="active")
    assert reader.get(f"/fhir/R4/Patient/{person.public_id}").status_code == 200


def test_a_search_without_withheld_matches_has_no_warning(reader):
    PersonFactory.create_batch(2)
    assert outcomes(reader.get("/fhir/R4/Patient").json()) == []


def test_an_unknown_id_is_still_a_404_not_a_hint(reader):
    response = reader.get("/fhir/R4/Patient/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_search_query_count_does_not_grow_with_people_who_withdrew(reader):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert reader.get("/fhir/R4/Patient").status_code == 200
        return len(captured)

    PersonFactory.create_batch(2)
    for person in PersonFactory.create_batch(2):
        withdraw(person)
    few = queries()
    for person in PersonFactory.create_batch(20):
        withdraw(person)
    PersonFactory.create_batch(5)
    assert queries() == few
