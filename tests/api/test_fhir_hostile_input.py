"""No 500 from input on the API: hostile search values and bodies get a 4xx with an
OperationOutcome that says what was wrong (and a 413 for a body over the limit)."""

import json

import pytest
from django.conf import settings

from oneroof.referrals.models import Referral
from tests.api.fhir_support import Api, issue, outcome_of, referral_body
from tests.factories import PersonFactory
from tests.referral_factories import ServiceFactory, optician

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
SEARCHES = [
    ("Patient", "_id", ",".join(["x"] * 400)),
    ("Patient", "family", ",".join(["Patel"] * 400)),
    ("Patient", "identifier", ",".join(["9434765919"] * 400)),
    ("Appointment", "date", ",".join(["2030-01-01"] * 400)),
    ("Condition", "patient", ",".join([HUGE] * 400)),
    ("Appointment", "date", f"{HUGE}-01-01"),
    ("Appointment", "date", "2030-²-01"),
    ("Appointment", "date", "٢٠٣٠-٠١-٠١"),
    ("Patient", "_count", HUGE),
    ("Patient", "_count", "²"),
    ("Patient", "_offset", HUGE),
    ("Patient", "_offset", "٣"),
    ("Practitioner", "_id", HUGE),
    ("Practitioner", "_id", "²"),
    ("CarePlan", "_id", "-" + HUGE),
    ("Task", "owner", f"Practitioner/{HUGE}"),
    ("Task", "owner", "Practitioner/²"),
    ("Location", "_id", HUGE),
    ("Slot", "schedule", f"Schedule/{HUGE}"),
    ("Patient", "birthdate", f"ge{HUGE}"),
    ("Patient", "name", "\x00"),
]


@pytest.fixture
def api(db):
    PersonFactory()
    return Api("system/*.read system/ServiceRequest.c system/Appointment.write system/Task.write")


@pytest.mark.parametrize(("resource", "name", "value"), SEARCHES)
def test_hostile_search_values_are_never_a_server_error(api, resource, name, value):
    response = api.get(f"/fhir/R4/{resource}", {name: value})
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert issue(response)["expression"] == [name]


def test_more_than_100_comma_values_are_refused_with_a_clear_outcome(api):
    response = api.get("/fhir/R4/Patient", {"family": ",".join(["Patel"] * 101)})
    assert response.status_code == 400
    found = issue(response)
    assert found["expression"] == ["family"]
    assert "at most 100 values" in found["diagnostics"]
    assert api.get("/fhir/R4/Patient", {"family": ",".join(["Patel"] * 100)}).status_code == 200


def test_too_many_search_values_in_all_are_refused(api):
    query = "&".join(f"family=P{i}" for i in range(101))
    response = api.get(f"/fhir/R4/Patient?{query}")
    assert response.status_code == 400
    assert "at most 100 values" in issue(response)["diagnostics"]


@pytest.fixture
def clinic(db):
    return ServiceFactory(referrers=["optician"])


def _referral(clinic, **changes):
    return referral_body(clinic, optician(), **changes)


@pytest.mark.parametrize("kind", [123, None, "Nope", {"x": 1}, ["Patient"], ""])
def test_a_contained_resource_with_a_bad_resource_type_is_400(api, clinic, kind):
    body = _referral(clinic)
    body["contained"][0]["resourceType"] = kind
    response = api.post("/fhir/R4/ServiceRequest", body)
    assert response.status_code == 400, response.content[:300]
    assert "contained" in issue(response)["expression"][0]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("depth", [200, 5_000, 100_000])
def test_deeply_nested_json_is_400(api, clinic, depth):
    nested = "[" * depth + "]" * depth
    body = json.dumps(_referral(clinic)).replace('"R-1001"', nested, 1)
    response = api.post("/fhir/R4/ServiceRequest", body)
    assert response.status_code == 400
    assert "nested" in issue(response)["diagnostics"]
    assert not Referral.objects.exists()


def test_a_body_over_the_limit_is_413_with_an_outcome(api, clinic):
    body = _referral(clinic)
    body["note"] = [{"text": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}]
    response = api.post("/fhir/R4/ServiceRequest", body)
    assert response.status_code == 413
    assert "too large" in outcome_of(response)["issue"][0]["diagnostics"]
    assert not Referral.objects.exists()


def test_nul_characters_are_400_not_a_database_error(api, clinic):
    """PostgreSQL text cannot hold NUL: refused before the database sees it."""
    body = _referral(clinic)
    body["reasonCode"][0]["text"] = "Struggling\x00 to read"
    response = api.post("/fhir/R4/ServiceRequest", body)
    assert response.status_code == 400
    assert "NUL" in issue(response)["diagnostics"]
    assert not Referral.objects.exists()
    for resource in ("Patient", "Practitioner", "Task", "Appointment", "HealthcareService"):
        assert api.get(f"/fhir/R4/{resource}/%00").status_code in (400, 404)
    token = api.http.post(
        "/fhir/R4/auth/token",
        "grant_type=client_credentials&client_id=%00&client_secret=%00",
        content_type="application/x-www-form-urlencoded",
    )
    assert token.status_code == 401
