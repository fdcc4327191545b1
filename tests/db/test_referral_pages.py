"""Referral pages over HTTP: the worklist, the record's Referrals section, the pharmacist's
recording, who may see what, audit, escaping and query counts."""

import ast
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.care.models import Immunization, MedicationStatement
from oneroof.referrals.models import IdentityMatch, ReferralStatus
from tests.factories import PersonFactory, team_around
from tests.referral_factories import (
    ReferralFactory,
    ServiceFactory,
    community_pharmacist,
    optician,
)

pytestmark = pytest.mark.django_db


S = ReferralStatus


def record_url(person):
    return reverse("care:record_view", kwargs={"public_id": person.public_id})


def detail_url(referral):
    return reverse("referrals:referral_detail", kwargs={"public_id": referral.public_id})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_worklist_shows_nearest_to_breaching_first(client_for, msk, triager):
    now = timezone.now()
    later = ReferralFactory(service=msk, received_at=now - timedelta(days=10))
    # An hour inside each whole day, so the day counts do not depend on the test's speed.
    breached = ReferralFactory(service=msk, received_at=now - timedelta(days=130, hours=-1))
    soon = ReferralFactory(service=msk, received_at=now - timedelta(days=122, hours=-1))
    unclocked = ReferralFactory(service=ServiceFactory(triagers=[triager]))
    ReferralFactory(service=msk, status=S.DECLINED)  # not waiting

    body = client_for(triager).get(reverse("referrals:worklist")).content.decode()

    waiting = body.split("Waiting for triage")[1].split("Accepted, waiting to be booked")[0]
    order = [r.name for r in (breached, soon, later, unclocked)]
    assert [waiting.index(name) for name in order] == sorted(waiting.index(n) for n in order)
    assert "Standard missed 4 days ago" in waiting and "Breached" in waiting
    assert "4 days left" in waiting and "Due soon" in waiting
    assert "No waiting-time standard" in waiting


def test_worklist_is_for_triagers_only(client_for, nurse):
    assert client_for(nurse).get(reverse("referrals:worklist")).status_code == 403


def test_worklist_query_count_is_constant(client_for, msk, triager):
    client = client_for(triager)
    ReferralFactory(service=msk)
    few = _queries(client, reverse("referrals:worklist"))
    for _ in range(20):
        ReferralFactory(service=msk)
        ReferralFactory(service=msk, status=S.ACCEPTED)
    assert _queries(client, reverse("referrals:worklist")) == few


def test_triager_accepts_from_the_referral_page(client_for, msk, triager, person):
    referral = ReferralFactory(service=msk, person=person)
    client = client_for(triager)
    page = client.get(detail_url(referral)).content.decode()
    assert "Accept referral" in page and "Decline referral" in page

    url = reverse("referrals:referral_triage", kwargs={"public_id": referral.public_id})
    response = client.post(url, {"action": "accept", "note": ""})

    assert response.status_code == 302 and response["Location"] == reverse("referrals:worklist")
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    purposes = set(RecordAccess.objects.filter(person=person).values_list("purpose", flat=True))
    assert purposes == {"open_referral"}


def test_decline_without_a_reason_shows_the_error_and_changes_nothing(
    client_for, msk, triager, person
):
    referral = ReferralFactory(service=msk, person=person)
    url = reverse("referrals:referral_triage", kwargs={"public_id": referral.public_id})
    response = client_for(triager).post(url, {"action": "decline", "reason": ""})
    assert response.status_code == 400
    assert "Enter why the referral is declined" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED


def test_illegal_transition_is_shown_as_a_message(client_for, msk, triager, person):
    referral = ReferralFactory(service=msk, person=person, status=S.DECLINED)
    url = reverse("referrals:referral_triage", kwargs={"public_id": referral.public_id})
    client = client_for(triager)
    response = client.post(url, {"action": "redirect", "to_service": msk.pk, "reason": "x"})
    # The redirect form offers only other services, so this never reaches the lifecycle...
    assert response.status_code == 400
    # ...but accepting a declined referral does, and is refused with a message.
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "cannot be moved to accepted" in response.content.decode()


