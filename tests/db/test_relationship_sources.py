"""Every route to a relationship, one row each: how it is made, who made it, and whether it
opens the record (ADR 0014). A relationship source registered without a row here fails
`test_every_registered_relationship_source_has_its_routes_tested`."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from oneroof.access import services
from oneroof.access.models import Channel
from oneroof.access.relationships import BookingReason
from oneroof.audit.models import Purpose, SelfClaimedRelationship
from oneroof.people.access import relationship_sources, relationship_with
from oneroof.referrals.models import ReferralStatus
from tests.db.access_factories import SiteFactory, SlotFactory, make_surgery
from tests.factories import (
    OrganisationFactory,
    ProfessionalFactory,
    TaskFactory,
    UserFactory,
    team_around,
)
from tests.referral_factories import ReferralFactory, ServiceFactory

pytestmark = [pytest.mark.django_db]

REASON = BookingReason("care_now", "Walked in unwell and is not known to anyone in the team")


def _tomorrow(hour=10):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _book(slot, person, by, **kwargs):
    return services.book_appointment(
        slot=slot, person=person, by=by, submission_id=uuid.uuid4(), **kwargs
    )


# Each builder makes the situation and returns (who gains, the person, who made it).


def _care_team(s, person):
    team_around(person, s.nurse, coordinator=s.dr_malik)
    return s.nurse.user, person, s.dr_malik.user


def _task(s, person):
    TaskFactory(person=person, owner=s.nurse, requester=s.dr_malik)
    return s.nurse.user, person, s.dr_malik.user


def _referral(s, person):
    physio = ProfessionalFactory(profession="physiotherapist")
    service = ServiceFactory(triagers=[physio])
    ReferralFactory(
        service=service, person=person, requester=s.dr_malik, status=ReferralStatus.ACCEPTED
    )
    return physio.user, person, s.dr_malik.user


def _booked_by_person(s, person):
    person.user = UserFactory()
    person.save()
    _book(s.slot(s.dr_hughes, _tomorrow()), person, person.user, channel=Channel.ONLINE)
    return s.dr_hughes.user, person, person.user


def _booked_by_reception(s, person):
    _book(s.slot(s.nurse, _tomorrow()), person, s.receptionist.user)
    return s.nurse.user, person, s.receptionist.user


def _booked_by_colleague_with_a_relationship(s, person):
    team_around(person, s.dr_malik)
    other = _other_organisations_nurse(s)
    _book(other[1], person, s.dr_malik.user, channel=Channel.CLINICIAN)
    return other[0].user, person, s.dr_malik.user


def _other_organisations_nurse(s):
    trust = OrganisationFactory(neighbourhood=s.practice.neighbourhood, kind="community_trust")
    nurse = ProfessionalFactory(organisation=trust, profession="district_nurse")
    site = SiteFactory(organisation=trust, neighbourhood=trust.neighbourhood)
    start = _tomorrow(11)
    return nurse, SlotFactory(
        professional=nurse, site=site, start=start, end=start + timedelta(minutes=20)
    )


def _reception_into_another_organisation(s, person):
    nurse, slot = _other_organisations_nurse(s)
    _book(slot, person, s.receptionist.user)
    return nurse.user, person, s.receptionist.user


def _api_client(s, person):
    system = UserFactory(username="system-client")
    _book(s.slot(s.dr_hughes, _tomorrow()), person, system, channel=Channel.SYSTEM)
    return s.dr_hughes.user, person, system


def _own_slot_with_reason(s, person):
    _book(s.slot(s.dr_hughes, _tomorrow()), person, s.dr_hughes.user, reason=REASON)
    return s.dr_hughes.user, person, s.dr_hughes.user


def _own_slot_day_over(s, person):
    gains, person, made = _own_slot_with_reason(s, person)
    SelfClaimedRelationship.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    return gains, person, made


# (source, route, builder, made by someone else?, opens the record?)
ROUTES = [
    ("care_team", "a coordinator adds them to the care team", _care_team, True, True),
    ("open_task", "a colleague gives them a task", _task, True, True),
    ("open_referral", "a referrer's referral, accepted", _referral, True, True),
    ("open_appointment", "the person books online", _booked_by_person, True, True),
    ("open_appointment", "reception books a caller", _booked_by_reception, True, True),
    (
        "open_appointment",
        "a colleague with a relationship books",
        _booked_by_colleague_with_a_relationship,
        True,
        True,
    ),
    (
        "open_appointment",
        "reception books another organisation's slot",
        _reception_into_another_organisation,
        True,
        False,
    ),
    ("open_appointment", "an API client books", _api_client, True, False),
    ("self_claimed", "own slot, with a reason", _own_slot_with_reason, False, True),
    ("self_claimed", "own slot, the day is over", _own_slot_day_over, False, False),
]


def test_every_registered_relationship_source_has_its_routes_tested():
    registered = {source.purpose for source in relationship_sources()}
    assert registered == {row[0] for row in ROUTES}


def test_self_claimed_is_the_last_source_so_a_standing_relationship_is_named_first():
    assert relationship_sources()[-1].purpose == Purpose.SELF_CLAIMED


@pytest.mark.parametrize(
    "source, route, build, made_by_another, opens",
    ROUTES,
    ids=[f"{row[0]}: {row[1]}" for row in ROUTES],
)
def test_route_to_a_relationship(source, route, build, made_by_another, opens):
    surgery = make_surgery()
    person = surgery.patient()

    gains, person, made_by = build(surgery, person)

    assert (made_by != gains) == made_by_another, route
    # Made by the one who gains it: only ever self-claimed, never a lasting relationship.
    assert made_by_another or source == Purpose.SELF_CLAIMED, route
    assert relationship_with(gains, person) == (source if opens else None), route
