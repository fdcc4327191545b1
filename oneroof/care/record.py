"""Loading everything the whole-person record page shows, in a fixed number of queries
whatever the size of the record."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from oneroof.people.models import Address, Carer, Consent, Preference
from oneroof.workforce.models import CareTeam, CareTeamMember, Professional

from .models import (
    CarePlan,
    CarePlanAction,
    Condition,
    Contact,
    Immunization,
    MdtReview,
    MedicationStatement,
    Task,
    TaskStatus,
)


@dataclass
class RecordData:
    person: object
    address: Address | None
    care_team: CareTeam | None
    team_members: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    medications: list = field(default_factory=list)
    immunizations: list = field(default_factory=list)
    carers: list = field(default_factory=list)
    caring_for: list = field(default_factory=list)
    preferences: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    care_plan: CarePlan | None = None
    goals: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    open_tasks: list = field(default_factory=list)
    mdt_reviews: list = field(default_factory=list)
    contacts: list = field(default_factory=list)


def current_address(person) -> Address | None:
    return person.addresses.filter(period_end__isnull=True).order_by("-period_start").first()


def current_team_members(person):
    return (
        CareTeamMember.objects.filter(care_team__person=person, period_end__isnull=True)
        .select_related("professional__organisation")
        .order_by("professional__profession", "professional__family_name")
    )


def team_professionals(person):
    """The professionals currently in the person's care team, to choose owners and attendees."""
    return Professional.objects.filter(
        care_team_memberships__in=current_team_members(person)
    ).order_by("family_name", "given_name")


def current_medications(person):
    """Medicines being taken now: active, and any course that was set to end has not ended."""
    return (
        MedicationStatement.objects.filter(person=person, status="active")
        .filter(Q(effective_end__isnull=True) | Q(effective_end__gte=timezone.localdate()))
        .select_related("information_source")
    )


def load_record(person) -> RecordData:
    care_team = CareTeam.objects.filter(person=person).select_related("coordinator").first()
    care_plan = CarePlan.objects.filter(person=person).first()
    data = RecordData(
        person=person,
        address=current_address(person),
        care_team=care_team,
        care_plan=care_plan,
        team_members=list(current_team_members(person)),
        conditions=list(Condition.objects.filter(person=person)),
        medications=list(current_medications(person)),
        immunizations=list(
            Immunization.objects.filter(person=person, status="completed").select_related(
                "performer_organisation"
            )
        ),
        carers=list(
            Carer.objects.filter(cared_for=person, period_end__isnull=True).select_related(
                "carer_person"
            )
        ),
        caring_for=list(
            Carer.objects.filter(carer_person=person, period_end__isnull=True).select_related(
                "cared_for"
            )
        ),
        preferences=list(Preference.objects.filter(person=person)),
        consents=list(
            Consent.objects.filter(person=person).select_related("grantee").order_by("-date_time")
        ),
        open_tasks=list(
            Task.objects.filter(person=person, status__in=TaskStatus.open_values()).select_related(
                "owner"
            )
        ),
        mdt_reviews=list(
            MdtReview.objects.filter(person=person)
            .select_related("recorded_by")
            .prefetch_related(Prefetch("attendees"))
        ),
        contacts=list(Contact.objects.filter(person=person).select_related("professional")),
    )
    if care_plan is not None:
        data.goals = list(care_plan.goals.all())
        data.actions = list(
            CarePlanAction.objects.filter(care_plan=care_plan).select_related("owner", "task")
        )
    return data
