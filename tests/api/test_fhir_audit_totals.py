"""A search's total is a fact about the people it counts: each of them finds it in their
trail, as a returned person does, in one statement whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneroof.audit.models import RecordAccess
from oneroof.care.models import Condition
from oneroof.fhir import query
from tests.api.fhir_support import Api
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NHS = "https://fhir.nhs.uk/Id/nhs-number"


@pytest.fixture
def reader(db):
    return Api("system/*.read")


def trail(action: str) -> set:
    return set(RecordAccess.objects.filter(action=action).values_list("person_id", flat=True))


def test_a_count_of_ones_conditions_is_in_their_trail(reader, person):
    Condition.objects.create(person=person, code="84114007", display="Heart failure")
    someone_else = PersonFactory()

    bundle = reader.get(
        "/fhir/R4/Condition",
        {"patient": str(person.public_id), "code": "84114007", "_count": 0},
    ).json()

    assert bundle["total"] == 1 and "entry" not in bundle
    access = RecordAccess.objects.get(person=person)
    assert (access.action, access.actor_name) == (
        "counted Condition via API",
        "Riverside Council Care System",
    )
    assert not RecordAccess.objects.filter(person=someone_else).exists()


def test_asking_whether_an_nhs_number_is_held_is_in_the_trail(reader, person):
    bundle = reader.get(
        "/fhir/R4/Patient", {"identifier": f"{NHS}|{person.nhs_number}", "_count": 0}
    ).json()
    assert bundle["total"] == 1
    assert trail("counted Patient via API") == {person.pk}


def test_a_page_audits_its_people_as_searched_and_the_rest_as_counted(reader):
    people = [PersonFactory() for _ in range(5)]

    bundle = reader.get("/fhir/R4/Patient", {"_count": 2}).json()

    returned = {
        p.pk for p in people if str(p.public_id) in {e["resource"]["id"] for e in bundle["entry"]}
    }
    assert len(returned) == 2
    assert trail("searched Patient via API") == returned
    assert trail("counted Patient via API") == {p.pk for p in people} - returned
    assert RecordAccess.objects.count() == 5  # one row a person, never two


def test_a_total_over_more_people_than_a_page_is_a_population_count(reader, monkeypatch):
    monkeypatch.setattr(query, "MAX_COUNTED_PEOPLE", 3)
    for _ in range(4):
        PersonFactory()
    assert reader.get("/fhir/R4/Patient", {"_count": 0}).json()["total"] == 4
    assert not RecordAccess.objects.exists()
    monkeypatch.setattr(query, "MAX_COUNTED_PEOPLE", 4)
    assert reader.get("/fhir/R4/Patient", {"_count": 0}).json()["total"] == 4
    assert RecordAccess.objects.filter(action="counted Patient via API").count() == 4


def test_directory_totals_touch_no_trail(reader, nurse):
    assert reader.get("/fhir/R4/Practitioner", {"_count": 0}).json()["total"] == 1
    assert not RecordAccess.objects.exists()


def test_counting_costs_the_same_queries_for_2_or_20_people(reader):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert reader.get("/fhir/R4/Patient", {"_count": 0}).status_code == 200
        return len(captured)

    PersonFactory(), PersonFactory()
    two = queries()
    for _ in range(18):
        PersonFactory()
    assert queries() == two
    assert RecordAccess.objects.filter(action="counted Patient via API").count() == 22
