"""The resident's own pages: my summary, my team, my plan, who opened my record; and the same
for a carer acting for someone who has consented to it."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from oneroof.audit.models import Purpose, RecordAccess
from oneroof.audit.services import record_access
from oneroof.care.presenters import RecordPresenter
from oneroof.care.record import load_record
from oneroof.core.roles import resident_required
from oneroof.people.models import Person


def _summary(request, person, purpose: str, template_context: dict):
    record_access(user=request.user, person=person, action="viewed summary", purpose=purpose)
    record = RecordPresenter(load_record(person), today=timezone.localdate())
    return render(request, "portal/summary.jinja", {"record": record, **template_context})


@resident_required
def summary(request):
    person = Person.objects.visible_to(request.user).get(pk=request.person.pk)
    acting_for = list(Person.objects.proxied_by(request.user).order_by("given_name"))
    return _summary(request, person, Purpose.SELF, {"acting_for": acting_for})


@resident_required
def proxy_summary(request, public_id):
    """A carer sees the summary of someone who consented to them acting for them."""
    try:
        person = Person.objects.proxied_by(request.user).get(public_id=public_id)
    except Person.DoesNotExist:
        raise Http404("No one with that id has asked you to act for them") from None
    return _summary(request, person, Purpose.PROXY, {"proxy": True})


@resident_required
def record_access_list(request):
    record_access(
        user=request.user,
        person=request.person,
        action="viewed who opened record",
        purpose=Purpose.SELF,
    )
    accesses = RecordAccess.objects.for_person(request.person).select_related("break_glass")[:500]
    return render(request, "portal/record_access.jinja", {"accesses": accesses})
