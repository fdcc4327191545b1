"""What access adds to the whole-person record: the appointment relationship, and a section
with upcoming appointments, the usual GP and the continuity indices."""

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from oneroof.audit.models import SelfClaimedRelationship
from oneroof.workforce.models import Professional

from .continuity import continuity
from .models import Appointment, AppointmentStatus, RelationshipBasis, UsualGpChoice
from .presenters import ContinuityPresenter, Option
from .services import gp_visits

RECORD_SECTION_TEMPLATE = "access/record_section.jinja"
UPCOMING_SHOWN = 10


def open_appointment_q(user) -> Q:
    """People with whom this user holds a booked (or arrived) appointment from today onwards,
    booked on a basis that gives a relationship (relationships.appointment_basis): by the
    person, by someone with a relationship, or by a colleague for a recorded reason."""
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return Q(
        appointments__slot__professional__user=user,
        appointments__status__in=AppointmentStatus.open_values(),
        appointments__slot__start__gte=today,
        appointments__relationship_basis__in=RelationshipBasis.granting_values(),
    )


def self_claimed_q(user) -> Q:
    """People with whom this user holds a live self-claimed relationship (audit)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(pk__in=SelfClaimedRelationship.objects.live().filter(user=user).values("person_id"))


def load_record_section(person, user) -> dict:
    """Four queries, however many appointments the person has had."""
    now = timezone.now()
    upcoming = list(
        Appointment.objects.for_person(person)
        .upcoming(now=now)
        .with_slot()
        .order_by("slot__start")[:UPCOMING_SHOWN]
    )
    choice = UsualGpChoice.objects.filter(person=person).select_related("professional").first()
    visits = gp_visits(person, at=now)
    indices = continuity(visits, chosen_gp=choice.professional_id if choice else None)
    # One query whether or not anyone was seen, so the count does not depend on the record.
    usual = (
        choice.professional
        if choice is not None
        else Professional.objects.filter(pk=indices.usual_gp_id).first()
    )
    return {
        "upcoming": [(appointment, Option.of(appointment.slot)) for appointment in upcoming],
        "continuity": ContinuityPresenter(indices, usual),
    }


def chosen_appointment_q(user) -> Q:
    """People who chose this user themselves: an open appointment with them that the person (or
    their carer acting with consent) booked themselves (basis "person"). The one relationship a
    person's objection to sharing with the wider team does not override (people.consent)."""
    return open_appointment_q(user) & Q(appointments__relationship_basis=RelationshipBasis.PERSON)
