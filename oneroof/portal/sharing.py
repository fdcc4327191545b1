"""The resident's own decision to share their record with their neighbourhood care team. It
binds at once (people.consent); only the person themselves decides it here, never a carer."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from oneroof.audit.models import Purpose
from oneroof.care.record_access import RecordAccessGrant
from oneroof.core.roles import resident_required
from oneroof.people.consent import (
    OBJECTIONS,
    decision_for_no,
    latest_sharing_decision,
    record_sharing_decision,
)
from oneroof.people.models import ConsentStatus

YES, NO = "yes", "no"


class SharingForm(forms.Form):
    share = forms.ChoiceField(
        label="Do you want your neighbourhood care team to see your record?",
        choices=[
            (YES, "Yes, share my record with my care team"),
            (NO, "No, do not share my record with my care team"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to share your record",
            "invalid_choice": "Choose whether to share your record",
        },
    )


@resident_required
def sharing(request):
    person = request.person
    access = RecordAccessGrant(request.user, person, Purpose.SELF)
    form = SharingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        yes = form.cleaned_data["share"] == YES
        status = ConsentStatus.ACTIVE if yes else decision_for_no(person)
        record_sharing_decision(person=person, status=status, by=None, access=access)
        messages.success(
            request,
            "Your care team can see your record"
            if yes
            else "Your care team will no longer see your record, except in an emergency",
        )
        return redirect("portal:sharing")
    objects = latest_sharing_decision(person) in OBJECTIONS
    return render(
        request,
        "portal/sharing.jinja",
        {"form": form, "objects": objects},
        status=400 if form.is_bound else 200,
    )
