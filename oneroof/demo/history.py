"""The demo's last year of what the measures count, bulk-written after the rotas.

- A request under an access right for each GP appointment seen in the last 13 months (the
  two-year sample of demo/rotas.py): mostly same day, then within 48 hours, then booked ahead
  with the GP the person chose, each met by the appointment it led to. Beside them, requests
  offered an appointment the person did not take, and requests that could not be met, all since
  resolved by the hub (so the hub's worklist holds only last night's, from demo/rotas.py).
- Friends and Family Test answers after a share of those appointments, in the proportions GP
  practices report to NHS England (about nine in ten good or very good).
- Referrals first seen by each service with a waiting-time standard, spread over the year, most
  within the standard; and referrals to debt or employment advice for about half of those with
  a financial problem or unemployment recorded in the year.

Mrs Patel's family keep their own story (demo/persona.py): none of this is about them.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Max, Min

from oneroof.access.models import AccessRequest, Appointment, Feedback
from oneroof.care.models import Condition
from oneroof.people.models import Person
from oneroof.referrals.models import Referral, ReferralEvent, ReferralStatus
from oneroof.referrals.rules import is_eligible_age
from oneroof.workforce.models import Professional, ReferrerKind, Service

from .codes import SOCIAL_NEEDS
from .persona import FAMILY_NHS_NUMBERS, MEERA_NHS_NUMBER
from .services import REASONS
from .workforce import Workforce
from .writer import BulkWriter

HOUR, DAY = 3_600, 86_400
REQUEST_DAYS = 400  # a year and a month back, so the same month last year is there too
RIGHTS = ("same_day", "within_48h", "book_ahead")
RIGHT_SHARES = (0.5, 0.3, 0.2)
# How long before the appointment it was asked for, in hours (fewest, most), by right.
ASKED_BEFORE = ((1, 6), (8, 47), (72, 21 * 24))
OFFERED_SHARE, UNMET_SHARE = 0.04, 0.06  # requests not met by a booking, beside the met ones
FFT_SHARE = 0.15  # of the appointments seen, those the person answered the test after
# NHS England, Friends and Family Test, GP practices: roughly the share of each answer.
FFT_ANSWERS = {
    "very_good": 0.73,
    "good": 0.15,
    "neither": 0.04,
    "poor": 0.03,
    "very_poor": 0.04,
    "dont_know": 0.01,
}
SEEN_PER_RESIDENT = 0.004  # referrals a year first seen by each service with a standard
SEEN_AT_LEAST = 24  # a year, so that every month has some for each service
CANDIDATES = 4_000  # residents drawn to be referred
SOCIAL_SERVICE = {SOCIAL_NEEDS["debt"].code: "debt", SOCIAL_NEEDS["unemployed"].code: "employment"}
SOCIAL_REFERRED_SHARE = 0.5


def create_history(
    workforce: Workforce, services: dict[str, Service], *, today: date, seed: int
) -> int:
    """Write the year's requests, feedback and referrals; return the number of rows written."""
    rng = np.random.default_rng([seed, 4])
    writer = BulkWriter(connection)
    now = int(datetime.combine(today, time(0), ZoneInfo(settings.TIME_ZONE)).timestamp())
    persona = set(
        Person.objects.filter(
            nhs_number__in=[MEERA_NHS_NUMBER, *FAMILY_NHS_NUMBERS.values()]
        ).values_list("pk", flat=True)
    )
    seen = _gp_appointments_seen(now, persona)
    _requests(writer, rng, seen)
    _feedback(writer, rng, seen, now)
    people = _candidates(rng, persona)
    gps = [p for p in workforce.professionals if p.profession == "gp"]
    residents = Person.objects.count()
    directory = {
        key: _Service(key, s, [w.days for w in s.standards.all()], s.triagers.first())
        for key, s in services.items()
    }
    referrals = [
        row
        for service in directory.values()
        for row in _seen_by(rng, service, people, gps, residents, today, now)
    ]
    referrals += _social_referrals(rng, directory, persona, gps, today, now)
    _write_referrals(writer, rng, referrals)
    writer.finish()
    return writer.rows_written


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _gp_appointments_seen(now: int, persona: set[int]) -> np.ndarray:
    """One row (id, person, start, booked by, GP, practice) for each GP appointment seen in
    the window, oldest first."""
    rows = (
        Appointment.objects.filter(
            status="fulfilled",
            slot__professional__profession="gp",
            slot__start__gte=_utc(now - REQUEST_DAYS * DAY),
            slot__start__lt=_utc(now),
        )
        .exclude(person_id__in=persona)
        .order_by("slot__start", "pk")
        .values_list(
            "pk",
            "person_id",
            "slot__start",
            "booked_by_id",
            "slot__professional_id",
            "slot__professional__organisation_id",
        )
    )
    return np.array(
        [(k, p, int(start.timestamp()), by, gp, org) for k, p, start, by, gp, org in rows],
        dtype=np.int64,
    ).reshape(-1, 6)


