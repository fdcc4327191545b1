from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import SignInForm
from .roles import external_referrer_of, is_privacy_officer, person_of, professional_of


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.jinja"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to where their work starts."""
    user = request.user
    if professional_of(user) is not None:
        return redirect("care:person_find")
    if external_referrer_of(user) is not None:
        return redirect("referrals:referral_list")
    if is_privacy_officer(user):
        return redirect("audit:break_glass_list")
    if person_of(user) is not None:
        return redirect("portal:summary")
    if user.has_perm("measures.view_measureresult"):  # a neighbourhood or ICB manager
        return redirect("measures:neighbourhood_list")
    return render(request, "core/no_role.jinja", status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.jinja", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.jinja", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.jinja", status=403)
