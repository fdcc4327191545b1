"""Why a person was found: the criteria they meet and what else matters, in plain words.

"need band 3 of 7: moderate frailty with an emergency admission in the last 12 months;
moderate frailty (eFI 10/36); lives alone; most deprived decile". Built from one row of the
case-finding result; shown to staff on the worklist and the record, never logged.
"""

from typing import Any

from .rules import RuleSet


def reasons_for(row: dict[str, Any], rules: RuleSet) -> list[str]:
    reasons = []
    if row.get("need_band") is not None:
        band = rules.band(row["need_band"])
        reasons.append(f"need band {band.band} of {len(rules.need_bands)}: {band.name}")
    if row["meets_frailty"]:
        reasons.append(f"{row['efi_category']} frailty (eFI {row['efi_deficits']}/36)")
    if row["meets_ltcs_with_mental_health"]:
        reasons.append(
            f"{row['physical_ltc_count']} long-term conditions with a mental health condition"
        )
    if row["meets_ltcs"]:
        reasons.append(f"{row['ltc_count']} long-term conditions")
    if row["meets_housebound"]:
        reasons.append("housebound")
    if row["meets_high_use"]:
        use = rules.high_use
        if row["emergency_admissions"] >= use.emergency_admissions:
            reasons.append(f"{row['emergency_admissions']} emergency admissions in 12 months")
        if row["gp_contacts"] >= use.gp_contacts:
            reasons.append(f"{row['gp_contacts']} GP contacts in 12 months")
    if row["palliative"]:
        reasons.append("on the palliative care register")
    if row["lives_alone"]:
        reasons.append("lives alone")
    return reasons + _deprivation(row, rules)


def _deprivation(row: dict[str, Any], rules: RuleSet) -> list[str]:
    if row["imd_decile"] == 1:
        return ["most deprived decile"]
    unknown_first = any(
        column == "imd_decile" and missing_first for column, _, missing_first in rules.priority
    )
    if row["imd_decile"] is None and unknown_first:
        return ["deprivation not known: counted as most deprived"]
    return []


def criteria_met(row: dict[str, Any]) -> list[str]:
    from .schema import CRITERIA

    return [criterion for criterion in CRITERIA if row[criterion]]
