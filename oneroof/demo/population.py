"""Residents: who they are and where they live, drawn a chunk at a time with numpy.

The LSOA is drawn in proportion to its real population (IoD2019 File 6), and age from that
LSOA's own age structure: File 6's shares aged 0-15, 16-59 and 60+ for the LSOA, spread over
single years within each band as England's Census 2021 age structure spreads them. Sex follows
each band's sex ratio, ethnic group the Census 2021 shares; the registered practice is usually
the nearest one.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from . import figures, names
from .prevalence import england_age_distribution

_EPOCH_ORDINAL = 719163
ETHNIC_GROUPS = tuple(figures.ETHNIC_GROUP_SHARES)
LSOA_FILE = Path(__file__).parent / "data" / "lsoas.csv"
CITY = "Stockton-on-Tees"


@dataclass(frozen=True)
class Lsoa:
    code: str
    name: str
    imd_rank: int
    imd_decile: int
    population: int
    district: str
    aged: tuple[int, int, int]  # mid-2015 population aged 0-15, 16-59 and 60+ (File 6)


def load_lsoas() -> list[Lsoa]:
    """The neighbourhood's LSOAs, from data/lsoas.csv (comment lines start with #)."""
    with LSOA_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        Lsoa(
            code=row["lsoa_code"],
            name=row["lsoa_name"],
            imd_rank=int(row["imd_rank"]),
            imd_decile=int(row["imd_decile"]),
            population=int(row["population_mid2015"]),
            district=row["postcode_district"],
            aged=(int(row["aged_0_15"]), int(row["aged_16_59"]), int(row["aged_60_plus"])),
        )
        for row in csv.DictReader(lines)
    ]


BROAD_BANDS = ((0, 16), (16, 60), (60, figures.OLDEST_AGE))  # File 6's age bands


def lsoa_age_distributions(lsoas: list[Lsoa]) -> np.ndarray:
    """Share of each LSOA's residents at each single year of age (one row per LSOA)."""
    england = england_age_distribution()
    rows = []
    for lsoa in lsoas:
        dist = np.zeros_like(england)
        total = sum(lsoa.aged)
        for (low, high), count in zip(BROAD_BANDS, lsoa.aged, strict=True):
            within = england[low:high]
            dist[low:high] = within / within.sum() * count / total
        rows.append(dist)
    return np.array(rows)


