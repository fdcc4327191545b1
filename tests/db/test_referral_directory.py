"""The service directory in and out of Open Referral UK against the database: round trips,
a voluntary-sector feed, all-or-nothing imports; and the demo's directory and referrals."""

import copy
import json
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from oneroof.referrals.models import Referral
from oneroof.referrals.openreferral import OrukError, export_directory, import_directory
from oneroof.workforce.models import Organisation, Service, Site, WaitingTimeStandard
from tests.factories import NeighbourhoodFactory, OrganisationFactory
from tests.referral_factories import ServiceFactory, youth_hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    community = OrganisationFactory(
        name="Tees Riverside Community Health", kind="community_trust", ods_code="R9D1"
    )
    centre = Site.objects.create(
        name="Riverside Neighbourhood Health Centre",
        organisation=community,
        neighbourhood=community.neighbourhood,
        line="1 Riverside Walk",
        postal_code="TS18 1NH",
    )
    talking = ServiceFactory(
        name="NHS Talking Therapies",
        organisation=community,
        standards=[(75, 42), (95, 126)],
        is_mental_health=True,
        minimum_age=18,
    )
    talking.sites.add(centre)
    youth_hub(organisation=community).sites.add(centre)
    ServiceFactory(
        name="Community eye service",
        organisation=community,
        accepts_self_referral=False,
        referrers=["optician", "gp"],
        status="temporarily closed",
    )
    return community


def voluntary_feed() -> dict:
    """What a voluntary-sector directory publishes: no ODS code, none of OneRoof's attributes."""
    return {
        "total_items": 1,
        "contents": [
            {
                "id": "5b1b2f0e-8f61-4c3e-9a54-0d7b7c1e2a10",
                "name": "Tuesday lunch club",
                "description": "A hot meal and company for older people.",
                "url": "https://lunchclub.example",
                "status": "active",
                "minimum_age": 60,
                "organization": {
                    "id": "0e6f3c2a-2b9a-4c71-8f3e-6d5a4b3c2d1e",
                    "name": "Riverside Friends",
                    "description": "A registered charity run by volunteers.",
                    "organization_identifiers": [
                        {"identifier_scheme": "GB-CHC", "identifier": "1234567"}
                    ],
                },
                "service_at_locations": [
                    {
                        "id": "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                        "location": {
                            "id": "9f8e7d6c-5b4a-4321-8fed-cba987654321",
                            "name": "St Mary's church hall",
                            "addresses": [
                                {"address_1": "2 Church Lane", "postal_code": "TS18 2AB"}
                            ],
                        },
                    }
                ],
            }
        ],
    }


def counts():
    return (
        Service.objects.count(),
        Organisation.objects.count(),
        Site.objects.count(),
        WaitingTimeStandard.objects.count(),
    )


def test_export_then_import_changes_nothing(directory):
    before = export_directory()
    summary = import_directory(before, neighbourhood=directory.neighbourhood)
    assert summary.created == [] and len(summary.updated) == 3
    assert export_directory() == before


def test_exported_directory_imports_into_an_empty_one_exactly(directory):
    exported = export_directory()
    with transaction.atomic():
        Service.objects.all().delete()
        Site.objects.all().delete()
    summary = import_directory(exported, neighbourhood=directory.neighbourhood)
    assert len(summary.created) == 3
    assert export_directory() == exported
    talking = Service.objects.get(name="NHS Talking Therapies")
    assert sorted(talking.standards.values_list("percent", "days")) == [(75, 42), (95, 126)]
    assert talking.is_mental_health and talking.minimum_age == 18
    eye = Service.objects.get(name="Community eye service")
    assert (eye.accepts_self_referral, eye.referrers, eye.status) == (
        False,
        ["optician", "gp"],
        "temporarily closed",
    )


def test_voluntary_sector_feed_adds_its_organisation_service_and_place():
    neighbourhood = NeighbourhoodFactory()
    summary = import_directory(voluntary_feed(), neighbourhood=neighbourhood)
    assert summary.created == ["Tuesday lunch club"]
    club = Service.objects.select_related("organisation").get()
    assert club.organisation.name == "Riverside Friends"
    assert club.organisation.kind == "voluntary" and club.organisation.ods_code is None
    assert club.minimum_age == 60
    # Nothing said about who may refer: closed to self-referral, open to the team.
    assert not club.accepts_self_referral
    assert set(club.referrers) == {"gp", "nurse", "social_worker", "school", "professional"}
    assert [site.name for site in club.sites.all()] == ["St Mary's church hall"]
    # The feed again, with a new description: updated, not duplicated.
    feed = voluntary_feed()
    feed["contents"][0]["description"] = "Now on Thursdays too."
    assert import_directory(feed, neighbourhood=neighbourhood).updated == ["Tuesday lunch club"]
    assert Service.objects.get().description == "Now on Thursdays too."
    assert counts() == (1, 1, 1, 0)


