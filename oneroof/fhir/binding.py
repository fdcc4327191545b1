"""What a client tied to an organisation may read (an optician's or pharmacy's system, a GP
practice's): the organisation binds every resource type, not only its referrals.

The rule, for a client registered with an organisation:
- About a person: only people with whom one of the organisation's own professionals has a
  legitimate relationship, from the same sources as the record pages (`people.access`: care
  team, open task, open appointment, triaging an open referral...), plus the rows the organisation
  made itself (the referrals its practitioners sent, the appointments this system booked). An
  external referrer's professionals (opticians, pharmacists, schools) never open a record, so
  their relationships count for nothing here either.
- About no one person (the directory, slots, measures): whatever its scopes allow.

A client with no organisation is a neighbourhood system and sees whatever its scopes allow.
"""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q

from oneroof.people.access import relationship_sources
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


# A relationship a professional claimed by their own action (booking someone into their own
# slot: time limited, reviewed like break-glass) is theirs, not their organisation's system's.
NOT_INHERITED = {"self_claimed"}


def related_people_q(client) -> Q:
    """A Q over Person: the people the client's organisation has a relationship with. Worked
    out once per request (one query for the organisation's professionals) and kept on the
    client row the request loaded.

    One subquery per relationship source, each asking about every professional at once: ORing
    the sources' joins in one query, as `people.access.visible_people_q` does for one user, is
    thirty times slower over an organisation's professionals (3 s against 0.1 s for a practice
    of the 30,000-resident demo)."""
    cached = getattr(client, "_related_people_q", None)
    if cached is not None:
        return cached
    users = _professional_users(client)
    # Not the professionals' own records: seeing one's own is a person's right, not their
    # organisation's system's.
    q = NOBODY
    for source in relationship_sources():
        if users and source.purpose not in NOT_INHERITED:
            everyone = reduce(or_, (source.people_q(user) for user in users))
            q |= Q(pk__in=Person.objects.filter(everyone).values("pk"))
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
