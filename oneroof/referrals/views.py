"""Staff and referrer pages: make a referral, follow the ones you sent, triage a service's
worklist, and the service directory with its Open Referral UK import. Thin: parse, authorise,
call a service, render."""

import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.access.forms import BookForm
from oneroof.access.models import Appointment, Slot
from oneroof.access.presenters import Option
from oneroof.access.services import SlotTaken
from oneroof.audit.services import record_access
from oneroof.core.roles import professional_required, referrer_required
from oneroof.workforce.models import Service

from . import booking, services
from .forms import (
    AcceptForm,
    DeclineForm,
    DirectoryImportForm,
    FirstTreatmentForm,
    RedirectForm,
    ReferralForm,
)
from .lifecycle import ReferralError
from .models import Referral, ReferralStatus
from .openreferral import OrukError, import_directory
from .presenters import clock, identity_check, referrer_text, service_facts, status_tag
from .rules import ServiceRules, may_refer, referrer_kind

WORKLIST_LIMIT = 500


def _services_for(professional):
    """The services this professional may refer to, through their front door."""
    kind = referrer_kind(professional.profession)
    allowed = [s.pk for s in Service.objects.active() if may_refer(ServiceRules.of(s), kind)]
    return Service.objects.filter(pk__in=allowed).order_by("name")


def _add_problems(form, problems) -> None:
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@referrer_required
def referral_list(request):
    """What I sent, newest first; and, for a triager, the way to their worklist."""
    sent = list(
        Referral.objects.sent_by(request.professional)
        .select_related("service", "replaced_by__service")
        .order_by("-received_at")[:200]
    )
    rows = [{"referral": r, "tag": status_tag(r.status)} for r in sent]
    triaged = list(Service.objects.triaged_by(request.professional).order_by("name"))
    return render(
        request, "referrals/referral_list.jinja", {"rows": rows, "triaged_services": triaged}
    )


@referrer_required
def referral_create(request):
    professional = request.professional
    choices = _services_for(professional)
    form = ReferralForm(
        request.POST or None,
        services=choices,
        initial={"submission_id": uuid.uuid4(), "service": request.GET.get("service")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.submit_referral(
                service=form.cleaned_data["service"],
                details=form.person_details(),
                reason=form.cleaned_data["reason"],
                kind=referrer_kind(professional.profession),
                requester=professional,
                by=request.user,
                submission_id=form.cleaned_data["submission_id"],
            )
        except services.ReferralRefused as refused:
            _add_problems(form, refused.problems)
        else:
            messages.success(request, f"Referral sent to {referral.service.name}")
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/referral_form.jinja",
        {"form": form, "has_services": choices.exists()},
        status=400 if form.is_bound else 200,
    )


def _triage_forms(referral, by, **bound):
    others = Service.objects.active().exclude(pk=referral.service_id).order_by("name")
    return {
        "accept_form": bound.get("accept_form")
        or AcceptForm(claims=services.needs_claim_reason(referral, by)),
        "redirect_form": bound.get("redirect_form") or RedirectForm(services=others),
        "decline_form": bound.get("decline_form") or DeclineForm(),
    }


def _appointment(referral) -> Option | None:
    if referral.appointment_public_id is None:
        return None
    appointment = (
        Appointment.objects.for_person(referral.person_id)
        .filter(public_id=referral.appointment_public_id)
        .select_related("slot__professional", "slot__site")
        .first()
    )
    return None if appointment is None else Option.of(appointment.slot)


def _detail(request, referral, *, status=200, **bound):
    is_triager = referral.service.triagers.filter(pk=request.professional.pk).exists()
    if referral.person is not None:
        record_access(
            user=request.user,
            person=referral.person,
            action="viewed a referral",
            purpose=services.PURPOSE_TRIAGE if is_triager else services.PURPOSE_REFERRER,
        )
    context = {
        "referral": referral,
        "status": status_tag(referral.status),
        "from": referrer_text(referral),
        "clock": clock(referral, now=timezone.now()),
        "events": list(referral.events.select_related("by")),
        "is_triager": is_triager,
        "can_triage": is_triager and referral.status == ReferralStatus.RECEIVED,
        "can_accept": is_triager
        and referral.status == ReferralStatus.RECEIVED
        and not referral.identity_unconfirmed,
        "needs_identity_check": is_triager and referral.identity_unconfirmed,
        "identity_check": identity_check(referral) if is_triager else None,
        "can_book": is_triager and referral.status == ReferralStatus.ACCEPTED,
        "appointment": _appointment(referral),
        "can_record_treatment": is_triager
        and referral.status in services.TREATABLE
        and referral.first_treated_at is None,
    }
    if context["can_triage"]:
        context.update(_triage_forms(referral, request.professional, **bound))
    if context["can_record_treatment"]:
        context["treatment_form"] = bound.get("treatment_form") or FirstTreatmentForm()
    return render(request, "referrals/referral_detail.jinja", context, status=status)


@referrer_required
def referral_detail(request, public_id):
    # Only a referral this user sent, or one to a service they triage: anything else is a 404,
    # never a glimpse of someone else's referral.
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user)
        .with_details()
        .select_related("replaced_by__service", "replaces__service"),
        public_id=public_id,
    )
    return _detail(request, referral)


