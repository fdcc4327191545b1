"""Form fields shaped like the NHS.UK design system's components."""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms

MAX_ID = 2**63 - 1  # the largest primary key either database holds (a signed 64-bit integer)


def parse_id(value: str) -> int | None:
    """A database id from a query string or form, or None: plain digits within range only.
    `str.isdigit()` is true of "²" and of Arabic-Indic digits, and an id past 2^63 fails in the
    database rather than matching nothing."""
    if not re.fullmatch(r"[0-9]{1,19}", value or ""):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Django's multiple choice of rows, refusing ids that are not ids before the database sees
    them (an `IN` with a 30-digit number is a server error on both databases)."""

    def _check_values(self, value: Iterable[object]) -> Any:
        key = self.to_field_name or "pk"
        if key == "pk":
            for item in value:
                if parse_id(str(item)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


class DateInputField(forms.MultiValueField):
    """Day, month and year boxes (the design system's date input), cleaned to a date.

    Messages follow NHS content style: "Date of birth must be a real date".
    """

    widget = forms.MultiWidget(widgets=[forms.TextInput()] * 3)

    def __init__(
        self, *, label: str, required: bool = True, past_only: bool = False, **kwargs: Any
    ) -> None:
        self.label_text = label
        self.past_only = past_only
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(
            fields=fields, required=required, require_all_fields=False, label=label, **kwargs
        )
        self.error_messages["required"] = f"Enter {label[0].lower() + label[1:]}"

    def compress(self, data_list: list[str] | None) -> date | None:
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (part.strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.label_text} must include a {' and '.join(missing)}", code="incomplete"
            )
        # Plain digits only, a handful of them: int() would read Arabic-Indic or full-width
        # digits, and a 30-digit year overflows date() instead of failing as a bad date.
        if not all(re.fullmatch(r"[0-9]{1,8}", part) for part in (day, month, year)):
            raise forms.ValidationError(f"{self.label_text} must be a real date", code="invalid")
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                f"{self.label_text} must be a real date", code="invalid"
            ) from None
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        if self.past_only and value > date.today():
            raise forms.ValidationError(f"{self.label_text} must be in the past", code="future")
        return value


def date_input_items(field: forms.BoundField) -> list[dict[str, object]]:
    """The `items` for the design system's dateInput macro, keeping what was typed."""
    raw = field.value()
    if isinstance(raw, date):
        raw = [str(raw.day), str(raw.month), str(raw.year)]
    raw = raw or ["", "", ""]
    error_class = "nhsuk-input--error" if field.errors else ""
    return [
        {
            # The day box takes the field's own id, so the error summary's link lands on it.
            "id": field.auto_id if i == 0 else f"{field.auto_id}_{i}",
            "name": f"{field.html_name}_{i}",
            "label": label,
            "value": raw[i] or "",
            "width": width,
            "classes": error_class,
        }
        for i, (label, width) in enumerate((("Day", 2), ("Month", 2), ("Year", 4)))
    ]
