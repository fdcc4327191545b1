"""How the proactive-care worklist reads (plain classes: tested without a database)."""

from dataclasses import dataclass


def describe_decile(decile: int | None) -> str:
    if decile is None:
        return "Not known"
    if decile == 1:
        return "1 (most deprived)"
    if decile == 10:
        return "10 (least deprived)"
    return str(decile)


@dataclass(frozen=True)
class WorklistEntryPresenter:
    """One entry as a row of the worklist, for the professional looking at it."""

    entry: object  # WorklistEntry, with person, coordinator and found_in loaded
    professional_id: int

    @property
    def person(self):
        return self.entry.person

    @property
    def reasons(self) -> str:
        return self.entry.reasons[:1].upper() + self.entry.reasons[1:]

    @property
    def deprivation(self) -> str:
        return describe_decile(self.entry.imd_decile)

    @property
    def found_on(self):
        return self.entry.found_in.index_date

    @property
    def whose(self) -> str:
        coordinator = self.entry.coordinator
        if coordinator is None:
            return "Neighbourhood: no coordinator named yet"
        if coordinator.pk == self.professional_id:
            return "Yours"
        return f"{coordinator.name}’s"

    @property
    def can_record_outcome(self) -> bool:
        """Entries listed are ones the professional may see; of those, they record the outcome
        of their own and of the neighbourhood's (population.services.may_close)."""
        return self.entry.coordinator_id in (None, self.professional_id)
