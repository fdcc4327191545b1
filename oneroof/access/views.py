"""Staff pages for booking: find a person, book under a right or with a named professional,
cancel and rebook, and a clinician's day list (the hub's pages are in hub.py).
Thin: parse, authorise, call a service, render or redirect.

Who may book for whom is `permissions.booking_purpose`; every page that shows a person's
details writes an audit row with that purpose.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.audit.services import (
    TooManySearches,
    check_search_allowed,
    record_access,
    record_search,
)
from oneroof.core.fields import parse_id
from oneroof.core.roles import professional_required
from oneroof.people.models import Person
from oneroof.workforce.models import Profession, Professional

from . import services
from .forms import (
    RIGHT_HINTS,
    BookForm,
    BookWithReasonForm,
    CancelForm,
    FindByNhsNumberForm,
    RightForm,
    UsualGpForm,
)
from .lifecycles import AppointmentError
from .models import (
    AccessRequest,
    Appointment,
    Channel,
    Outcome,
    Slot,
)
from .permissions import booking_purpose
from .presenters import OfferPresenter, Option, unmet_message, when

DIRECT_SLOTS_SHOWN = 12
REBOOK_DAYS = 28


def _person_or_404(public_id) -> Person:
    try:
        return Person.objects.for_record(public_id)
    except Person.DoesNotExist:
        raise Http404("No person with that id") from None


def _authorise(request, person) -> str:
    purpose = booking_purpose(professional=request.professional, person=person)
    if purpose is None:
        raise PermissionDenied(
            "You can book only for people registered with your practice, or in your care."
        )
    return purpose


def _audit(request, person, purpose: str, action: str) -> None:
    record_access(user=request.user, person=person, action=action, purpose=purpose)


def _channel(professional) -> str:
    return (
        Channel.RECEPTION
        if professional.profession == Profession.RECEPTIONIST
        else Channel.CLINICIAN
    )


def _local_day(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@professional_required
def booking_find(request):
    form = FindByNhsNumberForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        try:  # a search for a person, audited and limited as on Find a person
            check_search_allowed(user=request.user)
        except TooManySearches as limit:
            form.add_error(None, str(limit))
            return render(request, "access/booking_find.jinja", {"form": form}, status=429)
        found = list(Person.objects.find(nhs_number=form.cleaned_data["nhs_number"])[:1])
        record_search(user=request.user, results=len(found))
        results = [
            (person, booking_purpose(professional=request.professional, person=person))
            for person in found
        ]
    return render(
        request,
        "access/booking_find.jinja",
        {"form": form, "results": results},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _direct_slots(request, person):
    """Book with a named professional (a home visit, a physiotherapist): their next free slots."""
    team = (
        Professional.objects.filter(
            active=True,
            is_external_referrer=False,  # an optician who refers keeps no diary here
            organisation__neighbourhood_id=request.professional.organisation.neighbourhood_id,
        )
        .exclude(profession=Profession.RECEPTIONIST)
        .order_by("family_name", "given_name")
    )
    chosen = request.GET.get("professional", "")
    slots = []
    if (professional_id := parse_id(chosen)) is not None:
        slots = list(
            Slot.objects.free()
            .filter(professional_id=professional_id, start__gt=timezone.now())
            .select_related("professional", "site")
            .order_by("start")[:DIRECT_SLOTS_SHOWN]
        )
    return {"team": list(team), "chosen": chosen, "direct": [Option.of(s) for s in slots]}


def _person_page(request, person, *, form=None, status=200, error=None):
    gps = services.practice_gps(person.general_practice_id)
    if form is None:
        usual = services.usual_gp_id(person, at=timezone.now())
        form = RightForm(gps=gps, initial={"chosen_gp": usual})
    upcoming = (
        Appointment.objects.for_person(person)
        .upcoming(now=timezone.now())
        .with_slot()
        .order_by("slot__start")
    )
    return render(
        request,
        "access/person_book.jinja",
        {
            "person": person,
            "form": form,
            "error": error,
            "upcoming": [(a, Option.of(a.slot)) for a in upcoming],
            "right_hints": RIGHT_HINTS,
            "usual_gp_form": UsualGpForm(gps=gps),
            "submission_id": uuid.uuid4(),
            **_direct_slots(request, person),
        },
        status=status,
    )


@professional_required
def appointment_book(request, public_id):
    """A person's booking page: their appointments, and asking for one under a right."""
    person = _person_or_404(public_id)
    purpose = _authorise(request, person)
    if request.method != "POST":
        _audit(request, person, purpose, "viewed appointments")
        return _person_page(request, person)
    form = RightForm(request.POST, gps=services.practice_gps(person.general_practice_id))
    if not form.is_valid():
        return _person_page(request, person, form=form, status=400)
    result = services.request_appointment(
        person=person,
        right=form.cleaned_data["right"],
        chosen_gp=form.cleaned_data["chosen_gp"],
        by=request.user,
        channel=_channel(request.professional),
    )
    return redirect("access:request_view", public_id=result.access_request.public_id)


