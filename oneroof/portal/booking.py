"""The resident's appointments: ask for one under a right and book it, see and cancel them, take
a freed slot offered from the waiting list, and give feedback after being seen.

Residents act for themselves, or as a consented carer for the person they chose to act for
(acting.py): no URL here carries a person's id, and every appointment, request or offer is found
through that person's scope, so anyone else's is a 404.
"""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.access import services
from oneroof.access.availability import ONLINE_MODES
from oneroof.access.forms import (
    RIGHT_HINTS,
    BookForm,
    FeedbackForm,
    RightForm,
    UsualGpForm,
)
from oneroof.access.lifecycles import AppointmentError
from oneroof.access.models import (
    FFT_QUESTION,
    AccessRequest,
    Appointment,
    AppointmentStatus,
    Channel,
    Outcome,
    Slot,
    WaitingListEntry,
    WaitingStatus,
)
from oneroof.access.presenters import OfferPresenter, Option, unmet_message, when
from oneroof.core.forms import SubmissionForm

from .acting import for_person_or_self, whose

PAST_SHOWN = 10


def _booked(request, appointment) -> str:
    return f"{whose(request)} appointment is booked for {when(appointment.slot.start)}"


@for_person_or_self
def appointment_list(request):
    person, now = request.person, timezone.now()
    mine = Appointment.objects.for_person(person).with_slot()
    upcoming = mine.upcoming(now=now).order_by("slot__start")
    past = (
        mine.filter(status__in=[AppointmentStatus.FULFILLED, AppointmentStatus.NOSHOW])
        .select_related("feedback")
        .order_by("-slot__start")[:PAST_SHOWN]
    )
    offers = (
        WaitingListEntry.objects.for_person(person)
        .filter(status=WaitingStatus.OFFERED, offered_slot__isnull=False)
        .select_related("offered_slot__professional", "offered_slot__site")
    )
    return render(
        request,
        "portal/appointments.jinja",
        {
            "upcoming": [(a, Option.of(a.slot)) for a in upcoming],
            "past": [(a, Option.of(a.slot), hasattr(a, "feedback")) for a in past],
            "offers": [(e, Option.of(e.offered_slot)) for e in offers],
            "submission_id": uuid.uuid4(),
        },
    )


@for_person_or_self
def appointment_request(request):
    """Ask for an appointment: today, a GP within 48 hours, or a chosen GP further ahead."""
    person = request.person
    usual = services.usual_gp_id(person, at=timezone.now())
    form = RightForm(
        request.POST or None,
        gps=services.practice_gps(person.general_practice_id),
        initial={"chosen_gp": usual},
    )
    form.fields["right"].label = "What kind of appointment do you need?"
    if request.method == "POST" and form.is_valid():
        result = services.request_appointment(
            person=person,
            right=form.cleaned_data["right"],
            chosen_gp=form.cleaned_data["chosen_gp"],
            by=request.user,
            channel=Channel.ONLINE,
            modes=ONLINE_MODES,
        )
        return redirect("portal:appointment_options", public_id=result.access_request.public_id)
    return render(
        request,
        "portal/appointment_request.jinja",
        {"form": form, "right_hints": RIGHT_HINTS, "registered": person.general_practice_id},
        status=400 if form.is_bound else 200,
    )


def _options_page(request, record, *, status=200, error=None):
    context = {"record": record, "error": error}
    if record.outcome == Outcome.OFFERED:
        result = services.options_for(record, modes=ONLINE_MODES)
        context["offer"] = OfferPresenter(
            result.slots,
            usual_gp_id=record.usual_gp_id,
            right=record.right,
            terms=result.offer.terms,
        )
        context["submission_id"] = uuid.uuid4()
    elif record.outcome == Outcome.UNMET:
        context["unmet"] = unmet_message(record.right, record.unmet_reason)
    return render(request, "portal/appointment_options.jinja", context, status=status)


