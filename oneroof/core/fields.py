"""Form fields shaped like the NHS.UK design system's components."""

from datetime import date

from django import forms


class DateInputField(forms.MultiValueField):
    """Day, month and year boxes (the design system's date input), cleaned to a date.

    Messages follow NHS content style: "Date of birth must be a real date".
    """

    widget = forms.MultiWidget(widgets=[forms.TextInput()] * 3)

    def __init__(self, *, label: str, required: bool = True, past_only: bool = False, **kwargs):
        self.label_text = label
        self.past_only = past_only
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(
            fields=fields, required=required, require_all_fields=False, label=label, **kwargs
        )
        self.error_messages["required"] = f"Enter {label[0].lower() + label[1:]}"

    def compress(self, data_list):
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
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.label_text} must be a real date", code="invalid"
            ) from None
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        if self.past_only and value > date.today():
            raise forms.ValidationError(f"{self.label_text} must be in the past", code="future")
        return value


def date_input_items(field: forms.BoundField) -> list[dict]:
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
