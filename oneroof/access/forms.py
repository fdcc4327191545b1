from django import forms
from django.utils import timezone

from oneroof.audit.reasons import BreakGlassReason
from oneroof.core.fields import DateInputField
from oneroof.core.forms import SubmissionForm
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number
from oneroof.workforce.models import GpAppointmentMode

from .models import FFT_QUESTION, RIGHT_CHOICES, FftAnswer, Mode
from .relationships import BookingReason
from .rights import Right


class FindByNhsNumberForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number", error_messages={"required": "Enter their NHS number"}
    )

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number, like 943 476 5919")
        return value


RIGHT_HINTS = {
    Right.SAME_DAY: (
        "With anyone in the practice team, by phone, video or face to face. When the surgery "
        "is closed, with a GP at the neighbourhood centre."
    ),
    Right.WITHIN_48H: (
        "With a GP at the surgery, or at the neighbourhood centre when the surgery is closed."
    ),
    Right.BOOK_AHEAD: "With the GP you choose.",
}


class RightForm(forms.Form):
    """What kind of appointment is needed: one of the three rights, and for book_ahead a GP."""

    right = forms.ChoiceField(
        choices=RIGHT_CHOICES,
        widget=forms.RadioSelect,
        label="What kind of appointment is needed?",
        error_messages={
            "required": "Choose what kind of appointment is needed",
            "invalid_choice": "Choose what kind of appointment is needed",
        },
    )
    chosen_gp = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="GP, for an appointment more than 48 hours ahead",
        empty_label="Choose a GP",
        error_messages={"invalid_choice": "Choose a GP at the surgery"},
    )

    def __init__(self, *args, gps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_gp"].queryset = gps

    def clean(self):
        data = super().clean()
        if data.get("right") != Right.BOOK_AHEAD:
            data["chosen_gp"] = None  # only book_ahead is with a chosen GP
        elif not data.get("chosen_gp"):
            self.add_error("chosen_gp", "Choose the GP to see")
        return data


class BookForm(SubmissionForm):
    slot = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class BookWithReasonForm(BookForm):
    """Booking by staff, with the reason the rule asks for when the booking would otherwise
    give no relationship: booking into your own slot someone you have no relationship with, or
    booking a colleague without a request. The same list and checks as break-glass."""

    reason_kind = forms.ChoiceField(
        choices=BreakGlassReason.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Why are you booking this appointment?",
        error_messages={"invalid_choice": "Choose why you are booking this appointment"},
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        label="What has happened",
        error_messages={"max_length": "Reason must be 1000 characters or fewer"},
    )

    def booking_reason(self) -> BookingReason | None:
        """The reason given, or None when neither part was filled in."""
        kind = self.cleaned_data.get("reason_kind") or ""
        text = self.cleaned_data.get("reason") or ""
        if not kind and not text.strip():
            return None
        return BookingReason(kind, text)

    def ask_for_reason(self, field: str, message: str) -> None:
        """Show why a reason is needed against the field at fault, and the kind too when none
        was chosen."""
        self.add_error(field, message)
        if field != "reason_kind" and not self.cleaned_data.get("reason_kind"):
            self.add_error("reason_kind", "Choose why you are booking this appointment")

    def has_only_reason_errors(self) -> bool:
        return bool(self.errors) and set(self.errors) <= {"reason_kind", "reason"}


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Why is it being cancelled? (optional)",
        error_messages={"max_length": "Reason must be 200 characters or fewer"},
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        max_length=500,
        label="What was done",
        error_messages={
            "required": "Enter what was done",
            "max_length": "What was done must be 500 characters or fewer",
        },
    )


class UsualGpForm(forms.Form):
    professional = forms.ModelChoiceField(
        queryset=None,
        label="Usual GP",
        empty_label="Choose a GP",
        error_messages={
            "required": "Choose a GP",
            "invalid_choice": "Choose a GP at the surgery",
        },
    )

    def __init__(self, *args, gps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = gps


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        choices=FftAnswer.choices,
        widget=forms.RadioSelect,
        label=FFT_QUESTION,
        error_messages={
            "required": "Choose how your experience was",
            "invalid_choice": "Choose how your experience was",
        },
    )
    text = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        label="Please tell us why you gave this answer (optional)",
        error_messages={"max_length": "Your answer must be 2000 characters or fewer"},
    )


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "required": f"Enter when the session {label.lower()}",
            "invalid": f"{label} must be a time like 08:30",
        },
    )


class RotaSessionForm(forms.Form):
    """A session for the rota: who, where, when, how, and optionally which service's clinic."""

    professional = forms.ModelChoiceField(
        queryset=None,
        label="Who",
        empty_label="Choose who",
        error_messages={
            "required": "Choose who the session is for",
            "invalid_choice": "Choose someone in your organisation",
        },
    )
    site = forms.ModelChoiceField(
        queryset=None,
        label="Where",
        empty_label="Choose a site",
        error_messages={"required": "Choose a site", "invalid_choice": "Choose one of the sites"},
    )
    day = DateInputField(label="Date")
    start = _time_field("Starts")
    end = _time_field("Ends")
    mode = forms.ChoiceField(
        choices=Mode.choices,
        label="How people are seen",
        error_messages={"required": "Choose how people are seen"},
    )
    slot_minutes = forms.IntegerField(
        min_value=5,
        max_value=240,
        label="Minutes for each appointment",
        error_messages={
            "required": "Enter how many minutes each appointment takes",
            "invalid": "Minutes must be a number, like 10",
            "min_value": "Appointments must be at least 5 minutes",
            "max_value": "Appointments must be 240 minutes or fewer",
        },
    )
    service = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="A clinic for one service (optional)",
        empty_label="No, a general session",
        error_messages={"invalid_choice": "Choose one of the services"},
    )

    def __init__(self, *args, professionals, sites, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["site"].queryset = sites
        self.fields["service"].queryset = services

    def clean(self):
        data = super().clean()
        start, end, day = data.get("start"), data.get("end"), data.get("day")
        if start and end and end <= start:
            self.add_error("end", "The session must end after it starts")
        if day and day < timezone.localdate():
            self.add_error("day", "The date must be today or later")
        return data


class NeighbourhoodTermsForm(forms.Form):
    """A neighbourhood's setting for the rights: what counts as a GP appointment within 48
    hours. One form per neighbourhood on the page, told apart by their prefix."""

    within_48h_mode = forms.ChoiceField(
        choices=GpAppointmentMode.choices,
        widget=forms.RadioSelect,
        label="What counts as a GP appointment within 48 hours?",
        error_messages={
            "required": "Choose what counts as a GP appointment within 48 hours",
            "invalid_choice": "Choose what counts as a GP appointment within 48 hours",
        },
    )
