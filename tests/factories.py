"""factory_boy factories for the operational models."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model

from oneroof.care import models as care
from oneroof.people import models as people
from oneroof.people.nhs_numbers import check_digit
from oneroof.workforce import models as workforce

PASSWORD = "test-password-123"


def _nhs_numbers():
    # The 999 range is reserved for testing, so no factory number is a real person's.
    for n in itertools.count(1):
        first_nine = f"999{n:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            yield f"{first_nine}{digit}"


_numbers = _nhs_numbers()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Neighbourhood
        django_get_or_create = ("code",)

    code = "riverside"
    name = "Riverside"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Organisation

    ods_code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Riverside Practice {n}")
    kind = workforce.OrganisationKind.GP_PRACTICE
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Professional

    user = factory.SubFactory(UserFactory)
    given_name = factory.Sequence(lambda n: f"Pat{n}")
    family_name = "Professional"
    profession = workforce.Profession.DISTRICT_NURSE
    organisation = factory.SubFactory(OrganisationFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Person

    nhs_number = factory.LazyFunction(lambda: next(_numbers))
    given_name = factory.Sequence(lambda n: f"Resident{n}")
    family_name = "Example"
    birth_date = date(1950, 6, 1)
    gender = people.Gender.FEMALE


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Address

    person = factory.SubFactory(PersonFactory)
    line = "1 High Street"
    city = "Riverside"
    postal_code = "RV1 1AA"
    lsoa_code = "E01000001"
    imd_decile = 3


class CareTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.CareTeam

    person = factory.SubFactory(PersonFactory)
    coordinator = factory.SubFactory(ProfessionalFactory)


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.CareTeamMember

    care_team = factory.SubFactory(CareTeamFactory)
    professional = factory.SubFactory(ProfessionalFactory)


class CarePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = care.CarePlan

    person = factory.SubFactory(PersonFactory)
    what_matters = "Staying at home"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = care.Task

    person = factory.SubFactory(PersonFactory)
    description = "Check how things are going"
    owner = factory.SubFactory(ProfessionalFactory)
    requester = factory.SubFactory(ProfessionalFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = care.Contact

    person = factory.SubFactory(PersonFactory)
    professional = factory.SubFactory(ProfessionalFactory)
    mode = care.ContactMode.HOME_VISIT
    summary = "Visited at home"


def team_around(person, *professionals, coordinator=None):
    """A care team for `person` with these members; the coordinator is a member too."""
    coordinator = coordinator or (professionals[0] if professionals else None)
    team = CareTeamFactory(person=person, coordinator=coordinator)
    for professional in {p.pk: p for p in (*professionals, coordinator) if p}.values():
        CareTeamMemberFactory(care_team=team, professional=professional)
    return team
