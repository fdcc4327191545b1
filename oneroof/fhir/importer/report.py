"""What happened to one Bundle: counts by resource type and outcome, with the reason for every
resource that was skipped and every part of one that could not be kept."""

from collections import Counter
from dataclasses import dataclass, field

from oneroof.fhir.outcomes import Issue, operation_outcome

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"


@dataclass
class BundleReport:
    name: str
    outcomes: Counter = field(default_factory=Counter)  # (resource type, outcome) -> n
    skipped: Counter = field(default_factory=Counter)  # (resource type, reason) -> n
    notes: Counter = field(default_factory=Counter)  # (resource type, note) -> n
    errors: list[Issue] = field(default_factory=list)  # any error: nothing was written

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, resource_type: str, outcome: str) -> None:
        self.outcomes[(resource_type, outcome)] += 1

    def skip(self, resource_type: str, reason: str) -> None:
        self.outcomes[(resource_type, SKIPPED)] += 1
        self.skipped[(resource_type, reason)] += 1

    def note(self, resource_type: str, note: str) -> None:
        self.notes[(resource_type, note)] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.outcomes.items() if o == outcome)

    @property
    def imported(self) -> int:
        return self.total(CREATED) + self.total(UPDATED) + self.total(UNCHANGED)

    def summary(self) -> str:
        if not self.ok:
            return f"failed, nothing written: {self.errors[0].diagnostics}"
        parts = [f"{self.total(o)} {o}" for o in (CREATED, UPDATED, UNCHANGED, SKIPPED)]
        return ", ".join(parts)

    def as_dict(self) -> dict:
        by_type: dict = {}
        for (kind, outcome), n in sorted(self.outcomes.items()):
            by_type.setdefault(kind, {})[outcome] = n
        return {
            "bundle": self.name,
            "status": "imported" if self.ok else "failed",
            "resources": by_type,
            "skipped": [
                {"resourceType": kind, "reason": reason, "count": n}
                for (kind, reason), n in sorted(self.skipped.items())
            ],
            "notes": [
                {"resourceType": kind, "note": note, "count": n}
                for (kind, note), n in sorted(self.notes.items())
            ],
            "errors": [issue.to_fhir() for issue in self.errors],
        }

    def operation_outcome(self) -> dict:
        """The report as an OperationOutcome: errors, then what was skipped, as warnings."""
        issues = list(self.errors)
        issues += [
            Issue("warning", "not-supported", f"{n} {kind} skipped: {reason}")
            for (kind, reason), n in sorted(self.skipped.items())
        ]
        issues += [
            Issue("information", "informational", f"{n} {kind}: {note}")
            for (kind, note), n in sorted(self.notes.items())
        ]
        if not issues:
            issues = [Issue("information", "informational", self.summary())]
        return operation_outcome(issues)
