"""Who a signed-in user is to OneRoof: a professional in the neighbourhood team, an external
referrer (optician, community pharmacist, school), a resident, or a privacy officer."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

# The rows are other apps' models (Professional in workforce, Person in people), which core,
# below them, does not import: they are typed Any here. A user is Django's User or anonymous.
Row = Any
User = Any
View = Callable[..., HttpResponse]


def _professional_row(user: User) -> Row:
    if not user.is_authenticated:
        return None
    try:
        return user.professional
    except user._meta.model.professional.RelatedObjectDoesNotExist:
        return None


def professional_of(user: User) -> Row:
    """The user's Professional row if they are in the neighbourhood team, or None (residents,
    privacy officers and external referrers are not)."""
    professional = _professional_row(user)
    if professional is None or professional.is_external_referrer:
        return None
    return professional


def external_referrer_of(user: User) -> Row:
    """The Professional row of an optician, community pharmacist or school who refers into the
    neighbourhood and sees only the referrals they sent; None for anyone else."""
    professional = _professional_row(user)
    if professional is None or not professional.is_external_referrer:
        return None
    return professional


def referrer_of(user: User) -> Row:
    """Anyone who may send a referral: a member of the team or an external referrer."""
    return _professional_row(user)


def person_of(user: User) -> Row:
    """The resident's own Person, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except user._meta.model.person.RelatedObjectDoesNotExist:
        return None


def is_privacy_officer(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("audit.view_recordaccess"))


def _active_professional(finder: Callable[[User], Row]) -> Callable[[User], Row]:
    def find(user: User) -> Row:
        professional = finder(user)
        return professional if professional is not None and professional.active else None

    return find


def role_required(
    find: Callable[[User], object], *, refusal: str, attribute: str | None = None
) -> Callable[[View], View]:
    """A decorator for pages of one role: `find(user)` is the user's row in that role, or None
    (refused with `refusal`); the row is set on the request as `attribute`, if named."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            found = find(request.user)
            if not found:
                raise PermissionDenied(refusal)
            if attribute:
                setattr(request, attribute, found)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Staff pages: only members of the neighbourhood team.
professional_required = role_required(
    _active_professional(professional_of),
    refusal="This page is for the neighbourhood team.",
    attribute="professional",
)
# Pages for sending referrals and following them: the team and external referrers.
referrer_required = role_required(
    _active_professional(referrer_of),
    refusal="This page is for professionals who refer.",
    attribute="professional",
)
resident_required = role_required(
    person_of, refusal="This page is for residents.", attribute="person"
)
privacy_officer_required = role_required(
    is_privacy_officer, refusal="This page is for privacy officers."
)