def test_open_referral_is_a_relationship_for_the_triager(client_for, msk, triager, person):
    assert client_for(triager).get(record_url(person)).status_code == 403
    referral = ReferralFactory(service=msk, person=person)
    # Waiting to be looked at: the triager sees the referral, not the record (issue 10).
    assert client_for(triager).get(detail_url(referral)).status_code == 200
    assert client_for(triager).get(record_url(person)).status_code == 403
    referral.status = S.ACCEPTED
    referral.relationship_granted = True
    referral.save()
    assert client_for(triager).get(record_url(person)).status_code == 200
    access = RecordAccess.objects.get(person=person, action="viewed record")
    assert access.purpose == "open_referral"
    referral.status = S.COMPLETED
    referral.save()
    assert client_for(triager).get(record_url(person)).status_code == 403


def test_external_referrer_never_opens_the_record(client_for, person):
    sender = optician()
    eye = ServiceFactory(name="Community eye service", referrers=["optician"])
    referral = ReferralFactory(service=eye, person=person, requester=sender, source="optician")
    client = client_for(sender)

    assert client.get(detail_url(referral)).status_code == 200
    for url in (
        record_url(person),
        reverse("care:person_find"),
        reverse("care:task_list"),
        reverse("referrals:worklist"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("core:home"))["Location"] == reverse("referrals:referral_list")


def test_record_shows_the_referrals_section(client_for, msk, nurse, person):
    team_around(person, nurse)
    ReferralFactory(service=msk, person=person, reason="Knee pain on the stairs")
    ReferralFactory(
        service=msk, person=person, status=S.DECLINED, status_reason="Please see your GP first"
    )
    body = client_for(nurse).get(record_url(person)).content.decode()
    section = body.split('<h2 id="referrals-heading">Referrals</h2>')[1].split("</section>")[0]
    assert "MSK physiotherapy" in section and "Knee pain on the stairs" in section
    assert "Please see your GP first" in section and "Declined" in section


def test_record_page_query_count_is_constant_with_referrals_and_pharmacy_entries(
    client_for, msk, nurse, person
):
    team_around(person, nurse)
    pharmacist = community_pharmacist()
    client = client_for(nurse)

    def add(count):
        for _ in range(count):
            ReferralFactory(service=msk, person=person)
            Immunization.objects.create(
                person=person,
                procedure_code="822851000000102",
                procedure_display="Seasonal influenza vaccination",
                occurrence_date=timezone.localdate(),
                performer_organisation=pharmacist.organisation,
                recorded_by=pharmacist,
            )
            MedicationStatement.objects.create(
                person=person,
                code="",
                display="Nitrofurantoin",
                information_source=pharmacist.organisation,
                recorded_by=pharmacist,
            )

    add(1)
    few = _queries(client, record_url(person))
    add(25)
    assert _queries(client, record_url(person)) == few


def vaccination_form(person, **extra):
    born = person.birth_date
    return {
        "submission_id": str(uuid.uuid4()),
        "nhs_number": person.nhs_number,
        "birth_date_0": born.day,
        "birth_date_1": born.month,
        "birth_date_2": born.year,
        "procedure_code": "822851000000102",
        "occurrence_date_0": timezone.localdate().day,
        "occurrence_date_1": timezone.localdate().month,
        "occurrence_date_2": timezone.localdate().year,
        "lot_number": "AB1234",
        **extra,
    }


def test_pharmacist_records_a_vaccination_that_shows_on_the_record(client_for, nurse, person):
    team_around(person, nurse)
    pharmacist = community_pharmacist()
    client = client_for(pharmacist)
    url = reverse("care:pharmacy_vaccination")
    form = vaccination_form(person)

    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # double click: one vaccination

    vaccination = Immunization.objects.get()
    assert vaccination.performer_organisation == pharmacist.organisation
    assert vaccination.recorded_by == pharmacist
    assert vaccination.procedure_display == "Seasonal influenza vaccination"
    access = RecordAccess.objects.get(person=person)
    assert (access.action, access.purpose) == ("recorded a vaccination", "community_pharmacy")
    record = client_for(nurse).get(record_url(person)).content.decode()
    assert "Seasonal influenza vaccination" in record
    assert pharmacist.organisation.name in record
    # The pharmacist still cannot open the record they added to.
    assert client.get(record_url(person)).status_code == 403


def test_pharmacist_records_a_medicine_supply_that_shows_on_the_record(client_for, nurse, person):
    team_around(person, nurse)
    pharmacist = community_pharmacist()
    today = timezone.localdate()
    form = vaccination_form(person)
    for key in ("procedure_code", "occurrence_date_0", "occurrence_date_1", "occurrence_date_2"):
        form.pop(key)
    form.update(
        display="Nitrofurantoin 100mg modified-release capsules",
        code="",
        dosage="One capsule twice a day for 3 days",
        supplied_on_0=today.day,
        supplied_on_1=today.month,
        supplied_on_2=today.year,
        until_0=(today + timedelta(days=3)).day,
        until_1=(today + timedelta(days=3)).month,
        until_2=(today + timedelta(days=3)).year,
    )
    response = client_for(pharmacist).post(reverse("care:pharmacy_medicine"), form)
    assert response.status_code == 302
    statement = MedicationStatement.objects.get()
    assert statement.information_source == pharmacist.organisation
    record = client_for(nurse).get(record_url(person)).content.decode()
    assert "Nitrofurantoin 100mg modified-release capsules" in record
    assert f"supplied by {pharmacist.organisation.name}" in record


def test_pharmacist_with_the_wrong_birth_date_records_nothing(client_for, person):
    pharmacist = community_pharmacist()
    form = vaccination_form(person, birth_date_2=person.birth_date.year + 1)
    response = client_for(pharmacist).post(reverse("care:pharmacy_vaccination"), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "No one with this NHS number and date of birth" in body
    assert person.name not in body
    assert not Immunization.objects.exists()


def test_only_pharmacists_record_vaccinations(client_for, nurse):
    assert client_for(nurse).get(reverse("care:pharmacy_vaccination")).status_code == 403
    assert client_for(optician()).get(reverse("care:pharmacy_medicine")).status_code == 403


def test_referral_text_is_shown_as_text(client_for, msk, triager, nurse, person):
    team_around(person, nurse)
    payload = '<script>alert("x")</script>'
    referral = ReferralFactory(service=msk, person=person, reason=payload, given_name=payload)
    for client, url in (
        (client_for(triager), detail_url(referral)),
        (client_for(triager), reverse("referrals:worklist")),
        (client_for(nurse), record_url(person)),
    ):
        body = client.get(url).content.decode()
        assert payload not in body
        assert "&lt;script&gt;" in body


def test_triager_sees_the_identity_warnings(client_for, msk, triager):
    mismatch = ReferralFactory(service=msk, person=None, identity_match=IdentityMatch.MISMATCH)
    body = client_for(triager).get(detail_url(mismatch)).content.decode()
    assert "Check who this is" in body
    assert (
        "Check identity" in client_for(triager).get(reverse("referrals:worklist")).content.decode()
    )


PERSONAL = {"Person", "Referral", "ReferralEvent", "Immunization", "MedicationStatement"}
SCOPES = {
    "visible_to",
    "for_record",
    "find",
    "for_resident",
    "for_person",
    "for_triager",
    "sent_by",
}
PAGES = [
    "oneroof/referrals/views.py",
    "oneroof/portal/referrals.py",
    "oneroof/care/pharmacy.py",
    "oneroof/referrals/openreferral/api.py",
]


def test_referral_pages_reach_personal_data_only_through_scopes():
    offences = []
    for page in PAGES:
        for node in ast.walk(ast.parse(Path(page).read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in PERSONAL
                and node.attr not in SCOPES
            ):
                offences.append(f"{page}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    assert offences == []


def test_other_person_is_not_shown_to_a_triager_of_another_service(client_for, triager):
    other = ReferralFactory(service=ServiceFactory(name="Debt advice"), person=PersonFactory())
    response = client_for(triager).get(detail_url(other))
    assert response.status_code == 404
    assert other.name not in response.content.decode()
