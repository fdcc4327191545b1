"""The resident's own pages: my summary, my team, my plan, who opened my record."""

from django.shortcuts import render
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.audit.services import record_access
from oneroof.care.presenters import RecordPresenter
from oneroof.care.record import load_record
from oneroof.core.roles import resident_required
from oneroof.people.models import Person


@resident_required
def summary(request):
    person = Person.objects.visible_to(request.user).get(pk=request.person.pk)
    record_access(user=request.user, person=person, action="viewed own record", purpose="self")
    record = RecordPresenter(load_record(person), today=timezone.localdate())
    return render(request, "portal/summary.jinja", {"record": record})


@resident_required
def record_access_list(request):
    record_access(
        user=request.user,
        person=request.person,
        action="viewed who opened record",
        purpose="self",
    )
    accesses = RecordAccess.objects.for_person(request.person).select_related("break_glass")[:500]
    return render(request, "portal/record_access.jinja", {"accesses": accesses})
