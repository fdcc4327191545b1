"""Issue 10, part 3: a self-referral never makes or changes a record, and gives a triager the
referral, not the record, until the person's identity is confirmed and the referral accepted.

Each test here failed before: an anonymous `/refer/` made a Person from whatever was typed
(blocking the real person's import, referrals and sign-in), and attached every triager of the
service to the person as an "open referral" relationship at once."""

import json
import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oneroof.audit.models import RecordAccess, SelfClaimedRelationship
from oneroof.people.models import Person
from oneroof.portal.identity import ResidentClaims, resident_user_for
from oneroof.referrals import services
from oneroof.referrals.lifecycle import ReferralError
from oneroof.referrals.models import Referral, ReferralStatus
from oneroof.workforce.models import ReferrerKind
from tests.factories import PersonFactory, ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db

S = ReferralStatus
NUMBER = "9990000026"  # held by nobody until the real person's record is imported
TRUE_BIRTH_DATE = date(1948, 2, 11)
REASON = {"reason_kind": "arranging_care", "reason": "She asked for help with her knee pain"}


def refer_url(service):
    return reverse("self_referral:self_refer", kwargs={"public_id": service.public_id})


def record_url(person):
    return reverse("care:record_view", kwargs={"public_id": person.public_id})


def detail_url(referral):
    return reverse("referrals:referral_detail", kwargs={"public_id": referral.public_id})


def triage_url(referral):
    return reverse("referrals:referral_triage", kwargs={"public_id": referral.public_id})


def form(nhs_number=NUMBER, born=date(1990, 5, 17), given="Mallory", family="Intruder"):
    return {
        "submission_id": str(uuid.uuid4()),
        "nhs_number": nhs_number,
        "birth_date_0": str(born.day),
        "birth_date_1": str(born.month),
        "birth_date_2": str(born.year),
        "given_name": given,
        "family_name": family,
        "reason": "My knee hurts on the stairs",
        "phone": "07700 900123",
        "email": "",
    }


def refer(service, person, kind, requester=None):
    """A referral for `person` with their details as held, from `requester` (None: the public
    self-referral form)."""
    return services.submit_referral(
        service=service,
        details=services.PersonDetails(
            person.nhs_number, person.birth_date, person.given_name, person.family_name
        ),
        reason="Knee pain",
        kind=kind,
        requester=requester,
        by=requester.user if requester else None,
        submission_id=uuid.uuid4(),
    )


def import_patient(tmp_path, *, nhs_number=NUMBER, born=TRUE_BIRTH_DATE) -> str:
    """Import the real person's record from their GP system, as a FHIR Bundle."""
    patient = {
        "resourceType": "Patient",
        "id": "grace",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_number}],
        "name": [{"family": "Okafor", "given": ["Grace"]}],
        "gender": "female",
        "birthDate": born.isoformat(),
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:grace", "resource": patient}],
    }
    path = tmp_path / "grace.json"
    path.write_text(json.dumps(bundle))
    out = StringIO()
    call_command("import_fhir", str(path), source="gp-system", stdout=out)
    return out.getvalue()


# A self-referral made first no longer blocks the real person -------------------------------


def test_self_referral_first_then_the_real_persons_import_referrals_and_sign_in_succeed(
    client, client_for, msk, triager, tmp_path
):
    assert client.post(refer_url(msk), form()).status_code == 302
    waiting = Referral.objects.get()
    assert waiting.person is None and not Person.objects.exists()  # what was typed, only

    import_patient(tmp_path)  # failed before: a made-up record held the number

    grace = Person.objects.get(nhs_number=NUMBER)
    assert (grace.given_name, grace.birth_date) == ("Grace", TRUE_BIRTH_DATE)
    # Her GP's referral matches her (before: "mismatch", against the made-up record).
    gp = ProfessionalFactory(profession="gp")
    from_gp = services.submit_referral(
        service=msk,
        details=services.PersonDetails(NUMBER, TRUE_BIRTH_DATE, "Grace", "Okafor"),
        reason="Knee pain",
        kind=ReferrerKind.GP,
        requester=gp,
        by=gp.user,
        submission_id=uuid.uuid4(),
    )
    assert from_gp.person == grace and from_gp.identity_match == "matched"
    # Her sign-in works (before: no record with her date of birth held her number).
    claims = ResidentClaims("sub-1", NUMBER, TRUE_BIRTH_DATE, "P9")
    assert resident_user_for(claims).person == grace
    # The waiting referral is linked to her once a triager has checked who sent it.
    client_for(triager).post(triage_url(waiting), {"action": "confirm_identity"})
    waiting.refresh_from_db()
    assert waiting.person == grace and waiting.identity_confirmation == "triager"
    grace.refresh_from_db()
    assert (grace.given_name, grace.birth_date) == ("Grace", TRUE_BIRTH_DATE)  # unchanged


def test_self_referral_never_changes_a_verified_record(client, msk, person):
    before = Person.objects.values().get(pk=person.pk)
    typed = form(person.nhs_number, date(2001, 1, 1), "Someone", "Else")
    assert client.post(refer_url(msk), typed).status_code == 302
    assert Person.objects.values().get(pk=person.pk) == before
    assert Referral.objects.get().identity_match == "mismatch"