@for_person_or_self
def appointment_options(request, public_id):
    """The options for my request; pressing one books it."""
    record = get_object_or_404(
        AccessRequest.objects.for_person(request.person).select_related("practice"),
        public_id=public_id,
    )
    if request.method != "POST":
        return _options_page(request, record)
    form = BookForm(request.POST)
    if not form.is_valid():
        return _options_page(request, record, status=400, error="Choose an appointment")
    slot = Slot.objects.select_related("professional", "site").filter(pk=form.cleaned_data["slot"])
    try:
        if not slot:
            raise services.BookingError("Choose one of the appointments offered.")
        appointment = services.book_appointment(
            slot=slot[0],
            person=request.person,
            by=request.user,
            access_request=record,
            submission_id=form.cleaned_data["submission_id"],
            channel=Channel.ONLINE,
        )
    except services.BookingError as error:
        record.refresh_from_db()
        status = 409 if isinstance(error, services.SlotTaken) else 400
        return _options_page(request, record, status=status, error=str(error))
    messages.success(
        request, f"{whose(request)} appointment is booked for {when(appointment.slot.start)}"
    )
    return redirect("portal:appointment_list")


def _my_appointment(request, public_id) -> Appointment:
    appointment = (
        Appointment.objects.for_person(request.person)
        .with_slot()
        .filter(public_id=public_id)
        .first()
    )
    if appointment is None:
        raise Http404("You have no appointment with that id")
    return appointment


@for_person_or_self
def appointment_cancel(request, public_id):
    appointment = _my_appointment(request, public_id)
    if request.method == "POST":
        try:
            services.cancel_appointment(
                appointment=appointment, by=request.user, reason="Cancelled online"
            )
        except AppointmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{whose(request)} appointment on {when(appointment.slot.start)} is cancelled",
            )
        return redirect("portal:appointment_list")
    return render(
        request,
        "portal/appointment_cancel.jinja",
        {"appointment": appointment, "option": Option.of(appointment.slot)},
    )


@for_person_or_self
def feedback_give(request, public_id):
    """The Friends and Family Test, after an appointment at which I was seen."""
    appointment = _my_appointment(request, public_id)
    if appointment.status != AppointmentStatus.FULFILLED:
        raise Http404("You can give feedback once you have been seen")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.give_feedback(appointment=appointment, by=request.user, **form.cleaned_data)
        messages.success(request, "Thank you for your feedback")
        return redirect("portal:appointment_list")
    return render(
        request,
        "portal/feedback.jinja",
        {
            "appointment": appointment,
            "option": Option.of(appointment.slot),
            "form": form,
            "question": FFT_QUESTION,
        },
        status=400 if form.is_bound else 200,
    )


@for_person_or_self
@require_POST
def offer_book(request, public_id):
    """Book the earlier appointment the waiting list offered me."""
    entry = get_object_or_404(
        WaitingListEntry.objects.for_person(request.person), public_id=public_id
    )
    form = SubmissionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BookingError("Start again")
        appointment = services.book_offered_slot(
            entry=entry,
            by=request.user,
            submission_id=form.cleaned_data["submission_id"],
            channel=Channel.ONLINE,
        )
    except AppointmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{whose(request)} appointment is booked for {when(appointment.slot.start)}"
        )
    return redirect("portal:appointment_list")


@for_person_or_self
def usual_gp(request):
    """Choose the GP I would like to see (my usual GP). Booking prefers them when it can."""
    person = request.person
    gps = services.practice_gps(person.general_practice_id)
    current = services.usual_gp_id(person, at=timezone.now())
    form = UsualGpForm(request.POST or None, gps=gps, initial={"professional": current})
    form.fields["professional"].label = "Which GP would you like to see?"
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["professional"]
        services.choose_usual_gp(person=person, professional=chosen, by=request.user)
        messages.success(request, f"{whose(request)} usual GP is now {chosen.name}")
        return redirect("portal:appointment_list")
    return render(
        request,
        "portal/usual_gp.jinja",
        {"form": form, "current": gps.filter(pk=current).first(), "registered": gps.exists()},
        status=400 if form.is_bound else 200,
    )
