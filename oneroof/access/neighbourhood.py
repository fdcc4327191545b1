"""The neighbourhood's settings for the access rights, changed by its manager: what counts as a
GP appointment within 48 hours (face to face, or by telephone too). Thin: parse, authorise,
save, redirect.

Who may change them: a user with the `workforce.change_neighbourhood` permission; a member of
the neighbourhood team with it changes only their own neighbourhood's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from oneroof.core.roles import professional_of
from oneroof.workforce.models import Neighbourhood

from .forms import NeighbourhoodTermsForm

CHANGE = "workforce.change_neighbourhood"


def _neighbourhoods(user):
    if not user.has_perm(CHANGE):
        raise PermissionDenied("Only the neighbourhood's manager can change its settings.")
    professional = professional_of(user)
    hoods = Neighbourhood.objects.order_by("name")
    if professional is not None:
        hoods = hoods.filter(pk=professional.organisation.neighbourhood_id)
    return hoods


def _form(hood, data=None) -> NeighbourhoodTermsForm:
    return NeighbourhoodTermsForm(
        data, prefix=hood.code, initial={"within_48h_mode": hood.within_48h_mode}
    )


@login_required
def neighbourhood_settings(request):
    """Each neighbourhood the user manages, with its 48-hour setting; saving one changes it."""
    hoods = _neighbourhoods(request.user)
    bound = None
    if request.method == "POST":
        hood = get_object_or_404(hoods, code=request.POST.get("neighbourhood", ""))
        bound = (hood.pk, _form(hood, request.POST))
        if bound[1].is_valid():
            hood.within_48h_mode = bound[1].cleaned_data["within_48h_mode"]
            hood.save(update_fields=["within_48h_mode"])
            messages.success(
                request, f"{hood.name}: {hood.get_within_48h_mode_display().lower()} counts"
            )
            return redirect("access:neighbourhood_settings")
    rows = [(hood, bound[1] if bound and bound[0] == hood.pk else _form(hood)) for hood in hoods]
    return render(
        request,
        "access/neighbourhood_settings.jinja",
        {"rows": rows},
        status=400 if bound else 200,
    )