@professional_required
@require_POST
def referral_triage(request, public_id):
    referral = get_object_or_404(
        Referral.objects.for_triager(request.professional).with_details(), public_id=public_id
    )
    action = request.POST.get("action")
    by = request.professional
    try:
        if action == "accept":
            form = AcceptForm(request.POST, claims=services.needs_claim_reason(referral, by))
            if not form.is_valid():
                return _detail(request, referral, status=400, accept_form=form)
            services.accept_referral(
                referral=referral,
                by=by,
                note=form.cleaned_data["note"],
                reason_kind=form.cleaned_data.get("reason_kind", ""),
                reason=form.cleaned_data.get("reason", ""),
            )
            done = f"Referral accepted for {referral.name}"
        elif action == "redirect":
            others = Service.objects.active().exclude(pk=referral.service_id)
            form = RedirectForm(request.POST, services=others)
            if not form.is_valid():
                return _detail(request, referral, status=400, redirect_form=form)
            onward = services.redirect_referral(
                referral=referral,
                to_service=form.cleaned_data["to_service"],
                by=by,
                reason=form.cleaned_data["reason"],
            )
            done = f"Referral sent to {onward.service.name}"
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                return _detail(request, referral, status=400, decline_form=form)
            services.decline_referral(referral=referral, by=by, reason=form.cleaned_data["reason"])
            done = "Referral declined. The referrer and the person will be told why."
        elif action == "first_treatment":
            form = FirstTreatmentForm(request.POST)
            if not form.is_valid():
                return _detail(request, referral, status=400, treatment_form=form)
            services.record_first_treatment(
                referral=referral, treated_on=form.cleaned_data["treated_on"], by=by
            )
            messages.success(request, "First treatment session recorded")
            return redirect("referrals:referral_detail", public_id=referral.public_id)
        elif action == "confirm_identity":
            services.confirm_identity(referral=referral, by=by)
            messages.success(request, "Identity confirmed")
            return redirect("referrals:referral_detail", public_id=referral.public_id)
        else:
            raise Http404("Unknown action")
    except ReferralError as error:
        messages.error(request, str(error))
        return redirect("referrals:referral_detail", public_id=referral.public_id)
    messages.success(request, done)
    return redirect("referrals:worklist")


def _booking_page(request, referral, *, status=200, error=None):
    record_access(
        user=request.user,
        person=referral.person,
        action="viewed clinic times for a referral",
        purpose=services.PURPOSE_TRIAGE,
    )
    return render(
        request,
        "referrals/referral_book.jinja",
        {
            "referral": referral,
            "clock": clock(referral, now=timezone.now()),
            "options": booking.clinic_slots(referral, now=timezone.now()),
            "submission_id": uuid.uuid4(),
            "error": error,
        },
        status=status,
    )


