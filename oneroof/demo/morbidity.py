"""Conditions, medicines, frailty deficits and social needs for a chunk of residents.

Long-term and mental health conditions are drawn at their calibrated prevalence (prevalence.py);
for conditions with a QOF resolved cluster a share of the people ever coded have a later
resolved code (figures.RESOLVED_*), and only the others have the condition now. Medicines follow
from the conditions people have now. Frailty: a condition ever recorded that is one of the 36
eFI deficits counts as that deficit, polypharmacy (5+ current medicines) counts as one, and
residents aged 65+ may have each of the other deficits (falls, hearing loss, mobility
problems...) independently, at a chance that rises with age and with the person's own morbidity
(DEFICIT_BASE x the deficit's weight x AGE_RISE per year past 65 x z). Nothing tops deficits up
to a target: the eFI distribution among people aged 65+ is what comes out, and
docs/demo-neighbourhood.md reports it.

The codes written for each are drawn from the repository's complete codelists (coding.py), and
everyone also has a few ordinary acute problems whose codes are in no list (codes.NOISE).
"""

from dataclasses import dataclass

import numpy as np

from oneroof.analytics.rules import load_ruleset

from . import figures
from .codes import (
    CONDITIONS,
    EFI_DEFICITS,
    LIVES_ALONE,
    NOISE,
    PALLIATIVE,
    SOCIAL_NEEDS,
)
from .coding import CHILD_AGE, CodeBook, CodeChoice
from .medicines import MEDICINES, MEDICINES_FOR
from .population import People
from .prevalence import PrevalenceModel

DEFICIT_INDEX = {d.key: i for i, d in enumerate(EFI_DEFICITS)}
MEDICINE_KEYS = tuple(MEDICINES)
MEDICINE_INDEX = {key: i for i, key in enumerate(MEDICINE_KEYS)}
POLYPHARMACY = DEFICIT_INDEX["polypharmacy"]
EXTRA = np.array([d.weight > 0 and bool(d.codes) for d in EFI_DEFICITS])
EXTRA_WEIGHT = np.array([d.weight for d in EFI_DEFICITS])
# Extra deficits for people aged 65+: the chance of each is DEFICIT_BASE x its weight at 65,
# rising by AGE_RISE a year, times the person's morbidity z. The demo's own assumptions (no
# published prevalence of each eFI deficit by age is in the material this project draws on).
DEFICIT_BASE = 0.05
AGE_RISE = 1.05
NOISE_PER_PERSON = 1.0  # ordinary acute problems in the last three years, on average
SOCIAL_KEYS = tuple(SOCIAL_NEEDS)
MODERATE_FRAILTY = figures.EFI_COUNT_RANGES["moderate"][0]
ACTIVE, RESOLVED = "active", "resolved"


