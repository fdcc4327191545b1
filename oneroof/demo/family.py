"""Carers, preferences and consent.

Carers: most people with complex needs, and some other people over 75, have an unpaid carer.
About a third of carers are themselves residents with a record (a spouse, a son or daughter,
now and then a grandchild under 18: a young carer); the rest are named only. Everyone has
recorded whether they agree to share their record with their care team; most have.
"""

import numpy as np

from oneroof.people.models import Carer, Consent, Preference

from . import names
from .population import ETHNIC_GROUPS, People, phones
from .writer import BulkWriter

DAY = 86_400

# (relationship, chance) for someone being cared for at 60+ / under 60
RELATIONSHIPS_OLDER = (
    ("SPS", 0.35),
    ("CHILD", 0.45),
    ("FRND", 0.07),
    ("NBOR", 0.08),
    ("SIB", 0.05),
)
RELATIONSHIPS_YOUNGER = (("SPS", 0.5), ("PRN", 0.3), ("SIB", 0.1), ("FRND", 0.1))
# The carer's age relative to the person cared for, by relationship: (lowest, highest) offset.
AGE_OFFSET = {
    "SPS": (-8, 8),
    "CHILD": (-45, -20),
    "PRN": (20, 45),
    "SIB": (-10, 10),
    "GRNDCHILD": (-75, -45),
    "FRND": (-15, 15),
    "NBOR": (-30, 10),
}
FAMILY = {"SPS", "CHILD", "PRN", "SIB", "GRNDCHILD"}

PLACES_OF_CARE = (
    ("At home", 0.55),
    ("In a hospice", 0.3),
    ("In a care home", 0.1),
    ("In hospital", 0.05),
)
COMMUNICATION = (
    "Phone, in the morning",
    "Text message first, please",
    "Letters in large print",
    "Please speak to my daughter as well",
)
LANGUAGES = {"asian": ("Gujarati", "Punjabi", "Urdu", "Bengali"), "other": ("Arabic", "Polish")}


def _pick(rng, options):
    labels, weights = zip(*options, strict=True)
    weights = np.asarray(weights, dtype=float)
    return labels[int(rng.choice(len(labels), p=weights / weights.sum()))]


