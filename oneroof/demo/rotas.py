"""Rotas, slots and appointments for the demo neighbourhood, bulk-written.

- Four weeks of sessions from today for everyone in the team who sees people: the practices'
  GPs, nurses and pharmacist at their own surgery in its hours (8am to 6:30pm, Monday to
  Friday), the practice GPs' evening and Saturday sessions at the health centre, and every other
  profession at the centre, 8am to 8pm, Monday to Saturday, in early and late shifts. District
  nurses, care workers, palliative care nurses and occupational therapists visit at home.
  No sessions on Sundays or bank holidays. Slots are cut from the sessions. The centre
  sessions of physiotherapists, mental health, optometry, district nursing, social work and
  occupational therapy are their service's clinic (CLINICS), where accepted referrals are booked.
- Most slots of the first two days are booked, fewer after, as a surgery's diary fills.
- Two years of past GP appointments, seen, one for each GP contact on the timeline of a sample
  of residents (and of Mrs Patel), so the continuity indices have something to measure.
- Mrs Patel has chosen Dr Tom Hughes (the demo user `gp`)
  and has an appointment booked with him.
- A few same-day requests made after the surgery closed yesterday: unmet, on the hub worklist.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import F, Q

from oneroof.access.models import (
    AccessRequest,
    Appointment,
    RotaSession,
    Slot,
    UsualGpChoice,
)
from oneroof.access.opening import bank_holidays
from oneroof.care.models import Contact
from oneroof.people.models import Person
from oneroof.workforce.models import Service, Site

from .persona import MEERA_NHS_NUMBER
from .services import SPECS
from .workforce import PRACTICES, Workforce
from .writer import BulkWriter

DAYS = 28
PAST_DAYS = 730
PAST_SAMPLE_MODULUS = 4  # residents whose id is a multiple of 4 have their GP contacts booked
CHOICE_SHARE = 0.05  # of that sample, who have told the surgery which GP they want to see
BOOKED_SOON, BOOKED_LATER = 0.75, 0.45  # share of practice slots booked: first 2 days, after
BOOKED_CENTRE = 0.5
UNMET_LAST_NIGHT = 3


@dataclass(frozen=True)
class Block:
    start: time
    end: time
    mode: str
    minutes: int


def _blocks(*rows) -> tuple[Block, ...]:
    return tuple(Block(time(*a), time(*b), mode, minutes) for a, b, mode, minutes in rows)


PRACTICE_DAY = {
    "gp": _blocks(
        ((8, 0), (12, 0), "face_to_face", 10),
        ((13, 30), (15, 30), "phone", 10),
        ((15, 30), (18, 30), "face_to_face", 10),
    ),
    "practice_nurse": _blocks(
        ((8, 30), (12, 30), "face_to_face", 15), ((13, 30), (17, 30), "face_to_face", 15)
    ),
    "pharmacist": _blocks(((9, 0), (12, 0), "phone", 15)),
}
GP_EVENING = _blocks(((18, 30), (20, 0), "video", 10))  # at the centre, Monday to Friday
GP_SATURDAY = _blocks(((8, 0), (13, 0), "face_to_face", 10))
# At the centre: the mode and length of each profession's appointments.
CENTRE_WORK = {
    "district_nurse": ("home_visit", 30),
    "care_worker": ("home_visit", 30),
    "palliative_care": ("home_visit", 45),
    "occupational_therapist": ("home_visit", 45),
    "physiotherapist": ("face_to_face", 30),
    "social_worker": ("face_to_face", 45),
    "mental_health": ("face_to_face", 50),
    "link_worker": ("face_to_face", 30),
    "health_visitor": ("face_to_face", 30),
    "pharmacist": ("phone", 15),
    "optometrist": ("face_to_face", 20),
}
SHIFTS = ((time(8, 0), time(14, 0)), (time(14, 0), time(20, 0)))
# The service (a key in services.SPECS) whose clinic a profession's centre sessions are: where
# that service's triagers book the referrals they accept.
CLINICS = {
    "physiotherapist": "msk",
    "mental_health": "talking",
    "optometrist": "eye",
    "district_nurse": "district_nursing",
    "social_worker": "social_care",
    "occupational_therapist": "falls",
}


@dataclass
class _Rota:
    """Sessions being built, one entry each, and then which session each slot is in."""

    sessions: list[tuple] = field(default_factory=list)
    session_starts: list[int] = field(default_factory=list)  # UTC epoch of the first slot
    session_counts: list[int] = field(default_factory=list)  # slots in the session
    session_minutes: list[int] = field(default_factory=list)
    session_modes: list[str] = field(default_factory=list)
    session_pros: list[int] = field(default_factory=list)
    session_sites: list[int] = field(default_factory=list)
    session_is_practice: list[bool] = field(default_factory=list)
    slot_owner: np.ndarray | None = None  # for each slot, the index of its session


def create_rotas(workforce: Workforce, *, today: date, seed: int) -> int:
    """Write the demo's rotas, slots and appointments; return the number of rows written."""
    rng = np.random.default_rng([seed, 3])
    writer = BulkWriter(connection)
    zone = ZoneInfo(settings.TIME_ZONE)
    sites = _sites(workforce)
    rota = _plan(workforce, sites, today, zone)
    midnight = int(datetime.combine(today, time(0), zone).timestamp())
    slot_ids, starts, _ = _write_sessions_and_slots(writer, rota, midnight)
    people = _people_by_practice(workforce)
    meera, tom = _meera_and_tom(workforce)
    meera_slot = _meera_slot(rota, slot_ids, starts, tom.pk, today, zone)
    _book_future(writer, rng, rota, slot_ids, starts, people, meera, meera_slot, workforce)
    _book_past(writer, rng, workforce, sites, today, zone, meera)
    _choose_usual_gps(writer, rng, workforce, people, meera, tom, midnight)
    _unmet_last_night(writer, rng, workforce, people, meera, today, zone)
    writer.finish()
    return writer.rows_written


