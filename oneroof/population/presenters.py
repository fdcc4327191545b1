"""How the proactive-care worklist reads (plain classes: tested without a database)."""

from dataclasses import dataclass
from functools import lru_cache

from oneroof.analytics.rules import EFI_DEFICIT_COUNT, RuleSet, RuleSetError, load_ruleset


@lru_cache(maxsize=8)
def _rules(version: str) -> RuleSet | None:
    try:
        return load_ruleset(version)
    except RuleSetError:
        return None


def describe_efi(deficits: int | None, category: str) -> str:
    """The eFI as staff read it: "10/36, moderate frailty"; below 65 there is no category."""
    if deficits is None:
        return "Not recorded"
    score = f"{deficits}/{EFI_DEFICIT_COUNT}"
    if not category:
        return f"{score} (no category: the eFI grades people aged 65 and over)"
    return f"{score}, {category} frailty" if category != "fit" else f"{score}, fit"


def describe_need_band(rule_version: str, band: int | None) -> str:
    """ "Band 1 of 7: severe frailty", in the words of the rule set that gave the band."""
    rules = _rules(rule_version)
    if band is None or rules is None or band > len(rules.need_bands):
        return "No need band (rules before 2026.2)"
    return f"Band {band} of {len(rules.need_bands)}: {rules.band(band).name}"


def describe_order(rule_version: str) -> str:
    """How the run ordered its cohort, from its rule set's priority."""
    rules = _rules(rule_version)
    if rules is not None and rules.need_bands:
        return "clinical need first, then the most deprived areas (not known counts as most)"
    return "most deprived areas first"


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
    # The person has said no to sharing with the team (people.consent): the row stays, marked,
    # with nothing from their record; opening it takes break-glass.
    consent_withdrawn: bool = False

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
    def need(self) -> str:
        return describe_need_band(self.entry.found_in.rule_version, self.entry.need_band)

    @property
    def efi(self) -> str:
        return describe_efi(self.entry.efi_deficits, self.entry.efi_category)

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
        of their own and of the neighbourhood's (population.services.may_close), the latter only
        while the person has not said no to sharing with the team."""
        if self.entry.coordinator_id is None:
            return not self.consent_withdrawn
        return self.entry.coordinator_id == self.professional_id


@dataclass(frozen=True)
class CohortMemberPresenter:
    """The record's "Proactive care" section: why the person is in the cohort."""

    member: object  # CohortMember, with run loaded

    @property
    def efi(self) -> str:
        return describe_efi(self.member.efi_deficits, self.member.efi_category)

    @property
    def need(self) -> str:
        return describe_need_band(self.member.run.rule_version, self.member.need_band)

    @property
    def priority(self) -> str:
        return f"{self.member.priority} ({describe_order(self.member.run.rule_version)})"