class FamilySampler:
    def __init__(self, writer: BulkWriter, today_ord: int, now: int) -> None:
        self.writer = writer
        self.today_ord = today_ord
        self.now = now

    def carers(self, rng, people: People, complex_mask: np.ndarray, mental: np.ndarray) -> None:
        """Carer rows (and some carers' proxy consent) for the chunk."""
        n = people.size
        wants = (complex_mask & (rng.random(n) < 0.55)) | (
            ~complex_mask & (people.ages >= 75) & (rng.random(n) < 0.12)
        )
        by_age: dict[int, np.ndarray] = {
            int(age): np.flatnonzero(people.ages == age) for age in np.unique(people.ages)
        }
        rows, proxies = [], []
        for i in np.flatnonzero(wants).tolist():
            row = self._carer(rng, i, people, by_age, bool(mental[i]))
            if row is not None:
                rows.append(row)
                if row[1] is not None and rng.random() < 0.35:
                    proxies.append(len(rows) - 1)
        ids = self.writer.allocate(Carer, len(rows))
        self.writer.insert(
            Carer,
            (
                "id",
                "cared_for_id",
                "carer_person_id",
                "name",
                "relationship",
                "birth_date",
                "phone",
                "is_main_carer",
                "period_start",
            ),
            [
                (int(k), *row[:4], b, row[5], True, s)
                for k, row, b, s in zip(
                    ids,
                    rows,
                    self.writer.dates(np.array([r[4] for r in rows], dtype=np.int64)),
                    self.writer.dates(np.array([r[6] for r in rows], dtype=np.int64)),
                    strict=True,
                )
            ],
        )
        self._proxy_consents(rng, [(rows[p][0], int(ids[p])) for p in proxies])

    def _carer(self, rng, i: int, people: People, by_age, mental: bool):
        age = int(people.ages[i])
        if age < 18:
            relationship = "PRN"
        else:
            relationship = _pick(rng, RELATIONSHIPS_OLDER if age >= 60 else RELATIONSHIPS_YOUNGER)
        resident = rng.random() < 0.35
        young = resident and age >= 40 and rng.random() < 0.08 + 0.1 * mental
        if young:
            # A young carer (12-17): a grandchild, or a child of a younger parent.
            relationship = "GRNDCHILD" if age >= 55 else "CHILD"
            low, high = 12, 17
        else:
            offset = AGE_OFFSET[relationship]
            low, high = max(18, age + offset[0]), age + offset[1]
        if low > high:
            return None
        carer_age = int(rng.integers(low, high + 1))
        started = self.today_ord - int(rng.integers(30, 3000))
        if resident and carer_age in by_age:
            pool = by_age[carer_age]
            j = int(pool[rng.integers(0, len(pool))])
            if j != i:
                name = f"{people.given[j]} {people.family[j]}"
                return (
                    int(people.ids[i]),
                    int(people.ids[j]),
                    name,
                    relationship,
                    -1,
                    phones(rng, 1)[0],
                    started,
                )
        group = ETHNIC_GROUPS[int(people.ethnic[i])]
        sex = "female" if rng.random() < 0.6 else "male"  # most unpaid carers are women
        firsts = names.FIRST_NAMES[group][sex]
        family = (
            people.family[i]
            if relationship in FAMILY
            else names.FAMILY_NAMES[group][int(rng.integers(0, len(names.FAMILY_NAMES[group])))]
        )
        birth = self.today_ord - int((carer_age + rng.random()) * 365.25)
        return (
            int(people.ids[i]),
            None,
            f"{firsts[int(rng.integers(0, len(firsts)))]} {family}",
            relationship,
            birth,
            phones(rng, 1)[0],
            started,
        )

    def _proxy_consents(self, rng, pairs) -> None:
        ids = self.writer.allocate(Consent, len(pairs))
        when = self.now - rng.integers(10, 900, len(pairs)) * DAY
        self.writer.insert(
            Consent,
            ("id", "person_id", "scope", "status", "grantee_id", "date_time"),
            [
                (int(k), person, "carer_proxy", "active", carer, at)
                for k, (person, carer), at in zip(
                    ids, pairs, self.writer.datetimes(when), strict=True
                )
            ],
        )

    def consents(self, rng, people: People, usual_gp: np.ndarray) -> None:
        """Share-with-team consent for everyone: most agree, a few have said no."""
        n = people.size
        ids = self.writer.allocate(Consent, n)
        status = np.where(rng.random(n) < 0.975, "active", "rejected")
        when = self.now - rng.integers(1, 1100, n) * DAY
        self.writer.insert(
            Consent,
            ("id", "person_id", "scope", "status", "date_time", "recorded_by_id"),
            [
                (int(k), int(p), "share_with_team", s, at, int(gp))
                for k, p, s, at, gp in zip(
                    ids,
                    people.ids,
                    status.tolist(),
                    self.writer.datetimes(when),
                    usual_gp,
                    strict=True,
                )
            ],
        )

    def preferences(self, rng, people: People, complex_mask, palliative, ld, usual_gp) -> None:
        """Where people want to be cared for, how to contact them, interpreters, easy read."""
        rows = []
        for i in np.flatnonzero(complex_mask | palliative | ld).tolist():
            person, by = int(people.ids[i]), int(usual_gp[i])
            older = people.ages[i] >= 75
            if palliative[i] or (complex_mask[i] and older and rng.random() < 0.25):
                rows.append((person, "place_of_care", _pick(rng, PLACES_OF_CARE), by))
                if palliative[i] and rng.random() < 0.6:
                    rows.append((person, "place_of_death", _pick(rng, PLACES_OF_CARE), by))
            if complex_mask[i] and rng.random() < 0.1:
                value = COMMUNICATION[int(rng.integers(0, len(COMMUNICATION)))]
                rows.append((person, "communication", value, by))
            group = ETHNIC_GROUPS[int(people.ethnic[i])]
            if group in LANGUAGES and older and rng.random() < 0.15:
                languages = LANGUAGES[group]
                rows.append(
                    (person, "interpreter", languages[int(rng.integers(0, len(languages)))], by)
                )
            if ld[i] and rng.random() < 0.6:
                rows.append((person, "accessible_information", "Easy read letters, please", by))
        ids = self.writer.allocate(Preference, len(rows))
        when = self.writer.datetimes(self.now - rng.integers(5, 700, len(rows)) * DAY)
        self.writer.insert(
            Preference,
            ("id", "person_id", "kind", "value", "recorded_at", "recorded_by_id"),
            [(int(k), *row[:3], at, row[3]) for k, row, at in zip(ids, rows, when, strict=True)],
        )
