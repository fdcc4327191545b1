"""Residents' front door: refer yourself from the public pages (on a phone, without a staff
member), and, signed in, see where your referrals have got to."""

import uuid

from django.http import Http404
from django.shortcuts import redirect, render

from oneroof.audit.models import Purpose
from oneroof.audit.ratelimit import Limit, RateLimited, client_address, take
from oneroof.audit.services import record_access
from oneroof.core.roles import person_of, resident_required
from oneroof.referrals.forms import ResidentSelfReferralForm, SelfReferralForm
from oneroof.referrals.models import Referral
from oneroof.referrals.presenters import service_facts, status_tag
from oneroof.referrals.services import PersonDetails, ReferralRefused, submit_referral
from oneroof.workforce.models import ReferrerKind, Service

SENT = "self_referral_sent"  # the session key for the confirmation page
# One message for both limits: it must not tell anyone that an NHS number has been used a lot.
TOO_MANY = (
    "You have sent a lot of referrals in a short time. Wait {wait}, then try again. "
    "If you need help now, call 111, or 999 in an emergency."
)


def _limits() -> tuple[Limit, Limit]:
    return (
        Limit.from_settings("refer-address", "SELF_REFERRAL_LIMIT_PER_ADDRESS", TOO_MANY),
        Limit.from_settings("refer-nhs-number", "SELF_REFERRAL_LIMIT_PER_NHS_NUMBER", TOO_MANY),
    )


def service_list(request):
    """The neighbourhood's services, with those you can refer yourself to first."""
    listing = Service.objects.active().select_related("organisation").prefetch_related("standards")
    entries = [
        {"service": s, "facts": service_facts(s, list(s.standards.all()))}
        for s in listing.order_by("-accepts_self_referral", "name")
    ]
    return render(request, "portal/self_referral_services.jinja", {"entries": entries})


def _service_or_404(public_id) -> Service:
    try:
        return Service.objects.active().select_related("organisation").get(public_id=public_id)
    except Service.DoesNotExist:
        raise Http404("No service with that id is taking referrals") from None


def _details_of(person, form) -> PersonDetails:
    data = form.cleaned_data
    return PersonDetails(
        nhs_number=person.nhs_number,
        birth_date=person.birth_date,
        given_name=person.given_name,
        family_name=person.family_name,
        phone=data["phone"] or person.phone,
        email=data["email"] or person.email or person.user.email,
    )


def self_refer(request, public_id):
    """Refer yourself to one service. Signed in as a resident, who you are comes from your
    record; otherwise the referral holds what you typed, and the service checks who sent it.
    Limited per address and per NHS number (`audit.ratelimit`): past a limit, a 429 that says
    how long to wait and keeps what was typed."""
    service = _service_or_404(public_id)
    if not service.accepts_self_referral:
        return render(
            request, "portal/self_referral_closed.jinja", {"service": service}, status=403
        )
    resident = person_of(request.user)
    form_class = ResidentSelfReferralForm if resident is not None else SelfReferralForm
    initial = {"submission_id": uuid.uuid4()}
    if resident is not None:
        initial.update(phone=resident.phone, email=resident.email)
    form = form_class(request.POST or None, initial=initial)
    status = 400 if form.is_bound else 200
    if request.method == "POST":
        try:
            referral = _send(request, form, service=service, resident=resident)
        except RateLimited as limited:
            form.add_error(None, str(limited))  # what they typed stays on the page
            status = 429
        else:
            if referral is not None:
                request.session[SENT] = {
                    "service": referral.service.name,
                    "emailed": bool(referral.email),
                    "signed_in": resident is not None,
                }
                return redirect("self_referral:sent")
    return render(
        request,
        "portal/self_referral_form.jinja",
        {"form": form, "service": service, "resident": resident},
        status=status,
    )


def _send(request, form, *, service, resident):
    """Count the post against the limits, then send the referral: it, or None with the form's
    errors. Raises RateLimited (nothing sent) over a limit, per address and per NHS number."""
    by_address, by_nhs_number = _limits()
    take(by_address, client_address(request))
    if not form.is_valid():
        return None
    details = _details_of(resident, form) if resident is not None else form.person_details()
    take(by_nhs_number, details.nhs_number)
    try:
        return submit_referral(
            service=service,
            details=details,
            reason=form.cleaned_data["reason"],
            kind=ReferrerKind.SELF,
            # Only a resident signed in as themselves is recorded as who sent it, and only
            # their referral is theirs without a check: anyone else using the public form is,
            # to OneRoof, an unnamed member of the public whose details a triager confirms.
            by=request.user if resident is not None else None,
            resident=resident,
            submission_id=form.cleaned_data["submission_id"],
        )
    except ReferralRefused as refused:
        for problem in refused.problems:
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, problem.message)
        return None


def sent(request):
    """What happens next. Read from the session, so the page names no one to anyone else."""
    confirmation = request.session.get(SENT)
    if confirmation is None:
        return redirect("self_referral:service_list")
    return render(request, "portal/self_referral_sent.jinja", {"sent": confirmation})


@resident_required
def referral_list(request):
    """My referrals and where each has got to, with the reason when one was declined."""
    referrals = list(
        Referral.objects.for_resident(request.person)
        .select_related("service__organisation", "requester__organisation", "replaced_by__service")
        .order_by("-received_at")
    )
    record_access(
        user=request.user, person=request.person, action="viewed referrals", purpose=Purpose.SELF
    )
    rows = [{"referral": r, "status": status_tag(r.status)} for r in referrals]
    return render(request, "portal/referral_list.jinja", {"rows": rows})
