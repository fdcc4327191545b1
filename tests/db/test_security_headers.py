"""Headers: Permissions-Policy on every response; Server-Timing only for staff, and only when
switched on (DEBUG, or the benchmarks)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_response_sends_a_permissions_policy(client_for, nurse):
    for response in (
        Client().get(reverse("core:sign_in")),
        Client().get("/refer/"),
        client_for(nurse).get(reverse("care:person_find")),
    ):
        assert "geolocation=()" in response["Permissions-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_server_timing_is_never_sent_to_the_public_or_a_resident(client_for, settings):
    settings.SERVER_TIMING = True
    resident = PersonFactory(user=UserFactory())
    assert "Server-Timing" not in Client().get(reverse("core:sign_in"))
    assert "Server-Timing" not in Client().get("/refer/")
    assert "Server-Timing" not in client_for(resident.user).get(reverse("portal:summary"))


def test_server_timing_is_sent_to_staff_only_when_switched_on(client_for, nurse, settings):
    client = client_for(nurse)
    settings.SERVER_TIMING = False
    assert "Server-Timing" not in client.get(reverse("care:person_find"))
    settings.SERVER_TIMING = True
    assert client.get(reverse("care:person_find"))["Server-Timing"].startswith("app;dur=")
