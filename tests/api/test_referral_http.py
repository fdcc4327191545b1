"""The referral front doors over HTTP: every bad input gets a clear NHS-style message, keeps
what was typed and writes nothing; double submissions make one referral; referrers see only
their own referrals; CSRF holds on the public form; a bad Open Referral UK file imports
nothing."""

import json
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.people.models import Person
from oneroof.referrals.models import Referral, ReferralStatus
from oneroof.workforce.models import Service
from tests.factories import PersonFactory, ProfessionalFactory, UserFactory
from tests.referral_factories import (
    ReferralFactory,
    ServiceFactory,
    optician,
    youth_hub,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def talking(db):
    return ServiceFactory(name="NHS Talking Therapies", minimum_age=18, standards=[(75, 42)])


def refer_url(service):
    return reverse("self_referral:self_refer", kwargs={"public_id": service.public_id})


def self_referral(person=None, **overrides):
    born = person.birth_date if person else date(1990, 5, 17)
    form = {
        "submission_id": str(uuid.uuid4()),
        "nhs_number": person.nhs_number if person else "999 000 0026",
        "birth_date_0": str(born.day),
        "birth_date_1": str(born.month),
        "birth_date_2": str(born.year),
        "given_name": "Alex",
        "family_name": person.family_name if person else "Smith",
        "reason": "I have been feeling low for months",
        "phone": "",
        "email": "alex@example.com",
    }
    form.update(overrides)
    return form


def refused(response, message, status=400):
    body = response.content.decode()
    assert response.status_code == status, body[:500]
    assert message in body, body
    assert not Referral.objects.exists()
    return body


def test_self_referral_matching_a_record_is_sent_and_awaits_identity(client, talking, person):
    response = client.post(refer_url(talking), self_referral(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("self_referral:sent")
    referral = Referral.objects.get()
    assert referral.source == "self" and referral.identity_match == "matched"
    assert referral.person is None  # anyone could have typed those details: a triager checks
    page = client.get(response["Location"]).content.decode()
    assert "Your referral has been sent to NHS Talking Therapies" in page


def test_missing_nhs_number_keeps_what_was_typed(client, talking):
    body = refused(
        client.post(refer_url(talking), self_referral(nhs_number="")), "Enter your NHS number"
    )
    assert "I have been feeling low for months" in body  # kept
    assert 'value="Alex"' in body and 'value="1990"' in body
    assert "There is a problem" in body and 'href="#id_nhs_number"' in body


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12345", "NHS number must be 10 numbers"),
        ("943 476 591X", "NHS number must be 10 numbers"),
        ("943 476 5918", "Enter a valid NHS number, like 943 476 5919"),
        ("000 000 0000", "Enter a valid NHS number, like 943 476 5919"),
        ("4444444444", "Enter a valid NHS number, like 943 476 5919"),
    ],
)
def test_malformed_nhs_number_is_refused(client, talking, typed, message):
    body = refused(client.post(refer_url(talking), self_referral(nhs_number=typed)), message)
    assert f'value="{typed}"' in body


def test_date_of_birth_in_the_future_is_refused(client, talking):
    future = timezone.localdate() + timedelta(days=30)
    form = self_referral(
        birth_date_0=str(future.day), birth_date_1=str(future.month), birth_date_2=str(future.year)
    )
    refused(client.post(refer_url(talking), form), "Your date of birth must be in the past")


def test_impossible_date_of_birth_is_refused(client, talking):
    form = self_referral(birth_date_0="31", birth_date_1="2")
    refused(client.post(refer_url(talking), form), "Your date of birth must be a real date")


def test_unknown_service_is_404(client):
    url = reverse("self_referral:self_refer", kwargs={"public_id": uuid.uuid4()})
    assert client.get(url).status_code == 404
    assert client.post(url, self_referral()).status_code == 404
    assert not Referral.objects.exists()


def test_closed_service_is_404(client):
    closed = ServiceFactory(status="temporarily closed")
    assert client.post(refer_url(closed), self_referral()).status_code == 404


def test_forty_year_old_cannot_refer_themselves_to_the_under_25_hub(client):
    hub = youth_hub()
    forty = PersonFactory(birth_date=date(timezone.localdate().year - 40, 1, 1))
    body = refused(
        client.post(refer_url(hub), self_referral(forty)),
        "Young people&#39;s mental health hub is for people under 25",
    )
    assert 'href="#id_birth_date"' in body


def test_service_that_does_not_take_self_referral_refuses_it(client, person):
    eye = ServiceFactory(name="Community eye service", accepts_self_referral=False)
    assert client.get(refer_url(eye)).status_code == 403
    refused(client.post(refer_url(eye), self_referral(person)), "You cannot refer yourself", 403)


def test_double_submission_makes_one_referral(client, talking, person):
    form = self_referral(person)
    first = client.post(refer_url(talking), form)
    second = client.post(refer_url(talking), form)
    assert first.status_code == second.status_code == 302
    assert Referral.objects.count() == 1


def test_public_self_referral_is_csrf_protected(talking, person):
    client = Client(enforce_csrf_checks=True)
    response = client.post(refer_url(talking), self_referral(person))
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not Referral.objects.exists()


def test_unknown_nhs_number_makes_a_referral_awaiting_identity_and_no_record(client, talking):
    assert client.post(refer_url(talking), self_referral()).status_code == 302
    assert not Person.objects.exists()
    referral = Referral.objects.get()
    assert (referral.nhs_number, referral.identity_match, referral.person) == (
        "9990000026",
        "unknown",
        None,
    )


def test_signed_in_resident_refers_without_retyping_who_they_are(client_for, talking):
    me = PersonFactory(user=UserFactory(email="me@example.com"), birth_date=date(1980, 1, 1))
    client = client_for(me.user)
    form = {"submission_id": str(uuid.uuid4()), "reason": "Low mood", "phone": "", "email": ""}
    assert client.post(refer_url(talking), form).status_code == 302
    referral = Referral.objects.get()
    assert (referral.person, referral.email) == (me, "me@example.com")
    assert RecordAccess.objects.filter(person=me, purpose="self").exists()


def test_resident_sees_the_status_and_reason_of_their_own_referrals_only(client_for, talking):
    me = PersonFactory(user=UserFactory())
    ReferralFactory(
        service=talking,
        person=me,
        status=ReferralStatus.DECLINED,
        status_reason="Please call the crisis line if you feel unsafe",
    )
    ReferralFactory(service=ServiceFactory(name="Secret service"), person=PersonFactory())
    page = client_for(me.user).get(reverse("portal:referral_list")).content.decode()
    assert "NHS Talking Therapies" in page and "Declined" in page
    assert "Please call the crisis line if you feel unsafe" in page
    assert "Secret service" not in page
    assert RecordAccess.objects.filter(person=me, action="viewed referrals").count() == 1


# Professionals and external referrers


def professional_referral(person, service, **overrides):
    form = self_referral(person, reason="Cataract suspected in the left eye")
    form["service"] = str(service.pk)
    form.update(overrides)
    return form


def test_optician_refers_to_the_eye_service(client_for, person):
    eye = ServiceFactory(name="Community eye service", referrers=["optician"])
    sender = optician()
    client = client_for(sender)
    response = client.post(reverse("referrals:referral_create"), professional_referral(person, eye))
    referral = Referral.objects.get()
    assert response["Location"] == reverse(
        "referrals:referral_detail", kwargs={"public_id": referral.public_id}
    )
    assert (referral.requester, referral.source, referral.person) == (sender, "optician", person)


def test_optician_cannot_refer_to_a_service_that_does_not_take_opticians(client_for, person):
    msk = ServiceFactory(name="MSK physiotherapy")
    response = client_for(optician()).post(
        reverse("referrals:referral_create"), professional_referral(person, msk)
    )
    refused(response, "Choose a service from the list")


def test_referrer_cannot_read_another_referrers_referral(client_for, person):
    eye = ServiceFactory(name="Community eye service", referrers=["optician"])
    mine, theirs = optician(), optician()
    referral = ReferralFactory(
        service=eye, person=person, requester=theirs, source="optician", reason="Private note"
    )
    client = client_for(mine)
    url = reverse("referrals:referral_detail", kwargs={"public_id": referral.public_id})

    response = client.get(url)

    assert response.status_code == 404
    body = response.content.decode()
    assert "Private note" not in body and person.nhs_number not in body
    assert referral.name not in client.get(reverse("referrals:referral_list")).content.decode()
    triage = reverse("referrals:referral_triage", kwargs={"public_id": referral.public_id})
    assert client.post(triage, {"action": "accept"}).status_code == 403
    assert not RecordAccess.objects.filter(person=person).exists()


def test_referrers_list_shows_only_what_they_sent(client_for, person):
    eye = ServiceFactory(name="Community eye service", referrers=["optician"])
    mine, theirs = optician(), optician()
    ReferralFactory(service=eye, requester=mine, given_name="Mine")
    ReferralFactory(service=eye, requester=theirs, given_name="Theirs")
    page = client_for(mine).get(reverse("referrals:referral_list")).content.decode()
    assert "Mine" in page and "Theirs" not in page


# Open Referral UK import


@pytest.fixture
def directory_manager(db):
    manager = ProfessionalFactory()
    manager.user.user_permissions.add(Permission.objects.get(codename="change_service"))
    return manager


def upload(content: bytes):
    return {"file": SimpleUploadedFile("services.json", content, "application/json")}


def test_bad_oruk_file_imports_nothing_and_says_why(client_for, directory_manager):
    document = {"contents": [{"id": "nope", "name": "Lunch club", "status": "open"}]}
    response = client_for(directory_manager).post(
        reverse("referrals:directory_import"), upload(json.dumps(document).encode())
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in body
    assert "contents[0].id: must be a UUID" in body
    assert "contents[0].status: must be one of" in body
    assert not Service.objects.exists()


def test_file_that_is_not_json_imports_nothing(client_for, directory_manager):
    response = client_for(directory_manager).post(
        reverse("referrals:directory_import"), upload(b"<services/>")
    )
    assert response.status_code == 400
    assert "is not JSON" in response.content.decode()
    assert not Service.objects.exists()


def test_only_directory_managers_import(client_for, nurse):
    assert client_for(nurse).get(reverse("referrals:directory_import")).status_code == 403
