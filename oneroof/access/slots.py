"""Cutting rota sessions into slots."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RotaSession, Slot


def slot_times(
    day: date, start: time, end: time, minutes: int, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """Back-to-back slots of `minutes` from `start` to `end` (local times on `day`); a part
    slot at the end is dropped. Times are wall-clock times, so a session keeps its hours on the
    days the clocks change."""
    first = datetime.combine(day, start)
    last = datetime.combine(day, end)
    step = timedelta(minutes=minutes)
    times = []
    at = first
    while at + step <= last:
        times.append((at.replace(tzinfo=zone), (at + step).replace(tzinfo=zone)))
        at += step
    return times


def slots_for(session: RotaSession, zone: ZoneInfo) -> list[Slot]:
    return [
        Slot(
            session=session,
            professional_id=session.professional_id,
            site_id=session.site_id,
            start=start,
            end=end,
            mode=session.mode,
        )
        for start, end in slot_times(
            session.date, session.start, session.end, session.slot_minutes, zone
        )
    ]


def generate_slots(
    sessions: Iterable[RotaSession], *, progress: Callable[[int], None] | None = None
) -> int:
    """Create the slots of each session that has none yet; return how many were made.

    Safe to run again: a session already cut is skipped, and a slot that would start at the
    same time as another of the professional's is left out (the database refuses it)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    made = 0
    for session in sessions:
        with transaction.atomic():
            if session.slots_generated_at is None:
                Slot.objects.bulk_create(slots_for(session, zone), ignore_conflicts=True)
                made += Slot.objects.filter(session=session).count()
                session.slots_generated_at = timezone.now()
                session.save(update_fields=["slots_generated_at"])
        if progress:
            progress(1)
    return made
