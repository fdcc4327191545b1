from django import forms
from django.utils import timezone

from oneroof.audit.reasons import BreakGlassReason, InvalidReason, check_reason
from oneroof.core.fields import DateInputField, IdMultipleChoiceField
from oneroof.core.forms import SubmissionForm
from oneroof.people.models import ConsentStatus
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number


class FindPersonForm(forms.Form):
    """Find by NHS number, or by family name and date of birth."""

    nhs_number = forms.CharField(required=False, label="NHS number")
    family_name = forms.CharField(required=False, max_length=100, label="Last name")
    birth_date = DateInputField(label="Date of birth", required=False, past_only=True)

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number, like 943 476 5919")
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("nhs_number"):
            if not data.get("family_name"):
                self.add_error("family_name", "Enter their last name, or an NHS number")
            if not data.get("birth_date"):
                self.add_error("birth_date", "Enter their date of birth, or an NHS number")
        return data


class BreakGlassForm(forms.Form):
    """A kind of reason from the list, and words that say what happened: the same rule as the
    service (`audit.reasons.check_reason`)."""

    reason_kind = forms.ChoiceField(
        label="What is the reason?",
        choices=BreakGlassReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you need to see this record",
            "invalid_choice": "Choose why you need to see this record",
        },
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=5000,  # longer is refused by check_reason with a clear message
        widget=forms.Textarea,
    )

    def clean(self):
        data = super().clean()
        try:
            data["reason"] = check_reason(
                data.get("reason_kind", BreakGlassReason.OTHER), data.get("reason", "")
            )
        except InvalidReason as problem:
            self.add_error("reason", str(problem))
        return data


class CarePlanForm(forms.Form):
    what_matters = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        label="What matters to me",
        error_messages={"max_length": "What matters must be 2000 characters or fewer"},
    )
    next_review_date = DateInputField(label="Next review date", required=False)


class GoalForm(SubmissionForm):
    def __init__(self, *args, **kwargs):
        # The goal and action forms share a page: their ids must not clash.
        super().__init__(*args, auto_id="goal-%s", **kwargs)

    description = forms.CharField(
        max_length=500,
        label="Goal, in the person's own words",
        error_messages={
            "required": "Enter the goal",
            "max_length": "Goal must be 500 characters or fewer",
        },
    )
    target_date = DateInputField(label="Target date", required=False)


class CarePlanReviewForm(SubmissionForm):
    """Record a review of the plan with the person: what the care plan review measure counts."""

    def __init__(self, *args, **kwargs):
        # It shares the page with the plan form, which also has a next review date.
        super().__init__(*args, auto_id="review-%s", **kwargs)

    reviewed_on = DateInputField(label="Date of the review")
    summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        label="What was reviewed and agreed",
        error_messages={"max_length": "What was reviewed must be 2000 characters or fewer"},
    )
    next_review_date = DateInputField(label="Next review date", required=False)

    def clean_reviewed_on(self):
        value = self.cleaned_data["reviewed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date of the review must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        reviewed, following = data.get("reviewed_on"), data.get("next_review_date")
        if reviewed and following and following <= reviewed:
            self.add_error("next_review_date", "Next review date must be after the review")
        return data


class ActionForm(SubmissionForm):
    description = forms.CharField(
        max_length=500,
        label="What needs to be done",
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": "Action must be 500 characters or fewer",
        },
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        label="Who will do it",
        empty_label="Choose a team member",
        error_messages={
            "required": "Choose who will do it",
            "invalid_choice": "Choose someone in the care team",
        },
    )
    goal = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Which goal it helps (optional)",
        empty_label="Not linked to a goal",
    )
    due_date = DateInputField(label="Due date", required=False)

    def __init__(self, *args, team, goals, **kwargs):
        super().__init__(*args, auto_id="action-%s", **kwargs)
        self.fields["owner"].queryset = team
        self.fields["goal"].queryset = goals


class TaskCompleteForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="What was done (optional)")


class MdtReviewForm(SubmissionForm):
    decision = forms.CharField(
        max_length=4000,
        widget=forms.Textarea,
        label="Huddle decision",
        error_messages={"required": "Enter the huddle decision"},
    )
    attendees = IdMultipleChoiceField(
        queryset=None,
        label="Who was at the huddle",
        error_messages={"required": "Select who was at the huddle"},
    )
    next_review_date = DateInputField(label="Next review date")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = team


class SharingDecisionForm(forms.Form):
    """The person's decision, as they told a member of staff, to share their record with the
    wider team (people.consent)."""

    status = forms.ChoiceField(
        label="What has the person decided?",
        choices=[
            (ConsentStatus.ACTIVE, "They agree to share their record with the team"),
            (ConsentStatus.INACTIVE, "They withdraw consent they gave before"),
            (ConsentStatus.REJECTED, "They refuse to share their record with the team"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the person has decided",
            "invalid_choice": "Choose what the person has decided",
        },
    )
