"""The demo's neighbourhood manager: signs in with the demo password and lands on the measures."""

import pytest
from django.test import Client
from django.urls import reverse

from oneroof.demo import DEMO_PASSWORD, DEMO_SIGN_INS
from oneroof.demo.workforce import create_workforce
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client():
    create_workforce()
    client = Client()
    assert client.login(username="manager", password=DEMO_PASSWORD)
    return client


def test_demo_manager_is_listed_among_the_sign_ins():
    assert "manager" in dict(DEMO_SIGN_INS)


def test_demo_manager_lands_on_the_measures_from_the_home_page(manager_client):
    response = manager_client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:neighbourhood_list")
    assert manager_client.get(response["Location"]).status_code == 200


def test_demo_manager_opens_no_record(manager_client):
    assert manager_client.get(reverse("care:person_find")).status_code == 403


def test_home_without_a_role_or_the_measures_permission_is_the_no_role_page(client_for):
    response = client_for(UserFactory()).get(reverse("core:home"))
    assert response.status_code == 403
