"""Lockout with back-off after repeated wrong attempts, for staff sign-in, resident sign-in and
the API's token endpoint; the privacy officer sees lockouts; sessions end when idle."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneroof.audit import lockout
from oneroof.audit.models import SignInLockout, SignInThrottle
from oneroof.fhir.auth import register_client
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "You have entered the wrong details too many times"


def staff_sign_in(client, username, password):
    return client.post(reverse("core:sign_in"), {"username": username, "password": password})


def _expire_lock(key):
    SignInThrottle.objects.filter(key=key).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )


def test_staff_sign_in_sixty_wrong_passwords_then_the_right_one_is_refused(nurse):
    """The defect: 60 wrong passwords, then the right one signed in."""
    client = Client()
    for _ in range(60):
        staff_sign_in(client, nurse.user.username, "wrong-password")
    response = staff_sign_in(client, nurse.user.username, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_locks_on_the_fifth_failure_and_says_how_long(nurse):
    client = Client()
    for _ in range(4):
        page = staff_sign_in(client, nurse.user.username, "wrong").content.decode()
        assert "Enter a correct username and password" in page
    page = staff_sign_in(client, nurse.user.username, "wrong").content.decode()
    assert f"{LOCKED}. Wait 1 minute, then try again." in page
    # The right password while locked is not even checked.
    assert LOCKED in staff_sign_in(client, nurse.user.username, PASSWORD).content.decode()

    _expire_lock(nurse.user.username)
    assert staff_sign_in(client, nurse.user.username, PASSWORD).status_code == 302
    # A success clears the name's count (not its address's: see test_public_form_limits).
    assert not SignInThrottle.objects.filter(key=nurse.user.username).exists()


def test_lockout_backs_off_twice_as_long_each_time(nurse):
    key = nurse.user.username
    at = timezone.now()
    lengths = []
    for _lockout in range(8):
        at += timedelta(hours=2)
        ends = [lockout.fail(key, door="staff", at=at) for _ in range(5)]
        assert ends[:4] == [None] * 4
        lengths.append(round((ends[4] - at).total_seconds() / 60))
    assert lengths == [1, 2, 4, 8, 16, 32, 60, 60]
    assert SignInLockout.objects.count() == 8


def test_lockout_is_per_name_and_says_nothing_about_whether_it_exists(nurse):
    client = Client()
    for _ in range(5):
        staff_sign_in(client, "nobody.here", "wrong")
    assert LOCKED in staff_sign_in(client, "NOBODY.HERE", "wrong").content.decode()
    assert staff_sign_in(client, nurse.user.username, PASSWORD).status_code == 302


def test_resident_sign_in_locks_after_repeated_failures():
    resident = PersonFactory(user=UserFactory(username="mrs.patel"))
    client = Client()
    url = reverse("portal:sign_in")
    for _ in range(5):
        client.post(url, {"username": "mrs.patel", "password": "wrong"})
    page = client.post(url, {"username": "mrs.patel", "password": PASSWORD}).content.decode()
    assert LOCKED in page
    assert "_auth_user_id" not in client.session
    assert SignInLockout.objects.get().door == "resident"

    _expire_lock("mrs.patel")
    assert client.post(url, {"username": "mrs.patel", "password": PASSWORD}).status_code == 302
    assert int(client.session["_auth_user_id"]) == resident.user.pk


def _token(client_id, secret):
    return Client().post(
        "/fhir/R4/auth/token",
        f"grant_type=client_credentials&client_id={client_id}&client_secret={secret}",
        content_type="application/x-www-form-urlencoded",
    )


def test_token_endpoint_locks_a_client_after_repeated_wrong_secrets():
    client, secret = register_client(name="Riverside Council", scopes="system/Patient.read")
    statuses = [_token(client.client_id, "wrong").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    response = _token(client.client_id, secret)
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "invalid_client"
    assert "Wait 1 minute" in body["error_description"]
    assert SignInLockout.objects.get().door == "api"

    _expire_lock(lockout.API_PREFIX + client.client_id.lower())
    assert _token(client.client_id, secret).status_code == 200


def test_privacy_officer_sees_lockouts(client_for, privacy_officer, nurse, stranger):
    for _ in range(5):
        staff_sign_in(Client(), nurse.user.username, "wrong")
    page = client_for(privacy_officer).get(reverse("audit:sign_in_review")).content.decode()
    assert nurse.user.username in page
    assert "Staff sign-in" in page
    assert client_for(stranger).get(reverse("audit:sign_in_review")).status_code == 403


def test_session_ends_when_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_session_ends_after_inactivity(client_for, nurse, settings):
    client = client_for(nurse)
    page = reverse("care:person_find")
    assert client.get(page).status_code == 200
    session = client.session
    session["last_seen"] -= settings.SESSION_IDLE_SECONDS + 1
    session.save()
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:sign_in"))
    assert "_auth_user_id" not in client.session


def test_session_carries_on_while_in_use(client_for, nurse, settings):
    client = client_for(nurse)
    page = reverse("care:person_find")
    client.get(page)
    session = client.session
    session["last_seen"] -= settings.SESSION_IDLE_SECONDS - 60
    session.save()
    assert client.get(page).status_code == 200
    assert re.fullmatch(r"\d+", str(client.session["last_seen"]))