def _reason_page(request, person, slot, form):
    """Ask for the reason the relationship rule needs before this booking can be made."""
    return render(
        request,
        "access/book_reason.jinja",
        {"person": person, "option": Option.of(slot), "form": form, "action": request.path},
        status=400,
    )


def _reason_problem(request, person, form):
    """The reason form came back with a bad reason kind or text: ask again."""
    slot = (
        Slot.objects.select_related("professional", "site")
        .filter(pk=form.cleaned_data["slot"])
        .first()
    )
    return _reason_page(request, person, slot, form) if slot else None


@professional_required
@require_POST
def slot_book(request, public_id):
    """Book a named professional's slot directly (no right asked for). When the booking would
    give no relationship without one, the booker is asked for a reason first."""
    person = _person_or_404(public_id)
    _authorise(request, person)
    form = BookWithReasonForm(request.POST)
    if not form.is_valid():
        asked = form.has_only_reason_errors() and _reason_problem(request, person, form)
        return asked or _person_page(request, person, status=400, error="Start again")
    slot = get_object_or_404(
        Slot.objects.select_related("professional", "site"), pk=form.cleaned_data["slot"]
    )
    try:
        appointment = services.book_appointment(
            slot=slot,
            person=person,
            by=request.user,
            submission_id=form.cleaned_data["submission_id"],
            channel=_channel(request.professional),
            reason=form.booking_reason(),
        )
    except services.ReasonNeeded as need:
        form.ask_for_reason(need.field, str(need))
        return _reason_page(request, person, slot, form)
    except services.BookingError as error:
        status = 409 if isinstance(error, services.SlotTaken) else 400
        return _person_page(request, person, status=status, error=str(error))
    messages.success(
        request, f"Booked: {when(appointment.slot.start)} with {slot.professional.name}"
    )
    return redirect("access:appointment_book", public_id=person.public_id)


def request_or_404(request, public_id) -> tuple[AccessRequest, str]:
    """Only requests of people this professional may book for are found: others are a 404."""
    record = get_object_or_404(
        AccessRequest.objects.bookable_by(request.professional).select_related(
            "person__general_practice", "practice", "chosen_gp", "appointment__slot"
        ),
        public_id=public_id,
    )
    return record, _authorise(request, record.person)


def _request_page(request, record, *, status=200, error=None):
    context = {"record": record, "person": record.person, "error": error}
    if record.outcome == Outcome.OFFERED:
        result = services.options_for(record)
        context["offer"] = OfferPresenter(
            result.slots,
            usual_gp_id=record.usual_gp_id,
            right=record.right,
            terms=result.offer.terms,
        )
        context["submission_id"] = uuid.uuid4()
    elif record.outcome == Outcome.UNMET:
        context["unmet"] = unmet_message(record.right, record.unmet_reason)
    else:
        context["booked"] = Option.of(record.appointment.slot) if record.appointment else None
    return render(request, "access/request.jinja", context, status=status)


@professional_required
def request_view(request, public_id):
    record, purpose = request_or_404(request, public_id)
    _audit(request, record.person, purpose, "viewed appointment options")
    return _request_page(request, record)


@professional_required
@require_POST
def request_book(request, public_id):
    record, _ = request_or_404(request, public_id)
    form = BookWithReasonForm(request.POST)
    if not form.is_valid():
        asked = form.has_only_reason_errors() and _reason_problem(request, record.person, form)
        return asked or _request_page(request, record, status=400, error="Choose an appointment")
    slot = get_object_or_404(
        Slot.objects.select_related("professional", "site"), pk=form.cleaned_data["slot"]
    )
    try:
        appointment = services.book_appointment(
            slot=slot,
            person=record.person,
            by=request.user,
            access_request=record,
            submission_id=form.cleaned_data["submission_id"],
            channel=record.channel,
            reason=form.booking_reason(),
        )
    except services.ReasonNeeded as need:
        form.ask_for_reason(need.field, str(need))
        return _reason_page(request, record.person, slot, form)
    except services.BookingError as error:
        record.refresh_from_db()
        status = 409 if isinstance(error, services.SlotTaken) else 400
        return _request_page(request, record, status=status, error=str(error))
    messages.success(
        request, f"Booked: {when(appointment.slot.start)} with {slot.professional.name}"
    )
    return redirect("access:appointment_book", public_id=record.person.public_id)


