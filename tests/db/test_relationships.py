"""Relationships come from the care, never from the person who wants the access (ADR 0014).

Booking into a slot opens the record to the slot's professional only on the bases of the rule
(by the person, by someone with a relationship, by a colleague for a recorded reason); a
professional booking a stranger into their own slot must give a reason and gets a self-claimed
relationship: time limited, marked in the audit trail and reviewed by the privacy officer.
"""

import importlib
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oneroof.access import services
from oneroof.access.models import Appointment, AppointmentStatus, Channel, RelationshipBasis
from oneroof.access.relationships import BookingReason
from oneroof.audit.models import RecordAccess, SelfClaimedRelationship, SelfClaimSource
from oneroof.audit.reasons import InvalidReason
from oneroof.audit.services import claim_relationship
from oneroof.people.access import relationship_with
from oneroof.people.models import Carer, Consent
from tests.db.access_factories import SiteFactory, SlotFactory, make_surgery
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
    UserFactory,
    team_around,
)

pytestmark = [pytest.mark.django_db]
B = RelationshipBasis

SENTENCE = "Walked in unwell and is not known to anyone in the team"
REASON = {"reason_kind": "care_now", "reason": SENTENCE}


@pytest.fixture
def surgery():
    return make_surgery()


@pytest.fixture
def patient(surgery):
    """Registered with the surgery (so its staff may book for them), known to nobody."""
    return surgery.patient(given_name="Nadia", family_name="Stone")


def tomorrow(hour=10):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def end_of_day(moment):
    day = timezone.localdate(moment) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def record(client, person):
    return client.get(reverse("care:record_view", kwargs={"public_id": person.public_id}))


def book_directly(client, person, slot, **extra):
    url = reverse("access:slot_book", kwargs={"public_id": person.public_id})
    return client.post(url, {"slot": slot.pk, "submission_id": str(uuid.uuid4()), **extra})


def book(slot, person, by, **kwargs):
    return services.book_appointment(
        slot=slot, person=person, by=by, submission_id=uuid.uuid4(), **kwargs
    )


def other_organisations_nurse(surgery):
    """A community nurse of another organisation in the same neighbourhood, with a slot."""
    trust = OrganisationFactory(
        neighbourhood=surgery.practice.neighbourhood, kind="community_trust"
    )
    nurse = ProfessionalFactory(organisation=trust, profession="district_nurse")
    site = SiteFactory(organisation=trust, neighbourhood=trust.neighbourhood)
    start = tomorrow(11)
    slot = SlotFactory(
        professional=nurse, site=site, start=start, end=start + timedelta(minutes=20)
    )
    return nurse, slot


# --- a GP booking a stranger into their own slot -----------------------------------------------


def test_own_slot_booking_without_a_reason_books_nothing_and_the_record_stays_closed(
    client_for, surgery, patient
):
    gp = client_for(surgery.dr_hughes)
    assert record(gp, patient).status_code == 403

    response = book_directly(gp, patient, surgery.slot(surgery.dr_hughes, tomorrow()))

    assert response.status_code == 400
    page = response.content.decode()
    assert "You have no care relationship with this person" in page
    assert page.count('class="nhsuk-error-message"') == 2  # on the kind and on the words
    assert "Choose why you are booking this appointment" in page
    assert not Appointment.objects.exists()
    assert not SelfClaimedRelationship.objects.exists()
    assert record(gp, patient).status_code == 403


