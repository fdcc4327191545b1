"""Who a signed-in user is to OneRoof: a professional, a resident, or a privacy officer."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def professional_of(user):
    """The user's Professional row, or None (residents and privacy officers have none)."""
    if not user.is_authenticated:
        return None
    try:
        return user.professional
    except user._meta.model.professional.RelatedObjectDoesNotExist:
        return None


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
