from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off. Ask your manager.",
    }

    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"})
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput, error_messages={"required": "Enter your password"}
    )

    def get_invalid_login_error(self) -> forms.ValidationError:
        # A locked name (too many wrong attempts) is told so, and for how long: the lockout
        # backend leaves the words on the request.
        refusal = getattr(self.request, "sign_in_refusal", None)
        if refusal:
            return forms.ValidationError(refusal, code="locked")
        return super().get_invalid_login_error()


class SubmissionForm(forms.Form):
    """A form that writes one record, however often it is sent: a double click or a retried
    request carries the same hidden id, and the service that writes treats it as done."""

    submission_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": "Start again", "invalid": "Start again"},
    )
