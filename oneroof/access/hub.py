"""The neighbourhood hub's pages: the worklist of unmet rights, the waiting list, and the rota
for the coming week. Thin, as views.py: parse, authorise, call a service, render or redirect."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.core.forms import SubmissionForm
from oneroof.core.roles import professional_required
from oneroof.workforce.models import Profession, Professional, Service, Site

from . import services
from .forms import ResolveForm, RotaSessionForm
from .lifecycles import AppointmentError
from .models import AccessRequest, AppointmentStatus, RotaSession, WaitingListEntry
from .presenters import Option, unmet_message, when
from .slots import RotaProblem, add_session, generate_slots
from .views import request_or_404

ROTA_DAYS = 7


@professional_required
def worklist(request):
    """The hub's worklist: unmet rights for people this professional may book for."""
    records = (
        AccessRequest.objects.on_worklist()
        .bookable_by(request.professional)
        .select_related("person", "chosen_gp")
        .order_by("requested_at")[:200]
    )
    return render(
        request,
        "access/worklist.jinja",
        {"rows": [(r, unmet_message(r.right, r.unmet_reason)) for r in records]},
    )


@professional_required
@require_POST
def request_resolve(request, public_id):
    record, _ = request_or_404(request, public_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["resolution"][0])
    else:
        try:
            services.resolve_access_request(
                access_request=record, by=request.user, resolution=form.cleaned_data["resolution"]
            )
        except AppointmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Taken off the worklist: {record.person.name}")
    return redirect("access:worklist")


@professional_required
@require_POST
def waiting_add(request, public_id):
    record, _ = request_or_404(request, public_id)
    try:
        services.add_to_waiting_list(
            person=record.person,
            by=request.user,
            professional=record.chosen_gp,
            access_request=record,
        )
    except AppointmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{record.person.name} is on the waiting list")
    return redirect("access:waiting_list")


@professional_required
def waiting_list(request):
    entries = (
        WaitingListEntry.objects.open()
        .bookable_by(request.professional)
        .select_related(
            "person", "professional", "offered_slot__professional", "offered_slot__site"
        )
    )
    return render(
        request,
        "access/waiting_list.jinja",
        {
            "rows": [(e, Option.of(e.offered_slot) if e.offered_slot else None) for e in entries],
            "submission_id": uuid.uuid4(),
        },
    )


def _entry_or_404(request, public_id) -> WaitingListEntry:
    return get_object_or_404(
        WaitingListEntry.objects.bookable_by(request.professional).select_related("person"),
        public_id=public_id,
    )


@professional_required
@require_POST
def waiting_book(request, public_id):
    entry = _entry_or_404(request, public_id)
    form = SubmissionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BookingError("Start again")
        appointment = services.book_offered_slot(
            entry=entry, by=request.user, submission_id=form.cleaned_data["submission_id"]
        )
    except AppointmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Booked: {entry.person.name}, {when(appointment.slot.start)}")
    return redirect("access:waiting_list")


@professional_required
@require_POST
def waiting_remove(request, public_id):
    entry = _entry_or_404(request, public_id)
    services.remove_from_waiting_list(entry=entry, by=request.user)
    messages.success(request, f"{entry.person.name} is off the waiting list")
    return redirect("access:waiting_list")


def _rota_sessions(professional):
    today = timezone.localdate()
    return (
        RotaSession.objects.filter(
            professional__organisation_id=professional.organisation_id,
            date__gte=today,
            date__lt=today + timedelta(days=ROTA_DAYS),
        )
        .select_related("professional", "site", "service")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked=Count(
                "slots__appointments",
                filter=Q(slots__appointments__status__in=AppointmentStatus.active_values()),
                distinct=True,
            ),
        )
        .order_by("date", "start", "professional__family_name")
    )


@professional_required
def rota_view(request):
    """The coming week's sessions for the professional's organisation, with slots and bookings."""
    return render(
        request, "access/rota.jinja", {"sessions": list(_rota_sessions(request.professional))}
    )


@professional_required
@require_POST
def rota_generate(request):
    """Cut into slots the sessions of the coming week that have none yet."""
    sessions = [s for s in _rota_sessions(request.professional) if s.slots_generated_at is None]
    made = generate_slots(sessions)
    messages.success(request, f"{made} slots made from {len(sessions)} sessions")
    return redirect("access:rota_view")


def _rota_form(request):
    organisation = request.professional.organisation
    professionals = (
        Professional.objects.filter(organisation=organisation, active=True)
        .exclude(profession=Profession.RECEPTIONIST)
        .order_by("family_name", "given_name")
    )
    sites = Site.objects.filter(
        Q(organisation=organisation)
        | Q(is_health_centre=True, neighbourhood_id=organisation.neighbourhood_id)
    ).order_by("name")
    return RotaSessionForm(
        request.POST or None,
        professionals=professionals,
        sites=sites,
        services=Service.objects.active().order_by("name"),
    )


@professional_required
def rota_session_add(request):
    """Add a session to the organisation's rota; its slots are made at once."""
    form = _rota_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = add_session(
                professional=data["professional"],
                site=data["site"],
                day=data["day"],
                start=data["start"],
                end=data["end"],
                mode=data["mode"],
                slot_minutes=data["slot_minutes"],
                service=data["service"],
            )
        except RotaProblem as problem:
            form.add_error(problem.field, str(problem))
        else:
            made = session.slots.count()
            messages.success(
                request,
                f"Session added for {session.professional.name} on {session.date:%A %-d %B}: "
                f"{made} slots",
            )
            return redirect("access:rota_view")
    return render(
        request,
        "access/rota_session_form.jinja",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
