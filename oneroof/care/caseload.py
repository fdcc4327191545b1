"""A coordinator's caseload, and who is due at the MDT huddle."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q

from oneroof.people.access import withheld_among
from oneroof.people.models import Person

from .models import TaskStatus

HUDDLE_HORIZON_DAYS = 14  # the huddle list looks two weeks ahead


@dataclass(frozen=True)
class CaseloadEntry:
    person: Person
    next_review_date: date | None
    last_mdt: date | None
    open_tasks: int
    imd_decile: int | None
    # The person has said no to sharing with the team: the row stays, marked, and their record
    # offers break-glass (people.consent).
    consent_withdrawn: bool = False

    def due_on(self, today: date) -> bool:
        return self.next_review_date is None or self.next_review_date <= today + timedelta(
            days=HUDDLE_HORIZON_DAYS
        )


@dataclass(frozen=True)
class Caseload:
    entries: list[CaseloadEntry]
    today: date

    @property
    def huddle(self) -> list[CaseloadEntry]:
        """Due for review: overdue or never reviewed first, then by date, most deprived first."""
        due = [e for e in self.entries if e.due_on(self.today)]
        return sorted(
            due,
            key=lambda e: (e.next_review_date or date.min, e.imd_decile or 11, e.person.name),
        )


def caseload_for(professional, *, today: date) -> Caseload:
    people = (
        Person.objects.filter(care_team__coordinator=professional)
        .annotate(
            last_mdt=Max("mdt_reviews__held_on"),
            open_tasks=Count(
                "tasks", filter=Q(tasks__status__in=TaskStatus.open_values()), distinct=True
            ),
            imd=Max("addresses__imd_decile", filter=Q(addresses__period_end__isnull=True)),
        )
        .select_related("care_plan")
        .order_by("family_name", "given_name")
    )
    people = list(people)
    withheld = withheld_among(professional.user, [person.pk for person in people])
    entries = []
    for person in people:
        plan = getattr(person, "care_plan", None)
        entries.append(
            CaseloadEntry(
                person=person,
                next_review_date=plan.next_review_date if plan else None,
                last_mdt=person.last_mdt,
                open_tasks=person.open_tasks,
                imd_decile=person.imd,
                consent_withdrawn=person.pk in withheld,
            )
        )
    return Caseload(entries=entries, today=today)
