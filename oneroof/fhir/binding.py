"""What a client tied to an organisation may read (an optician's or pharmacy's system, a GP
practice's): the organisation binds every resource type, not only its referrals.

The rule, for a client registered with an organisation:
- About a person: only people with whom one of the organisation's own professionals has a
  legitimate relationship, exactly as the record pages decide it (`people.access`: care team,
  open task, open appointment, triaging an open referral...), plus the rows the organisation
  made itself (the referrals its practitioners sent, the appointments this system booked). An
  external referrer's professionals (opticians, pharmacists, schools) never open a record, so
  their relationships count for nothing here either.
- About no one person (the directory, slots, measures): whatever its scopes allow.

A client with no organisation is a neighbourhood system and sees whatever its scopes allow.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from oneroof.people.access import visible_people_q
from oneroof.people.models import Person

NOBODY = Q(pk__in=[])


def _professional_users(client) -> list:
    return list(
        get_user_model().objects.filter(
            is_active=True,
            professional__organisation_id=client.organisation_id,
            professional__active=True,
            professional__is_external_referrer=False,
        )
    )


def related_people_q(client) -> Q:
    """A Q over Person: the people the client's organisation has a relationship with. Worked
    out once per request (one query for the organisation's professionals) and kept on the
    client row the request loaded."""
    cached = getattr(client, "_related_people_q", None)
    if cached is not None:
        return cached
    q = NOBODY
    for user in _professional_users(client):
        q |= Q(pk__in=Person.objects.filter(visible_people_q(user)).values("pk"))
    client._related_people_q = q
    return q


def bound_rows(rows, *, person_path: str | None, client, made_by=None):
    """`rows` narrowed to what an organisation-bound `client` may read (see the module's rule);
    unchanged for a neighbourhood system or a resource about no one person."""
    if client is None or client.organisation_id is None or person_path is None:
        return rows
    people = related_people_q(client)
    allowed = (
        people
        if person_path == ""
        else Q(**{f"{person_path}__in": Person.objects.filter(people).values("pk")})
    )
    if made_by is not None:
        allowed |= made_by(client)
    return rows.filter(allowed)