REQUEST_FIELDS = (
    "id",
    "public_id",
    "person_id",
    "practice_id",
    "right",
    "requested_at",
    "channel",
    "requested_by_id",
    "chosen_gp_id",
    "outcome",
    "options_offered",
    "unmet_reason",
    "appointment_id",
    "resolved_at",
    "resolved_by_id",
    "resolution",
)


def _requests(writer: BulkWriter, rng, seen: np.ndarray) -> None:
    n = len(seen)
    appointment, person, start, by, gp, practice = seen.T
    right = rng.choice(len(RIGHTS), n, p=RIGHT_SHARES)
    low, high = (np.array(bounds)[right] for bounds in zip(*ASKED_BEFORE, strict=True))
    asked = start - (rng.uniform(low, high) * HOUR).astype(np.int64)
    channel = np.where(rng.random(n) < 0.3, "online", "reception")
    met = zip(
        writer.allocate(AccessRequest, n).tolist(),
        writer.uuids(rng.bytes(16 * n), n),
        person.tolist(),
        practice.tolist(),
        np.array(RIGHTS)[right].tolist(),
        writer.datetimes(asked),
        channel.tolist(),
        by.tolist(),
        np.where(right == 2, gp, -1).tolist(),
        appointment.tolist(),
        rng.integers(1, 6, n).tolist(),
        strict=True,
    )
    writer.insert(
        AccessRequest,
        REQUEST_FIELDS,
        (
            (k, u, p, org, r, at, ch, b, None if g < 0 else g, "met", o, "", a, None, None, "")
            for k, u, p, org, r, at, ch, b, g, a, o in met
        ),
    )
    # Requests no booking came of: on someone else's day, a little earlier.
    m = int(n * (OFFERED_SHARE + UNMET_SHARE))
    pick = rng.integers(0, n, m) if n else np.zeros(0, dtype=np.int64)
    unmet = rng.random(m) < UNMET_SHARE / (OFFERED_SHARE + UNMET_SHARE)
    asked = start[pick] - rng.integers(1, 48, m) * HOUR
    writer.insert(
        AccessRequest,
        REQUEST_FIELDS,
        (
            (k, u, p, org, r, at, "reception", b, None,
             "unmet" if no else "offered", 0 if no else 2, "no_capacity" if no else "",
             None, done if no else None, b if no else None,
             "Booked at the health centre's evening session." if no else "")
            for k, u, p, org, r, at, b, no, done in zip(
                writer.allocate(AccessRequest, m).tolist(),
                writer.uuids(rng.bytes(16 * m), m),
                person[pick].tolist(),
                practice[pick].tolist(),
                rng.choice(RIGHTS, m, p=RIGHT_SHARES).tolist(),
                writer.datetimes(asked),
                by[pick].tolist(),
                unmet.tolist(),
                writer.datetimes(asked + 2 * HOUR),
                strict=True,
            )
        ),
    )  # fmt: skip


def _feedback(writer: BulkWriter, rng, seen: np.ndarray, now: int) -> None:
    answered = seen[rng.random(len(seen)) < FFT_SHARE]
    n = len(answered)
    submitted = np.minimum(answered[:, 2] + rng.integers(1, 72, n) * HOUR, now - HOUR)
    answers = rng.choice(list(FFT_ANSWERS), n, p=list(FFT_ANSWERS.values()))
    writer.insert(
        Feedback,
        ("id", "appointment_id", "answer", "text", "submitted_at"),
        zip(
            writer.allocate(Feedback, n).tolist(),
            answered[:, 0].tolist(),
            answers.tolist(),
            [""] * n,
            writer.datetimes(submitted),
            strict=True,
        ),
    )


PERSON_FIELDS = ("pk", "nhs_number", "birth_date", "given_name", "family_name", "phone")


def _candidates(rng, persona: set[int]) -> list[tuple]:
    """Residents drawn at random (the generator's keys are consecutive: draw from the range)."""
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = rng.integers(bounds["low"], bounds["high"] + 1, CANDIDATES).tolist()
    return list(
        Person.objects.filter(pk__in=ids, deceased_at__isnull=True)
        .exclude(pk__in=persona)
        .order_by("pk")
        .values_list(*PERSON_FIELDS)
    )


@dataclass(frozen=True)
class _Service:
    key: str
    service: Service
    standards: list[int]  # days
    triager: Professional | None

    def eligible(self, birth_date: date, today: date) -> bool:
        s = self.service
        return is_eligible_age(s.minimum_age, s.maximum_age, birth_date, today)


def _referral(rng, to: _Service, person, gps, *, received, first_seen, now) -> dict:
    """One referral as a dict of columns: triaged, and completed once first seen. A mental
    health service's clock stops at the first treatment: there `first_seen` is when treatment
    began, after an assessment halfway through the wait."""
    self_referral = to.service.accepts_self_referral and rng.random() < 0.5
    closed = first_seen if first_seen < now else None
    treated = None
    if to.service.is_mental_health:
        treated, first_seen = closed, received + (first_seen - received) // 2
    seen = first_seen if first_seen < now else None
    return {
        "service_id": to.service.pk,
        "person": person,
        "source": ReferrerKind.SELF if self_referral else ReferrerKind.GP,
        "requester_id": None if self_referral else gps[int(rng.integers(len(gps)))].pk,
        "reason": REASONS.get(to.key, f"Referred to {to.service.name}."),
        "status": ReferralStatus.COMPLETED if closed else ReferralStatus.ACCEPTED,
        "received": received,
        "due": received + min(to.standards) * DAY if to.standards else None,
        "triaged": min(received + 2 * DAY, now - HOUR),
        "triaged_by": to.triager,
        "first_seen": seen,
        "first_treated": treated,
        "closed": closed,
    }