@pytest.mark.parametrize("typed", ["0000000000", "000 000 0000", "9434765918"])
def test_all_zeros_or_a_failed_check_digit_is_refused_with_a_field_error(client, msk, typed):
    response = client.post(refer_url(msk), form(typed))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#nhs_number"' in body or "id_nhs_number" in body
    assert "Enter a valid NHS number, like 943 476 5919" in body
    assert not Referral.objects.exists() and not Person.objects.exists()


# A triager sees the referral, not the record ------------------------------------------------


def test_anonymous_self_referral_with_someones_details_opens_nothing(
    client, client_for, msk, triager, person
):
    """The attack in issue 10: find someone's name and date of birth, refer them anonymously,
    and every triager of the service could open their record."""
    typed = form(person.nhs_number, person.birth_date, person.given_name, person.family_name)
    assert client.post(refer_url(msk), typed).status_code == 302
    referral = Referral.objects.get()
    staff = client_for(triager)

    page = staff.get(detail_url(referral))
    assert page.status_code == 200 and "Check who sent this" in page.content.decode()
    assert staff.get(record_url(person)).status_code == 403
    assert not Person.objects.visible_to(triager.user).filter(pk=person.pk).exists()
    # Confirming identity links the referral; it still opens nothing until accepted.
    staff.post(triage_url(referral), {"action": "confirm_identity"})
    assert staff.get(record_url(person)).status_code == 403


def test_accepting_a_self_referral_is_a_self_claimed_relationship(msk, triager, person):
    referral = refer(msk, person, ReferrerKind.SELF)
    with pytest.raises(ReferralError, match="Confirm who this person is"):
        services.accept_referral(referral=referral, by=triager, **REASON)
    services.confirm_identity(referral=referral, by=triager)
    with pytest.raises(ReferralError, match="Choose why"):
        services.accept_referral(referral=referral, by=triager)
    with pytest.raises(ReferralError, match="Describe the reason in words"):
        services.accept_referral(
            referral=referral, by=triager, reason_kind="other", reason="aaaaaaaaaa"
        )
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED and not SelfClaimedRelationship.objects.exists()

    accepted = services.accept_referral(referral=referral, by=triager, **REASON)

    assert accepted.status == S.ACCEPTED and not accepted.relationship_granted
    claim = SelfClaimedRelationship.objects.get()
    assert (claim.user, claim.person, claim.source) == (
        triager.user,
        person,
        "self_referral_accepted",
    )
    assert (claim.reason_kind, claim.reason) == (REASON["reason_kind"], REASON["reason"])
    assert timedelta(hours=23) < claim.expires_at - timezone.now() <= timedelta(hours=24)
    assert RecordAccess.objects.filter(
        user=triager.user, person=person, purpose="self_claimed"
    ).exists()
    # The service's other triagers gain nothing from it: only the claim, for its maker.
    colleague = ProfessionalFactory(profession="physiotherapist")
    msk.triagers.add(colleague)
    assert not Person.objects.visible_to(colleague.user).filter(pk=person.pk).exists()


def test_the_accept_form_asks_a_reason_for_a_self_referral(client_for, msk, triager, person):
    referral = refer(msk, person, ReferrerKind.SELF)
    services.confirm_identity(referral=referral, by=triager)
    staff = client_for(triager)

    missing = staff.post(triage_url(referral), {"action": "accept", "note": ""})
    assert missing.status_code == 400
    assert "Choose why you are taking this person on" in missing.content.decode()
    done = staff.post(triage_url(referral), {"action": "accept", "note": "", **REASON})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED and SelfClaimedRelationship.objects.count() == 1


def test_a_triager_accepting_their_own_referral_claims_the_relationship(msk, triager, person):
    referral = refer(msk, person, ReferrerKind.PROFESSIONAL, triager)
    assert services.needs_claim_reason(referral, triager)
    accepted = services.accept_referral(referral=referral, by=triager, **REASON)
    assert not accepted.relationship_granted
    assert SelfClaimedRelationship.objects.get().person == person


def test_a_professionals_referral_gives_the_relationship_once_accepted(
    client_for, msk, triager, person
):
    gp = ProfessionalFactory(profession="gp")
    referral = refer(msk, person, ReferrerKind.GP, gp)
    staff = client_for(triager)
    assert staff.get(record_url(person)).status_code == 403  # waiting: no relationship yet

    services.accept_referral(referral=referral, by=triager)

    assert staff.get(record_url(person)).status_code == 200
    assert RecordAccess.objects.filter(
        person=person, action="viewed record", purpose="open_referral"
    ).exists()
    assert not SelfClaimedRelationship.objects.exists()


def test_a_signed_in_residents_own_referral_gives_the_relationship_once_accepted(
    client_for, msk, triager
):
    me = PersonFactory(user=UserFactory())
    form = {"submission_id": str(uuid.uuid4()), "reason": "Knee pain", "phone": "", "email": ""}
    assert client_for(me.user).post(refer_url(msk), form).status_code == 302
    referral = Referral.objects.get()
    assert (referral.person, referral.identity_confirmation) == (me, "resident")
    assert not services.needs_claim_reason(referral, triager)

    services.accept_referral(referral=referral, by=triager)

    assert Person.objects.visible_to(triager.user).filter(pk=me.pk).exists()
