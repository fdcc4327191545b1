"""Factories and helpers for the referrals tests: services, referrers and referrals."""

import uuid
from datetime import date

import factory
from django.utils import timezone

from oneroof.referrals.models import IdentityMatch, Referral, ReferralStatus
from oneroof.referrals.rules import standard_due
from oneroof.workforce import models as workforce
from tests.factories import OrganisationFactory, PersonFactory, ProfessionalFactory, UserFactory

R = workforce.ReferrerKind
TEAM = [R.GP, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL]


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A neighbourhood service"
    organisation = factory.SubFactory(
        OrganisationFactory, kind=workforce.OrganisationKind.COMMUNITY_TRUST
    )
    url = factory.Sequence(lambda n: f"https://services.example/{n}")
    accepts_self_referral = True
    referrers = factory.LazyFunction(lambda: list(TEAM))

    @factory.post_generation
    def standards(obj, create, extracted, **kwargs):  # noqa: N805
        """standards=[(percent, days), ...]"""
        for percent, days in extracted or ():
            workforce.WaitingTimeStandard.objects.create(service=obj, percent=percent, days=days)

    @factory.post_generation
    def triagers(obj, create, extracted, **kwargs):  # noqa: N805
        if extracted:
            obj.triagers.set(extracted)


def youth_hub(**extra):
    """The young people's mental health hub: under 25, open access."""
    return ServiceFactory(
        name="Young people's mental health hub",
        maximum_age=24,
        eligibility_description="For young people under 25. Open access.",
        is_mental_health=True,
        standards=[(75, 28)],
        **extra,
    )


def external_referrer(profession, kind, username=None, **extra):
    """An optician, community pharmacist or school: outside the team, refers in."""
    organisation = OrganisationFactory(kind=kind)
    return ProfessionalFactory(
        user=UserFactory(username=username) if username else UserFactory(),
        profession=profession,
        organisation=organisation,
        is_external_referrer=True,
        **extra,
    )


def optician(**extra):
    return external_referrer(
        workforce.Profession.OPTOMETRIST, workforce.OrganisationKind.OPTICIAN, **extra
    )


def community_pharmacist(**extra):
    return external_referrer(
        workforce.Profession.PHARMACIST, workforce.OrganisationKind.PHARMACY, **extra
    )


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral as submit_referral would write it, without the rules or the emails."""

    class Meta:
        model = Referral

    service = factory.SubFactory(ServiceFactory)
    person = factory.SubFactory(PersonFactory)
    source = R.GP
    requester = factory.SubFactory(ProfessionalFactory, profession="gp")
    nhs_number = factory.LazyAttribute(lambda o: o.person.nhs_number if o.person else "9990000018")
    birth_date = factory.LazyAttribute(
        lambda o: o.person.birth_date if o.person else date(1980, 1, 1)
    )
    given_name = factory.LazyAttribute(lambda o: o.person.given_name if o.person else "Alex")
    family_name = factory.LazyAttribute(lambda o: o.person.family_name if o.person else "Smith")
    identity_match = IdentityMatch.MATCHED
    # Linked to a record: the referrer's details matched it; accepted, it gives the service
    # its relationship with the person.
    identity_confirmation = factory.LazyAttribute(lambda o: "referrer" if o.person else "")
    relationship_granted = factory.LazyAttribute(
        lambda o: o.person is not None and o.status in ReferralStatus.relationship_values()
    )
    reason = "Needs help"
    status = ReferralStatus.RECEIVED
    received_at = factory.LazyFunction(timezone.now)
    standard_due_at = factory.LazyAttribute(
        lambda o: standard_due(o.received_at, [s.days for s in o.service.standards.all()])
    )
    submission_id = factory.LazyFunction(uuid.uuid4)
