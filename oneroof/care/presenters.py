"""Shaping the whole-person record for the page. Plain classes: no queries here."""

from dataclasses import dataclass
from datetime import date, datetime

from oneroof.people.models import ConsentScope, PreferenceKind

from .models import NeedCategory, TaskStatus


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    who: str
    text: str


class RecordPresenter:
    """The record as the page shows it: needs grouped, the timeline merged, the plan's state."""

    def __init__(self, data, *, today: date):
        self.data = data
        self.today = today

    @property
    def person(self):
        return self.data.person

    @property
    def coordinator(self):
        team = self.data.care_team
        return team.coordinator if team else None

    def needs_by_category(self) -> list[tuple[str, list]]:
        """Physical, mental and social needs, in that order, each possibly empty."""
        groups = {category: [] for category in NeedCategory.values}
        for condition in self.data.conditions:
            if condition.clinical_status == "active":
                groups[condition.category].append(condition)
        return [(NeedCategory(c).label, groups[c]) for c in NeedCategory.values]

    def end_of_life_preference(self):
        for preference in self.data.preferences:
            if preference.kind == PreferenceKind.PREFERRED_PLACE_OF_CARE:
                return preference
        return None

    def current_consents(self) -> list:
        """The latest decision for each scope (and, for a carer proxy, each carer)."""
        seen, current = set(), []
        for consent in self.data.consents:  # newest first
            key = (consent.scope, consent.grantee_id)
            if key not in seen:
                seen.add(key)
                current.append(consent)
        return current

    def shares_with_team(self) -> bool | None:
        for consent in self.current_consents():
            if consent.scope == ConsentScope.SHARE_WITH_TEAM:
                return consent.status == "active"
        return None

    def review_due(self) -> bool:
        plan = self.data.care_plan
        return bool(plan and plan.next_review_date and plan.next_review_date <= self.today)

    def action_status(self, action) -> str:
        task = getattr(action, "task", None)
        return TaskStatus(task.status).label if task else TaskStatus.REQUESTED.label

    def timeline(self) -> list[TimelineEntry]:
        """Contacts and MDT reviews, newest first."""
        entries = [
            TimelineEntry(
                at=contact.occurred_at,
                title=contact.get_mode_display(),
                who=contact.professional.name_and_role,
                text=contact.summary,
            )
            for contact in self.data.contacts
        ]
        for review in self.data.mdt_reviews:
            entries.append(
                TimelineEntry(
                    at=review.recorded_at,
                    title="MDT review",
                    who=review.recorded_by.name_and_role,
                    text=review.decision,
                )
            )
        return sorted(entries, key=lambda entry: entry.at, reverse=True)
