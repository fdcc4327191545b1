"""Who may open whose record without break-glass.

A professional has a legitimate relationship with a person when they are in the person's care
team, or hold an open referral, task or appointment for them (ADR 2). Those facts live in
apps above `people` in the layering, so each app registers the relationships it knows about
here, in its AppConfig.ready(); `people` never imports them.

A relationship source is a function `user -> Q over Person`, and has a name shown in the audit
trail ("care team", "open task").

A person's objection to sharing with the wider team (people.consent) overrides every
relationship except the part of a source the person chose themselves (`despite_objection`: an
appointment they booked with that professional). Break-glass, decided in care.record_access,
still opens the record in an emergency.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from .consent import objecting_people_q, objects_to_sharing


@dataclass(frozen=True)
class RelationshipSource:
    purpose: str  # recorded in the audit trail, e.g. "care_team"
    people_q: Callable[[object], Q]
    # The part of people_q the person chose themselves, which their objection to sharing does
    # not override; None: none of it survives an objection.
    despite_objection: Callable[[object], Q] | None = None


_sources: dict[str, RelationshipSource] = {}
NOBODY = Q(pk__in=[])


def register_relationship(
    purpose: str,
    people_q: Callable[[object], Q],
    *,
    despite_objection: Callable[[object], Q] | None = None,
) -> None:
    _sources[purpose] = RelationshipSource(purpose, people_q, despite_objection)


def relationship_sources() -> list[RelationshipSource]:
    return list(_sources.values())


def _related_and_chosen(user) -> tuple[Q, Q]:
    """Everyone this user has a relationship with, and those of them the person chose."""
    related, chosen = NOBODY, NOBODY
    for source in _sources.values():
        related |= source.people_q(user)
        if source.despite_objection is not None:
            chosen |= source.despite_objection(user)
    return related, chosen


def visible_people_q(user) -> Q:
    """People this user may see: themselves, or anyone they have a relationship with that the
    person has not objected to (people.consent), or one the person chose."""
    if not user.is_authenticated:
        return NOBODY
    related, chosen = _related_and_chosen(user)
    # The objection appears once in the query, however many sources there are.
    return Q(user=user) | (related & ~objecting_people_q()) | chosen


def withheld_people_q(user) -> Q:
    """People this user has a relationship with that the person's objection to sharing
    overrides: lists keep them, marked, and their record offers break-glass instead."""
    if not user.is_authenticated:
        return NOBODY
    from .models import Person

    related, chosen = _related_and_chosen(user)
    # By primary key: negating the joins themselves would test each joined row, not the person.
    chosen_pks = Person.objects.filter(chosen).values("pk")
    return related & objecting_people_q() & ~Q(pk__in=chosen_pks) & ~Q(user=user)


def relationship_with(user, person) -> str | None:
    """The purpose for which this user may open this person's record, or None: one query for
    the person's objection to sharing, then one per relationship source, which counts only the
    part the person chose when they object."""
    from .models import Person

    if not user.is_authenticated:
        return None
    if person.user_id is not None and person.user_id == user.pk:
        return "self"
    objects = objects_to_sharing(person)
    for source in _sources.values():
        if not objects:
            people_q = source.people_q(user)
        elif source.despite_objection is not None:
            people_q = source.despite_objection(user)
        else:
            continue
        if Person.objects.filter(people_q, pk=person.pk).exists():
            return source.purpose
    return None


def withheld_relationship(user, person) -> str | None:
    """The relationship this user would have with this person but for the person's objection
    to sharing, or None. Asked only once access is refused, to say why."""
    from .models import Person

    if not Person.objects.filter(withheld_people_q(user), pk=person.pk).exists():
        return None
    for source in _sources.values():
        if Person.objects.filter(source.people_q(user), pk=person.pk).exists():
            return source.purpose
    return None


def withheld_among(user, person_pks) -> set[int]:
    """Which of these people (a list page's rows) this user would see but for their objection
    to sharing, so lists mark them instead of dropping them. One query when none of them
    objects, two when some do, however many rows."""
    from .models import Person

    pks = [pk for pk in person_pks if pk is not None]
    objecting = list(
        Person.objects.filter(objecting_people_q(), pk__in=pks).values_list("pk", flat=True)
    )
    if not objecting:
        return set()
    return set(
        Person.objects.filter(withheld_people_q(user), pk__in=objecting)
        .values_list("pk", flat=True)
        .distinct()
    )
