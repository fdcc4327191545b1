from datetime import date

import pytest
from django import forms

from oneroof.core.fields import DateInputField


class BirthForm(forms.Form):
    birth_date = DateInputField(label="Date of birth", past_only=True)
    review = DateInputField(label="Review date", required=False)


def errors_for(day, month, year):
    form = BirthForm({"birth_date_0": day, "birth_date_1": month, "birth_date_2": year})
    form.is_valid()
    return form.errors.get("birth_date", [None])[0], form.cleaned_data.get("birth_date")


def test_date_input_field_real_date_is_cleaned():
    assert errors_for("12", "3", "1944") == (None, date(1944, 3, 12))


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("12", "", "1944", "Date of birth must include a month"),
        ("", "", "1944", "Date of birth must include a day and month"),
        ("31", "2", "1944", "Date of birth must be a real date"),
        ("aa", "2", "1944", "Date of birth must be a real date"),
        ("1", "2", "44", "Year must include 4 numbers"),
        ("1", "1", "2999", "Date of birth must be in the past"),
    ],
)
def test_date_input_field_bad_input_says_what_is_wrong(day, month, year, message):
    assert errors_for(day, month, year) == (message, None)


def test_date_input_field_optional_and_empty_is_none():
    form = BirthForm({"birth_date_0": "1", "birth_date_1": "1", "birth_date_2": "1950"})
    assert form.is_valid()
    assert form.cleaned_data["review"] is None


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("9" * 30, "3", "1944"),
        ("12", "3", "9" * 30),
        ("12", str(2**31), "1944"),
        ("١٢", "٣", "١٩٤٤"),  # Arabic-Indic digits
        ("１２", "３", "１９４４"),  # full-width digits
        ("²", "3", "1944"),
        ("-1", "3", "1944"),
    ],
)
def test_date_input_field_refuses_numbers_that_are_no_date_part(day, month, year):
    field = DateInputField(label="Date of birth")
    with pytest.raises(forms.ValidationError, match="Date of birth must be a real date"):
        field.clean([day, month, year])
