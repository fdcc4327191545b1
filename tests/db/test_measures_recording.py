"""What the measures count has to be recorded: a review of the care plan (not any edit to it)
and the first treatment session of a referral (not the first contact). The service functions
and the pages clinicians use, with their bad input."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.care import services as care
from oneroof.care.models import CarePlanReview
from oneroof.care.record_access import authorise_record_access
from oneroof.referrals import services as referrals
from oneroof.referrals.lifecycle import ReferralError
from oneroof.referrals.models import Referral, ReferralStatus
from tests.factories import ProfessionalFactory, team_around
from tests.referral_factories import ReferralFactory

pytestmark = pytest.mark.django_db


def review(person, nurse, **overrides):
    values = {
        "reviewed_on": timezone.localdate(),
        "summary": "Went through the plan with her daughter",
        "next_review_date": None,
        "submission_id": uuid.uuid4(),
    }
    values.update(overrides)
    access = authorise_record_access(user=nurse.user, person=person)
    return care.record_care_plan_review(person=person, by=nurse, access=access, **values)


# --- Care plan reviews: the service ---------------------------------------------------------


def test_record_care_plan_review_records_one_per_submission_and_audits(person, nurse):
    team_around(person, nurse)
    submission = uuid.uuid4()
    first = review(person, nurse, submission_id=submission, next_review_date=date(2099, 1, 5))
    again = review(person, nurse, submission_id=submission)  # a double click
    assert first == again and CarePlanReview.objects.count() == 1
    assert first.recorded_by == nurse and first.care_plan.person == person
    assert person.care_plan.next_review_date == date(2099, 1, 5)
    assert (
        RecordAccess.objects.filter(person=person, action="recorded a care plan review").count()
        == 1
    )


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("reviewed_on", {"reviewed_on": None}),
        ("reviewed_on", {"reviewed_on": date(2099, 1, 1)}),
        ("next_review_date", {"next_review_date": date(2000, 1, 1)}),
    ],
)
def test_record_care_plan_review_refuses_bad_dates_with_a_field_error(
    person, nurse, field, overrides
):
    team_around(person, nurse)
    with pytest.raises(ValidationError) as refused:
        review(person, nurse, **overrides)
    assert set(refused.value.message_dict) == {field}
    assert not CarePlanReview.objects.exists()
    assert not RecordAccess.objects.filter(action="recorded a care plan review").exists()


def test_editing_the_plan_is_not_a_review(person, nurse):
    team_around(person, nurse)
    access = authorise_record_access(user=nurse.user, person=person)
    care.update_care_plan(
        person=person,
        what_matters="Staying at home",
        next_review_date=None,
        by=nurse,
        access=access,
    )
    care.add_goal(
        person=person,
        description="Walk to the shop",
        target_date=None,
        submission_id=uuid.uuid4(),
        by=nurse,
        access=access,
    )
    assert not CarePlanReview.objects.exists()


# --- Care plan reviews: the page ------------------------------------------------------------


def plan_url(person) -> str:
    return reverse("care:plan_edit", kwargs={"public_id": person.public_id})


def review_form(day: date, submission: str | None = None, **extra) -> dict:
    return {
        "form": "review",
        "submission_id": submission or str(uuid.uuid4()),
        "reviewed_on_0": str(day.day),
        "reviewed_on_1": str(day.month),
        "reviewed_on_2": str(day.year),
        "summary": "Reviewed together",
        "next_review_date_0": "",
        "next_review_date_1": "",
        "next_review_date_2": "",
    } | extra


def test_plan_page_records_a_review_once_and_shows_it(client_for, person, nurse):
    team_around(person, nurse)
    client = client_for(nurse)
    yesterday = timezone.localdate() - timedelta(days=1)
    form = review_form(yesterday)
    assert client.post(plan_url(person), form).status_code == 302
    assert client.post(plan_url(person), form).status_code == 302  # double click
    assert CarePlanReview.objects.get().reviewed_on == yesterday
    page = client.get(plan_url(person)).content.decode()
    assert f"Last reviewed on {yesterday.day} {yesterday:%B %Y}" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            review_form(timezone.localdate()) | {"reviewed_on_0": "", "reviewed_on_1": "",
                                                  "reviewed_on_2": ""},
            "Enter date of the review",
        ),
        (review_form(date(2099, 3, 1)), "Date of the review must be today or in the past"),
        (
            review_form(date(2026, 3, 1)) | {"next_review_date_0": "1", "next_review_date_1": "2",
                                             "next_review_date_2": "2026"},
            "Next review date must be after the review",
        ),
    ],
)  # fmt: skip
def test_plan_page_refuses_a_review_without_a_proper_date(client_for, person, nurse, form, message):
    team_around(person, nurse)
    response = client_for(nurse).post(plan_url(person), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CarePlanReview.objects.exists()


def test_plan_page_review_needs_a_relationship(client_for, person, stranger):
    response = client_for(stranger).post(plan_url(person), review_form(timezone.localdate()))
    assert response.status_code == 403
    assert not CarePlanReview.objects.exists()


# --- First treatment of a referral ----------------------------------------------------------


@pytest.fixture
def booked(msk, person):
    return ReferralFactory(
        service=msk,
        person=person,
        status=ReferralStatus.BOOKED,
        received_at=timezone.now() - timedelta(days=30),
    )


def test_record_first_treatment_stops_the_clock_once_and_audits(booked, triager):
    first_day = timezone.localdate() - timedelta(days=3)
    referrals.record_first_treatment(referral=booked, treated_on=first_day, by=triager)
    referrals.record_first_treatment(
        referral=booked, treated_on=timezone.localdate(), by=triager
    )  # only the first counts
    booked.refresh_from_db()
    assert timezone.localtime(booked.first_treated_at).date() == first_day
    assert timezone.localtime(booked.first_treated_at).hour == 0  # the day, from its start
    assert booked.first_seen_at is None  # being treated is recorded apart from being seen
    assert RecordAccess.objects.filter(action="recorded a first treatment").count() == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "today or in the past"), (-31, "on or after the referral")],
)
def test_record_first_treatment_refuses_dates_it_cannot_be(booked, triager, days, message):
    with pytest.raises(ReferralError, match=message):
        referrals.record_first_treatment(
            referral=booked, treated_on=timezone.localdate() + timedelta(days=days), by=triager
        )
    booked.refresh_from_db()
    assert booked.first_treated_at is None


def test_record_first_treatment_needs_an_accepted_referral_and_its_triager(msk, person, triager):
    waiting = ReferralFactory(service=msk, person=person)
    with pytest.raises(ReferralError, match="accepted"):
        referrals.record_first_treatment(
            referral=waiting, treated_on=timezone.localdate(), by=triager
        )
    waiting.status = ReferralStatus.ACCEPTED
    waiting.save()
    with pytest.raises(ReferralError, match="You do not triage"):
        referrals.record_first_treatment(
            referral=waiting, treated_on=timezone.localdate(), by=ProfessionalFactory()
        )
    assert not Referral.objects.filter(first_treated_at__isnull=False).exists()


def treatment_form(day: date) -> dict:
    return {
        "action": "first_treatment",
        "treated_on_0": str(day.day),
        "treated_on_1": str(day.month),
        "treated_on_2": str(day.year),
    }


def test_referral_page_records_the_first_treatment(client_for, booked, triager):
    client = client_for(triager)
    detail = reverse("referrals:referral_detail", kwargs={"public_id": booked.public_id})
    assert "Record the first treatment" in client.get(detail).content.decode()
    triage = reverse("referrals:referral_triage", kwargs={"public_id": booked.public_id})
    today = timezone.localdate()
    assert client.post(triage, treatment_form(today)).status_code == 302
    booked.refresh_from_db()
    assert timezone.localtime(booked.first_treated_at).date() == today
    page = client.get(detail).content.decode()
    assert "First treatment" in page and "Record the first treatment" not in page


def test_referral_page_refuses_a_future_first_treatment(client_for, booked, triager):
    triage = reverse("referrals:referral_triage", kwargs={"public_id": booked.public_id})
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(triager).post(triage, treatment_form(tomorrow))
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    booked.refresh_from_db()
    assert booked.first_treated_at is None


def test_referral_page_first_treatment_is_for_the_services_triagers_only(
    client_for, booked, stranger
):
    triage = reverse("referrals:referral_triage", kwargs={"public_id": booked.public_id})
    response = client_for(stranger).post(triage, treatment_form(timezone.localdate()))
    assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.first_treated_at is None