def _seen_by(rng, to: _Service, people, gps, residents, today, now) -> list[dict]:
    eligible = [p for p in people if to.eligible(p[2], today)]
    if not to.standards or not eligible:
        return []
    n = max(SEEN_AT_LEAST, round(residents * SEEN_PER_RESIDENT))
    # First seen evenly through the year; waits mostly inside the tightest standard.
    first_seen = now - ((np.arange(n) + rng.random(n)) * 365 * DAY / n).astype(np.int64)
    waits = (rng.gamma(2.0, 0.3 * min(to.standards), n) * DAY).astype(np.int64) + DAY
    who = rng.integers(0, len(eligible), n)
    return [
        _referral(rng, to, eligible[i], gps, received=seen - wait, first_seen=seen, now=now)
        for i, seen, wait in zip(who.tolist(), first_seen.tolist(), waits.tolist(), strict=True)
    ]


def _social_referrals(rng, directory, persona, gps, today: date, now: int) -> list[dict]:
    needs = (
        Condition.objects.filter(
            code__in=list(SOCIAL_SERVICE),
            recorded_date__gt=date.fromordinal(today.toordinal() - 365),
            recorded_date__lt=today,
        )
        .exclude(person_id__in=persona)
        .order_by("pk")
        .values_list("code", "recorded_date", *(f"person__{f}" for f in PERSON_FIELDS))
    )
    rows = []
    for code, recorded, *person in needs:
        to = directory[SOCIAL_SERVICE[code]]
        if rng.random() >= SOCIAL_REFERRED_SHARE or not to.eligible(person[2], today):
            continue
        noted = int(datetime.combine(recorded, time(10), UTC).timestamp())
        received = min(noted + int(rng.integers(0, 21)) * DAY, now - DAY)
        rows.append(
            _referral(
                rng, to, tuple(person), gps, received=received, first_seen=received + 14 * DAY,
                now=now,
            )
        )  # fmt: skip
    return rows


# Every history referral was accepted by a triager other than its referrer.
GRANTING = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.BOOKED, ReferralStatus.COMPLETED})


def _write_referrals(writer: BulkWriter, rng, referrals: list[dict]) -> None:
    n = len(referrals)
    ids = writer.allocate(Referral, n).tolist()
    moments = {
        name: writer.datetimes(np.array([r[name] or 0 for r in referrals], dtype=np.int64))
        for name in ("received", "due", "triaged", "first_seen", "first_treated", "closed")
    }

    def at(name, i):
        return moments[name][i] if referrals[i][name] is not None else None

    writer.insert(
        Referral,
        ("id", "public_id", "service_id", "person_id", "source", "requester_id", "nhs_number",
         "birth_date", "given_name", "family_name", "phone", "email", "identity_match",
         "reason", "status", "status_reason", "received_at", "standard_due_at", "triaged_at",
         "triaged_by_id", "first_seen_at", "first_treated_at", "closed_at", "updated_at",
         "identity_confirmation", "identity_confirmed_at", "relationship_granted"),
        (
            (k, u, r["service_id"], r["person"][0], r["source"], r["requester_id"],
             r["person"][1], r["person"][2].isoformat(), r["person"][3], r["person"][4],
             r["person"][5], "", "matched", r["reason"], r["status"], "",
             at("received", i), at("due", i), at("triaged", i),
             r["triaged_by"].pk if r["triaged_by"] else None, at("first_seen", i),
             at("first_treated", i), at("closed", i), at("closed", i) or at("triaged", i),
             # A demo self-referral came from the resident signed in; the rest from the team.
             "referrer" if r["requester_id"] else "resident", at("received", i),
             r["status"] in GRANTING)
            for i, (k, u, r) in enumerate(
                zip(ids, writer.uuids(rng.bytes(16 * n), n), referrals, strict=True)
            )
        ),
    )  # fmt: skip
    events = []
    for i, (k, r) in enumerate(zip(ids, referrals, strict=True)):
        by = r["triaged_by"].user_id if r["triaged_by"] else None
        events.append((k, ReferralStatus.RECEIVED, at("received", i), None, ""))
        events.append((k, ReferralStatus.ACCEPTED, at("triaged", i), by, ""))
        if r["closed"] is not None:
            note = "Treated." if r["first_treated"] is not None else "Seen."
            events.append((k, ReferralStatus.COMPLETED, at("closed", i), by, note))
    writer.insert(
        ReferralEvent,
        ("id", "referral_id", "status", "at", "by_id", "note"),
        ((int(e), *row) for e, row in zip(writer.allocate(ReferralEvent, len(events)), events,
                                          strict=True)),
    )  # fmt: skip
