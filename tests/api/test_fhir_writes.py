"""Referrals and bookings arriving through the API: ServiceRequest and Appointment create go
through the referrals and access apps' own services (eligibility, identity matching, one
appointment per slot), answer every refusal with an OperationOutcome naming the element, write
nothing when they refuse, and make one thing however often the same request is sent."""

import copy
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oneroof.access.models import Appointment
from oneroof.audit.models import RecordAccess
from oneroof.people.models import Person
from oneroof.referrals.models import IdentityMatch, Referral
from tests.api.fhir_support import Api, issue, rota_session, validate
from tests.api.fhir_support import booking_body as booking
from tests.api.fhir_support import referral_body as referral
from tests.db.access_factories import SiteFactory
from tests.factories import PersonFactory, ProfessionalFactory
from tests.referral_factories import ReferralFactory, ServiceFactory, optician

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(db):
    """An optician's referral system: reads, sends referrals, books."""
    return Api(
        "system/*.read system/ServiceRequest.c system/Appointment.write",
        name="Riverside Opticians (Visionlink)",
    )


@pytest.fixture
def clinic(db):
    return ServiceFactory(
        name="Low vision clinic",
        minimum_age=18,
        referrers=["optician", "gp"],
        standards=[(75, 42)],
    )


@pytest.fixture
def referrer(db):
    optometrist = optician()
    optometrist.user.email = "optom@example.org"
    optometrist.user.save()
    return optometrist


# ServiceRequest: a referral arrives ---------------------------------------------------------


