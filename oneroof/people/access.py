"""Who may open whose record without break-glass.

A professional has a legitimate relationship with a person when they are in the person's care
team, or hold an open referral, task or appointment for them (ADR 2). Those facts live in
apps above `people` in the layering, so each app registers the relationships it knows about
here, in its AppConfig.ready(); `people` never imports them.

A relationship source is a function `user -> Q over Person`, and has a name shown in the audit
trail ("care team", "open task").
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class RelationshipSource:
    purpose: str  # recorded in the audit trail, e.g. "care_team"
    people_q: Callable[[object], Q]


_sources: dict[str, RelationshipSource] = {}


def register_relationship(purpose: str, people_q: Callable[[object], Q]) -> None:
    _sources[purpose] = RelationshipSource(purpose, people_q)


def relationship_sources() -> list[RelationshipSource]:
    return list(_sources.values())


def visible_people_q(user) -> Q:
    """People this user may see: themselves, or anyone they have a relationship with."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(user=user)
    for source in _sources.values():
        q |= source.people_q(user)
    return q


def relationship_with(user, person) -> str | None:
    """The purpose for which this user may open this person's record, or None."""
    from .models import Person

    if not user.is_authenticated:
        return None
    if person.user_id is not None and person.user_id == user.pk:
        return "self"
    for source in _sources.values():
        if Person.objects.filter(source.people_q(user), pk=person.pk).exists():
            return source.purpose
    return None
