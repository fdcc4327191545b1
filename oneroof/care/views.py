"""Staff pages of the whole-person record. Thin: parse, authorise, call a service, render."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneroof.audit.models import RecordAccess
from oneroof.audit.services import (
    TooManySearches,
    break_glass,
    check_search_allowed,
    record_search,
)
from oneroof.core.formats import format_date
from oneroof.core.record_sections import render_record_sections
from oneroof.core.roles import professional_required
from oneroof.people.consent import record_sharing_decision
from oneroof.people.models import Person

from . import services
from .caseload import caseload_for
from .forms import (
    ActionForm,
    BreakGlassForm,
    CarePlanForm,
    CarePlanReviewForm,
    FindPersonForm,
    GoalForm,
    MdtReviewForm,
    SharingDecisionForm,
    TaskCompleteForm,
)
from .lifecycles import IllegalTransition
from .models import Task
from .presenters import RecordPresenter
from .record import load_record, team_professionals
from .record_access import (
    ConsentWithdrawn,
    NoLegitimateRelationship,
    authorise_record_access,
    open_record,
    search_results,
)


def _person_or_404(public_id) -> Person:
    try:
        return Person.objects.for_record(public_id)
    except Person.DoesNotExist:
        raise Http404("No person with that id") from None


def _no_relationship(request, person, error: NoLegitimateRelationship):
    """403, saying why: no relationship, or the person's withdrawn consent to share
    (people.consent), with break-glass offered for an emergency either way."""
    withdrawn = error if isinstance(error, ConsentWithdrawn) else None
    return render(
        request,
        "care/no_relationship.jinja",
        {"person": person, "consent_withdrawn": withdrawn},
        status=403,
    )


@professional_required
def person_find(request):
    form = FindPersonForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        try:
            check_search_allowed(user=request.user)
        except TooManySearches as limit:
            form.add_error(None, str(limit))
            return render(request, "care/person_find.jinja", {"form": form}, status=429)
        found = list(
            Person.objects.find(
                nhs_number=form.cleaned_data["nhs_number"],
                family_name=form.cleaned_data["family_name"],
                birth_date=form.cleaned_data["birth_date"],
            ).prefetch_related("addresses")[:50]
        )
        record_search(user=request.user, results=len(found))
        results = search_results(request.user, found)
    return render(request, "care/person_find.jinja", {"form": form, "results": results})


@professional_required
def record_view(request, public_id):
    person = _person_or_404(public_id)
    try:
        access = open_record(user=request.user, person=person)
    except NoLegitimateRelationship as error:
        return _no_relationship(request, person, error)
    record = RecordPresenter(load_record(person), today=timezone.localdate())
    sections = render_record_sections(request, person)
    return render(
        request, "care/record.jinja", {"record": record, "access": access, "sections": sections}
    )


@professional_required
def break_glass_create(request, public_id):
    person = _person_or_404(public_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        break_glass(user=request.user, person=person, **form.cleaned_data)
        return redirect("care:record_view", public_id=person.public_id)
    return render(request, "care/break_glass.jinja", {"form": form, "person": person})


# The care plan page holds three forms; each posts its name in `form`.
PLAN_FORMS = {
    "plan": ("plan_form", services.update_care_plan, lambda _: "Care plan saved"),
    "review": (
        "review_form",
        services.record_care_plan_review,
        lambda review: f"Review of {format_date(review.reviewed_on)} recorded",
    ),
    "goal": ("goal_form", services.add_goal, lambda _: "Goal added"),
    "action": (
        "action_form",
        services.add_action,
        lambda action: f"Action added and sent to {action.owner.name}",
    ),
}


def _plan_forms(plan, data=None):
    """The page's three forms, bound to `data` when given, each with its own ids."""
    team, goals = team_professionals(plan.person), plan.goals.all()
    fresh = {"submission_id": uuid.uuid4()}
    return {
        "plan_form": CarePlanForm(
            data,
            initial={"what_matters": plan.what_matters, "next_review_date": plan.next_review_date},
        ),
        "review_form": CarePlanReviewForm(data, initial=fresh),
        "goal_form": GoalForm(data, initial=fresh),
        "action_form": ActionForm(data, initial=fresh, team=team, goals=goals),
    }


