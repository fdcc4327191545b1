"""Changes to the whole-person record: the care plan and its reviews, tasks and MDT reviews.

Every function takes the acting professional as `by` and the `access` that authorised them
(from `record_access.authorise_record_access`), runs in one transaction and writes the audit
row. A `submission_id` from the form makes a double submission create one record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oneroof.audit.services import record_access

from .lifecycles import check_task_transition
from .models import (
    CarePlan,
    CarePlanAction,
    CarePlanReview,
    Goal,
    Immunization,
    MdtReview,
    MedicationStatement,
    MedicationStatus,
    Task,
    TaskStatus,
)


def care_plan_for(person) -> CarePlan:
    plan, _ = CarePlan.objects.get_or_create(person=person)
    return plan


@transaction.atomic
def update_care_plan(*, person, what_matters: str, next_review_date, by, access) -> CarePlan:
    """Change what matters to the person and when the plan is next reviewed."""
    plan = care_plan_for(person)
    plan.what_matters = what_matters.strip()
    plan.next_review_date = next_review_date
    plan.updated_at = timezone.now()
    plan.save(update_fields=["what_matters", "next_review_date", "updated_at"])
    access.audit("changed care plan")
    return plan


@transaction.atomic
def record_care_plan_review(
    *, person, reviewed_on, summary: str, next_review_date, submission_id, by, access
) -> CarePlanReview:
    """Record that the care plan was reviewed with the person on `reviewed_on` (today or
    earlier), and when it is next due. Only this counts as a review for the measures; editing
    the plan does not. Raises ValidationError naming the field for a missing or future date or
    a next review not after the review."""
    existing = CarePlanReview.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": "Enter the date of the review"})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The date of the review must be today or earlier"})
    if next_review_date is not None and next_review_date <= reviewed_on:
        raise ValidationError(
            {"next_review_date": "The next review must be after the date of this review"}
        )
    plan = care_plan_for(person)
    review = CarePlanReview.objects.create(
        care_plan=plan,
        reviewed_on=reviewed_on,
        summary=summary.strip(),
        recorded_by=by,
        submission_id=submission_id,
    )
    if next_review_date is not None:
        plan.next_review_date = next_review_date
        plan.updated_at = timezone.now()
        plan.save(update_fields=["next_review_date", "updated_at"])
    access.audit("recorded a care plan review")
    return review


@transaction.atomic
def add_goal(*, person, description: str, target_date, submission_id, by, access) -> Goal:
    """Add a goal, in the person's own words."""
    existing = Goal.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    goal = Goal.objects.create(
        care_plan=care_plan_for(person),
        description=description.strip(),
        target_date=target_date,
        submission_id=submission_id,
    )
    access.audit("added a goal")
    return goal


@transaction.atomic
def add_action(
    *, person, description: str, owner, due_date, goal, submission_id, by, access
) -> CarePlanAction:
    """Add an action to the plan, owned by a named professional, and put it in their tasks."""
    existing = CarePlanAction.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    action = CarePlanAction.objects.create(
        care_plan=care_plan_for(person),
        goal=goal,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        created_by=by,
        submission_id=submission_id,
    )
    Task.objects.create(
        person=person,
        description=action.description,
        owner=owner,
        requester=by,
        action=action,
        due_date=due_date,
    )
    access.audit("added an action")
    return action


@transaction.atomic
def complete_task(*, task: Task, note: str, by, access) -> Task:
    """Mark the task done. Only its owner may complete it."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.COMPLETED:
        return task  # a second click on "Mark as done" changes nothing
    check_task_transition(task.status, TaskStatus.COMPLETED)
    task.status = TaskStatus.COMPLETED
    task.completed_note = note.strip()
    task.last_modified = timezone.now()
    task.save(update_fields=["status", "completed_note", "last_modified"])
    access.audit("completed a task")
    return task


def start_task(*, task: Task, by, access) -> Task:
    """Mark the task as being worked on. Starting it twice changes nothing."""
    return _move_task(task, TaskStatus.IN_PROGRESS, access=access, action="started a task")


def cancel_task(*, task: Task, by, access) -> Task:
    """The task will not be done. Cancelling it twice changes nothing."""
    return _move_task(task, TaskStatus.CANCELLED, access=access, action="cancelled a task")


@transaction.atomic
def _move_task(task: Task, status: str, *, access, action: str) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == status:
        return task
    check_task_transition(task.status, status)
    task.status = status
    task.last_modified = timezone.now()
    task.save(update_fields=["status", "last_modified"])
    access.audit(action)
    return task


@transaction.atomic
def record_mdt_review(
    *, person, decision: str, attendees, next_review_date, submission_id, by, access
) -> MdtReview:
    """Record the huddle's decision and set when the person is next reviewed."""
    existing = MdtReview.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    review = MdtReview.objects.create(
        person=person,
        decision=decision.strip(),
        recorded_by=by,
        next_review_date=next_review_date,
        submission_id=submission_id,
    )
    review.attendees.set(attendees)
    plan = care_plan_for(person)
    plan.next_review_date = next_review_date
    plan.updated_at = timezone.now()
    plan.save(update_fields=["next_review_date", "updated_at"])
    access.audit("recorded an MDT review")
    return review


# What a community pharmacy records: it gives vaccinations and supplies medicines, and they
# belong on the whole-person record. The pharmacist never opens the record to do it.

PURPOSE_PHARMACY = "community_pharmacy"  # the audit trail's "why they could"


@transaction.atomic
def record_immunization(
    *,
    person,
    procedure_code: str,
    procedure_display: str,
    occurrence_date,
    lot_number: str,
    submission_id,
    by,
) -> Immunization:
    """A vaccination given by `by` (a pharmacist), performed by their organisation."""
    existing = Immunization.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    immunization = Immunization.objects.create(
        person=person,
        procedure_code=procedure_code,
        procedure_display=procedure_display,
        occurrence_date=occurrence_date,
        lot_number=lot_number.strip(),
        performer_organisation=by.organisation,
        recorded_by=by,
        submission_id=submission_id,
    )
    record_access(
        user=by.user, person=person, action="recorded a vaccination", purpose=PURPOSE_PHARMACY
    )
    return immunization


@transaction.atomic
def record_medicine_supply(
    *, person, display: str, code: str, dosage: str, supplied_on, until, submission_id, by
) -> MedicationStatement:
    """A medicine the pharmacy supplied (a Pharmacy First course, say): a MedicationStatement
    whose information source is the pharmacy."""
    existing = MedicationStatement.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    statement = MedicationStatement.objects.create(
        person=person,
        code=code.strip(),
        display=display.strip(),
        dosage=dosage.strip(),
        status=MedicationStatus.ACTIVE,
        effective_start=supplied_on,
        effective_end=until,
        information_source=by.organisation,
        recorded_by=by,
        date_asserted=timezone.now(),
        submission_id=submission_id,
    )
    record_access(
        user=by.user, person=person, action="recorded a medicine", purpose=PURPOSE_PHARMACY
    )
    return statement
