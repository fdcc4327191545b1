"""Why a person was found: the criteria they meet and what else matters, in plain words.

"moderate frailty; lives alone; most deprived decile". Built from one row of the case-finding
result; shown to staff on the worklist and the record, never logged.
"""

from .rules import RuleSet


def reasons_for(row: dict, rules: RuleSet) -> list[str]:
    reasons = []
    if row["meets_frailty"]:
        reasons.append(f"{row['efi_category']} frailty")
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
    if row["imd_decile"] == 1:
        reasons.append("most deprived decile")
    return reasons


def criteria_met(row: dict) -> list[str]:
    from .schema import CRITERIA

    return [criterion for criterion in CRITERIA if row[criterion]]