def _sites(workforce: Workforce) -> dict[str, int]:
    """Site id by organisation key, and "centre" for the health centre."""
    by_org = {s.organisation_id: s.pk for s in Site.objects.filter(is_health_centre=False)}
    result = {key: by_org[workforce.organisations[key].pk] for key in PRACTICES}
    result["centre"] = Site.objects.filter(is_health_centre=True).order_by("pk").first().pk
    return result


def _open_days(today: date, *, saturdays: bool) -> list[date]:
    closed = bank_holidays(today.year) | bank_holidays(today.year + 1)
    last_weekday = 5 if saturdays else 4
    days = (today + timedelta(days=n) for n in range(DAYS))
    return [d for d in days if d.weekday() <= last_weekday and d not in closed]


def _plan(workforce: Workforce, sites: dict[str, int], today: date, zone) -> _Rota:
    rota = _Rota()
    practice_key = {workforce.organisations[key].pk: key for key in PRACTICES}
    weekdays, six_days = _open_days(today, saturdays=False), _open_days(today, saturdays=True)
    gps = [p for p in workforce.professionals if p.profession == "gp"]
    names = {spec.key: spec.name for spec in SPECS}
    service_ids = dict(Service.objects.values_list("name", "pk"))
    clinics = {job: service_ids.get(names[key]) for job, key in CLINICS.items()}
    for index, pro in enumerate(workforce.professionals):
        key = practice_key.get(pro.organisation_id)
        if key is not None and pro.profession in PRACTICE_DAY:
            for day in weekdays:
                if pro.profession == "gp" and day.weekday() == index % 5:
                    continue  # each GP has a weekday off
                for block in PRACTICE_DAY[pro.profession]:
                    _session(rota, pro.pk, sites[key], day, block, zone, practice=True)
        elif key is None and pro.profession in CENTRE_WORK:
            mode, minutes = CENTRE_WORK[pro.profession]
            for day in six_days:
                if day.weekday() == index % 6:
                    continue  # five days out of six
                start, end = SHIFTS[(day.isocalendar().week + index) % 2]
                block = Block(start, end, mode, minutes)
                service = clinics.get(pro.profession)
                _session(rota, pro.pk, sites["centre"], day, block, zone, service=service)
    # The practice GPs take turns at the centre's evening and Saturday sessions.
    for number, day in enumerate(six_days):
        blocks, count = (GP_SATURDAY, 2) if day.weekday() == 5 else (GP_EVENING, 1)
        for turn in range(count):
            gp = gps[(number * 2 + turn) % len(gps)]
            for block in blocks:
                _session(rota, gp.pk, sites["centre"], day, block, zone, practice=True)
    return rota


