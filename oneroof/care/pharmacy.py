"""A community pharmacist records the vaccinations they give and the medicines they supply, so
that they appear on the person's whole-person record.

The pharmacist finds the person by NHS number and date of birth, as they would at the counter,
and never sees the record itself: they may be outside the neighbourhood team.
"""

import uuid
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from oneroof.core.fields import DateInputField
from oneroof.core.roles import referrer_of
from oneroof.people.models import Person
from oneroof.people.nhs_numbers import is_valid_nhs_number, normalise_nhs_number
from oneroof.workforce.models import Profession

from . import services

# The vaccinations community pharmacies give, coded as NHS England's immunisation records code
# them: the SNOMED CT vaccination procedure. (code, term, what the pharmacist sees)
VACCINATIONS = (
    ("822851000000102", "Seasonal influenza vaccination", "Flu vaccination"),
    (
        "1362591000000103",
        "Immunisation course to maintain protection against severe acute respiratory syndrome "
        "coronavirus 2",
        "COVID-19 vaccination",
    ),
)
_TERM = {code: term for code, term, _ in VACCINATIONS}


def pharmacist_required(view):
    """Pharmacists only: a community pharmacist outside the team, or one in it."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        professional = referrer_of(request.user)
        if (
            professional is None
            or not professional.active
            or professional.profession != Profession.PHARMACIST
        ):
            raise PermissionDenied("This page is for pharmacists.")
        request.professional = professional
        return view(request, *args, **kwargs)

    return wrapper


class _PersonForm(forms.Form):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    nhs_number = forms.CharField(
        max_length=20,
        label="NHS number",
        error_messages={"required": "Enter the NHS number"},
    )
    birth_date = DateInputField(label="Date of birth", past_only=True)

    def clean_nhs_number(self):
        digits = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:
            raise forms.ValidationError("NHS number must be 10 numbers")
        if not is_valid_nhs_number(digits):
            raise forms.ValidationError("Enter a valid NHS number, like 943 476 5919")
        return digits

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        person = Person.objects.find(nhs_number=data["nhs_number"]).first()
        if person is None or person.birth_date != data["birth_date"]:
            # One message for both: it must not tell anyone whose NHS number this is.
            self.add_error(
                "nhs_number",
                "No one with this NHS number and date of birth is registered in the "
                "neighbourhood. Check both",
            )
        else:
            data["person"] = person
        return data


class VaccinationForm(_PersonForm):
    procedure_code = forms.ChoiceField(
        choices=[("", "Choose a vaccination")] + [(code, label) for code, _, label in VACCINATIONS],
        label="Vaccination",
        error_messages={
            "required": "Choose the vaccination given",
            "invalid_choice": "Choose a vaccination from the list",
        },
    )
    occurrence_date = DateInputField(label="Date given", past_only=True)
    lot_number = forms.CharField(
        required=False,
        max_length=40,
        label="Batch number (optional)",
        error_messages={"max_length": "Batch number must be 40 characters or fewer"},
    )


class MedicineForm(_PersonForm):
    display = forms.CharField(
        max_length=255,
        label="Medicine, strength and form",
        error_messages={
            "required": "Enter the medicine supplied",
            "max_length": "Medicine must be 255 characters or fewer",
        },
    )
    code = forms.RegexField(
        required=False,
        regex=r"^\d{6,18}$",
        label="dm+d code (optional)",
        error_messages={"invalid": "dm+d code must be 6 to 18 numbers"},
    )
    dosage = forms.CharField(
        max_length=255,
        label="How to take it",
        error_messages={
            "required": "Enter how to take it",
            "max_length": "How to take it must be 255 characters or fewer",
        },
    )
    supplied_on = DateInputField(label="Date supplied", past_only=True)
    until = DateInputField(label="Course ends (optional)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("until") and data.get("supplied_on") and data["until"] < data["supplied_on"]:
            self.add_error("until", "Course end must be on or after the date supplied")
        return data


def _record(request, form_class, template, save, done):
    form = form_class(request.POST or None, initial={"submission_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        for key in ("nhs_number", "birth_date"):
            data.pop(key)
        save(person=person, by=request.professional, **data)
        messages.success(request, f"{done} for {person.name}")
        return redirect(request.path)
    return render(request, template, {"form": form}, status=400 if form.is_bound else 200)


@pharmacist_required
def vaccination_record(request):
    def save(*, procedure_code, **data):
        services.record_immunization(
            procedure_code=procedure_code, procedure_display=_TERM[procedure_code], **data
        )

    return _record(
        request, VaccinationForm, "care/pharmacy_vaccination.jinja", save, "Vaccination recorded"
    )


@pharmacist_required
def medicine_record(request):
    return _record(
        request,
        MedicineForm,
        "care/pharmacy_medicine.jinja",
        services.record_medicine_supply,
        "Medicine recorded",
    )