@dataclass
class Health:
    has: dict[str, np.ndarray]  # condition key -> bool per person (and "palliative"), now
    resolved: dict[str, np.ndarray]  # condition key -> coded once, since resolved
    palliative_since: np.ndarray  # ordinal joined the register (0: never on it)
    died_on: np.ndarray  # ordinal of death in the last year, on the register (0: alive)
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
        self.book = CodeBook()
        self.conditions = {spec.key: _condition_choice(self.book, spec) for spec in CONDITIONS}
        self.deficits = _deficit_choices(self.book)
        self.resolved = {
            spec.key: self.book.resolved(spec.codelist) for spec in CONDITIONS if spec.resolved
        }
        self.noise = CodeBook.fixed(NOISE)

    def sample(self, rng: np.random.Generator, people: People) -> Health:
        n = people.size
        z = rng.gamma(2.0, 0.5, n)  # the person's own morbidity, mean 1
        args = (people.ages, people.decile, people.male)
        has: dict[str, np.ndarray] = {}
        resolved: dict[str, np.ndarray] = {}
        onset: dict[str, np.ndarray] = {}
        for spec in (*CONDITIONS, None):
            key = spec.key if spec else "palliative"
            share = spec.resolved if spec and self.resolved.get(key) else 0.0
            # Ever coded, at a rate that leaves the register (not resolved) at its prevalence.
            ever = rng.random(n) < self.model.probability(key, *args, z) / (1 - share)
            resolved[key] = ever & (rng.random(n) < share)
            has[key] = ever & ~resolved[key]
            # Onset within the last 15 years, never before birth.
            years_ago = rng.random(n) * np.minimum(15, people.ages)
            onset[key] = np.maximum(
                self.today_ord - (years_ago * 365.25).astype(np.int64), people.birth_ord
            )
        since, died = self._palliative(rng, people, has, args, z)
        medicines = self._medicines(rng, people, has)
        deficits = np.zeros((n, len(EFI_DEFICITS)), dtype=bool)
        for spec in CONDITIONS:
            if spec.deficit:  # the eFI counts a deficit ever recorded, resolved or not
                deficits[:, DEFICIT_INDEX[spec.deficit]] |= has[spec.key] | resolved[spec.key]
        extra = self._frailty(rng, people, deficits, medicines, z)
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
        return Health(
            has, resolved, since, died, onset, medicines, deficits, extra, social, physical, mental
        )

    def _palliative(self, rng, people: People, has, args, z):
        """When each person on the register joined it, and who died on it in the last year.

        The register today is drawn at its QOF prevalence; others, at that chance over
        PALLIATIVE_MEAN_YEARS, joined it and died in the last year (death uniform over the year,
        time on the register exponential), so additions and deaths balance over the year."""
        n = people.size
        mean_days = figures.PALLIATIVE_MEAN_YEARS * 365.25
        chance = self.model.probability("palliative", *args, z) / figures.PALLIATIVE_MEAN_YEARS
        died = ~has["palliative"] & (rng.random(n) < chance)
        died_on = np.where(died, self.today_ord - rng.integers(1, 366, n), 0)
        ended = np.where(died, died_on, self.today_ord)
        since = ended - np.maximum(1, rng.exponential(mean_days, n).astype(np.int64))
        since = np.maximum(since, people.birth_ord)
        since = np.where(has["palliative"] | died, since, 0)
        return since, died_on

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

    def _frailty(self, rng, people: People, deficits, medicines, z) -> np.ndarray:
        """Each extra deficit for residents aged 65+, drawn on its own (no target count)."""
        extra = np.zeros_like(deficits)
        old = np.flatnonzero(people.ages >= 65)
        if len(old) == 0:
            return extra
        m = len(old)
        rise = AGE_RISE ** (np.minimum(people.ages[old], 100) - 65)
        chance = DEFICIT_BASE * EXTRA_WEIGHT[None, :] * (rise * z[old])[:, None]
        chosen = (rng.random((m, len(EFI_DEFICITS))) < np.minimum(chance, 0.9)) & EXTRA
        chosen &= ~deficits[old]
        # Deficits that bring a medicine: thyroid disease, peptic ulcer.
        for deficit, medicine, share in (
            ("thyroid", "levothyroxine", 0.95),
            ("peptic_ulcer", "omeprazole", 0.8),
        ):
            takes = chosen[:, DEFICIT_INDEX[deficit]] & (rng.random(m) < share)
            medicines[old[takes], MEDICINE_INDEX[medicine]] = True
        deficits[old] |= chosen
        extra[old] = chosen
        return extra

    def condition_rows(self, rng, people: People, health: Health, gps: np.ndarray):
        """(person, code, display, category, onset ordinal, recorder, status) for every coded
        condition, resolved code, deficit, social need and acute problem."""
        child = people.ages < CHILD_AGE
        for spec in CONDITIONS:
            yield from self._condition(rng, people, health, spec, child, gps)
        who = np.flatnonzero(health.palliative_since)
        for i, day in zip(who.tolist(), health.palliative_since[who].tolist(), strict=True):
            yield (
                int(people.ids[i]),
                PALLIATIVE.code,
                PALLIATIVE.display,
                "physical",
                day,
                int(gps[i]),
                ACTIVE,
            )
        yield from self._deficit_rows(rng, people, health, child, gps)
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
                    ACTIVE,
                )
        yield from self._noise_rows(rng, people, child, gps)

    def _condition(self, rng, people: People, health: Health, spec, child, gps):
        ended = health.resolved[spec.key]
        who = np.flatnonzero(health.has[spec.key] | ended)
        if len(who) == 0:
            return
        choice = self.conditions[spec.key]
        picks = choice.draw(rng, people.male[who], child[who])
        onset = health.onset[spec.key][who]
        for i, pick, day in zip(who.tolist(), picks.tolist(), onset.tolist(), strict=True):
            status = RESOLVED if ended[i] else ACTIVE
            yield (
                int(people.ids[i]),
                choice.codes[pick],
                choice.terms[pick],
                spec.category,
                day,
                int(gps[i]),
                status,
            )
        # The resolved code, some time after the diagnosis (at least a month, before today).
        gone = who[ended[who]]
        codes = self.resolved.get(spec.key, ())
        if len(gone) == 0 or not codes:
            return
        start = health.onset[spec.key][gone] + 30
        days = start + (rng.random(len(gone)) * np.maximum(self.today_ord - start, 0))
        which = rng.integers(0, len(codes), len(gone))
        for i, day, k in zip(
            gone.tolist(), days.astype(np.int64).tolist(), which.tolist(), strict=True
        ):
            code, term = codes[k]
            yield (
                int(people.ids[i]),
                code,
                term,
                spec.category,
                min(day, self.today_ord),
                int(gps[i]),
                ACTIVE,
            )

    def _deficit_rows(self, rng, people: People, health: Health, child, gps: np.ndarray):
        person, column = np.nonzero(health.extra_deficits)
        days = self.today_ord - rng.integers(14, 5 * 365, len(person))
        picks = np.zeros(len(person), dtype=np.int64)
        for col in np.unique(column).tolist():
            rows = np.flatnonzero(column == col)
            who = person[rows]
            picks[rows] = self.deficits[col].draw(rng, people.male[who], child[who])
        for i, col, pick, day in zip(
            person.tolist(), column.tolist(), picks.tolist(), days.tolist(), strict=True
        ):
            deficit = EFI_DEFICITS[col]
            if deficit.key == "social_vulnerability" and people.lives_alone[i]:
                code, term = LIVES_ALONE.code, LIVES_ALONE.display
            else:
                choice = self.deficits[col]
                code, term = choice.codes[pick], choice.terms[pick]
            yield (int(people.ids[i]), code, term, deficit.category, day, int(gps[i]), ACTIVE)

    def _noise_rows(self, rng, people: People, child, gps: np.ndarray):
        counts = rng.poisson(NOISE_PER_PERSON, people.size)
        who = np.repeat(np.arange(people.size), counts)
        picks = self.noise.draw(rng, people.male[who], child[who])
        days = np.maximum(
            self.today_ord - rng.integers(1, 3 * 365, len(who)), people.birth_ord[who]
        )
        for i, pick, day in zip(who.tolist(), picks.tolist(), days.tolist(), strict=True):
            yield (
                int(people.ids[i]),
                self.noise.codes[pick],
                self.noise.terms[pick],
                "physical",
                day,
                int(gps[i]),
                ACTIVE,
            )