@pytest.mark.parametrize(
    "reason, message",
    [
        ({"reason_kind": "care_now", "reason": "aaaaaaaaaa"}, "Describe the reason in words"),
        ({"reason_kind": "", "reason": SENTENCE}, "Choose why you need to see this record"),
        ({"reason_kind": "because", "reason": SENTENCE}, "Choose why you are booking"),
    ],
)
def test_own_slot_booking_with_a_reason_that_says_nothing_is_a_field_error(
    client_for, surgery, patient, reason, message
):
    gp = client_for(surgery.dr_hughes)
    response = book_directly(gp, patient, surgery.slot(surgery.dr_hughes, tomorrow()), **reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appointment.objects.exists()
    assert record(gp, patient).status_code == 403


def test_own_slot_booking_with_a_reason_is_a_self_claimed_relationship(
    client_for, surgery, patient, privacy_officer
):
    gp = client_for(surgery.dr_hughes)
    slot = surgery.slot(surgery.dr_hughes, tomorrow())

    response = book_directly(gp, patient, slot, **REASON)

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    claim = SelfClaimedRelationship.objects.get()
    assert appointment.relationship_basis == B.SELF_CLAIMED
    assert appointment.self_claim == claim
    assert (claim.user, claim.person, claim.source) == (
        surgery.dr_hughes.user,
        patient,
        SelfClaimSource.OWN_SLOT_BOOKING,
    )
    assert (claim.reason_kind, claim.reason) == ("care_now", SENTENCE)
    assert claim.expires_at == end_of_day(slot.start)  # time limited: the appointment's day
    assert RecordAccess.objects.filter(
        person=patient, purpose="self_claimed", action="claimed a relationship"
    ).exists()

    opened = record(gp, patient)
    assert opened.status_code == 200
    assert "Self-claimed relationship" in opened.content.decode()  # a banner, as break-glass has
    viewed = RecordAccess.objects.filter(person=patient, action="viewed record").get()
    assert viewed.purpose == "self_claimed"  # marked in the audit trail with its own purpose

    review = client_for(privacy_officer).get(reverse("audit:break_glass_list")).content.decode()
    assert "claimed a relationship with Nadia Stone" in review
    assert SENTENCE in review

    SelfClaimedRelationship.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert relationship_with(surgery.dr_hughes.user, patient) is None  # the appointment is not
    assert record(gp, patient).status_code == 403


def test_cancelling_an_own_slot_booking_ends_its_self_claimed_relationship(surgery, patient):
    appointment = book(
        surgery.slot(surgery.dr_hughes, tomorrow()),
        patient,
        surgery.dr_hughes.user,
        reason=BookingReason("care_now", SENTENCE),
    )
    assert relationship_with(surgery.dr_hughes.user, patient) == "self_claimed"

    services.cancel_appointment(appointment=appointment, by=surgery.receptionist.user)

    assert relationship_with(surgery.dr_hughes.user, patient) is None
    assert SelfClaimedRelationship.objects.get().expires_at <= timezone.now()


def test_a_self_claimed_relationship_does_not_count_when_booking_again(surgery, patient):
    gp = surgery.dr_hughes
    book(surgery.slot(gp, tomorrow()), patient, gp.user, reason=BookingReason("care_now", SENTENCE))
    later = surgery.slot(gp, tomorrow() + timedelta(days=7))
    with pytest.raises(services.ReasonNeeded):
        book(later, patient, gp.user)  # no lasting relationship laundered out of the first
    assert Appointment.objects.count() == 1


def test_privacy_officer_reviews_a_self_claimed_relationship(
    client_for, surgery, patient, privacy_officer
):
    book(
        surgery.slot(surgery.dr_hughes, tomorrow()),
        patient,
        surgery.dr_hughes.user,
        reason=BookingReason("care_now", SENTENCE),
    )
    claim = SelfClaimedRelationship.objects.get()
    officer = client_for(privacy_officer)
    url = reverse("audit:self_claim_review", kwargs={"pk": claim.pk})

    officer.post(url, {"note": ""})
    claim.refresh_from_db()
    assert claim.reviewed_at is None

    officer.post(url, {"note": "Justified: seen as an emergency"})
    claim.refresh_from_db()
    assert (claim.reviewed_by, claim.review_note) == (
        privacy_officer,
        "Justified: seen as an emergency",
    )
    assert client_for(surgery.dr_hughes).post(url, {"note": "fine"}).status_code == 403


# --- claim_relationship, the service the self-referral acceptance uses too ---------------------


def test_claim_relationship_refuses_a_reason_that_says_nothing_and_writes_nothing(patient):
    user = UserFactory()
    with pytest.raises(InvalidReason):
        claim_relationship(
            user=user,
            person=patient,
            source=SelfClaimSource.SELF_REFERRAL_ACCEPTED,
            reason_kind="other",
            reason="x x x x x x x x",
            expires_at=timezone.now() + timedelta(hours=24),
        )
    for source, expires in [
        ("made_up", timezone.now() + timedelta(hours=1)),
        (SelfClaimSource.SELF_REFERRAL_ACCEPTED, timezone.now() - timedelta(minutes=1)),
    ]:
        with pytest.raises(ValueError):
            claim_relationship(
                user=user,
                person=patient,
                source=source,
                reason_kind="care_now",
                reason=SENTENCE,
                expires_at=expires,
            )
    assert not SelfClaimedRelationship.objects.exists()
    assert not RecordAccess.objects.exists()


def test_claim_from_a_self_referral_lasts_at_most_a_day_and_is_audited(patient):
    triager = ProfessionalFactory(profession="physiotherapist")

    claim = claim_relationship(
        user=triager.user,
        person=patient,
        source=SelfClaimSource.SELF_REFERRAL_ACCEPTED,
        reason_kind="arranging_care",
        reason="Confirmed her identity by phone and accepted her referral",
        expires_at=timezone.now() + timedelta(days=30),
    )

    assert claim.expires_at <= timezone.now() + timedelta(hours=24)
    assert relationship_with(triager.user, patient) == "self_claimed"
    trail = RecordAccess.objects.get(person=patient)
    assert (trail.user, trail.purpose) == (triager.user, "self_claimed")


# --- reception, rebooking, and the other routes ------------------------------------------------


def test_reception_booking_into_another_organisations_slot_gives_no_access(
    client_for, surgery, patient
):
    nurse, slot = other_organisations_nurse(surgery)

    response = book_directly(client_for(surgery.receptionist), patient, slot)

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.relationship_basis == B.NONE
    assert relationship_with(nurse.user, patient) is None
    assert record(client_for(nurse), patient).status_code == 403


def test_reception_booking_a_patient_of_the_practice_opens_the_record_to_the_colleague(
    client_for, surgery, patient
):
    slot = surgery.slot(surgery.nurse, tomorrow())

    assert book_directly(client_for(surgery.receptionist), patient, slot).status_code == 302

    assert Appointment.objects.get().relationship_basis == B.OWN_TEAM
    assert record(client_for(surgery.nurse), patient).status_code == 200
    assert RecordAccess.objects.filter(action="viewed record").get().purpose == "open_appointment"


def rebook(client, appointment, slot):
    url = reverse("access:appointment_rebook", kwargs={"public_id": appointment.public_id})
    return client.post(url, {"slot": slot.pk, "submission_id": str(uuid.uuid4())})


@pytest.mark.parametrize("to", ["colleague", "other_organisation"])
def test_reception_cannot_rebook_to_another_professionals_slot(client_for, surgery, patient, to):
    first = book(surgery.slot(surgery.dr_hughes, tomorrow()), patient, surgery.receptionist.user)
    if to == "colleague":
        elsewhere = surgery.slot(surgery.dr_malik, tomorrow(12))
    else:
        _, elsewhere = other_organisations_nurse(surgery)

    response = rebook(client_for(surgery.receptionist), first, elsewhere)

    assert response.status_code == 400
    assert "Rebooking keeps the same professional" in response.content.decode()
    first.refresh_from_db()
    assert first.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1


def test_reception_rebooking_with_the_same_professional_keeps_the_basis(
    client_for, surgery, patient
):
    first = book(surgery.slot(surgery.dr_hughes, tomorrow()), patient, surgery.receptionist.user)
    later = surgery.slot(surgery.dr_hughes, tomorrow(15))

    assert rebook(client_for(surgery.receptionist), first, later).status_code == 302

    moved = Appointment.objects.get(slot=later)
    assert (moved.rebooked_from, moved.relationship_basis) == (first, B.OWN_TEAM)


def test_rebook_page_offers_only_the_same_professional_and_says_what_to_do_when_none(
    client_for, surgery, patient
):
    first = book(surgery.slot(surgery.dr_hughes, tomorrow()), patient, surgery.receptionist.user)
    surgery.slot(surgery.dr_malik, tomorrow(12))  # free, but not Dr Hughes's
    url = reverse("access:appointment_rebook", kwargs={"public_id": first.public_id})

    page = client_for(surgery.receptionist).get(url).content.decode()

    assert 'name="slot"' not in page
    assert "Rebooking keeps the same professional" in page


def test_a_clinician_with_a_relationship_may_rebook_to_another_professional(surgery, patient):
    team_around(patient, surgery.dr_hughes)
    first = book(surgery.slot(surgery.dr_hughes, tomorrow()), patient, surgery.receptionist.user)
    nurse, nurse_slot = other_organisations_nurse(surgery)

    moved = services.rebook_appointment(
        appointment=first, slot=nurse_slot, by=surgery.dr_hughes.user, submission_id=uuid.uuid4()
    )

    assert (moved.slot, moved.relationship_basis) == (nurse_slot, B.RELATIONSHIP)
    assert relationship_with(nurse.user, patient) == "open_appointment"


def test_the_person_and_their_carer_booking_give_a_relationship(surgery, patient):
    patient.user = UserFactory()
    patient.save()
    carer_person = PersonFactory(user=UserFactory())
    carer = Carer.objects.create(
        cared_for=patient, carer_person=carer_person, name="Sam Stone", relationship="CHILD"
    )
    Consent.objects.create(person=patient, scope="carer_proxy", status="active", grantee=carer)
    _, other_slot = other_organisations_nurse(surgery)

    theirs = book(
        surgery.slot(surgery.dr_hughes, tomorrow()), patient, patient.user, channel=Channel.ONLINE
    )
    carers = book(other_slot, patient, carer_person.user, channel=Channel.ONLINE)

    assert theirs.relationship_basis == carers.relationship_basis == B.PERSON
    assert relationship_with(surgery.dr_hughes.user, patient) == "open_appointment"


def test_a_carer_without_consent_makes_no_relationship(surgery, patient):
    carer_person = PersonFactory(user=UserFactory())
    carer = Carer.objects.create(
        cared_for=patient, carer_person=carer_person, name="Sam Stone", relationship="CHILD"
    )
    Consent.objects.create(person=patient, scope="carer_proxy", status="rejected", grantee=carer)
    _, slot = other_organisations_nurse(surgery)

    assert book(slot, patient, carer_person.user).relationship_basis == B.NONE


def test_waiting_list_and_request_bookings_by_reception_are_for_a_recorded_ask(surgery, patient):
    centre_gp = ProfessionalFactory(profession="gp")  # another organisation: nothing on record
    slot = surgery.slot(centre_gp, tomorrow())
    assert book(slot, patient, surgery.receptionist.user).relationship_basis == B.NONE
    offered = surgery.slot(surgery.dr_malik, tomorrow(12))
    entry = services.add_to_waiting_list(person=patient, by=surgery.receptionist.user)
    entry.status, entry.offered_slot = "offered", offered
    entry.save()

    booked = services.book_offered_slot(
        entry=entry, by=surgery.receptionist.user, submission_id=uuid.uuid4(), channel="clinician"
    )

    assert booked.relationship_basis == B.OWN_TEAM


# --- existing appointments ---------------------------------------------------------------------


def test_existing_appointments_keep_access_only_when_someone_else_made_them(surgery, patient):
    from django.apps import apps

    migration = importlib.import_module(
        "oneroof.access.migrations.0004_appointment_relationship_basis"
    )
    patient.user = UserFactory()
    patient.save()
    nurse, other_slot = other_organisations_nurse(surgery)
    rows = {
        "online": (surgery.slot(surgery.dr_hughes, tomorrow(9)), patient.user, "online"),
        "reception": (
            surgery.slot(surgery.dr_malik, tomorrow(9)),
            surgery.receptionist.user,
            "reception",
        ),
        "own_slot": (surgery.slot(surgery.nurse, tomorrow(9)), surgery.nurse.user, "clinician"),
        "other_org": (other_slot, surgery.receptionist.user, "reception"),
        "api": (surgery.slot(surgery.dr_hughes, tomorrow(14)), UserFactory(), "system"),
    }
    made = {
        key: Appointment.objects.create(
            slot=slot, person=patient, booked_by=by, channel=channel, relationship_basis="none"
        )
        for key, (slot, by, channel) in rows.items()
    }

    migration.decide_existing_bases(apps, None)

    bases = {key: Appointment.objects.get(pk=a.pk).relationship_basis for key, a in made.items()}
    assert bases == {
        "online": "person",
        "reception": "own_team",
        "own_slot": "none",
        "other_org": "none",
        "api": "none",
    }