@professional_required
def plan_edit(request, public_id):
    person = _person_or_404(public_id)
    try:
        access = authorise_record_access(user=request.user, person=person)
    except NoLegitimateRelationship as error:
        return _no_relationship(request, person, error)
    plan = services.care_plan_for(person)
    forms = _plan_forms(plan)
    status = 200
    if request.method == "POST":
        access.check_can_change()
        if request.POST.get("form") not in PLAN_FORMS:
            raise Http404("Unknown form")
        name, save, message = PLAN_FORMS[request.POST["form"]]
        form = _plan_forms(plan, request.POST)[name]
        if form.is_valid():
            try:
                saved = save(
                    person=person, by=request.professional, access=access, **form.cleaned_data
                )
            except ValidationError as error:  # the service's own check, named by field
                form.add_error(None, error)
            else:
                messages.success(request, message(saved))
                return redirect("care:plan_edit", public_id=person.public_id)
        forms[name] = form  # the others stay fresh, so only this one shows errors
        status = 400
    else:
        access.audit("viewed care plan")
    context = {
        "person": person,
        "plan": plan,
        "goals": list(plan.goals.all()),
        "last_review": plan.reviews.select_related("recorded_by").first(),
        **forms,
    }
    return render(request, "care/plan_edit.jinja", context, status=status)


@professional_required
def task_list(request):
    tasks = Task.objects.for_owner(request.professional)
    return render(
        request,
        "care/task_list.jinja",
        {
            "open_tasks": list(tasks.open().order_by("due_date", "authored_on")),
            "done_tasks": list(tasks.filter(status="completed").order_by("-last_modified")[:20]),
        },
    )


@professional_required
@require_POST
def task_complete(request, task_id):
    # Only the task's owner finds it: anyone else's id is a 404, never a peek at the task.
    task = get_object_or_404(Task.objects.for_owner(request.professional), public_id=task_id)
    form = TaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["note"][0])
        return redirect("care:task_list")
    try:
        access = authorise_record_access(user=request.user, person=task.person)
        services.complete_task(
            task=task, note=form.cleaned_data["note"], by=request.professional, access=access
        )
    except (IllegalTransition, NoLegitimateRelationship) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Task marked as done: {task.description}")
    return redirect("care:task_list")


@professional_required
def caseload(request):
    return render(
        request,
        "care/caseload.jinja",
        {
            "caseload": caseload_for(request.professional, today=timezone.localdate()),
        },
    )


@professional_required
def mdt_review_add(request, public_id):
    person = _person_or_404(public_id)
    try:
        access = authorise_record_access(user=request.user, person=person)
    except NoLegitimateRelationship as error:
        return _no_relationship(request, person, error)
    team = team_professionals(person)
    form = MdtReviewForm(request.POST or None, team=team, initial={"submission_id": uuid.uuid4()})
    if request.method == "POST":
        access.check_can_change()
    if request.method == "POST" and form.is_valid():
        services.record_mdt_review(
            person=person, by=request.professional, access=access, **form.cleaned_data
        )
        messages.success(request, f"Huddle decision recorded for {person.name}")
        return redirect("care:caseload")
    if request.method != "POST":
        access.audit("viewed record for MDT review")
    return render(
        request,
        "care/mdt_review.jinja",
        {"form": form, "person": person},
        status=400 if form.is_bound else 200,
    )


@professional_required
def sharing_decision(request, public_id):
    """Record the person's decision to share their record with the team, as they told you. A
    withdrawal binds at once: you may lose sight of the record yourself."""
    person = _person_or_404(public_id)
    try:
        access = authorise_record_access(user=request.user, person=person)
    except NoLegitimateRelationship as error:
        return _no_relationship(request, person, error)
    form = SharingDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access.check_can_change()
        if form.is_valid():
            consent = record_sharing_decision(
                person=person,
                status=form.cleaned_data["status"],
                by=request.professional,
                access=access,
            )
            messages.success(request, f"Recorded: {consent.get_status_display().lower()}")
            return redirect("care:record_view", public_id=person.public_id)
    else:
        access.audit("viewed sharing decision")
    return render(
        request,
        "care/sharing_decision.jinja",
        {"form": form, "person": person},
        status=400 if form.is_bound else 200,
    )


@professional_required
def record_access_list(request, public_id):
    """Who has opened this record: for the team, so they can spot what is not right."""
    person = _person_or_404(public_id)
    try:
        open_record(user=request.user, person=person, action="viewed who opened record")
    except NoLegitimateRelationship as error:
        return _no_relationship(request, person, error)
    accesses = RecordAccess.objects.for_person(person).select_related("break_glass")[:500]
    return render(request, "care/record_access.jinja", {"person": person, "accesses": accesses})
