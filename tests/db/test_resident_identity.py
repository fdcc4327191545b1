"""The resident identity seam: claims in, the resident's own sign-in out."""

from datetime import date

import pytest
from django.urls import reverse

from oneroof.portal.identity import NoRecord, NotVerified, ResidentClaims, resident_user_for
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def claims_for(person, **changes):
    values = {
        "subject": "abc-123",
        "nhs_number": person.nhs_number,
        "birth_date": person.birth_date,
        "proofing_level": "P9",
    }
    return ResidentClaims(**{**values, **changes})


def test_resident_user_for_links_first_sign_in_to_the_record():
    person = PersonFactory()
    user = resident_user_for(claims_for(person))
    person.refresh_from_db()
    assert person.user == user
    assert resident_user_for(claims_for(person)) == user  # the second sign-in finds the same


def test_resident_user_for_needs_high_proofing():
    with pytest.raises(NotVerified):
        resident_user_for(claims_for(PersonFactory(), proofing_level="P5"))


def test_resident_user_for_needs_nhs_number_and_birth_date_to_match():
    person = PersonFactory(birth_date=date(1944, 3, 12))
    with pytest.raises(NoRecord):
        resident_user_for(claims_for(person, birth_date=date(1944, 3, 13)))


def test_resident_user_for_deceased_person_has_no_sign_in():
    person = PersonFactory(deceased_at="2026-01-01T00:00Z")
    with pytest.raises(NoRecord):
        resident_user_for(claims_for(person))


def test_resident_sign_in_page_signs_resident_in(client):
    person = PersonFactory(user=UserFactory(username="meera"))
    response = client.post(reverse("portal:sign_in"), {"username": "meera", "password": PASSWORD})
    assert response.status_code == 302
    assert person.given_name in client.get(reverse("portal:summary")).content.decode()


def test_resident_sign_in_page_wrong_password_says_so(client):
    PersonFactory(user=UserFactory(username="meera"))
    response = client.post(reverse("portal:sign_in"), {"username": "meera", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert client.get(reverse("portal:summary")).status_code == 302


def test_resident_sign_in_page_staff_account_is_not_a_resident(client, nurse):
    response = client.post(
        reverse("portal:sign_in"), {"username": nurse.user.username, "password": PASSWORD}
    )
    assert "Enter a correct username and password" in response.content.decode()