def test_a_referral_from_an_optician_is_submitted_matched_and_audited(
    sender, clinic, referrer, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post("/fhir/R4/ServiceRequest", referral(clinic, referrer, person))

    assert response.status_code == 201, response.content
    created = response.json()
    validate(created)
    made = Referral.objects.get()
    assert response["Location"].endswith(f"/fhir/R4/ServiceRequest/{made.public_id}")
    assert (made.person, made.identity_match) == (person, IdentityMatch.MATCHED)
    assert (made.source, made.requester, made.service) == ("optician", referrer, clinic)
    assert made.standard_due_at is not None  # the waiting-time clock runs
    assert created["subject"] == {"reference": f"Patient/{person.public_id}"}
    assert created["performer"][0]["reference"] == f"HealthcareService/{clinic.public_id}"
    assert {m.to[0] for m in mail.outbox} >= {"optom@example.org"}  # the referrer is told
    access = RecordAccess.objects.get(person=person, action="sent a referral via API")
    assert access.actor_name == "Riverside Opticians (Visionlink)"


def test_an_unknown_person_makes_a_referral_awaiting_identity_and_no_record(
    sender, clinic, referrer
):
    response = sender.post("/fhir/R4/ServiceRequest", referral(clinic, referrer))
    assert response.status_code == 201
    made = Referral.objects.get()
    assert (made.identity_match, made.person) == (IdentityMatch.UNKNOWN, None)
    assert made.given_name == "Grace" and made.nhs_number == "9990000026"
    assert not Person.objects.exists()


def test_sending_the_same_referral_again_makes_one(sender, clinic, referrer, person):
    body = referral(clinic, referrer, person)
    first = sender.post("/fhir/R4/ServiceRequest", body)
    again = sender.post("/fhir/R4/ServiceRequest", body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    assert RecordAccess.objects.filter(action="sent a referral via API").count() == 1
    other = referral(clinic, referrer, person, identifier=[{"system": "x", "value": "R-1002"}])
    assert sender.post("/fhir/R4/ServiceRequest", other).status_code == 201
    assert Referral.objects.count() == 2


def _wrong_check_digit(body):
    body["contained"][0]["identifier"][0]["value"] = "9434765918"  # check digit wrong
    return body


def _partial_birth_date(body):
    body["contained"][0]["birthDate"] = "2000-02"
    return body


@pytest.mark.parametrize(
    ("change", "status", "code", "expression", "words"),
    [
        (_wrong_check_digit, 400, "invalid", "ServiceRequest.contained[0].identifier", "NHS"),
        (_partial_birth_date, 400, "invalid", "ServiceRequest.contained[0].birthDate", "full date"),
        (
            lambda b: {**b, "performer": [{"reference": f"HealthcareService/{uuid.uuid4()}"}]},
            422,
            "not-found",
            "ServiceRequest.performer[0]",
            "There is no HealthcareService",
        ),
        (
            lambda b: {**b, "performer": [{"reference": "Organization/1"}]},
            400,
            "invalid",
            "ServiceRequest.performer[0]",
            "HealthcareService",
        ),
        (
            lambda b: {**b, "requester": {"reference": "Practitioner/999999"}},
            422,
            "not-found",
            "ServiceRequest.requester",
            "There is no Practitioner",
        ),
        (lambda b: {**b, "subject": {"reference": "#someone"}}, 400, "invalid",
         "ServiceRequest.subject", "contained"),
        (lambda b: {**b, "reasonCode": []}, 400, "invalid", "ServiceRequest.reasonCode", "why"),
        (lambda b: {**b, "status": "draft"}, 422, "business-rule", "ServiceRequest.status",
         "active"),
        (lambda b: {**b, "authoredOn": "last week"}, 400, "structure",
         "ServiceRequest.authoredOn", ""),
        (lambda b: {**b, "resourceType": "Task"}, 400, "invalid", "resourceType", "Task"),
    ],
)  # fmt: skip
def test_bad_referral_is_refused_naming_the_element_and_writes_nothing(
    sender, clinic, referrer, person, change, status, code, expression, words
):
    before = (Person.objects.count(), RecordAccess.objects.count())

    response = sender.post(
        "/fhir/R4/ServiceRequest", change(copy.deepcopy(referral(clinic, referrer)))
    )

    assert response.status_code == status, response.content
    found = issue(response)
    assert found["code"] == code and expression in found["expression"], found
    assert words in found["diagnostics"]
    assert not Referral.objects.exists()
    assert (Person.objects.count(), RecordAccess.objects.count()) == before


def test_an_ineligible_referral_is_422_with_the_services_own_words(sender, clinic, referrer):
    body = referral(clinic, referrer)
    body["contained"][0]["birthDate"] = "2015-06-01"  # a child: the clinic is for adults

    response = sender.post("/fhir/R4/ServiceRequest", body)

    assert response.status_code == 422
    assert issue(response)["expression"] == ["ServiceRequest.contained[0].birthDate"]
    assert issue(response)["diagnostics"] == "Low vision clinic is for people aged 18 and over"
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_service_that_does_not_take_this_front_door_is_422(sender, referrer):
    gp_only = ServiceFactory(name="Memory clinic", referrers=["gp"])
    response = sender.post("/fhir/R4/ServiceRequest", referral(gp_only, referrer))
    assert response.status_code == 422
    assert issue(response)["expression"] == ["ServiceRequest.performer[0]"]
    assert "does not take referrals from opticians" in issue(response)["diagnostics"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "expression"),
    [
        ('{"resourceType": "ServiceRequest", ', "application/fhir+json", 400, "ServiceRequest"),
        ("[]", "application/fhir+json", 400, "ServiceRequest"),
        ("<ServiceRequest/>", "application/fhir+xml", 415, "Content-Type"),
    ],
)
def test_a_body_that_is_not_a_service_request_is_refused(
    sender, body, content_type, status, expression
):
    response = sender.post("/fhir/R4/ServiceRequest", body, content_type=content_type)
    assert response.status_code == status
    assert issue(response)["expression"] == [expression]
    assert not Referral.objects.exists()


def test_reading_scope_cannot_send_a_referral(db, clinic, referrer):
    reader = Api("system/*.read")
    response = reader.post("/fhir/R4/ServiceRequest", referral(clinic, referrer))
    assert response.status_code == 403
    assert "system/ServiceRequest.write" in issue(response)["diagnostics"]
    assert not Referral.objects.exists()


def test_a_referrers_system_sends_and_sees_only_its_own_organisations_referrals(
    clinic, referrer, person
):
    own = Api(
        "system/ServiceRequest.read system/ServiceRequest.c",
        name="Riverside Opticians (Visionlink)",
        organisation=referrer.organisation,
    )
    ours = own.post("/fhir/R4/ServiceRequest", referral(clinic, referrer, person)).json()["id"]
    theirs = ReferralFactory(service=clinic, person=person)  # sent by a GP elsewhere

    bundle = own.get("/fhir/R4/ServiceRequest").json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [ours]
    assert own.get(f"/fhir/R4/ServiceRequest/{theirs.public_id}").status_code == 404
    neighbourhood = Api("system/ServiceRequest.read")
    assert neighbourhood.get("/fhir/R4/ServiceRequest").json()["total"] == 2

    # Nor may it send a referral in the name of another organisation's practitioner.
    elsewhere = optician()
    again = referral(clinic, elsewhere, person, identifier=[{"system": "x", "value": "R-2"}])
    response = own.post("/fhir/R4/ServiceRequest", again)
    assert response.status_code == 403
    assert issue(response)["expression"] == ["ServiceRequest.requester"]
    assert Referral.objects.count() == 2


# Appointment: booking a free slot -----------------------------------------------------------


@pytest.fixture
def slots(db):
    gp = ProfessionalFactory(profession="gp", given_name="Ola", family_name="Ade")
    return rota_session(gp, SiteFactory(organisation=gp.organisation))


def test_booking_a_free_slot(sender, slots, person):
    free, _ = slots
    assert sender.get("/fhir/R4/Slot", {"status": "free"}).json()["total"] == 2

    response = sender.post("/fhir/R4/Appointment", booking(free, person))

    assert response.status_code == 201, response.content
    validate(response.json())
    appointment = Appointment.objects.get()
    assert (appointment.slot, appointment.person, appointment.status) == (free, person, "booked")
    assert (appointment.channel, appointment.booked_by) == ("system", sender.client_row.user)
    assert response.json()["slot"] == [{"reference": f"Slot/{free.pk}"}]
    slot = sender.get(f"/fhir/R4/Slot/{free.pk}").json()
    assert slot["status"] == "busy"
    assert [
        s["resource"]["id"] for s in sender.get("/fhir/R4/Slot", {"status": "free"}).json()["entry"]
    ] == [str(slots[1].pk)]
    assert (
        RecordAccess.objects.filter(person=person, action="booked an appointment via API").count()
        == 1
    )


def test_booking_the_same_request_again_books_once(sender, slots, person):
    first = sender.post("/fhir/R4/Appointment", booking(slots[0], person))
    again = sender.post("/fhir/R4/Appointment", booking(slots[0], person))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Appointment.objects.count() == 1


def test_a_taken_slot_is_409_and_books_nothing(sender, slots, person):
    sender.post("/fhir/R4/Appointment", booking(slots[0], person))
    someone_else = PersonFactory()

    response = sender.post(
        "/fhir/R4/Appointment",
        booking(slots[0], someone_else, identifier=[{"system": "x", "value": "B-2"}]),
    )

    assert response.status_code == 409
    assert issue(response)["code"] == "conflict"
    assert issue(response)["expression"] == ["Appointment.slot[0]"]
    assert not Appointment.objects.filter(person=someone_else).exists()


def _unknown_patient(body, slot):
    actor = {"reference": f"Patient/{uuid.uuid4()}"}
    return {**body, "participant": [{"actor": actor, "status": "accepted"}]}


def _another_practitioner(body, slot):
    actor = {"reference": f"Practitioner/{slot.professional_id + 1000}"}
    return {**body, "participant": [*body["participant"], {"actor": actor, "status": "accepted"}]}


@pytest.mark.parametrize(
    ("change", "status", "expression"),
    [
        (lambda b, s: {**b, "slot": [{"reference": "Slot/999999"}]}, 422, "Appointment.slot[0]"),
        (lambda b, s: {**b, "slot": []}, 400, "Appointment.slot"),
        (_unknown_patient, 422, "Appointment.participant[0].actor"),
        (_another_practitioner, 422, "Appointment.participant[1].actor"),
        (lambda b, s: {**b, "status": "proposed"}, 422, "Appointment.status"),
    ],
)  # fmt: skip
def test_bad_booking_is_refused_and_books_nothing(
    sender, slots, person, change, status, expression
):
    response = sender.post("/fhir/R4/Appointment", change(booking(slots[0], person), slots[0]))
    assert response.status_code == status, response.content
    assert expression in issue(response)["expression"]
    assert not Appointment.objects.exists()


# Reading and searching what arrived ------------------------------------------------------------


def test_appointments_by_patient_date_status_practitioner_and_slot(sender, slots, person):
    sender.post("/fhir/R4/Appointment", booking(slots[0], person))
    gp = slots[0].professional
    day = slots[0].start.date().isoformat()

    def total(**params):
        bundle = sender.get("/fhir/R4/Appointment", params).json()
        validate(bundle)
        return bundle["total"]

    assert total(patient=str(person.public_id)) == 1
    assert total(patient=str(PersonFactory().public_id)) == 0
    assert total(date=day, status="booked") == 1
    assert total(date=f"lt{day}") == 0
    assert total(status="cancelled") == 0
    assert total(practitioner=f"Practitioner/{gp.pk}") == 1
    assert total(slot=f"Slot/{slots[1].pk}") == 0


def test_referrals_by_patient_status_and_service(sender, clinic, referrer, person):
    sender.post("/fhir/R4/ServiceRequest", referral(clinic, referrer, person))

    bundle = sender.get(
        "/fhir/R4/ServiceRequest",
        {
            "patient": str(person.public_id),
            "status": "active",
            "_include": "ServiceRequest:performer",
        },
    ).json()

    validate(bundle)
    assert bundle["total"] == 1
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert [r["resourceType"] for r in included] == ["HealthcareService"]
    assert sender.get("/fhir/R4/ServiceRequest", {"status": "completed"}).json()["total"] == 0
    assert (
        sender.get("/fhir/R4/ServiceRequest", {"performer": str(uuid.uuid4())}).json()["total"] == 0
    )


def test_a_slot_that_has_started_cannot_be_booked(sender, person):
    gp = ProfessionalFactory(profession="gp")
    yesterday = timezone.localdate() - timedelta(days=1)
    past, _ = rota_session(gp, SiteFactory(organisation=gp.organisation), day=yesterday)

    response = sender.post("/fhir/R4/Appointment", booking(past, person))

    assert response.status_code == 422
    assert issue(response)["expression"] == ["Appointment.slot[0]"]
    assert "already started" in issue(response)["diagnostics"]
    assert not Appointment.objects.exists()


def test_a_sent_referral_is_found_again_by_its_oneroof_identifier(sender, clinic, referrer):
    created = sender.post("/fhir/R4/ServiceRequest", referral(clinic, referrer)).json()
    (ours,) = created["identifier"]

    def found(value):
        return [
            e["resource"]["id"]
            for e in sender.get("/fhir/R4/ServiceRequest", {"identifier": value})
            .json()
            .get("entry", [])
        ]

    assert found(f"{ours['system']}|{ours['value']}") == [created["id"]]
    assert found(ours["value"]) == [created["id"]]
    assert found("https://visionlink.example/referral|R-1001") == []  # not kept
    assert found("not-a-uuid") == []
