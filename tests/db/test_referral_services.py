"""Making and triaging referrals: matching the person, idempotency, the lifecycle in the
database, the waiting clock, notifications and the audit trail."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.people.models import NhsNumberVerification, Person
from oneroof.referrals import services
from oneroof.referrals.lifecycle import IllegalTransition, ReferralError
from oneroof.referrals.models import IdentityMatch, Referral, ReferralEvent, ReferralStatus
from oneroof.referrals.notifications import SUBJECT
from oneroof.workforce.models import ReferrerKind
from tests.factories import PersonFactory, ProfessionalFactory
from tests.referral_factories import (
    ReferralFactory,
    ServiceFactory,
    community_pharmacist,
    youth_hub,
)

pytestmark = pytest.mark.django_db


S = ReferralStatus


def details(person=None, **overrides):
    values = dict(
        nhs_number=person.nhs_number if person else "9990000026",
        birth_date=person.birth_date if person else date(1990, 5, 17),
        given_name="Alex",
        family_name=person.family_name if person else "Smith",
        email="alex@example.com",
    )
    values.update(overrides)
    return services.PersonDetails(**values)


def self_refer(service, person_details, submission_id=None):
    return services.submit_referral(
        service=service,
        details=person_details,
        reason="Back pain for six weeks",
        kind=ReferrerKind.SELF,
        submission_id=submission_id or uuid.uuid4(),
    )


def test_self_referral_matching_a_record_waits_for_a_triager_to_confirm_who_it_is(msk, person):
    """Anyone can type a name, a birth date and an NHS number into the public form: the
    referral holds them, and is linked to nobody until a triager has checked."""
    referral = self_refer(msk, details(person))
    assert referral.person is None and referral.identity_unconfirmed
    assert referral.identity_match == IdentityMatch.MATCHED
    assert (referral.nhs_number, referral.birth_date) == (person.nhs_number, person.birth_date)
    assert referral.status == S.RECEIVED
    assert referral.standard_due_at == referral.received_at + timedelta(days=126)
    assert list(referral.events.values_list("status", flat=True)) == [S.RECEIVED]


def test_self_referral_with_an_unknown_nhs_number_makes_no_record(msk):
    """Issue 10: an unknown NHS number made a Person with whatever was typed, which then blocked
    the real person. Now the referral holds what was typed, and awaits identity."""
    referral = self_refer(msk, details(phone="07700 900123"))
    assert referral.identity_match == IdentityMatch.UNKNOWN
    assert referral.person is None and referral.identity_unconfirmed
    assert not Person.objects.exists()
    assert (referral.nhs_number, referral.given_name, referral.phone) == (
        "9990000026",
        "Alex",
        "07700 900123",
    )


def test_nhs_number_of_someone_with_another_last_name_matches_nobody(msk, person):
    referral = self_refer(msk, details(person, family_name="Someone-Else"))
    assert (referral.person, referral.identity_match) == (None, IdentityMatch.MISMATCH)


def test_professional_referral_matching_a_traced_record_is_linked_to_it(msk, person):
    gp = ProfessionalFactory(profession="gp")
    referral = services.submit_referral(
        service=msk,
        details=details(person, family_name=f" {person.family_name.upper()} "),
        reason="Knee pain",
        kind=ReferrerKind.GP,
        requester=gp,
        by=gp.user,
        submission_id=uuid.uuid4(),
    )
    assert (referral.person, referral.identity_confirmation) == (person, "referrer")
    assert not referral.identity_unconfirmed


def test_nhs_number_of_someone_with_another_birth_date_matches_nobody(msk, person):
    referral = self_refer(msk, details(person, birth_date=date(1999, 1, 1)))
    assert referral.person is None
    assert referral.identity_match == IdentityMatch.MISMATCH
    assert Person.objects.count() == 1  # nothing made, nothing changed
    person.refresh_from_db()
    assert person.given_name != "Alex"


def test_same_submission_twice_is_one_referral(msk, person):
    submission = uuid.uuid4()
    first = self_refer(msk, details(person), submission)
    second = self_refer(msk, details(person), submission)
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    assert ReferralEvent.objects.count() == 1


def test_refused_referral_writes_nothing(person):
    hub = youth_hub()
    with pytest.raises(services.ReferralRefused) as refused:
        self_refer(hub, details(birth_date=date(1986, 1, 1)))
    assert refused.value.problems[0].code == "ineligible_age"
    assert not Referral.objects.exists()
    assert Person.objects.count() == 1


def test_pharmacist_refers_and_the_audit_says_so(msk, person):
    pharmacist = community_pharmacist()
    msk.referrers = ["pharmacist"]
    msk.save()
    referral = services.submit_referral(
        service=msk,
        details=details(person),
        reason="Knee pain",
        kind=ReferrerKind.PHARMACIST,
        requester=pharmacist,
        by=pharmacist.user,
        submission_id=uuid.uuid4(),
    )
    assert referral.requester == pharmacist and referral.source == "pharmacist"
    access = RecordAccess.objects.get(person=person)
    assert (access.action, access.purpose) == ("sent a referral", "referrer")


def test_triager_accepts_and_the_person_becomes_visible_to_them(msk, triager, person):
    referral = ReferralFactory(service=msk, person=person)
    # Waiting to be looked at is no relationship: anyone can send a referral.
    assert not Person.objects.visible_to(triager.user).filter(pk=person.pk).exists()

    accepted = services.accept_referral(referral=referral, by=triager)

    assert accepted.status == S.ACCEPTED and accepted.relationship_granted
    assert (accepted.triaged_by, accepted.closed_at) == (triager, None)
    assert Person.objects.visible_to(triager.user).filter(pk=person.pk).exists()
    assert RecordAccess.objects.filter(person=person, purpose="open_referral").exists()
    # Accepting twice (a double click) changes nothing more.
    services.accept_referral(referral=referral, by=triager)
    assert referral.events.count() == 1


def test_declined_referral_ends_the_relationship_and_keeps_the_reason(msk, triager, person):
    referral = ReferralFactory(service=msk, person=person)
    with pytest.raises(ReferralError, match="Enter why"):
        services.decline_referral(referral=referral, by=triager, reason="  ")

    services.decline_referral(referral=referral, by=triager, reason="Please see your GP first")

    referral.refresh_from_db()
    assert referral.status == S.DECLINED and referral.status_reason == "Please see your GP first"
    assert referral.closed_at is not None
    assert not Person.objects.visible_to(triager.user).filter(pk=person.pk).exists()
    with pytest.raises(IllegalTransition):
        services.accept_referral(referral=referral, by=triager)


def test_only_the_services_triagers_may_triage(msk, person):
    outsider = ProfessionalFactory()
    referral = ReferralFactory(service=msk, person=person)
    with pytest.raises(ReferralError, match="You do not triage referrals for MSK"):
        services.accept_referral(referral=referral, by=outsider)
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED


def test_redirect_keeps_the_original_clock_and_the_referrer(msk, triager, person):
    debt = ServiceFactory(name="Debt advice", standards=[(90, 14)])
    referral = ReferralFactory(
        service=msk, person=person, received_at=timezone.now() - timedelta(days=3)
    )

    onward = services.redirect_referral(
        referral=referral, to_service=debt, by=triager, reason="Money worries come first"
    )

    referral.refresh_from_db()
    assert referral.status == S.REDIRECTED and referral.replaced_by == onward
    assert onward.service == debt and onward.status == S.RECEIVED
    assert onward.received_at == referral.received_at
    assert onward.standard_due_at == referral.received_at + timedelta(days=14)
    assert onward.requester == referral.requester and onward.replaces == referral
    # A second press returns the same onward referral.
    again = services.redirect_referral(referral=referral, to_service=debt, by=triager, reason="x")
    assert again == onward and Referral.objects.count() == 2


def test_redirect_to_a_service_the_person_is_too_old_for_is_refused(msk, triager):
    referral = ReferralFactory(service=msk, person=PersonFactory(birth_date=date(1960, 1, 1)))
    with pytest.raises(ReferralError, match="is for people under 25"):
        services.redirect_referral(
            referral=referral, to_service=youth_hub(), by=triager, reason="Better there"
        )


def test_mismatched_identity_cannot_be_accepted_until_checked(msk, triager):
    referral = ReferralFactory(service=msk, person=None, identity_match=IdentityMatch.MISMATCH)
    with pytest.raises(ReferralError, match="Confirm who this person is"):
        services.accept_referral(referral=referral, by=triager)
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED


def test_confirm_identity_links_the_traced_record_and_is_audited(msk, triager, person):
    referral = self_refer(msk, details(person, birth_date=date(1999, 1, 1)))  # a typo, checked
    before = Person.objects.values().get(pk=person.pk)

    services.confirm_identity(referral=referral, by=triager)

    referral.refresh_from_db()
    assert referral.person == person and not referral.identity_unconfirmed
    assert (referral.identity_confirmation, referral.identity_confirmed_by) == ("triager", triager)
    assert Person.objects.values().get(pk=person.pk) == before  # the record is not changed
    access = RecordAccess.objects.get(person=person)
    assert (access.user, access.action) == (triager.user, "confirmed identity")
    assert referral.events.last().note == "Identity confirmed"
    # Still waiting to be looked at: confirming alone opens nothing.
    assert not Person.objects.visible_to(triager.user).filter(pk=person.pk).exists()


def test_confirm_identity_without_a_traced_record_is_refused(msk, triager):
    referral = self_refer(msk, details())
    with pytest.raises(ReferralError, match="no record with this NHS number"):
        services.confirm_identity(referral=referral, by=triager)
    PersonFactory(nhs_number="9990000026", nhs_number_verification=NhsNumberVerification.NOT_TRACED)
    with pytest.raises(ReferralError, match="no record with this NHS number"):
        services.confirm_identity(referral=referral, by=triager)
    referral.refresh_from_db()
    assert referral.person is None and not RecordAccess.objects.exists()


def test_booking_hooks_attach_the_appointment_and_stop_the_clock(msk, triager, person):
    referral = services.accept_referral(
        referral=ReferralFactory(service=msk, person=person), by=triager
    )
    appointment = uuid.uuid4()

    booked = services.book_referral(
        referral=referral, appointment_public_id=appointment, by=triager
    )
    assert booked.status == S.BOOKED and booked.appointment_public_id == appointment

    cancelled = services.cancel_booking(referral=booked, by=triager, note="Clinic cancelled")
    assert cancelled.status == S.ACCEPTED and cancelled.appointment_public_id is None
    services.book_referral(referral=referral, appointment_public_id=appointment, by=triager)

    seen = timezone.now() - timedelta(hours=1)
    services.record_first_seen(referral=referral, seen_at=seen)
    services.record_first_seen(referral=referral, seen_at=timezone.now())  # the first one counts
    done = services.complete_referral(referral=referral, by=triager)
    assert done.status == S.COMPLETED and done.first_seen_at == seen


def test_booking_a_referral_still_waiting_for_triage_is_illegal(msk, triager, person):
    referral = ReferralFactory(service=msk, person=person)
    with pytest.raises(IllegalTransition):
        services.book_referral(referral=referral, appointment_public_id=uuid.uuid4(), by=triager)


def test_every_status_change_emails_the_referrer_and_the_person_without_detail(
    msk, triager, person, mailoutbox, django_capture_on_commit_callbacks
):
    referrer = ProfessionalFactory(profession="gp")
    referrer.user.email = "gp@practice.example"
    referrer.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.submit_referral(
            service=msk,
            details=details(person, email="resident@example.com"),
            reason="Knee pain after a fall",
            kind=ReferrerKind.GP,
            requester=referrer,
            by=referrer.user,
            submission_id=uuid.uuid4(),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_referral(referral=referral, by=triager, reason="Not for physio")

    assert sorted(m.to[0] for m in mailoutbox) == [
        "gp@practice.example",
        "gp@practice.example",
        "resident@example.com",
        "resident@example.com",
    ]
    for message in mailoutbox:
        assert message.subject == SUBJECT
        for secret in ("MSK", "Knee", "Not for physio", person.given_name, person.nhs_number):
            assert secret not in message.subject + message.body


def test_no_email_when_the_change_is_rolled_back(
    msk, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(services.ReferralRefused):
            self_refer(msk, details(person, birth_date=date.today() + timedelta(days=1)))
    assert callbacks == [] and mailoutbox == []
