"""generate_neighbourhood(): one synthetic neighbourhood, seeded and reproducible.

The whole load runs in one transaction, so a failure leaves the database as it was. Residents
are drawn and written 20,000 at a time, so memory stays flat however many there are; each chunk
has its own random stream (seed, chunk number), so the same seed on the same day gives the same
data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from oneroof.care.models import Condition, MedicationStatement
from oneroof.people.models import Address, Person

from .care import CareSampler, Pools, complex_needs
from .family import FamilySampler
from .history import create_history
from .medicines import MEDICINES
from .morbidity import MEDICINE_KEYS, MorbiditySampler
from .persona import FAMILY_NHS_NUMBERS, MEERA_NHS_NUMBER, create_patel_family
from .population import CITY, ETHNIC_GROUPS, NhsNumbers, PopulationSampler, addresses, load_lsoas
from .population import phones as phone_numbers
from .population import prefixes as titles
from .rotas import choose_usual_gps, create_rotas
from .services import create_services
from .timeline import Timeline
from .workforce import PRACTICE_FOR_DISTRICT, PRACTICES, create_workforce
from .writer import BulkWriter

DEFAULT_SEED = 12_031_944
DEFAULT_RESIDENTS = 30_000
CHUNK = 20_000
PERSONA_RESIDENTS = 4  # Meera, Raj, Priya and Arjun
HIGH_USE_SHARE = 0.004  # of adults: 10+ GP contacts in 12 months (the demo's own choice)
DAY = 86_400
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Summary:
    residents: int
    with_complex_needs: int
    rows_bulk_written: int


def generate_neighbourhood(
    *,
    residents: int = DEFAULT_RESIDENTS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    today: date | None = None,
) -> Summary:
    """Create the demo neighbourhood with `residents` residents (Mrs Patel's family included).

    progress(done, total) is called as residents are written. Runs in one transaction.
    """
    if residents < PERSONA_RESIDENTS:
        raise ValueError(f"A neighbourhood needs at least {PERSONA_RESIDENTS} residents.")
    today = today or timezone.localdate()
    with transaction.atomic():
        workforce = create_workforce()
        lsoas = load_lsoas()
        create_patel_family(workforce, lsoas, today, seed)
        run = _Run(workforce, lsoas, today, seed)
        remaining = residents - PERSONA_RESIDENTS
        done = PERSONA_RESIDENTS
        if progress:
            progress(done, residents)
        for number, start in enumerate(range(0, remaining, CHUNK), start=1):
            size = min(CHUNK, remaining - start)
            run.chunk(np.random.default_rng([seed, number]), size)
            done += size
            if progress:
                progress(done, residents)
        run.writer.finish()
        services = create_services(workforce, today=today, seed=seed)
        create_rotas(workforce, today=today, seed=seed)
        create_history(workforce, services, today=today, seed=seed)
    return Summary(residents, run.complex_count + 1, run.writer.rows_written)


class _Run:
    """Everything that stays the same from one chunk to the next."""

    def __init__(self, workforce, lsoas, today: date, seed: int) -> None:
        self.today = today
        self.today_ord = today.toordinal()
        self.now = int(timezone.make_aware(datetime.combine(today, time(0))).timestamp())
        self.lsoas = lsoas
        self.writer = BulkWriter(connection)
        practices = workforce.practice_ids()
        self.practice_ids = np.array(practices)
        practice_of_lsoa = np.array(
            [PRACTICES.index(PRACTICE_FOR_DISTRICT[lsoa.district]) for lsoa in lsoas]
        )
        self.people = PopulationSampler(today, lsoas, practice_of_lsoa)
        self.morbidity = MorbiditySampler(self.today_ord)
        self.nhs = NhsNumbers(
            seed, exclude=frozenset(FAMILY_NHS_NUMBERS.values()) | {MEERA_NHS_NUMBER}
        )
        staff = workforce.professionals
        by_profession = {
            profession: np.array(ids) for profession, ids in workforce.by_profession.items()
        }
        self.gps = np.array([workforce.gps_by_practice[pk] for pk in practices])
        self.nurses = np.array(
            [
                next(
                    p.pk
                    for p in staff
                    if p.profession == "practice_nurse" and p.organisation_id == pk
                )
                for pk in practices
            ]
        )
        self.pools = Pools(by_profession, self.gps)
        self.care = CareSampler(self.writer, self.pools, self.today_ord, self.now)
        self.family = FamilySampler(self.writer, self.today_ord, self.now)
        self.timeline = Timeline(self.writer, today, {p.pk: p.profession for p in staff})
        self.complex_count = 0
        self.chosen_at = self.writer.datetimes(np.array([self.now - 90 * DAY]))[0]

    def chunk(self, rng: np.random.Generator, size: int) -> None:
        w = self.writer
        people = self.people.sample(rng, w.allocate(Person, size))
        health = self.morbidity.sample(rng, people)
        self._write_people(rng, people, health.died_on)
        alive = health.died_on == 0
        usual_gp = self.gps[people.practice, rng.integers(0, self.gps.shape[1], size)]
        choose_usual_gps(w, rng, people.ids, usual_gp, alive, self.chosen_at)
        self._write_conditions(rng, people, health, usual_gp)
        self._write_medicines(rng, people, health)
        high_use = alive & (people.ages >= 18) & (rng.random(size) < HIGH_USE_SHARE)
        is_complex = complex_needs(health, high_use) & alive
        who = np.flatnonzero(is_complex)
        self.complex_count += len(who)
        rows, teams = self.care.build(rng, people, health, who, usual_gp)
        self.care.write(rng, people, rows)
        self.family.carers(rng, people, is_complex, health.mental_conditions > 0)
        self.family.consents(rng, people, usual_gp)
        self.family.preferences(
            rng, people, is_complex, health.has["palliative"], health.has["ld"], usual_gp
        )
        batches = [
            self.timeline.routine(
                rng,
                people.ids,
                people.ages,
                health.physical_ltcs,
                people.birth_ord,
                usual_gp,
                self.gps[people.practice],
                self.nurses[people.practice],
                last_ord=np.where(alive, self.today_ord, health.died_on - 1),
            )
        ]
        heavy = np.flatnonzero(high_use)
        batches.append(self.timeline.high_use(rng, people.ids[heavy], usual_gp[heavy]))
        housebound = health.housebound
        for i, members in teams.items():
            batches.append(
                self.timeline.team(
                    rng, int(people.ids[i]), int(people.birth_ord[i]), members, bool(housebound[i])
                )
            )
        self.timeline.write(batches)

    def _write_people(self, rng, people, died_on) -> None:
        w = self.writer
        n = people.size
        # Deaths at noon (UTC) on the day: the snapshot reads the local date of deceased_at.
        deceased = w.datetimes((died_on - _EPOCH_ORDINAL) * DAY + DAY // 2)
        deceased = [d if day else None for d, day in zip(deceased, died_on.tolist(), strict=True)]
        adults = people.ages >= 18
        phone = np.where(adults, np.array(phone_numbers(rng, n), dtype=object), "")
        person_rows = zip(
            people.ids.tolist(),
            w.uuids(rng.bytes(16 * n), n),
            self.nhs.take(n),
            titles(rng, people),
            people.given,
            people.family,
            w.dates(people.birth_ord),
            np.where(people.male, "male", "female").tolist(),
            np.array(ETHNIC_GROUPS)[people.ethnic].tolist(),
            phone.tolist(),
            self.practice_ids[people.practice].tolist(),
            people.lives_alone.tolist(),
            deceased,
            strict=True,
        )
        w.insert(
            Person,
            (
                "id",
                "public_id",
                "nhs_number",
                "prefix",
                "given_name",
                "family_name",
                "birth_date",
                "gender",
                "ethnic_group",
                "phone",
                "email",
                "general_practice_id",
                "lives_alone",
                "deceased_at",
            ),
            (
                (k, u, nhs, pre, g, f, b, sex, eth, ph, "", gp, alone, dead)
                for k, u, nhs, pre, g, f, b, sex, eth, ph, gp, alone, dead in person_rows
            ),
        )
        lines, postcodes = addresses(rng, people, self.lsoas)
        moved_in = np.maximum(people.birth_ord, self.today_ord - rng.integers(30, 25 * 365, n))
        codes = [lsoa.code for lsoa in self.lsoas]
        w.insert(
            Address,
            (
                "id",
                "person_id",
                "line",
                "city",
                "postal_code",
                "lsoa_code",
                "imd_decile",
                "period_start",
            ),
            zip(
                w.allocate(Address, n).tolist(),
                people.ids.tolist(),
                lines,
                [CITY] * n,
                postcodes,
                [codes[i] for i in people.lsoa.tolist()],
                people.decile.tolist(),
                w.dates(moved_in),
                strict=True,
            ),
        )

    def _write_conditions(self, rng, people, health, usual_gp) -> None:
        w = self.writer
        rows = list(self.morbidity.condition_rows(rng, people, health, usual_gp))
        # Nothing is recorded for someone after their death.
        person = np.searchsorted(people.ids, np.array([r[0] for r in rows], dtype=np.int64))
        last = np.where(health.died_on > 0, health.died_on, self.today_ord)[person]
        onset = np.minimum(np.array([r[4] for r in rows], dtype=np.int64), last)
        recorded = np.minimum(onset + rng.integers(0, 30, len(rows)), last)
        w.insert(
            Condition,
            (
                "id",
                "person_id",
                "code",
                "display",
                "category",
                "clinical_status",
                "onset_date",
                "recorded_date",
                "recorder_id",
            ),
            (
                (k, p, c, d, cat, status, o, r, by)
                for k, (p, c, d, cat, _o, by, status), o, r in zip(
                    w.allocate(Condition, len(rows)).tolist(),
                    rows,
                    w.dates(onset),
                    w.dates(recorded),
                    strict=True,
                )
            ),
        )

    def _write_medicines(self, rng, people, health) -> None:
        w = self.writer
        person, column = np.nonzero(health.medicines)
        died = health.died_on[person]
        last = np.where(died > 0, died, self.today_ord)
        started = np.minimum(
            np.maximum(
                people.birth_ord[person], self.today_ord - rng.integers(30, 8 * 365, len(person))
            ),
            last,
        )
        # Someone who has died takes nothing now: their medicines stopped on the day.
        status = np.where(died > 0, "stopped", "active").tolist()
        ended = [d if day else None for d, day in zip(w.dates(last), died.tolist(), strict=True)]
        meds = [MEDICINES[key] for key in MEDICINE_KEYS]
        w.insert(
            MedicationStatement,
            (
                "id",
                "person_id",
                "code",
                "display",
                "dosage",
                "status",
                "effective_start",
                "effective_end",
            ),
            (
                (k, int(people.ids[i]), meds[c].code, meds[c].display, meds[c].dosage, st, s, e)
                for k, i, c, st, s, e in zip(
                    w.allocate(MedicationStatement, len(person)).tolist(),
                    person.tolist(),
                    column.tolist(),
                    status,
                    w.dates(started),
                    ended,
                    strict=True,
                )
            ),
        )
