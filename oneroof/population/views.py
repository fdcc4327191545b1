"""The proactive-care worklist: people found by case-finding, waiting to be contacted. Thin:
parse, call a service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from oneroof.core.roles import professional_required
from oneroof.people.access import withheld_among

from .forms import WorklistOutcomeForm
from .models import WorklistEntry, WorklistStatus
from .presenters import WorklistEntryPresenter
from .services import WorklistEntryClosed, close_worklist_entry

PAGE_SIZE = 50
DONE_MESSAGES = {
    WorklistStatus.DONE: "Marked as contacted: {}",
    WorklistStatus.DISMISSED: "Marked as contact not needed: {}",
}


def _visible(request):
    return WorklistEntry.objects.visible_to(request.professional).select_related(
        "person", "coordinator", "found_in"
    )


@professional_required
def worklist_list(request):
    page = Paginator(_visible(request).open().need_first(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    withheld = withheld_among(request.user, [entry.person_id for entry in page])
    rows = [
        WorklistEntryPresenter(entry, request.professional.pk, entry.person_id in withheld)
        for entry in page
    ]
    return render(request, "population/worklist_list.jinja", {"page": page, "rows": rows})


@professional_required
def worklist_entry_close(request, pk):
    # Only entries the professional may see are found: anyone else's is a 404, never a peek.
    entry = get_object_or_404(_visible(request), pk=pk)
    withheld = withheld_among(request.user, [entry.person_id])
    row = WorklistEntryPresenter(entry, request.professional.pk, entry.person_id in withheld)
    if not row.can_record_outcome:
        raise PermissionDenied("Only the person's named coordinator records this.")
    form = WorklistOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            close_worklist_entry(entry=entry, by=request.professional, **form.cleaned_data)
        except WorklistEntryClosed as error:
            messages.error(request, str(error))
        else:
            status = form.cleaned_data["status"]
            messages.success(request, DONE_MESSAGES[status].format(entry.person.name))
        return redirect("population:worklist_list")
    return render(
        request,
        "population/worklist_entry.jinja",
        {"form": form, "row": row},
        status=400 if form.is_bound else 200,
    )
