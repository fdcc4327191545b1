"""Referral forms. Messages follow the NHS.UK content style ("Enter your NHS number")."""

from django import forms
from django.utils import timezone

from oneroof.audit.reasons import BreakGlassReason, InvalidReason, check_reason
from oneroof.core.fields import DateInputField
from oneroof.core.forms import SubmissionForm
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number

from .services import PersonDetails

REASON_MAX = 2000


def nhs_number_field(label: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        error_messages={
            "required": required_message,
            "max_length": "NHS number must be 10 numbers",
        },
    )


def name_field(label: str, required_message: str, name: str | None = None) -> forms.CharField:
    """A first or last name; `name` is what the length message calls it (default: the label)."""
    return forms.CharField(
        max_length=100,
        label=label,
        error_messages={
            "required": required_message,
            "max_length": f"{name or label} must be 100 characters or fewer",
        },
    )


def clean_nhs_number(value: str) -> str:
    digits = normalise_nhs_number(value)
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:
        raise forms.ValidationError("NHS number must be 10 numbers")
    if not is_valid_nhs_number(digits):
        raise forms.ValidationError("Enter a valid NHS number, like 943 476 5919")
    return digits


class _ContactFields(forms.Form):
    phone = forms.CharField(
        required=False,
        max_length=30,
        label="Phone number (optional)",
        error_messages={"max_length": "Phone number must be 30 characters or fewer"},
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        label="Email address (optional)",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )


class _PersonFields(_ContactFields):
    """Who is being referred: found by NHS number and date of birth."""

    nhs_number = nhs_number_field("NHS number", "Enter the NHS number")
    birth_date = DateInputField(label="Date of birth", past_only=True)
    given_name = name_field("First name", "Enter the first name")
    family_name = name_field("Last name", "Enter the last name")

    def clean_nhs_number(self):
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def person_details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            nhs_number=data["nhs_number"],
            birth_date=data["birth_date"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )


def reason_field(label: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea,
        label=label,
        error_messages={
            "required": required_message,
            "max_length": f"This must be {REASON_MAX} characters or fewer",
        },
    )


class SelfReferralForm(SubmissionForm, _PersonFields):
    """A resident refers themselves from the public pages, without signing in."""

    nhs_number = nhs_number_field("Your NHS number", "Enter your NHS number")
    birth_date = DateInputField(label="Your date of birth", past_only=True)
    given_name = name_field("Your first name", "Enter your first name", "First name")
    family_name = name_field("Your last name", "Enter your last name", "Last name")
    reason = reason_field("What would you like help with?", "Enter what you would like help with")

    field_order = [
        "nhs_number",
        "birth_date",
        "given_name",
        "family_name",
        "reason",
        "phone",
        "email",
        "submission_id",
    ]


class ResidentSelfReferralForm(SubmissionForm, _ContactFields):
    """A signed-in resident refers themselves: who they are comes from their record."""

    reason = reason_field("What would you like help with?", "Enter what you would like help with")

    field_order = ["reason", "phone", "email", "submission_id"]


class ReferralForm(SubmissionForm, _PersonFields):
    """A professional, in the team or outside it, refers someone to a service."""

    service = forms.ModelChoiceField(
        queryset=None,
        label="Service",
        empty_label="Choose a service",
        error_messages={
            "required": "Choose a service",
            "invalid_choice": "Choose a service from the list",
        },
    )
    reason = reason_field("Reason for referral", "Enter the reason for referral")

    field_order = [
        "service",
        "nhs_number",
        "birth_date",
        "given_name",
        "family_name",
        "phone",
        "email",
        "reason",
        "submission_id",
    ]

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["phone"].label = "Their phone number (optional)"
        self.fields["email"].label = "Their email address (optional)"


# Triage: three small forms on one page, each with its own ids.


class AcceptForm(forms.Form):
    """Accept, with a note. When only the triager vouches for the referral (`claims`: a public
    self-referral, or their own), accepting is a self-claimed relationship, so they also say why,
    as for break-glass (`audit.reasons.check_reason`)."""

    note = forms.CharField(
        required=False,
        max_length=1000,
        label="Note (optional)",
        error_messages={"max_length": "Note must be 1000 characters or fewer"},
    )
    reason_kind = forms.ChoiceField(
        required=False,
        label="Why are you taking this person on?",
        choices=BreakGlassReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose why you are taking this person on"},
    )
    reason = forms.CharField(
        required=False,
        max_length=5000,  # longer is refused by check_reason with a clear message
        widget=forms.Textarea,
        label="Reason",
    )

    def __init__(self, *args, claims: bool = False, **kwargs):
        super().__init__(*args, auto_id="accept-%s", **kwargs)
        self.claims = claims
        if not claims:
            del self.fields["reason_kind"], self.fields["reason"]

    def clean(self):
        data = super().clean()
        if not self.claims:
            return data
        if not data.get("reason_kind"):
            self.add_error("reason_kind", "Choose why you are taking this person on")
            return data
        try:
            data["reason"] = check_reason(data["reason_kind"], data.get("reason", ""))
        except InvalidReason as problem:
            self.add_error("reason", str(problem))
        return data


class RedirectForm(forms.Form):
    to_service = forms.ModelChoiceField(
        queryset=None,
        label="Service to send it to",
        empty_label="Choose a service",
        error_messages={
            "required": "Choose the service to send it to",
            "invalid_choice": "Choose a service from the list",
        },
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea,
        label="Why it is better suited there",
        error_messages={
            "required": "Enter why the referral is being sent to another service",
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, auto_id="redirect-%s", **kwargs)
        self.fields["to_service"].queryset = services


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea,
        label="Reason for declining",
        error_messages={
            "required": "Enter why the referral is declined",
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="decline-%s", **kwargs)


class FirstTreatmentForm(forms.Form):
    treated_on = DateInputField(label="Date of the first treatment session")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="treatment-%s", **kwargs)

    def clean_treated_on(self):
        value = self.cleaned_data["treated_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Date of the first treatment session must be today or in the past"
            )
        return value


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Open Referral UK file (JSON)",
        error_messages={
            "required": "Choose an Open Referral UK file",
            "empty": "The file is empty",
        },
    )
