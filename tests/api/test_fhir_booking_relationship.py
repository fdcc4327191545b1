"""A FHIR `POST Appointment` follows the same relationship rule as every other booking (ADR
0014): a connected system booking someone into a professional's slot gives that professional
no access to the person's record."""

import pytest
from django.test import Client
from django.urls import reverse

from oneroof.access.models import Appointment, RelationshipBasis
from oneroof.people.access import relationship_with
from tests.api.fhir_support import Api, rota_session
from tests.api.fhir_support import booking_body as booking
from tests.db.access_factories import SiteFactory
from tests.factories import PASSWORD, PersonFactory, ProfessionalFactory, team_around

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(db):
    return Api("system/*.read system/Appointment.write", name="Riverside Opticians (Visionlink)")


@pytest.fixture
def gp(db):
    return ProfessionalFactory(profession="gp", given_name="Ola", family_name="Ade")


def record_status(professional, person) -> int:
    client = Client()
    assert client.login(username=professional.user.username, password=PASSWORD)
    url = reverse("care:record_view", kwargs={"public_id": person.public_id})
    return client.get(url).status_code


def test_fhir_booking_by_a_system_gives_the_slot_professional_no_access(sender, gp):
    person = PersonFactory()
    free, _ = rota_session(gp, SiteFactory(organisation=gp.organisation))

    response = sender.post("/fhir/R4/Appointment", booking(free, person))

    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get()
    assert appointment.relationship_basis == RelationshipBasis.NONE
    assert relationship_with(gp.user, person) is None
    assert record_status(gp, person) == 403


def test_fhir_booking_leaves_a_relationship_made_by_the_care_as_it_was(sender, gp):
    person = PersonFactory()
    team_around(person, gp)
    free, _ = rota_session(gp, SiteFactory(organisation=gp.organisation))

    assert sender.post("/fhir/R4/Appointment", booking(free, person)).status_code == 201

    assert Appointment.objects.get().relationship_basis == RelationshipBasis.NONE
    assert relationship_with(gp.user, person) == "care_team"
    assert record_status(gp, person) == 200