def _appointment_or_404(request, public_id) -> Appointment:
    """Only appointments this professional may manage are found: anything else is a 404."""
    return get_object_or_404(
        Appointment.objects.manageable_by(request.professional)
        .with_slot()
        .select_related("person__general_practice"),
        public_id=public_id,
    )


@professional_required
def appointment_cancel(request, public_id):
    appointment = _appointment_or_404(request, public_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_appointment(
                appointment=appointment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AppointmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Cancelled: {when(appointment.slot.start)}")
        return redirect("access:appointment_book", public_id=appointment.person.public_id)
    return render(
        request,
        "access/appointment_cancel.jinja",
        {"appointment": appointment, "option": Option.of(appointment.slot), "form": form},
        status=400 if form.is_bound else 200,
    )


@professional_required
def appointment_rebook(request, public_id):
    """Move an appointment to another free slot with the same professional."""
    appointment = _appointment_or_404(request, public_id)
    error, status = None, 200
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            slot = get_object_or_404(
                Slot.objects.select_related("professional", "site"), pk=form.cleaned_data["slot"]
            )
            try:
                new = services.rebook_appointment(
                    appointment=appointment,
                    slot=slot,
                    by=request.user,
                    submission_id=form.cleaned_data["submission_id"],
                )
            except AppointmentError as problem:
                error, status = (
                    str(problem),
                    409 if isinstance(problem, services.SlotTaken) else 400,
                )
            else:
                messages.success(
                    request, f"Rebooked: {when(new.slot.start)} with {slot.professional.name}"
                )
                return redirect("access:appointment_book", public_id=appointment.person.public_id)
        else:
            error, status = "Choose an appointment", 400
    now = timezone.now()
    slots = (
        Slot.objects.free()
        .filter(
            professional=appointment.slot.professional,
            start__gt=now,
            start__lte=now + timedelta(days=REBOOK_DAYS),
        )
        .select_related("professional", "site")
        .order_by("start")[:DIRECT_SLOTS_SHOWN]
    )
    return render(
        request,
        "access/appointment_rebook.jinja",
        {
            "appointment": appointment,
            "current": Option.of(appointment.slot),
            "options": [Option.of(s) for s in slots],
            "submission_id": uuid.uuid4(),
            "error": error,
        },
        status=status,
    )


@professional_required
@require_POST
def appointment_status(request, public_id):
    """Arrived, seen or did not attend, from the day list."""
    appointment = _appointment_or_404(request, public_id)
    try:
        services.mark_appointment(
            appointment=appointment, status=request.POST.get("status", ""), by=request.user
        )
    except AppointmentError as error:
        messages.error(request, str(error))
    else:
        appointment.refresh_from_db(fields=["status"])
        messages.success(
            request, f"{appointment.person.name}: {appointment.get_status_display().lower()}"
        )
    day = timezone.localdate(appointment.slot.start)
    return redirect(f"{reverse('access:day_list')}?date={day.isoformat()}")


@professional_required
def day_list(request):
    """The signed-in clinician's appointments on one day (today unless ?date=YYYY-MM-DD)."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    start, end = _local_day(day)
    appointments = (
        Appointment.objects.for_professional(request.professional)
        .active()
        .filter(slot__start__gte=start, slot__start__lt=end)
        .select_related("person", "slot__site", "slot__professional")
        .order_by("slot__start")
    )
    return render(
        request,
        "access/day_list.jinja",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "rows": [(a, Option.of(a.slot)) for a in appointments],
        },
    )


@professional_required
@require_POST
def usual_gp_choose(request, public_id):
    person = _person_or_404(public_id)
    _authorise(request, person)
    form = UsualGpForm(request.POST, gps=services.practice_gps(person.general_practice_id))
    if form.is_valid():
        services.choose_usual_gp(
            person=person, professional=form.cleaned_data["professional"], by=request.user
        )
        messages.success(request, f"Usual GP: {form.cleaned_data['professional'].name}")
    else:
        messages.error(request, form.errors["professional"][0])
    return redirect("access:appointment_book", public_id=person.public_id)