def _condition_choice(book: CodeBook, spec) -> CodeChoice:
    """The common concepts of a condition (sex-specific ones for women where given) and the
    long tail of its list, less the common concepts of other conditions sharing that list."""
    weights = spec.weights or (1.0,) * len(spec.codes)
    female = spec.female_codes or spec.codes
    female_weights = weights[: len(female)] if spec.female_codes else weights
    if len(female_weights) < len(female):
        female_weights = (1.0,) * len(female)
    core: dict[str, list] = {}
    for code, weight in zip(spec.codes, weights, strict=True):
        core[code.code] = [code.display, weight, 0.0]
    for code, weight in zip(female, female_weights, strict=True):
        core.setdefault(code.code, [code.display, 0.0, 0.0])[2] = weight
    others = frozenset(
        c.code
        for other in CONDITIONS
        if other.codelist == spec.codelist and other.key != spec.key
        for c in other.codes + other.female_codes
    )
    return book.choice(
        [(code, term, m, f) for code, (term, m, f) in core.items()], spec.codelist, others
    )


def _deficit_choices(book: CodeBook) -> list[CodeChoice | None]:
    """For each deficit the generator adds, its codes and the long tail of its eFI list, less
    every code of a condition list (so a deficit never brings a condition with it)."""
    slug_of = {d.name: d.codelist for d in load_ruleset().coded_deficits}
    conditions = frozenset().union(*(book.codes(spec.codelist) for spec in CONDITIONS))
    choices: list[CodeChoice | None] = []
    for deficit in EFI_DEFICITS:
        if not deficit.codes:
            choices.append(None)
            continue
        if deficit.key == "urinary_system":  # prostatism for men, infections for women
            prostatism, infection = deficit.codes
            core = [
                (prostatism.code, prostatism.display, 1.0, 0.0),
                (infection.code, infection.display, 0.0, 1.0),
            ]
        else:
            core = [(c.code, c.display, 1.0, 1.0) for c in deficit.codes]
        choices.append(book.choice(core, slug_of[deficit.name], conditions))
    return choices
