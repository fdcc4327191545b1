"""Factories and a small surgery for the access (booking) tests."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from oneroof.access import models as access
from oneroof.workforce import models as workforce
from tests.factories import (
    NeighbourhoodFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
    UserFactory,
)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Site

    name = factory.Sequence(lambda n: f"Site {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    line = "1 High Street"
    postal_code = "RV1 1AA"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = access.Slot

    professional = factory.SubFactory(ProfessionalFactory, profession="gp")
    site = factory.SubFactory(SiteFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=3))
    end = factory.LazyAttribute(lambda slot: slot.start + timedelta(minutes=10))
    mode = access.Mode.FACE_TO_FACE


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = access.Appointment

    slot = factory.SubFactory(SlotFactory)
    person = factory.SubFactory(PersonFactory)
    channel = access.Channel.RECEPTION
    booked_by = factory.SubFactory(UserFactory)
    # As reception booking a colleague's patient would: an appointment that is a relationship.
    relationship_basis = access.RelationshipBasis.OWN_TEAM


def london(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@dataclass
class Surgery:
    """A GP practice open Monday to Friday, 8am to 6:30pm, with two GPs, a practice nurse and a
    receptionist, and a health centre in the same neighbourhood open until 8pm, Monday to
    Saturday."""

    practice: workforce.Organisation
    site: workforce.Site
    dr_hughes: workforce.Professional
    dr_malik: workforce.Professional
    nurse: workforce.Professional
    receptionist: workforce.Professional

    def slot(self, who, start: datetime, *, minutes=10, mode=access.Mode.FACE_TO_FACE):
        return SlotFactory(
            professional=who,
            site=self.site,
            start=start,
            end=start + timedelta(minutes=minutes),
            mode=mode,
        )

    def patient(self, **kwargs):
        return PersonFactory(general_practice=self.practice, **kwargs)


def make_surgery() -> Surgery:
    practice = OrganisationFactory(name="Riverside Medical Practice")
    site = SiteFactory(organisation=practice, neighbourhood=practice.neighbourhood)
    for day in range(5):
        workforce.OpeningHours.objects.create(
            site=site, weekday=day, opens=time(8, 0), closes=time(18, 30)
        )
    centre = SiteFactory(
        organisation=OrganisationFactory(kind="community_trust"),
        neighbourhood=practice.neighbourhood,
        is_health_centre=True,
    )
    for day in range(6):
        workforce.OpeningHours.objects.create(
            site=centre, weekday=day, opens=time(8, 0), closes=time(20, 0)
        )

    def pro(given, family, profession, **extra):
        return ProfessionalFactory(
            user=UserFactory(username=f"{given}.{family}".lower()),
            given_name=given,
            family_name=family,
            profession=profession,
            organisation=practice,
            **extra,
        )

    return Surgery(
        practice=practice,
        site=site,
        dr_hughes=pro("Tom", "Hughes", "gp", prefix="Dr"),
        dr_malik=pro("Fatima", "Malik", "gp", prefix="Dr"),
        nurse=pro("Hannah", "Lee", "practice_nurse"),
        receptionist=pro("Lucy", "Ward", "receptionist"),
    )


def clinic_slots(service, professional, first_start: datetime, *, count=3, minutes=30):
    """A session of `service`'s clinic with `count` slots from `first_start`."""
    local = timezone.localtime(first_start)
    end = local + timedelta(minutes=minutes * count)
    session = access.RotaSession.objects.create(
        professional=professional,
        site=SiteFactory(),
        service=service,
        date=local.date(),
        start=local.time(),
        end=end.time(),
        mode=access.Mode.FACE_TO_FACE,
        slot_minutes=minutes,
    )
    return [
        SlotFactory(
            session=session,
            professional=professional,
            site=session.site,
            start=first_start + timedelta(minutes=minutes * n),
            end=first_start + timedelta(minutes=minutes * (n + 1)),
        )
        for n in range(count)
    ]
