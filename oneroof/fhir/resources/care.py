"""CareTeam, CarePlan, Goal, Condition, Observation, MedicationStatement, Encounter and Task:
the whole-person record."""

from collections import defaultdict

from django.db.models import Q

from oneroof.care.models import (
    CarePlan,
    CarePlanAction,
    Condition,
    Contact,
    Goal,
    MedicationStatement,
    Observation,
    Task,
)
from oneroof.fhir import mappers, systems
from oneroof.fhir.registry import Include, ResourceType, register
from oneroof.fhir.search import (
    NOTHING,
    custom,
    date_param,
    reference,
    split_reference,
    split_token,
    token,
)
from oneroof.fhir.task_update import update_task
from oneroof.workforce.models import (
    CareTeam,
    CareTeamMember,
)

from .common import patient_includes, patient_params

# The person's team and plan ------------------------------------------------------------------


def _team_participant(values: list[str], modifier: str) -> Q:
    ids = [
        int(i)
        for t, i in (split_reference(v) for v in values)
        if t in (None, "Practitioner") and i.isascii() and i.isdigit() and len(i) < 19
    ]
    members = CareTeamMember.objects.filter(professional_id__in=ids).values("care_team_id")
    return Q(coordinator_id__in=ids) | Q(pk__in=members)


def care_team_extras(teams: list) -> dict:
    extras = defaultdict(lambda: {"members": []})
    members = (
        CareTeamMember.objects.filter(care_team_id__in=[t.pk for t in teams])
        .select_related("professional")
        .order_by("period_start", "pk")
    )
    for member in members:
        extras[member.care_team_id]["members"].append(member)
    return extras


register(
    ResourceType(
        "CareTeam",
        lambda: CareTeam.objects.select_related("person", "coordinator"),
        mappers.care_team_to_fhir,
        (
            *patient_params("person"),
            custom("participant", "reference", "A member or the coordinator", _team_participant),
            token("status", "Always active", "pk__isnull", values={"active": False}),
        ),
        person_path="person",
        includes=patient_includes("person_id"),
        extras=care_team_extras,
        documentation="The people around one person, with their named coordinator",
    )
)


def care_plan_extras(plans: list) -> dict:
    pks = [p.pk for p in plans]
    extras = defaultdict(lambda: {"goal_ids": [], "actions": []})
    for goal in Goal.objects.filter(care_plan_id__in=pks).order_by("created_at", "pk"):
        extras[goal.care_plan_id]["goal_ids"].append(goal.pk)
    actions = CarePlanAction.objects.filter(care_plan_id__in=pks).select_related("task", "owner")
    for action in actions:
        extras[action.care_plan_id]["actions"].append(action)
    return extras


register(
    ResourceType(
        "CarePlan",
        lambda: CarePlan.objects.select_related("person"),
        mappers.care_plan_to_fhir,
        patient_params("person"),
        person_path="person",
        includes=patient_includes("person_id"),
        extras=care_plan_extras,
        documentation="The person's one shared care plan: what matters to them, goals, actions",
    )
)
register(
    ResourceType(
        "Goal",
        lambda: Goal.objects.select_related("care_plan__person"),
        mappers.goal_to_fhir,
        (
            *patient_params("care_plan__person"),
            token("lifecycle-status", "active, completed or cancelled", "lifecycle_status"),
            date_param("target-date", "When it is hoped for", "target_date", is_date=True),
        ),
        person_path="care_plan__person",
        includes=patient_includes("care_plan.person_id"),
        documentation="A goal in the person's own words",
    )
)


# The clinical record -------------------------------------------------------------------------


def _condition_category(values: list[str], modifier: str) -> Q:
    q = NOTHING
    for value in values:
        system, code = split_token(value)
        if code == "problem-list-item" and system in (None, systems.CONDITION_CATEGORY):
            q |= ~NOTHING
        elif system in (None, systems.NEED_CATEGORY):
            q |= Q(category=code)
    return q


