"""The privacy officer's review of break-glass access and self-claimed relationships, sign-in
lockouts and staff searches."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.core.roles import privacy_officer_required

from .models import BreakGlass, PersonSearch, SelfClaimedRelationship, SignInLockout
from .services import review_access


class ReviewForm(forms.Form):
    note = forms.CharField(
        max_length=1000,
        label="Review outcome",
        error_messages={"required": "Enter the outcome of your review"},
    )


@privacy_officer_required
def break_glass_list(request):
    grants = BreakGlass.objects.for_review()
    claims = SelfClaimedRelationship.objects.for_review()
    return render(
        request,
        "audit/break_glass_list.jinja",
        {
            "to_review": list(grants.filter(reviewed_at__isnull=True)),
            "reviewed": list(grants.filter(reviewed_at__isnull=False)[:50]),
            "claims_to_review": list(claims.filter(reviewed_at__isnull=True)),
            "claims_reviewed": list(claims.filter(reviewed_at__isnull=False)[:50]),
            "form": ReviewForm(),
        },
    )


def _review(request, grants, pk):
    grant = get_object_or_404(grants.for_review(), pk=pk, reviewed_at__isnull=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        review_access(grant=grant, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, "Review recorded")
    else:
        messages.error(request, form.errors["note"][0])
    return redirect("audit:break_glass_list")


@privacy_officer_required
@require_POST
def break_glass_review(request, pk):
    return _review(request, BreakGlass.objects, pk)


@privacy_officer_required
@require_POST
def self_claim_review(request, pk):
    return _review(request, SelfClaimedRelationship.objects, pk)


@privacy_officer_required
def sign_in_review(request):
    """Lockouts after repeated wrong sign-ins, and who searched for people how often this
    week: the traces of someone guessing passwords or trawling for names."""
    since = timezone.now() - timedelta(days=7)
    searches = (
        PersonSearch.objects.filter(at__gte=since)
        .values("user__username", "user__first_name", "user__last_name")
        .annotate(searches=Count("pk"), found=Sum("results"))
        .order_by("-searches")[:50]
    )
    return render(
        request,
        "audit/sign_in_review.jinja",
        {"lockouts": list(SignInLockout.objects.for_review()[:200]), "searches": list(searches)},
    )
