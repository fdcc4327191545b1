from django import forms

from .models import WorklistStatus

OUTCOMES = [
    (WorklistStatus.DONE.value, "Contacted"),
    (WorklistStatus.DISMISSED.value, "Contact not needed"),
]


class WorklistOutcomeForm(forms.Form):
    """What came of a person on the proactive-care worklist."""

    status = forms.ChoiceField(
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        label="What happened?",
        error_messages={
            "required": "Select whether you contacted them or contact is not needed",
            "invalid_choice": "Select whether you contacted them or contact is not needed",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea,
        label="Note",
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == WorklistStatus.DISMISSED and not data.get("note", "").strip():
            self.add_error("note", "Enter why contact is not needed")
        return data