def split_dates(ordinals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day arrays from date ordinals."""
    days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    return years, months, day


def ages_on(today: date, birth_ordinals: np.ndarray) -> np.ndarray:
    """Exact age in whole years on `today` (as Person.age_on computes it)."""
    years, months, days = split_dates(birth_ordinals)
    before_birthday = (months > today.month) | ((months == today.month) & (days > today.day))
    return today.year - years - before_birthday.astype(int)


class NhsNumbers:
    """Unique, valid NHS numbers in the ranges beginning 9 that are never issued to patients.

    The 999 range (reserved for testing) comes first: a seeded permutation of its 10^6 serials,
    skipping those whose modulus 11 check digit would be 10. It holds about 909,000 valid
    numbers; past that the 998 range follows, then 997. Numbers already given to someone
    (the story persona's family) are excluded.
    """

    BLOCK = 1_000_000
    STEP = 7_919  # coprime with 10^6, so serial = (STEP * i + offset) % 10^6 is a permutation

    def __init__(self, seed: int, exclude: frozenset[str] = frozenset()) -> None:
        self.offset = seed % self.BLOCK
        self.cursor = 0
        self.exclude = np.array(sorted(int(v) for v in exclude), dtype=np.int64)

    def take(self, count: int) -> list[str]:
        found: list[np.ndarray] = []
        needed = count
        while needed > 0:
            index = np.arange(self.cursor, self.cursor + int(needed * 1.15) + 16, dtype=np.int64)
            block = 999 - index // self.BLOCK
            serial = (self.STEP * (index % self.BLOCK) + self.offset) % self.BLOCK
            body = block * self.BLOCK + serial  # the first nine digits
            check = _check_digits(body)
            valid = (check < 10) & ~np.isin(body * 10 + check, self.exclude)
            good = (body * 10 + check)[valid][:needed]
            # Advance past the last index used, so no serial is ever handed out twice.
            used = np.flatnonzero(valid)[: len(good)]
            self.cursor = int(index[used[-1]]) + 1 if len(used) else int(index[-1]) + 1
            found.append(good)
            needed -= len(good)
        return [str(v) for v in np.concatenate(found).tolist()]


def _check_digits(body: np.ndarray) -> np.ndarray:
    """Modulus 11 check digits for nine-digit bodies (10 means the body cannot be used)."""
    total = np.zeros_like(body)
    rest = body.copy()
    for weight in range(2, 11):  # the last digit has weight 2, the first weight 10
        total += (rest % 10) * weight
        rest //= 10
    check = 11 - total % 11
    return np.where(check == 11, 0, check)


@dataclass
class People:
    """One chunk of residents, as parallel arrays."""

    ids: np.ndarray
    birth_ord: np.ndarray
    ages: np.ndarray
    male: np.ndarray
    ethnic: np.ndarray  # index into ETHNIC_GROUPS
    lsoa: np.ndarray  # index into the LSOA list
    decile: np.ndarray
    practice: np.ndarray  # index into the practice list
    lives_alone: np.ndarray
    given: list[str]
    family: list[str]

    @property
    def size(self) -> int:
        return len(self.ids)


class PopulationSampler:
    """Draws residents for the neighbourhood."""

    def __init__(self, today: date, lsoas: list[Lsoa], practice_of_lsoa: np.ndarray) -> None:
        self.today = today
        self.lsoas = lsoas
        weights = np.array([lsoa.population for lsoa in lsoas], dtype=float)
        self.lsoa_p = weights / weights.sum()
        self.lsoa_decile = np.array([lsoa.imd_decile for lsoa in lsoas])
        self.practice_of_lsoa = practice_of_lsoa
        self.age_p = england_age_distribution()
        self.age_cdf = np.cumsum(lsoa_age_distributions(lsoas), axis=1)
        self.female_by_age = np.array(
            [figures.FEMALE_SHARE_BY_BAND[min(a // 5 * 5, 90)] for a in range(len(self.age_p))]
        )
        alone = np.zeros(len(self.age_p))
        for lower, share in figures.LIVES_ALONE_BY_AGE:
            alone[lower:] = share
        self.alone_by_age = alone
        self.ethnic_p = np.array(list(figures.ETHNIC_GROUP_SHARES.values()))

    def sample(self, rng: np.random.Generator, ids: np.ndarray) -> People:
        n = len(ids)
        today_ord = self.today.toordinal()
        lsoa = rng.choice(len(self.lsoas), size=n, p=self.lsoa_p)
        u = rng.random(n)
        drawn_age = np.zeros(n, dtype=np.int64)
        for index, cdf in enumerate(self.age_cdf):
            here = np.flatnonzero(lsoa == index)
            drawn_age[here] = np.searchsorted(cdf, u[here] * cdf[-1], side="right")
        drawn_age = drawn_age.clip(0, len(self.age_p) - 1)
        birth_ord = today_ord - np.floor((drawn_age + rng.random(n)) * 365.2425).astype(np.int64)
        ages = ages_on(self.today, birth_ord)
        male = rng.random(n) >= self.female_by_age[np.minimum(ages, len(self.age_p) - 1)]
        ethnic = rng.choice(len(ETHNIC_GROUPS), size=n, p=self.ethnic_p)
        # Most people are registered with the practice nearest home; some with another.
        nearest = self.practice_of_lsoa[lsoa]
        other = (nearest + rng.integers(1, 3, size=n)) % 3
        practice = np.where(rng.random(n) < 0.75, nearest, other)
        lives_alone = rng.random(n) < self.alone_by_age[np.minimum(ages, len(self.age_p) - 1)]
        given, family = self._names(rng, male, ethnic)
        return People(
            ids=ids,
            birth_ord=birth_ord,
            ages=ages,
            male=male,
            ethnic=ethnic,
            lsoa=lsoa,
            decile=self.lsoa_decile[lsoa],
            practice=practice,
            lives_alone=lives_alone,
            given=given,
            family=family,
        )

    @staticmethod
    def _names(rng, male: np.ndarray, ethnic: np.ndarray) -> tuple[list[str], list[str]]:
        n = len(male)
        given = np.empty(n, dtype=object)
        family = np.empty(n, dtype=object)
        for index, group in enumerate(ETHNIC_GROUPS):
            in_group = ethnic == index
            surnames = np.array(names.FAMILY_NAMES[group], dtype=object)
            family[in_group] = surnames[rng.integers(0, len(surnames), in_group.sum())]
            for sex, is_male in (("male", True), ("female", False)):
                mask = in_group & (male == is_male)
                firsts = np.array(names.FIRST_NAMES[group][sex], dtype=object)
                given[mask] = firsts[rng.integers(0, len(firsts), mask.sum())]
        return given.tolist(), family.tolist()


def prefixes(rng, people: People) -> list[str]:
    """Title as people give it: Mr, Mrs, Ms or Miss for adults; none for children."""
    n = people.size
    roll = rng.random(n)
    female_title = np.where(
        people.ages >= 30,
        np.where(roll < 0.65, "Mrs", "Ms"),
        np.where(roll < 0.5, "Miss", "Ms"),
    )
    title = np.where(people.male, "Mr", female_title)
    return np.where(people.ages >= 18, title, "").tolist()


def phones(rng, count: int) -> list[str]:
    """Mobile numbers in Ofcom's range reserved for drama (07700 900000-900999): never real."""
    return [f"07700 900{v:03d}" for v in rng.integers(0, 1000, count).tolist()]


def addresses(rng, people: People, lsoas: list[Lsoa]) -> tuple[list[str], list[str]]:
    """Street address lines and postcodes; each LSOA has its own few streets and sector."""
    n = people.size
    street_count = len(names.STREETS)
    # Each LSOA gets eight streets of its own, so neighbours share a street.
    street = (people.lsoa * 8 + rng.integers(0, 8, n)) % street_count
    number = rng.integers(1, 180, n)
    streets = np.array(names.STREETS, dtype=object)[street]
    lines = [f"{num} {name}" for num, name in zip(number.tolist(), streets.tolist(), strict=True)]
    districts = np.array([lsoa.district for lsoa in lsoas], dtype=object)[people.lsoa]
    sector = 1 + people.lsoa % 9
    letters = names.POSTCODE_LETTERS
    first = rng.integers(0, len(letters), n)
    second = rng.integers(0, len(letters), n)
    postcodes = [
        f"{d} {s}{letters[a]}{letters[b]}"
        for d, s, a, b in zip(
            districts.tolist(), sector.tolist(), first.tolist(), second.tolist(), strict=True
        )
    ]
    return lines, postcodes
