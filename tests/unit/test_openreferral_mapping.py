"""Open Referral UK mapping: a service out to ORUK and back, and every way a file can be wrong.
Pure functions: no database."""

import copy
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from oneroof.referrals.openreferral.mapping import (
    ODS_SCHEME,
    REPORTING,
    ROUTES,
    STANDARDS,
    OrukError,
    page,
    parse_document,
    service_to_oruk,
)

ORG = SimpleNamespace(
    public_id=uuid.UUID("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
    name="Tees Riverside Mental Health NHS Foundation Trust",
    description="",
    email="",
    website="",
    ods_code="R9D2",
    kind="mental_health_trust",
)
SITE = SimpleNamespace(
    public_id=uuid.UUID("3a19ff88-4620-4d17-9830-ac1d859eb5d5"),
    name="Riverside Neighbourhood Health Centre",
    line="1 Riverside Walk",
    postal_code="TS18 1NH",
)
HUB = SimpleNamespace(
    public_id=uuid.UUID("ac148810-d857-441c-9679-408f346de14b"),
    name="Young people's mental health hub",
    description="Support for young people's mental health.",
    status="active",
    url="https://services.example/youth",
    email="",
    minimum_age=None,
    maximum_age=24,
    eligibility_description="For young people under 25. Open access.",
    accepts_self_referral=True,
    referrers=["gp", "school"],
    is_mental_health=True,
    updated_at=datetime(2026, 3, 15, 10, 30, 45, 123000, tzinfo=UTC),
)
STANDARD = SimpleNamespace(percent=75, days=28)


def exported() -> dict:
    return service_to_oruk(HUB, organisation=ORG, sites=[SITE], standards=[STANDARD])


def terms(data, taxonomy):
    linked = [attribute["taxonomy_term"] for attribute in data["attributes"]]
    return [term["term"] for term in linked if term["taxonomy"] == taxonomy]


def test_service_to_oruk_carries_the_uk_profile_fields():
    data = exported()
    assert data["id"] == "ac148810-d857-441c-9679-408f346de14b"
    assert data["status"] == "active"
    assert data["maximum_age"] == 24 and "minimum_age" not in data
    assert data["last_modified"] == "2026-03-15T10:30:45.123Z"
    assert data["organization"]["id"] == str(ORG.public_id)
    assert data["organization"]["description"] == ORG.name  # required, so never empty
    (identifier,) = data["organization"]["organization_identifiers"]
    assert (identifier["identifier_scheme"], identifier["identifier"]) == (ODS_SCHEME, "R9D2")
    (link,) = data["service_at_locations"]
    assert link["location"]["id"] == str(SITE.public_id)
    assert link["location"]["addresses"][0]["postal_code"] == "TS18 1NH"
    assert terms(data, ROUTES) == ["self", "gp", "school"]
    assert terms(data, STANDARDS) == ["75% within 28 days"]
    assert terms(data, REPORTING) == ["mental-health"]
    assert data["wait_time"] == "75% seen within 4 weeks"


def test_export_is_the_same_every_time():
    assert exported() == exported()


def test_exported_service_parses_back_to_the_same_facts():
    (record,) = parse_document(page([exported()]))
    assert record.id == HUB.public_id
    assert (record.name, record.status, record.maximum_age) == (HUB.name, "active", 24)
    assert record.accepts_self_referral is True
    assert record.referrers == ("gp", "school")
    assert record.standards == ((75, 28),)
    assert record.is_mental_health is True
    assert record.organisation.ods_code == "R9D2"
    assert record.organisation.kind == "mental_health_trust"
    assert [location.id for location in record.locations] == [SITE.public_id]


def test_a_list_or_a_single_service_is_read_too():
    assert len(parse_document([exported()])) == 1
    assert len(parse_document(exported())) == 1


def test_service_from_another_directory_has_no_oneroof_attributes():
    data = exported()
    del data["attributes"]
    (record,) = parse_document(page([data]))
    assert record.referrers is None and record.standards is None


def broken(change) -> list[str]:
    data = copy.deepcopy(exported())
    change(data)
    with pytest.raises(OrukError) as raised:
        parse_document(page([exported() | {"id": str(uuid.uuid4())}, data]))
    return raised.value.errors


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda d: d.update(id="not-a-uuid"), "contents[1].id: must be a UUID, not 'not-a-uuid'"),
        (lambda d: d.pop("name"), "contents[1].name: is required"),
        (lambda d: d.update(status="open"), "contents[1].status: must be one of"),
        (lambda d: d.update(minimum_age=30), "contents[1].minimum_age: must not be more than"),
        (lambda d: d.update(maximum_age=-1), "contents[1].maximum_age: must be a whole number"),
        (lambda d: d.update(maximum_age="old"), "contents[1].maximum_age: must be a number"),
        (lambda d: d.update(url="ftp://x"), "contents[1].url: must be a web address"),
        (lambda d: d.update(email="nobody"), "contents[1].email: must be an email address"),
        (lambda d: d["organization"].pop("name"), "contents[1].organization.name: is required"),
        (
            lambda d: d["service_at_locations"][0]["location"].update(addresses=[]),
            "contents[1].service_at_locations[0].location.addresses: give the address",
        ),
        (
            lambda d: d["attributes"][0]["taxonomy_term"].update(term="telepathy"),
            "contents[1].attributes[0].taxonomy_term.term: is not a referral route",
        ),
        (
            lambda d: d["attributes"][3]["taxonomy_term"].update(term="most within a while"),
            "contents[1].attributes[3].taxonomy_term.term: must read like '75% within 42 days'",
        ),
        (lambda d: d.update(last_modified="yesterday"), "contents[1].last_modified: must be"),
    ],
)
def test_each_problem_is_reported_with_its_path(change, error):
    errors = broken(change)
    assert any(e.startswith(error) for e in errors), errors


def test_two_services_with_one_id_is_an_error():
    with pytest.raises(OrukError) as raised:
        parse_document(page([exported(), exported()]))
    assert raised.value.errors == ["contents[1].id: is the id of another service in this file"]


@pytest.mark.parametrize(
    "document, error",
    [
        ({"contents": "lots"}, "contents: must be a list of services"),
        ({"services": []}, "file: must be an Open Referral UK page"),
        ("hello", "file: must be an Open Referral UK page"),
        (page([]), "file: has no services in it"),
        ([42], "[0]: must be an object"),
    ],
)
def test_a_file_that_is_not_a_directory_is_refused(document, error):
    with pytest.raises(OrukError) as raised:
        parse_document(document)
    assert raised.value.errors[0].startswith(error)


def test_every_problem_is_collected_not_just_the_first():
    errors = broken(lambda d: d.update(id="x", status="open", url="nope"))
    assert len(errors) == 3
