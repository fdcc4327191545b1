"""Conditions, medicines, frailty deficits and social needs for a chunk of residents.

Long-term and mental health conditions are drawn at their calibrated prevalence (prevalence.py).
Medicines follow from conditions. Frailty: a condition that is one of the 36 eFI deficits counts
as that deficit, polypharmacy (5+ current medicines) counts as one, and residents aged 65+ are
then given further deficits (falls, hearing loss, mobility problems...) so that the eFI
categories among them match the published distribution: each is ranked by a frailty score (the
deficits they already have, age, deprivation and chance) and the ranks are cut at 50/85/97%,
giving each a target count in their category's range of deficits.
"""

from dataclasses import dataclass

import numpy as np

from . import figures
from .codes import CONDITIONS, EFI_DEFICITS, LIVES_ALONE, MEDICATED_DEFICITS, SOCIAL_NEEDS
from .medicines import MEDICINES, MEDICINES_FOR
from .population import People
from .prevalence import PrevalenceModel

DEFICIT_INDEX = {d.key: i for i, d in enumerate(EFI_DEFICITS)}
MEDICINE_KEYS = tuple(MEDICINES)
MEDICINE_INDEX = {key: i for i, key in enumerate(MEDICINE_KEYS)}
POLYPHARMACY = DEFICIT_INDEX["polypharmacy"]
EXTRA = np.array([d.weight > 0 and bool(d.codes) for d in EFI_DEFICITS])
EXTRA_WEIGHT = np.array([d.weight for d in EFI_DEFICITS])
MEDICATED = np.array([d.key in MEDICATED_DEFICITS for d in EFI_DEFICITS])
# Deficits that mark the frailest: more likely the higher a person's target count.
SEVERITY_SCALED = np.array(
    [
        d.key
        in {
            "housebound",
            "care_requirement",
            "activity_limitation",
            "mobility",
            "skin_ulcer",
            "weight_loss",
        }
        for d in EFI_DEFICITS
    ]
)
CATEGORY_CUTS = np.cumsum(list(figures.EFI_CATEGORY_SHARES_65_PLUS.values()))
CATEGORY_RANGES = list(figures.EFI_COUNT_RANGES.values())
SOCIAL_KEYS = tuple(SOCIAL_NEEDS)
MODERATE_FRAILTY = figures.EFI_COUNT_RANGES["moderate"][0]


@dataclass
class Health:
    has: dict[str, np.ndarray]  # condition key -> bool per person (and "palliative")
    onset: dict[str, np.ndarray]  # condition key -> onset ordinal
    medicines: np.ndarray  # bool, people x MEDICINE_KEYS
    deficits: np.ndarray  # bool, people x 36 (polypharmacy included)
    extra_deficits: np.ndarray  # bool, the deficits recorded as their own Condition rows
    social: dict[str, np.ndarray]
    physical_ltcs: np.ndarray
    mental_conditions: np.ndarray

    @property
    def efi_count(self) -> np.ndarray:
        return self.deficits.sum(axis=1)

    @property
    def housebound(self) -> np.ndarray:
        return self.deficits[:, DEFICIT_INDEX["housebound"]]


