"""The person's objection to sharing their record with the wider team, and what it overrides.

Direct care shares on implied consent: a person's care team reads their record without asking
each time. A person may object (refuse, or withdraw a consent they gave), and the objection
binds (docs/adr/0015-consent-to-share.md): from then on the team sees the record only
through a relationship the person chose themselves, or by break-glass in an emergency.

Only the latest share-with-team decision counts, as for a carer's proxy consent. No decision
recorded is implied consent.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Consent, ConsentScope, ConsentStatus

# The decisions that stop the wider team sharing the record.
OBJECTIONS = (ConsentStatus.REJECTED, ConsentStatus.INACTIVE)


def _sharing_decisions():
    return Consent.objects.filter(scope=ConsentScope.SHARE_WITH_TEAM)


def objecting_people_q(via: str = "pk") -> Q:
    """Rows about people whose latest share-with-team decision is a refusal or a withdrawal.

    `via` is the path from the rows to the person's primary key ("pk" over Person,
    "person_id" over rows about a person). One subquery over the (few) objection rows, with
    no later decision of the same scope, so it costs no query of its own and no join per row.
    """
    later = (
        _sharing_decisions()
        .filter(person_id=OuterRef("person_id"))
        .filter(
            Q(date_time__gt=OuterRef("date_time"))
            | Q(date_time=OuterRef("date_time"), pk__gt=OuterRef("pk"))
        )
    )
    objecting = (
        _sharing_decisions()
        .filter(status__in=OBJECTIONS)
        .exclude(Exists(later))
        .values("person_id")
    )
    return Q(**{f"{via}__in": objecting})


def latest_sharing_decision(person) -> str | None:
    """The status of the person's latest share-with-team decision, or None if none recorded."""
    return (
        _sharing_decisions()
        .filter(person=person)
        .order_by("-date_time", "-pk")
        .values_list("status", flat=True)
        .first()
    )


def objects_to_sharing(person) -> bool:
    """Has the person refused, or withdrawn, consent to share with the wider team?"""
    return latest_sharing_decision(person) in OBJECTIONS


def decision_for_no(person) -> str:
    """What "do not share" means now: a withdrawal of consent given (or implied, when nothing
    was recorded), or a refusal repeated."""
    latest = latest_sharing_decision(person)
    return ConsentStatus.REJECTED if latest == ConsentStatus.REJECTED else ConsentStatus.INACTIVE


@transaction.atomic
def record_sharing_decision(*, person, status: str, by, access, at=None) -> Consent:
    """Record the person's decision to share their record with the wider team (given, refused
    or withdrawn). It binds from this moment: every page and the API read the latest decision
    on each request. `by` is the professional who recorded it (None when the person did, in
    the portal); `access` audits it. Raises ValueError for a status that is not a decision."""
    if status not in ConsentStatus.values:
        raise ValueError(f"not a consent decision: {status!r}")
    consent = Consent.objects.create(
        person=person,
        scope=ConsentScope.SHARE_WITH_TEAM,
        status=status,
        recorded_by=by,
        date_time=at or timezone.now(),
    )
    access.audit("recorded sharing decision")
    return consent
