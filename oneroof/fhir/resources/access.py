"""Schedule, Slot and Appointment: rota sessions, their slots, and booking a free one."""

from django.db.models import Exists, OuterRef, Q

from oneroof.access.models import Appointment, AppointmentStatus, RotaSession, Slot
from oneroof.fhir import mappers
from oneroof.fhir.booking import create_appointment
from oneroof.fhir.registry import Include, ResourceType, register
from oneroof.fhir.search import date_param, reference, token


def _actor_params(path: str) -> tuple:
    return (
        reference("practitioner", "The professional", f"{path}professional", "Practitioner"),
        reference("location", "Where", f"{path}site", "Location", id_kind="uuid"),
    )


register(
    ResourceType(
        "Schedule",
        lambda: RotaSession.objects.select_related("professional", "site", "service"),
        mappers.schedule_to_fhir,
        (
            reference("actor", "The professional", "professional", "Practitioner"),
            date_param("date", "The day of the session", "date", is_date=True),
        ),
        includes=(
            Include("actor", "Practitioner", "professional_id"),
            Include("actor", "Location", "site_id"),
            Include("actor", "HealthcareService", "service_id"),
        ),
        ordering=("date", "start", "pk"),
        documentation="A rota session: one professional's time at one site on one day",
    )
)


def slots():
    active = Appointment.objects.filter(
        slot=OuterRef("pk"), status__in=AppointmentStatus.active_values()
    )
    return Slot.objects.select_related("professional").annotate(taken=Exists(active))


register(
    ResourceType(
        "Slot",
        slots,
        mappers.slot_to_fhir,
        (
            reference("schedule", "The rota session", "session", "Schedule"),
            date_param("start", "When it starts", "start", is_date=False),
            token("status", "free or busy", "taken", values={"free": False, "busy": True}),
            *_actor_params(""),
        ),
        includes=(Include("schedule", "Schedule", "session_id"),),
        ordering=("start", "professional_id", "pk"),
        documentation="A time one person can be seen; search status=free for what can be booked",
    )
)


def _booked_by_this_system(client) -> Q:
    return Q(booked_by_id=client.user_id)


register(
    ResourceType(
        "Appointment",
        lambda: Appointment.objects.select_related("person", "slot__professional", "slot__site"),
        mappers.appointment_to_fhir,
        (
            reference("patient", "Who is booked", "person", "Patient", id_kind="uuid"),
            date_param("date", "When it starts", "slot__start", is_date=False),
            token("status", "booked, arrived, fulfilled, noshow or cancelled", "status"),
            reference("slot", "The slot it holds", "slot", "Slot"),
            *_actor_params("slot__"),
        ),
        id_field="public_id",
        person_path="person",
        includes=(
            Include("patient", "Patient", "person_id"),
            Include("practitioner", "Practitioner", "slot.professional_id"),
            Include("slot", "Slot", "slot_id"),
        ),
        create=create_appointment,
        made_by=_booked_by_this_system,
        ordering=("slot__start", "pk"),
        documentation="One person booked into one slot. Create (POST) books a free Slot; a "
        "slot someone else has is a 409",
    )
)