class MorbiditySampler:
    def __init__(self, today_ord: int) -> None:
        self.model = PrevalenceModel()
        self.today_ord = today_ord

    def sample(self, rng: np.random.Generator, people: People) -> Health:
        n = people.size
        z = rng.gamma(2.0, 0.5, n)  # the person's own morbidity, mean 1
        args = (people.ages, people.decile, people.male)
        has: dict[str, np.ndarray] = {}
        onset: dict[str, np.ndarray] = {}
        for spec in (*CONDITIONS, None):
            key = spec.key if spec else "palliative"
            has[key] = rng.random(n) < self.model.probability(key, *args, z)
            # Onset within the last 15 years, never before birth.
            years_ago = rng.random(n) * np.minimum(15, people.ages)
            onset[key] = np.maximum(
                self.today_ord - (years_ago * 365.25).astype(np.int64), people.birth_ord
            )
        medicines = self._medicines(rng, people, has)
        deficits = np.zeros((n, len(EFI_DEFICITS)), dtype=bool)
        for spec in CONDITIONS:
            if spec.deficit:
                deficits[:, DEFICIT_INDEX[spec.deficit]] |= has[spec.key]
        extra = self._frailty(rng, people, deficits, medicines)
        # An extra osteoporosis deficit is the condition itself: record it as that, so that it
        # counts as a long-term condition as well as a deficit, like everyone else's.
        column = DEFICIT_INDEX["osteoporosis"]
        has["osteoporosis"] |= extra[:, column]
        extra[:, column] = False
        deficits[:, POLYPHARMACY] = medicines.sum(axis=1) >= figures.POLYPHARMACY_MEDICINES
        z_social = rng.gamma(2.0, 0.5, n)  # debt, unemployment, isolation and smoking cluster
        social = {
            key: rng.random(n)
            < self.model.probability(key, *args, z if key == "obesity" else z_social)
            for key in SOCIAL_KEYS
        }
        physical = np.zeros(n, dtype=np.int64)
        mental = np.zeros(n, dtype=np.int64)
        for group, category in {(s.ltc_group, s.category) for s in CONDITIONS}:
            members = [s.key for s in CONDITIONS if s.ltc_group == group]
            present = np.any([has[k] for k in members], axis=0)
            if category == "mental":
                mental += present
            else:
                physical += present
        return Health(has, onset, medicines, deficits, extra, social, physical, mental)

    @staticmethod
    def _medicines(rng, people: People, has: dict[str, np.ndarray]) -> np.ndarray:
        n = people.size
        taking = np.zeros((n, len(MEDICINE_KEYS)), dtype=bool)
        who = {**has, "older": people.ages >= 65}
        for condition, choices in MEDICINES_FOR.items():
            if condition not in who:
                continue  # medicines for deficits are added with the deficit (_frailty)
            for medicine, chance in choices:
                taking[:, MEDICINE_INDEX[medicine]] |= who[condition] & (rng.random(n) < chance)
        # Older people on an antiplatelet are often given a PPI to protect the stomach.
        antiplatelet = (
            taking[:, MEDICINE_INDEX["aspirin"]] | taking[:, MEDICINE_INDEX["clopidogrel"]]
        )
        taking[:, MEDICINE_INDEX["omeprazole"]] |= (
            antiplatelet & (people.ages >= 65) & (rng.random(n) < 0.4)
        )
        return taking

    def _frailty(self, rng, people: People, deficits, medicines) -> np.ndarray:
        """Add deficits for residents aged 65+ to reach the published eFI distribution."""
        extra = np.zeros_like(deficits)
        old = np.flatnonzero(people.ages >= 65)
        if len(old) == 0:
            return extra
        m = len(old)
        poly0 = medicines[old].sum(axis=1) >= figures.POLYPHARMACY_MEDICINES
        existing = deficits[old].sum(axis=1) + poly0
        score = (
            existing
            + 0.04 * (people.ages[old] - 65)
            + 0.15 * (10 - people.decile[old]) / 9
            + rng.normal(0.0, 1.0, m)
        )
        quantile = (np.argsort(np.argsort(score, kind="stable"), kind="stable") + rng.random(m)) / m
        category = np.searchsorted(CATEGORY_CUTS, quantile, side="right").clip(0, 3)
        low = np.array([CATEGORY_RANGES[c][0] for c in category])
        high = np.array([CATEGORY_RANGES[c][1] for c in category])
        target = np.maximum(rng.integers(low, high + 1), existing)
        wanted = target - existing
        # Weighted choice without replacement of `wanted` extra deficits (Gumbel top-k).
        weights = np.tile(np.where(EXTRA, EXTRA_WEIGHT, 0.0), (m, 1))
        weights[:, SEVERITY_SCALED] *= ((target / 6.0) ** 2)[:, None]
        weights[deficits[old]] = 0.0
        with np.errstate(divide="ignore"):
            keys = np.log(weights) + rng.gumbel(size=weights.shape)
        order = np.argsort(-keys, axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(weights.shape[1])[None, :].repeat(m, 0), axis=1)
        chosen = (rank < wanted[:, None]) & (weights > 0)
        # Deficits that bring a medicine: thyroid disease, osteoporosis, peptic ulcer.
        for deficit, medicine, chance in (
            ("thyroid", "levothyroxine", 0.95),
            ("osteoporosis", "alendronic_acid", 0.7),
            ("peptic_ulcer", "omeprazole", 0.8),
        ):
            takes = chosen[:, DEFICIT_INDEX[deficit]] & (rng.random(m) < chance)
            medicines[old[takes], MEDICINE_INDEX[medicine]] = True
        # A new medicine can tip someone into polypharmacy; keep their count on target by
        # dropping one of their unmedicated extras.
        poly = medicines[old].sum(axis=1) >= figures.POLYPHARMACY_MEDICINES
        over = (existing + chosen.sum(axis=1) + (poly & ~poly0)) > target
        droppable = chosen & ~MEDICATED[None, :]
        rows = np.flatnonzero(over & droppable.any(axis=1))
        chosen[rows, droppable[rows].argmax(axis=1)] = False
        deficits[old] |= chosen
        extra[old] = chosen
        return extra

    def condition_rows(self, rng, people: People, health: Health, gps: np.ndarray):
        """(person, code, display, category, onset ordinal, recorder) for every condition."""
        for spec in CONDITIONS:
            yield from _rows_for(
                rng, people, health.has[spec.key], health.onset[spec.key], spec, gps
            )
        from .codes import PALLIATIVE

        who = np.flatnonzero(health.has["palliative"])
        recent = self.today_ord - rng.integers(7, 400, len(who))
        for i, day in zip(who.tolist(), recent.tolist(), strict=True):
            yield (
                int(people.ids[i]),
                PALLIATIVE.code,
                PALLIATIVE.display,
                "physical",
                day,
                int(gps[i]),
            )
        yield from self._deficit_rows(rng, people, health, gps)
        for key, present in health.social.items():
            need = SOCIAL_NEEDS[key]
            who = np.flatnonzero(present)
            days = self.today_ord - rng.integers(30, 1500, len(who))
            for i, day in zip(who.tolist(), days.tolist(), strict=True):
                yield (
                    int(people.ids[i]),
                    need.code,
                    need.display,
                    "social",
                    max(day, int(people.birth_ord[i])),
                    int(gps[i]),
                )

    def _deficit_rows(self, rng, people: People, health: Health, gps: np.ndarray):
        person, column = np.nonzero(health.extra_deficits)
        picks = rng.random(len(person))
        days = self.today_ord - rng.integers(14, 5 * 365, len(person))
        for i, col, pick, day in zip(
            person.tolist(), column.tolist(), picks.tolist(), days.tolist(), strict=True
        ):
            deficit = EFI_DEFICITS[col]
            if deficit.key == "social_vulnerability" and people.lives_alone[i]:
                code = LIVES_ALONE
            elif deficit.key == "urinary_system":
                code = deficit.codes[0] if people.male[i] else deficit.codes[1]
            else:
                code = deficit.codes[int(pick * len(deficit.codes))]
            yield (int(people.ids[i]), code.code, code.display, deficit.category, day, int(gps[i]))


def _rows_for(rng, people: People, present: np.ndarray, onset: np.ndarray, spec, gps):
    who = np.flatnonzero(present)
    if len(who) == 0:
        return
    weights = np.asarray(spec.weights or [1.0] * len(spec.codes), dtype=float)
    male_pick = rng.choice(len(spec.codes), size=len(who), p=weights / weights.sum())
    female_codes = spec.female_codes
    for i, pick in zip(who.tolist(), male_pick.tolist(), strict=True):
        if female_codes and not people.male[i]:
            # Sex-specific codes (breast cancer, postmenopausal osteoporosis) for women.
            code = female_codes[min(pick, len(female_codes) - 1)]
        else:
            code = spec.codes[pick]
        yield (
            int(people.ids[i]),
            code.code,
            code.display,
            spec.category,
            int(onset[i]),
            int(gps[i]),
        )
