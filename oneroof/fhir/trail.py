"""The API's audit: every request in its own log, and every person-level read or change in the
person's audit trail, with the client system's name as the actor, so the person sees it in
"who opened my record"."""

from dataclasses import dataclass

from oneroof.audit.models import RecordAccess

from .mappers.audit import SYSTEM_PURPOSE
from .models import ApiAccess

ACTOR_ROLE = "Connected system"


def log_request(
    request,
    *,
    status: int,
    interaction: str,
    resource_type: str = "",
    results: int = 0,
    people: int = 0,
) -> None:
    auth = getattr(request, "auth", None)
    ApiAccess.objects.create(
        client=getattr(auth, "client", None),
        method=request.method[:10],
        interaction=interaction[:30],
        resource_type=resource_type[:40],
        status=status,
        results=results,
        people=people,
    )


def _audit(client, actions: dict[int, str]) -> int:
    """One row in each person's trail, in one statement whatever their number."""
    RecordAccess.objects.bulk_create(
        [
            RecordAccess(
                user_id=client.user_id,
                actor_name=client.name,
                actor_role=ACTOR_ROLE,
                person_id=pk,
                action=action[:40],
                purpose=SYSTEM_PURPOSE,
            )
            for pk, action in sorted(actions.items())
        ]
    )
    return len(actions)


def audit_people(client, person_pks, action: str) -> int:
    """One row in each person's trail for this request. Returns how many people."""
    return _audit(client, {pk: action for pk in person_pks if pk is not None})


def audit_search(client, *, returned, counted, resource: str) -> int:
    """A search's rows in the trails: "searched" for each person whose data it returned, and
    "counted" for each other person its total counted (query.people_counted). Returns how
    many people."""
    actions = {pk: f"counted {resource} via API" for pk in counted if pk is not None}
    actions.update({pk: f"searched {resource} via API" for pk in returned if pk is not None})
    return _audit(client, actions)


@dataclass(frozen=True)
class SystemAccess:
    """What care services expect as `access` (care.record_access.RecordAccessGrant): why this
    caller may change this person's record, and how to audit it. For a system client the
    reason is its SMART system scope."""

    client: object
    person: object
    purpose: str = SYSTEM_PURPOSE

    def audit(self, action: str) -> None:
        audit_people(self.client, [self.person.pk], action)
