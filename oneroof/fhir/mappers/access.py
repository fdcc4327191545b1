"""Schedule, Slot and Appointment: rota sessions, the times in them, and bookings."""

from datetime import datetime

from django.utils import timezone

from oneroof.fhir import systems

from .common import concept, fhir_datetime, patient_ref, practitioner_ref, prune, ref

FREE, BUSY = "free", "busy"


def _mode(row) -> list[dict]:
    # A slot's mode has the same values as a contact's (access.Mode, care.ContactMode).
    return [concept(systems.CONTACT_MODE, row.mode, row.get_mode_display())]


def _location_ref(site) -> dict:
    return ref("Location", site.public_id, site.name)


def _clinic(session) -> list[dict]:
    """A session given over to one service's clinic, where its referrals are booked."""
    if session.service_id is None:
        return []
    return [ref("HealthcareService", session.service.public_id, session.service.name)]


def schedule_to_fhir(session) -> dict:
    """A rota session: one professional's time at one site on one day, cut into slots."""
    start = timezone.make_aware(datetime.combine(session.date, session.start))
    end = timezone.make_aware(datetime.combine(session.date, session.end))
    return prune(
        {
            "resourceType": "Schedule",
            "id": str(session.pk),
            "active": True,
            "serviceType": _mode(session),
            "actor": [practitioner_ref(session.professional), _location_ref(session.site)]
            + _clinic(session),
            "planningHorizon": {"start": fhir_datetime(start), "end": fhir_datetime(end)},
            "comment": f"{session.slot_minutes}-minute slots",
        }
    )


def slot_to_fhir(slot) -> dict:
    """A time one person can be seen. `slot.taken` (annotated by the registry's queryset) says
    whether an active appointment holds it."""
    schedule = (
        ref("Schedule", slot.session_id)
        if slot.session_id is not None
        else {"display": f"{slot.professional.name}, outside a rota session"}
    )
    return prune(
        {
            "resourceType": "Slot",
            "id": str(slot.pk),
            "serviceType": _mode(slot),
            "schedule": schedule,
            "status": BUSY if slot.taken else FREE,
            "start": fhir_datetime(slot.start),
            "end": fhir_datetime(slot.end),
        }
    )


def appointment_to_fhir(appointment) -> dict:
    slot = appointment.slot
    return prune(
        {
            "resourceType": "Appointment",
            "id": str(appointment.public_id),
            "status": appointment.status,
            "cancelationReason": (
                {"text": appointment.cancellation_reason}
                if appointment.cancellation_reason
                else None
            ),
            "serviceType": _mode(slot),
            "start": fhir_datetime(slot.start),
            "end": fhir_datetime(slot.end),
            "minutesDuration": int((slot.end - slot.start).total_seconds() // 60),
            "slot": [ref("Slot", slot.pk)],
            "created": fhir_datetime(appointment.created_at),
            "participant": [
                {"actor": patient_ref(appointment.person), "status": "accepted"},
                {"actor": practitioner_ref(slot.professional), "status": "accepted"},
                {"actor": _location_ref(slot.site), "status": "accepted"},
            ],
        }
    )
