"""Mrs Meera Patel and the neighbourhood team around her: the data the browser stories share."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from oneroof.care.models import CarePlanAction, Condition, ContactMode, Goal, Task
from oneroof.people.models import (
    Carer,
    CarerRelationship,
    Consent,
    ConsentScope,
    ConsentStatus,
    Person,
    Preference,
    PreferenceKind,
)
from oneroof.workforce.models import OrganisationKind, Profession, Professional
from tests.factories import (
    AddressFactory,
    CarePlanFactory,
    ContactFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
    UserFactory,
    team_around,
)

NHS_NUMBER = "9434765919"
BIRTH_DATE = date(1944, 3, 12)
WHAT_MATTERS = "Staying in my own home with my cat, and seeing my grandchildren on Sundays"


@dataclass
class Story:
    meera: Person
    coordinator: Professional
    nurse: Professional
    social_worker: Professional
    physiotherapist: Professional  # in the neighbourhood, but not in Mrs Patel's care

    @property
    def record_path(self) -> str:
        return reverse("care:record_view", kwargs={"public_id": self.meera.public_id})


def professional(username, given, family, profession, organisation, **extra) -> Professional:
    user = UserFactory(username=username, first_name=given, last_name=family)
    return ProfessionalFactory(
        user=user,
        given_name=given,
        family_name=family,
        profession=profession,
        organisation=organisation,
        **extra,
    )


def at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def meera_patel_and_her_team() -> Story:
    """Mrs Patel, her care team across health and social care, her needs, carers and plan."""
    today = timezone.localdate()
    practice = OrganisationFactory(name="Riverside Medical Centre")
    community = OrganisationFactory(
        name="Riverside Community Health", kind=OrganisationKind.COMMUNITY_TRUST
    )
    council = OrganisationFactory(
        name="Riverside Council Adult Social Care", kind=OrganisationKind.LOCAL_AUTHORITY
    )

    coordinator = professional(
        "aisha.khan",
        "Aisha",
        "Khan",
        Profession.DISTRICT_NURSE,
        community,
        phone="020 7946 0123",
    )
    nurse = professional("tom.hughes", "Tom", "Hughes", Profession.DISTRICT_NURSE, community)
    social_worker = professional("sam.reid", "Sam", "Reid", Profession.SOCIAL_WORKER, council)
    gp = professional("nia.evans", "Nia", "Evans", Profession.GP, practice, prefix="Dr")
    therapist = professional(
        "ben.cole", "Ben", "Cole", Profession.OCCUPATIONAL_THERAPIST, community
    )
    link_worker = professional("jo.mensah", "Jo", "Mensah", Profession.LINK_WORKER, council)
    physiotherapist = professional("lee.park", "Lee", "Park", Profession.PHYSIOTHERAPIST, community)

    meera = PersonFactory(
        nhs_number=NHS_NUMBER,
        prefix="Mrs",
        given_name="Meera",
        family_name="Patel",
        birth_date=BIRTH_DATE,
        phone="020 7946 0456",
        general_practice=practice,
        user=UserFactory(username="meera.patel", first_name="Meera", last_name="Patel"),
    )
    AddressFactory(person=meera, line="14 Canal Row", postal_code="RV2 3PQ")
    team_around(
        meera, coordinator, nurse, social_worker, gp, therapist, link_worker,
        coordinator=coordinator,
    )  # fmt: skip

    for code, display, category in (
        ("84114007", "Heart failure", "physical"),
        ("44054006", "Type 2 diabetes", "physical"),
        ("35489007", "Depressive disorder", "mental"),
        ("1144779008", "Lives alone", "social"),
    ):
        Condition.objects.create(person=meera, code=code, display=display, category=category)

    Carer.objects.create(
        cared_for=meera,
        name="Ravi Patel",
        relationship=CarerRelationship.CHILD,
        is_main_carer=True,
        phone="07700 900123",
    )
    Carer.objects.create(
        cared_for=meera,
        name="Anya Patel",
        relationship=CarerRelationship.GRANDCHILD,
        birth_date=date(today.year - 15, 1, 1),  # a young carer
    )
    husband = PersonFactory(prefix="Mr", given_name="Arjun", family_name="Patel")
    Carer.objects.create(
        cared_for=husband,
        carer_person=meera,
        name=meera.name,
        relationship=CarerRelationship.SPOUSE,
    )
    Preference.objects.create(
        person=meera, kind=PreferenceKind.PREFERRED_PLACE_OF_CARE, value="At home"
    )
    Consent.objects.create(
        person=meera,
        scope=ConsentScope.SHARE_WITH_TEAM,
        status=ConsentStatus.ACTIVE,
        recorded_by=coordinator,
    )

    # Her one care plan, due for its MDT review today.
    plan = CarePlanFactory(person=meera, what_matters=WHAT_MATTERS, next_review_date=today)
    goal = Goal.objects.create(care_plan=plan, description="Get up the stairs to bed on my own")
    rail = CarePlanAction.objects.create(
        care_plan=plan,
        goal=goal,
        description="Fit a second stair rail",
        owner=therapist,
        created_by=coordinator,
        due_date=today + timedelta(days=10),
    )
    Task.objects.create(
        person=meera,
        description=rail.description,
        owner=therapist,
        requester=coordinator,
        action=rail,
        due_date=rail.due_date,
    )

    ContactFactory(
        person=meera,
        professional=nurse,
        mode=ContactMode.HOME_VISIT,
        occurred_at=at(days_ago=2, hour=10),
        summary="Ankles less swollen. Meera is worried about the stairs at night.",
    )
    ContactFactory(
        person=meera,
        professional=social_worker,
        mode=ContactMode.PHONE,
        occurred_at=at(days_ago=5, hour=14),
        summary="Spoke to Ravi about a carer's assessment.",
    )
    return Story(
        meera=meera,
        coordinator=coordinator,
        nurse=nurse,
        social_worker=social_worker,
        physiotherapist=physiotherapist,
    )
