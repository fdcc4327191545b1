"""Who a signed-in user is to OneRoof: a professional in the neighbourhood team, an external
referrer (optician, community pharmacist, school), a resident, or a privacy officer."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def _professional_row(user):
    if not user.is_authenticated:
        return None
    try:
        return user.professional
    except user._meta.model.professional.RelatedObjectDoesNotExist:
        return None


def professional_of(user):
    """The user's Professional row if they are in the neighbourhood team, or None (residents,
    privacy officers and external referrers are not)."""
    professional = _professional_row(user)
    if professional is None or professional.is_external_referrer:
        return None
    return professional


def external_referrer_of(user):
    """The Professional row of an optician, community pharmacist or school who refers into the
    neighbourhood and sees only the referrals they sent; None for anyone else."""
    professional = _professional_row(user)
    if professional is None or not professional.is_external_referrer:
        return None
    return professional


def referrer_of(user):
    """Anyone who may send a referral: a member of the team or an external referrer."""
    return _professional_row(user)


def person_of(user):
    """The resident's own Person, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except user._meta.model.person.RelatedObjectDoesNotExist:
        return None


def is_privacy_officer(user) -> bool:
    return user.is_authenticated and user.has_perm("audit.view_recordaccess")


def professional_required(view):
    """Staff pages: only members of the neighbourhood team."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        professional = professional_of(request.user)
        if professional is None or not professional.active:
            raise PermissionDenied("This page is for the neighbourhood team.")
        request.professional = professional
        return view(request, *args, **kwargs)

    return wrapper


def referrer_required(view):
    """Pages for sending referrals and following them: the team and external referrers."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        professional = referrer_of(request.user)
        if professional is None or not professional.active:
            raise PermissionDenied("This page is for professionals who refer.")
        request.professional = professional
        return view(request, *args, **kwargs)

    return wrapper


def resident_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = person_of(request.user)
        if person is None:
            raise PermissionDenied("This page is for residents.")
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def privacy_officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_privacy_officer(request.user):
            raise PermissionDenied("This page is for privacy officers.")
        return view(request, *args, **kwargs)

    return wrapper
