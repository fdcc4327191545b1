"""Contacts over the last two years: the timeline of each person's record.

Everyone gets GP and practice nurse contacts at a sample of the published consultation rate
(figures.GP_CONSULTATIONS_PER_YEAR x GP_CONTACTS_RECORDED_FRACTION), more with age and with
each long-term condition. People with complex needs also see their care team. A few "high use"
residents have 10-14 GP contacts in the last 12 months, which is itself a complex need.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from oneroof.care.models import Contact

from . import figures, texts
from .writer import BulkWriter

DAY = 86_400
_EPOCH_ORDINAL = 719163
SPAN_DAYS = 730
MODES = np.array(["face_to_face", "phone", "video", "home_visit"])
# Who a routine contact is with: the person's usual GP, any GP of the practice (the usual one
# among them), or the practice nurse. The demo's own split, set so that about 57% of people who
# have told the surgery which GP they prefer see that GP for most of their GP appointments in a
# year, as in England (docs/demo-neighbourhood.md; tests/db/test_population_demo.py measures it).
USUAL_GP_SHARE, ANY_GP_SHARE = 0.4, 0.5
HOME_PROFESSIONS = {"district_nurse", "care_worker", "palliative_care", "occupational_therapist"}


class Timeline:
    def __init__(self, writer: BulkWriter, today: date, profession_of: dict[int, str]) -> None:
        self.writer = writer
        self.today_ord = today.toordinal()
        zone = ZoneInfo(settings.TIME_ZONE)
        first = self.today_ord - SPAN_DAYS - 1
        # UTC offset of each day (clinic hours never straddle a clock change at 1-2am).
        self.first = first
        self.offsets = np.array(
            [
                datetime.combine(date.fromordinal(d), time(12), zone).utcoffset().total_seconds()
                for d in range(first, self.today_ord + 1)
            ],
            dtype=np.int64,
        )
        self.profession_of = profession_of

    def epoch(self, rng, days: np.ndarray) -> np.ndarray:
        """Seconds since the epoch (UTC) for clinic times (8:30am-5:30pm local) on `days`."""
        local = 8 * 3600 + 1800 + 600 * rng.integers(0, 54, len(days))
        return (days - _EPOCH_ORDINAL) * DAY + local - self.offsets[days - self.first]

    def routine(
        self, rng, person_ids, ages, ltcs, birth_ord, usual_gp, practice_gps, nurses, last_ord
    ):
        """GP and practice nurse contacts for a chunk (vectorised)."""
        n = len(person_ids)
        age_factor = np.select([ages < 18, ages < 65, ages < 80], [0.7, 0.8, 1.4], 1.8)
        rate = (
            figures.GP_CONSULTATIONS_PER_YEAR
            * figures.GP_CONTACTS_RECORDED_FRACTION
            * SPAN_DAYS
            / 365
            * age_factor
            * (1 + 0.25 * ltcs)
        )
        counts = np.minimum(rng.poisson(rate), 12)
        who = np.repeat(np.arange(n), counts)
        # Contacts are in the past: from yesterday back two years.
        days = self.today_ord - rng.integers(1, SPAN_DAYS + 1, len(who))
        days = np.maximum(np.minimum(days, last_ord[who]), birth_ord[who])  # alive at the time
        roll = rng.random(len(who))
        other_gp = practice_gps[who, rng.integers(0, practice_gps.shape[1], len(who))]
        professional = np.select(
            [roll < USUAL_GP_SHARE, roll < USUAL_GP_SHARE + ANY_GP_SHARE],
            [usual_gp[who], other_gp],
            nurses[who],
        )
        mode = rng.choice(3, size=len(who), p=[0.55, 0.35, 0.10])
        return self._rows(rng, person_ids[who], professional, MODES[mode], days)

    def high_use(self, rng, person_ids, usual_gp):
        """10-14 GP contacts in the last 12 months for each high-use resident."""
        counts = rng.integers(10, 15, len(person_ids))
        who = np.repeat(np.arange(len(person_ids)), counts)
        days = self.today_ord - rng.integers(1, 361, len(who))
        mode = rng.choice(3, size=len(who), p=[0.5, 0.45, 0.05])
        return self._rows(rng, person_ids[who], usual_gp[who], MODES[mode], days)

    def team(self, rng, person_id: int, birth_ord: int, members: dict[str, int], housebound: bool):
        """Contacts with the care team of one person with complex needs."""
        count = int(np.clip(rng.poisson(12), 4, 30))
        others = [p for k, p in members.items() if k not in ("gp", "coordinator")]
        choices = [members["gp"], members["coordinator"], *others]
        weights = np.array([0.3, 0.3] + [0.4 / len(others)] * len(others)) if others else None
        if weights is None:
            weights = np.array([0.5, 0.5])
        professional = np.array(choices)[rng.choice(len(choices), size=count, p=weights)]
        days = np.maximum(self.today_ord - rng.integers(1, SPAN_DAYS + 1, count), birth_ord)
        modes = []
        for pro in professional.tolist():
            profession = self.profession_of[pro]
            if housebound or (profession in HOME_PROFESSIONS and rng.random() < 0.8):
                modes.append("home_visit" if rng.random() < 0.8 else "phone")
            else:
                modes.append(str(MODES[rng.choice(3, p=[0.5, 0.4, 0.1])]))
        return self._rows(rng, np.full(count, person_id), professional, np.array(modes), days)

    def _rows(self, rng, person_ids, professionals, modes, days):
        seconds = self.epoch(rng, days)
        picks = rng.random(len(person_ids))
        rows = []
        for person, pro, mode, pick in zip(
            person_ids.tolist(),
            professionals.tolist(),
            modes.tolist(),
            picks.tolist(),
            strict=True,
        ):
            summaries = texts.CONTACT_SUMMARIES.get(self.profession_of[pro], ("Contact.",))
            rows.append((person, pro, mode, summaries[int(pick * len(summaries))]))
        return rows, seconds

    def write(self, batches) -> None:
        """Write contact batches returned by routine(), high_use() and team()."""
        rows: list = []
        seconds: list[np.ndarray] = []
        for batch_rows, batch_seconds in batches:
            rows.extend(batch_rows)
            seconds.append(np.asarray(batch_seconds, dtype=np.int64))
        if not rows:
            return
        stamps = self.writer.datetimes(np.concatenate(seconds))
        ids = self.writer.allocate(Contact, len(rows))
        self.writer.insert(
            Contact,
            ("id", "person_id", "professional_id", "mode", "occurred_at", "summary"),
            (
                (int(k), person, pro, mode, stamp, summary)
                for k, (person, pro, mode, summary), stamp in zip(ids, rows, stamps, strict=True)
            ),
        )