register(
    ResourceType(
        "Condition",
        lambda: Condition.objects.select_related("person", "recorder"),
        mappers.condition_to_fhir,
        (
            *patient_params("person"),
            token("code", "SNOMED CT concept", "code", system=systems.SNOMED),
            token(
                "clinical-status",
                "active, inactive or resolved",
                "clinical_status",
                system=systems.CONDITION_CLINICAL,
            ),
            custom("category", "token", "physical, mental or social need", _condition_category),
            date_param("onset-date", "When it began", "onset_date", is_date=True),
            date_param("recorded-date", "When it was recorded", "recorded_date", is_date=True),
        ),
        person_path="person",
        includes=(
            *patient_includes("person_id"),
            Include("recorder", "Practitioner", "recorder_id"),
        ),
        documentation="A coded problem or need: physical, mental or social",
    )
)
register(
    ResourceType(
        "Observation",
        lambda: Observation.objects.select_related("person"),
        mappers.observation_to_fhir,
        (
            *patient_params("person"),
            token("code", "SNOMED CT concept", "code", system=systems.SNOMED),
            date_param("date", "When it was measured", "effective_at", is_date=False),
        ),
        person_path="person",
        includes=patient_includes("person_id"),
        documentation="A coded measurement such as weight or blood pressure",
    )
)
register(
    ResourceType(
        "MedicationStatement",
        lambda: MedicationStatement.objects.select_related("person"),
        mappers.medication_to_fhir,
        (
            *patient_params("person"),
            token("code", "dm+d (SNOMED CT) concept", "code", system=systems.SNOMED),
            token("status", "active, completed or stopped", "status"),
        ),
        person_path="person",
        includes=patient_includes("person_id"),
        documentation="A medicine the person takes or took",
    )
)
register(
    ResourceType(
        "Encounter",
        lambda: Contact.objects.select_related("person", "professional"),
        mappers.contact_to_encounter,
        (
            *patient_params("person"),
            date_param("date", "When it happened", "occurred_at", is_date=False),
            reference("practitioner", "Who the person saw", "professional", "Practitioner"),
            token(
                "class",
                "AMB (face to face), HH (home visit) or VR (video or phone)",
                "mode__in",
                system=systems.V3_ACT_CODE,
                values={
                    "AMB": ["face_to_face"],
                    "HH": ["home_visit"],
                    "VR": ["video", "phone"],
                },
            ),
        ),
        person_path="person",
        includes=(
            *patient_includes("person_id"),
            Include("practitioner", "Practitioner", "professional_id"),
        ),
        documentation="A contact between a professional and the person",
    )
)


def _based_on(values: list[str], modifier: str) -> Q:
    ids = [
        int(i)
        for t, i in (split_reference(v) for v in values)
        if t in (None, "CarePlan") and i.isascii() and i.isdigit() and len(i) < 19
    ]
    return Q(action__care_plan_id__in=ids)


register(
    ResourceType(
        "Task",
        lambda: Task.objects.select_related("person", "owner", "requester", "action"),
        mappers.task_to_fhir,
        (
            *patient_params("person"),
            reference("owner", "Who is to do it", "owner", "Practitioner"),
            reference("requester", "Who asked for it", "requester", "Practitioner"),
            token("status", "requested, in-progress, completed or cancelled", "status"),
            date_param("authored-on", "When it was asked for", "authored_on", is_date=False),
            date_param("modified", "When it last changed", "last_modified", is_date=False),
            custom("based-on", "reference", "The care plan it works", _based_on),
        ),
        id_field="public_id",
        person_path="person",
        includes=(
            *patient_includes("person_id"),
            Include("owner", "Practitioner", "owner_id"),
            Include("requester", "Practitioner", "requester_id"),
        ),
        update=update_task,
        documentation="A piece of work for one professional about one person; its status can "
        "be changed (PUT) along the task lifecycle",
    )
)