def _session(rota, pro, site, day, block: Block, zone, practice=False, service=None) -> None:
    start = datetime.combine(day, block.start, zone)
    span = datetime.combine(day, block.end) - datetime.combine(day, block.start)
    rota.sessions.append(
        (
            pro,
            site,
            service,
            day.isoformat(),
            block.start.isoformat(),
            block.end.isoformat(),
            block.mode,
        )
    )
    rota.session_minutes.append(block.minutes)
    rota.session_starts.append(int(start.timestamp()))
    rota.session_counts.append(int(span.total_seconds() // 60 // block.minutes))
    rota.session_modes.append(block.mode)
    rota.session_pros.append(pro)
    rota.session_sites.append(site)
    rota.session_is_practice.append(practice)


def _write_sessions_and_slots(writer: BulkWriter, rota: _Rota, midnight: int):
    n = len(rota.sessions)
    session_ids = writer.allocate(RotaSession, n)
    made = writer.datetimes(np.array([midnight]))[0]
    writer.insert(
        RotaSession,
        (
            "id",
            "professional_id",
            "site_id",
            "service_id",
            "date",
            "start",
            "end",
            "mode",
            "slot_minutes",
            "slots_generated_at",
        ),
        (
            (int(k), *row, m, made)
            for k, row, m in zip(session_ids, rota.sessions, rota.session_minutes, strict=True)
        ),
    )
    counts = np.array(rota.session_counts)
    owner = np.repeat(np.arange(n), counts)  # the session of each slot
    first = np.cumsum(counts) - counts
    within = np.arange(owner.size) - first[owner]
    minutes = np.array(rota.session_minutes)[owner]
    starts = np.array(rota.session_starts)[owner] + within * minutes * 60
    slot_ids = writer.allocate(Slot, owner.size)
    begin, finish = writer.datetimes(starts), writer.datetimes(starts + minutes * 60)
    pros, sites, modes = (np.array(x)[owner].tolist() for x in (
        rota.session_pros, rota.session_sites, rota.session_modes
    ))  # fmt: skip
    writer.insert(
        Slot,
        ("id", "session_id", "professional_id", "site_id", "start", "end", "mode"),
        zip(
            slot_ids.tolist(),
            session_ids[owner].tolist(),
            pros,
            sites,
            begin,
            finish,
            modes,
            strict=True,
        ),
    )
    rota.slot_owner = owner
    return slot_ids, starts, minutes


def _people_by_practice(workforce: Workforce) -> dict[int, np.ndarray]:
    rows = np.array(
        list(
            Person.objects.filter(
                general_practice__isnull=False, deceased_at__isnull=True
            ).values_list("pk", "general_practice_id")
        ),
        dtype=np.int64,
    )
    return {
        workforce.organisations[key].pk: rows[rows[:, 1] == workforce.organisations[key].pk, 0]
        for key in PRACTICES
    }


def _meera_and_tom(workforce: Workforce):
    return Person.objects.get(nhs_number=MEERA_NHS_NUMBER), workforce.by_name[("Tom", "Hughes")]


def _meera_slot(rota, slot_ids, starts, tom_id: int, today: date, zone) -> int | None:
    """Dr Hughes's first slot from 10am on the next working day, for Mrs Patel."""
    after = int(datetime.combine(today + timedelta(days=1), time(10), zone).timestamp())
    pros = np.array(rota.session_pros)[rota.slot_owner]
    mine = np.flatnonzero((pros == tom_id) & (starts >= after))
    return int(mine[np.argmin(starts[mine])]) if mine.size else None


def _book_future(writer, rng, rota, slot_ids, starts, people, meera, meera_slot, workforce):
    owner = rota.slot_owner
    practice_slot = np.array(rota.session_is_practice)[owner]
    pros = np.array(rota.session_pros)[owner]
    practice_of = {p.pk: p.organisation_id for p in workforce.professionals}
    first_two_days = starts < starts.min() + 2 * 86_400
    share = np.where(
        practice_slot, np.where(first_two_days, BOOKED_SOON, BOOKED_LATER), BOOKED_CENTRE
    )
    booked = rng.random(owner.size) < share
    if meera_slot is not None:
        booked[meera_slot] = False
    chosen = np.flatnonzero(booked)
    # Mrs Patel's diary is the story's: one appointment, with her GP.
    people = {practice: members[members != meera.pk] for practice, members in people.items()}
    everyone = np.concatenate(list(people.values()))
    person = rng.choice(everyone, chosen.size)
    for practice, members in people.items():
        # A practice's own slots go to its own patients.
        mine = practice_slot[chosen] & (
            np.array([practice_of[p] for p in pros[chosen].tolist()]) == practice
        )
        person[mine] = rng.choice(members, int(mine.sum()))
    persons = person.tolist()
    slots = slot_ids[chosen].tolist()
    if meera_slot is not None:
        persons.append(meera.pk)
        slots.append(int(slot_ids[meera_slot]))
    receptionist = {
        p.organisation_id: p.user_id
        for p in workforce.professionals
        if p.profession == "receptionist"
    }
    booked_by = [
        receptionist.get(practice_of[p], workforce.by_name[("Grace", "Okafor")].user_id)
        for p in pros[chosen].tolist()
    ]
    slot_pros = pros[chosen].tolist()
    if meera_slot is not None:
        booked_by.append(receptionist[meera.general_practice_id])
        slot_pros.append(int(pros[meera_slot]))
    _write_appointments(
        writer,
        rng,
        slots,
        persons,
        booked_by,
        "booked",
        created=starts.min(),
        bases=_bases(workforce, slot_pros, booked_by),
    )


def _bases(workforce: Workforce, pros, booked_by) -> list[str]:
    """Each appointment's relationship basis, as the booking rule would decide it: "own_team"
    when a colleague of the professional's own organisation booked it (the person phoned),
    "none" otherwise (ADR 0014)."""
    pro_org = {p.pk: (p.organisation_id, p.user_id) for p in workforce.professionals}
    user_org = {p.user_id: p.organisation_id for p in workforce.professionals}
    return [
        "own_team" if user_org.get(by) == pro_org[pro][0] and by != pro_org[pro][1] else "none"
        for pro, by in zip(pros, booked_by, strict=True)
    ]


def _write_appointments(
    writer, rng, slots, persons, booked_by, status, *, created, bases, changed=None
):
    n = len(slots)
    ids = writer.allocate(Appointment, n)
    created_at = writer.datetimes(np.asarray(created) - 86_400 * rng.integers(1, 21, n))
    changed_at = writer.datetimes(np.asarray(changed)) if changed is not None else [None] * n
    writer.insert(
        Appointment,
        (
            "id",
            "public_id",
            "slot_id",
            "person_id",
            "status",
            "channel",
            "booked_by_id",
            "created_at",
            "status_changed_at",
            "cancellation_reason",
            "address",
            "relationship_basis",
        ),
        zip(
            ids.tolist(),
            writer.uuids(rng.bytes(16 * n), n),
            slots,
            persons,
            [status] * n,
            ["reception"] * n,
            booked_by,
            created_at,
            changed_at,
            [""] * n,
            [""] * n,
            bases,
            strict=True,
        ),
    )


def _book_past(writer, rng, workforce, sites, today: date, zone, meera) -> None:
    """A seen appointment for each GP contact of the sample in the last two years."""
    midnight = datetime.combine(today, time(0), zone)
    contacts = (
        Contact.objects.filter(
            professional__profession="gp",
            occurred_at__gte=midnight - timedelta(days=PAST_DAYS),
            occurred_at__lt=midnight,
        )
        .annotate(sample=F("person_id") % PAST_SAMPLE_MODULUS)
        .filter(Q(sample=0) | Q(person=meera))
        .order_by("occurred_at", "pk")
        .values_list("person_id", "professional_id", "occurred_at", "mode")
    )
    seen: set[tuple[int, int]] = set()
    rows = []
    for person, pro, at, mode in contacts:
        start = int(at.timestamp())
        if (pro, start) not in seen:  # one slot per GP per start time
            seen.add((pro, start))
            rows.append((person, pro, start, mode))
    if not rows:
        return
    site_of = {
        p.pk: sites.get(_practice_key(workforce, p.organisation_id), sites["centre"])
        for p in workforce.professionals
    }
    persons, pros, starts, modes = (list(column) for column in zip(*rows, strict=True))
    starts = np.array(starts, dtype=np.int64)
    slot_ids = writer.allocate(Slot, len(rows))
    writer.insert(
        Slot,
        ("id", "professional_id", "site_id", "start", "end", "mode"),
        zip(
            slot_ids.tolist(),
            pros,
            [site_of[p] for p in pros],
            writer.datetimes(starts),
            writer.datetimes(starts + 600),
            modes,
            strict=True,
        ),
    )
    by = {p.pk: p.user_id for p in workforce.professionals}
    booked_by = [by[p] for p in pros]
    _write_appointments(
        writer,
        rng,
        slot_ids.tolist(),
        persons,
        booked_by,
        "fulfilled",
        created=starts,
        changed=starts + 600,
        bases=_bases(workforce, pros, booked_by),
    )


def _practice_key(workforce: Workforce, organisation_id: int) -> str | None:
    for key in PRACTICES:
        if workforce.organisations[key].pk == organisation_id:
            return key
    return None


def _choose_usual_gps(writer, rng, workforce, people, meera, tom, midnight: int) -> None:
    """Mrs Patel has chosen Dr Hughes (other residents' choices are written with them, by the
    generator, as the GP their routine contacts favour: see choose_usual_gps)."""
    ids = writer.allocate(UsualGpChoice, 1)
    chosen_at = writer.datetimes(np.array([midnight - 86_400 * 90]))
    writer.insert(
        UsualGpChoice,
        ("id", "person_id", "professional_id", "chosen_at"),
        [(int(ids[0]), meera.pk, tom.pk, chosen_at[0])],
    )


def choose_usual_gps(writer, rng, person_ids, usual_gp, alive, chosen_at: str) -> None:
    """Some of the residents whose past GP contacts are booked (PAST_SAMPLE_MODULUS) have told
    the surgery which GP they prefer: their usual GP, the one their routine contacts favour."""
    chooses = (person_ids % PAST_SAMPLE_MODULUS == 0) & alive
    chooses &= rng.random(len(person_ids)) < CHOICE_SHARE
    who = np.flatnonzero(chooses)
    ids = writer.allocate(UsualGpChoice, len(who))
    writer.insert(
        UsualGpChoice,
        ("id", "person_id", "professional_id", "chosen_at"),
        zip(
            ids.tolist(),
            person_ids[who].tolist(),
            usual_gp[who].tolist(),
            [chosen_at] * len(who),
            strict=True,
        ),
    )


def _unmet_last_night(writer, rng, workforce, people, meera, today: date, zone) -> None:
    """Same-day requests made after the surgery and the neighbourhood centre (open until 8pm)
    closed yesterday: no same-day option left."""
    practice = workforce.organisations[PRACTICES[0]]
    members = people[practice.pk]
    who = rng.choice(members[members != meera.pk], UNMET_LAST_NIGHT, replace=False)
    asked = datetime.combine(today - timedelta(days=1), time(20, 5), zone)
    receptionist = next(
        p for p in workforce.professionals
        if p.profession == "receptionist" and p.organisation_id == practice.pk
    )  # fmt: skip
    ids = writer.allocate(AccessRequest, UNMET_LAST_NIGHT)
    at = writer.datetimes(np.array([int(asked.timestamp()) + 60 * i for i in range(len(who))]))
    writer.insert(
        AccessRequest,
        (
            "id",
            "public_id",
            "person_id",
            "practice_id",
            "right",
            "requested_at",
            "channel",
            "requested_by_id",
            "outcome",
            "options_offered",
            "unmet_reason",
            "resolution",
        ),
        (
            (int(k), u, int(p), practice.pk, "same_day", a, "reception", receptionist.user_id,
             "unmet", 0, "closed", "")
            for k, u, p, a in zip(
                ids, writer.uuids(rng.bytes(16 * len(who)), len(who)), who, at, strict=True
            )
        ),
    )  # fmt: skip
