"""A carer managing the appointments of someone who has consented to them acting for them.

Which person the carer is acting for is kept in the session and checked against the consent on
every request, so a withdrawn consent ends it at once. The booking pages then work for that
person exactly as they do for a resident themselves, and every page so opened is audited with
the purpose "proxy".
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from oneroof.audit.models import Purpose
from oneroof.audit.services import record_access
from oneroof.core.roles import resident_required
from oneroof.people.models import Person

SESSION_KEY = "portal.acting_for"


def for_person_or_self(view):
    """Booking pages: `request.person` is the person acted for, if any, else the resident; and
    `request.acting_for` is that person or None."""

    @resident_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.acting_for = None
        wanted = request.session.get(SESSION_KEY)
        if wanted:
            person = Person.objects.proxied_by(request.user).filter(public_id=wanted).first()
            if person is None:
                del request.session[SESSION_KEY]
            else:
                request.acting_for = request.person = person
                record_access(
                    user=request.user,
                    person=person,
                    action="managed appointments as their carer",
                    purpose=Purpose.PROXY,
                )
        return view(request, *args, **kwargs)

    return wrapper


def whose(request) -> str:
    """'Your' or 'Meera Patel's', for messages."""
    return f"{request.acting_for.name}'s" if request.acting_for else "Your"


@resident_required
@require_POST
def start(request, public_id):
    try:
        person = Person.objects.proxied_by(request.user).get(public_id=public_id)
    except Person.DoesNotExist:
        raise Http404("No one with that id has asked you to act for them") from None
    request.session[SESSION_KEY] = str(person.public_id)
    return redirect("portal:appointment_list")


@resident_required
@require_POST
def stop(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:appointment_list")