def test_bad_file_imports_nothing_even_when_only_the_last_service_is_wrong(directory):
    feed = voluntary_feed()
    bad = copy.deepcopy(feed["contents"][0])
    bad.update(id=str(uuid.uuid4()), status="sometimes")
    feed["contents"].append(bad)
    before = counts()
    with pytest.raises(OrukError) as raised:
        import_directory(feed, neighbourhood=directory.neighbourhood)
    assert raised.value.errors == [
        "contents[1].status: must be one of active, inactive, defunct, temporarily closed"
    ]
    assert counts() == before


def test_organisation_id_alone_must_name_an_organisation_already_known(directory):
    feed = voluntary_feed()
    service = feed["contents"][0]
    del service["organization"]
    service["organization_id"] = str(uuid.uuid4())
    with pytest.raises(OrukError, match="problem"):
        import_directory(feed, neighbourhood=directory.neighbourhood)
    service["organization_id"] = str(directory.public_id)
    import_directory(feed, neighbourhood=directory.neighbourhood)
    assert Service.objects.get(name="Tuesday lunch club").organisation == directory


def test_management_commands_export_and_import(directory, tmp_path):
    path = tmp_path / "services.json"
    call_command("export_oruk", str(path), verbosity=0)
    assert json.loads(path.read_text()) == export_directory()
    call_command("import_oruk", str(path), verbosity=0)
    assert counts()[0] == 3


def test_demo_directory_and_referrals():
    from oneroof.demo import generate_neighbourhood

    generate_neighbourhood(residents=300, seed=7)
    names = set(Service.objects.values_list("name", flat=True))
    assert {
        "MSK physiotherapy",
        "NHS Talking Therapies",
        "Young people's mental health hub",
        "Early intervention in psychosis",
        "Stop smoking service",
        "Weight management",
        "Debt advice",
        "Employment advice",
        "Carers' support",
        "Community eye service",
        "District nursing",
        "Adult social care assessment",
        "Falls prevention service",
        "Pharmacy First",
    } <= names
    hub = Service.objects.get(name="Young people's mental health hub")
    assert (hub.maximum_age, hub.accepts_self_referral, hub.is_mental_health) == (24, True, True)
    talking = Service.objects.get(name="NHS Talking Therapies")
    assert list(talking.standards.values_list("percent", "days")) == [(75, 42), (95, 126)]
    assert {s.organisation.kind for s in Service.objects.select_related("organisation")} >= {
        "community_trust",
        "mental_health_trust",
        "local_authority",
        "voluntary",
        "gp_practice",
        "pharmacy",
    }
    meera = Referral.objects.filter(nhs_number="9434765919")
    assert meera.count() == 5 and meera.filter(person__isnull=False).count() == 5
    # Today's referrals (25 to 45), and a year of referrals first seen: at least 24 for each of
    # the 8 services with a waiting-time standard, so that every month has some to measure.
    assert 25 + 8 * 24 <= Referral.objects.count() <= 45 + 8 * 24 + 30
    assert {"received", "accepted", "declined", "completed", "booked"} <= set(
        Referral.objects.values_list("status", flat=True)
    )
    # The demo's directory round-trips through Open Referral UK too.
    exported = export_directory()
    import_directory(exported, neighbourhood=Service.objects.first().organisation.neighbourhood)
    assert export_directory() == exported


def test_open_referral_api_serves_the_directory(client, directory):
    page = client.get(reverse("openreferral:service_list")).json()
    assert page["total_items"] == 3 and page["first_page"] and page["last_page"]
    one = page["contents"][0]
    detail = client.get(reverse("openreferral:service_detail", kwargs={"public_id": one["id"]}))
    assert detail.json() == one
    missing = client.get(reverse("openreferral:service_detail", kwargs={"public_id": uuid.uuid4()}))
    assert missing.status_code == 404 and missing.json()["detail"]
