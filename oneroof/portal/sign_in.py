"""The resident sign-in page, through the identity seam in `identity.py`."""

from django import forms
from django.contrib.auth import login
from django.shortcuts import redirect, render

from .identity import DemoIdentityProvider, NoRecord, NotVerified, resident_user_for

provider = DemoIdentityProvider()


class DemoSignInForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"})
    password = forms.CharField(
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password"},
    )


def resident_sign_in(request):
    form = DemoSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims = provider.claims_for(request, **form.cleaned_data)
        if claims is None:
            # Too many wrong attempts lock the name for a while; the lockout says for how long.
            refusal = getattr(request, "sign_in_refusal", None)
            form.add_error(None, refusal or "Enter a correct username and password")
        else:
            try:
                user = resident_user_for(claims)
            except (NotVerified, NoRecord) as problem:
                form.add_error(None, str(problem))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("portal:summary")
    return render(request, "portal/sign_in.jinja", {"form": form, "provider": provider})