@professional_required
def referral_book(request, public_id):
    """Accept and book: the service's clinic times for an accepted referral, and booking one."""
    referral = get_object_or_404(
        Referral.objects.for_triager(request.professional).with_details(), public_id=public_id
    )
    try:
        booking.check_bookable(referral)
    except ReferralError as error:
        messages.error(request, str(error))
        return redirect("referrals:referral_detail", public_id=referral.public_id)
    if request.method != "POST":
        return _booking_page(request, referral)
    form = BookForm(request.POST)
    if not form.is_valid():
        return _booking_page(request, referral, status=400, error="Start again")
    slot = get_object_or_404(
        Slot.objects.select_related("session", "professional", "site"), pk=form.cleaned_data["slot"]
    )
    try:
        appointment = booking.book(
            referral=referral,
            slot=slot,
            by=request.professional,
            submission_id=form.cleaned_data["submission_id"],
        )
    except SlotTaken as taken:
        return _booking_page(request, referral, status=409, error=str(taken))
    except ReferralError as error:
        return _booking_page(request, referral, status=400, error=str(error))
    messages.success(request, f"Booked {referral.name}: {Option.of(appointment.slot).when}")
    return redirect("referrals:referral_detail", public_id=referral.public_id)


@professional_required
def worklist(request):
    """A service's triage worklist: who is waiting, nearest to breaching the standard first."""
    triaged = list(Service.objects.triaged_by(request.professional).order_by("name"))
    if not triaged:
        raise PermissionDenied("You do not triage referrals for any service.")
    chosen = request.GET.get("service")
    service = next((s for s in triaged if str(s.public_id) == chosen), None)
    scope = Referral.objects.for_triager(request.professional).select_related(
        "service", "person", "requester__organisation"
    )
    if service is not None:
        scope = scope.filter(service=service)
    now = timezone.now()

    def rows(status):
        # Nearest to breaching first; a referral without a standard has no clock, so comes last.
        referrals = scope.filter(status=status).order_by(
            F("standard_due_at").asc(nulls_last=True), "received_at"
        )[:WORKLIST_LIMIT]
        return [
            {
                "referral": r,
                "clock": clock(r, now=now),
                "from": referrer_text(r),
                "check_identity": r.identity_unconfirmed,
            }
            for r in referrals
        ]

    return render(
        request,
        "referrals/worklist.jinja",
        {
            "services": triaged,
            "service": service,
            "waiting": rows(ReferralStatus.RECEIVED),
            "to_book": rows(ReferralStatus.ACCEPTED),
        },
    )


@referrer_required
def directory(request):
    """Every service in the neighbourhood, NHS, council and voluntary, with how to refer."""
    listing = Service.objects.select_related("organisation").prefetch_related("standards")
    entries = [
        {"service": s, "facts": service_facts(s, list(s.standards.all()))}
        for s in listing.order_by("name")
    ]
    return render(
        request,
        "referrals/directory.jinja",
        {
            "entries": entries,
            "can_import": request.user.has_perm("workforce.change_service"),
        },
    )


@professional_required
def directory_import(request):
    """Load services from an Open Referral UK file: every service or none."""
    if not request.user.has_perm("workforce.change_service"):
        raise PermissionDenied("Only directory managers can import services.")
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            document = json.loads(form.cleaned_data["file"].read().decode("utf-8-sig"))
            summary = import_directory(
                document, neighbourhood=request.professional.organisation.neighbourhood
            )
        except (UnicodeDecodeError, json.JSONDecodeError):
            errors = ["file: is not JSON. Export it from the directory as Open Referral UK JSON"]
        except OrukError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                f"Imported {len(summary.created)} new and {len(summary.updated)} updated services",
            )
            return redirect("referrals:directory")
    return render(
        request,
        "referrals/directory_import.jinja",
        {"form": form, "import_errors": errors},
        status=400 if form.is_bound else 200,
    )
