"""Condition, Observation, MedicationStatement, CarePlan, Goal, Task and Encounter."""

from html import escape

from oneroof.fhir import systems

from .common import (
    concept,
    fhir_date,
    fhir_datetime,
    fhir_day,
    patient_ref,
    practitioner_ref,
    prune,
    ref,
)

# A contact's mode as the Encounter class (v3 ActCode) it is.
ENCOUNTER_CLASS = {
    "face_to_face": ("AMB", "ambulatory"),
    "home_visit": ("HH", "home health"),
    "video": ("VR", "virtual"),
    "phone": ("VR", "virtual"),
}


def _snomed(code: str, display: str) -> dict:
    if not code:  # imported with a code OneRoof cannot map: the text is all there is
        return {"text": display}
    return concept(systems.SNOMED, code, display, text=display)


def condition_to_fhir(condition) -> dict:
    return prune(
        {
            "resourceType": "Condition",
            "id": str(condition.pk),
            "clinicalStatus": concept(systems.CONDITION_CLINICAL, condition.clinical_status),
            "verificationStatus": concept(systems.CONDITION_VERIFICATION, "confirmed"),
            "category": [
                concept(systems.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"),
                concept(
                    systems.NEED_CATEGORY,
                    condition.category,
                    condition.get_category_display(),
                ),
            ],
            "code": _snomed(condition.code, condition.display),
            "subject": patient_ref(condition.person),
            "onsetDateTime": fhir_date(condition.onset_date),
            "recordedDate": fhir_date(condition.recorded_date),
            "recorder": practitioner_ref(condition.recorder),
        }
    )


def observation_to_fhir(observation) -> dict:
    value = None
    if observation.value is not None:
        value = prune(
            {
                "value": float(observation.value),
                "unit": observation.unit,
                "system": systems.UCUM if observation.unit else None,
                "code": observation.unit,
            }
        )
    return prune(
        {
            "resourceType": "Observation",
            "id": str(observation.pk),
            "status": "final",
            "code": _snomed(observation.code, observation.display),
            "subject": patient_ref(observation.person),
            "effectiveDateTime": fhir_datetime(observation.effective_at),
            "valueQuantity": value,
        }
    )


def medication_to_fhir(medication) -> dict:
    return prune(
        {
            "resourceType": "MedicationStatement",
            "id": str(medication.pk),
            "status": medication.status,
            "medicationCodeableConcept": _snomed(medication.code, medication.display),
            "subject": patient_ref(medication.person),
            "effectivePeriod": prune(
                {
                    "start": fhir_date(medication.effective_start),
                    "end": fhir_date(medication.effective_end),
                }
            ),
            "dosage": [{"text": medication.dosage}] if medication.dosage else [],
        }
    )


def care_plan_to_fhir(plan, *, goal_ids=(), actions=()) -> dict:
    """The person's one care plan: what matters to them, their goals, and each action as the
    Task that works it."""
    activities = []
    for action in actions:
        task = getattr(action, "task", None)
        if task is not None:
            activities.append({"reference": ref("Task", task.public_id, action.description)})
        else:
            activities.append(
                {
                    "detail": prune(
                        {
                            "status": "not-started",
                            "description": action.description,
                            "performer": [practitioner_ref(action.owner)],
                        }
                    )
                }
            )
    return prune(
        {
            "resourceType": "CarePlan",
            "id": str(plan.pk),
            "status": "active",
            "intent": "plan",
            "title": "Care plan",
            "description": plan.what_matters,
            "subject": patient_ref(plan.person),
            "created": fhir_datetime(plan.created_at),
            "goal": [ref("Goal", goal_id) for goal_id in goal_ids],
            "activity": activities,
        }
    )


def goal_to_fhir(goal) -> dict:
    return prune(
        {
            "resourceType": "Goal",
            "id": str(goal.pk),
            "lifecycleStatus": goal.lifecycle_status,
            "achievementStatus": (
                concept(systems.GOAL_ACHIEVEMENT, "achieved", "Achieved")
                if goal.lifecycle_status == "completed"
                else None
            ),
            "description": {"text": goal.description},
            "subject": patient_ref(goal.care_plan.person),
            "startDate": fhir_day(goal.created_at),
            "target": [{"dueDate": fhir_date(goal.target_date)}] if goal.target_date else [],
        }
    )


def task_to_fhir(task) -> dict:
    return prune(
        {
            "resourceType": "Task",
            "id": str(task.public_id),
            "basedOn": (
                [ref("CarePlan", task.action.care_plan_id)] if task.action_id is not None else []
            ),
            "status": task.status,
            "intent": "order",
            "description": task.description,
            "for": patient_ref(task.person),
            "authoredOn": fhir_datetime(task.authored_on),
            "lastModified": fhir_datetime(task.last_modified),
            "requester": practitioner_ref(task.requester),
            "owner": practitioner_ref(task.owner),
            "restriction": (
                {"period": {"end": fhir_date(task.due_date)}} if task.due_date else None
            ),
            "note": [{"text": task.completed_note}] if task.completed_note else [],
        }
    )


def _narrative(text: str) -> dict | None:
    if not text:
        return None
    return {
        "status": "additional",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>',
    }


def contact_to_encounter(contact) -> dict:
    """A contact as a finished Encounter; the professional's summary is its narrative."""
    code, display = ENCOUNTER_CLASS[contact.mode]
    return prune(
        {
            "resourceType": "Encounter",
            "id": str(contact.pk),
            "text": _narrative(contact.summary),
            "status": "finished",
            "class": {"system": systems.V3_ACT_CODE, "code": code, "display": display},
            "type": [concept(systems.CONTACT_MODE, contact.mode, contact.get_mode_display())],
            "subject": patient_ref(contact.person),
            "participant": [{"individual": practitioner_ref(contact.professional)}],
            "period": {"start": fhir_datetime(contact.occurred_at)},
        }
    )
