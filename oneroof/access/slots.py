"""Cutting rota sessions into slots."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RotaSession, Slot
from .opening import bank_holidays


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


class RotaProblem(Exception):
    """A session the rota cannot take; `field` is the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _check_open(site, day: date, start: time, end: time) -> None:
    if day in bank_holidays(day.year):
        raise RotaProblem("day", f"{site.name} is closed on {day:%-d %B}, a bank holiday")
    hours = {h.weekday: (h.opens, h.closes) for h in site.opening_hours.all()}
    if not hours:
        return  # a site with no hours recorded (a home-visiting team's base) takes any time
    if day.weekday() not in hours:
        raise RotaProblem("day", f"{site.name} is closed on {day:%A}s")
    opens, closes = hours[day.weekday()]
    if start < opens or end > closes:
        raise RotaProblem(
            "start", f"{site.name} is open from {opens:%H:%M} to {closes:%H:%M} on {day:%A}s"
        )


@transaction.atomic
def add_session(
    *, professional, site, day: date, start: time, end: time, mode, slot_minutes, service=None
) -> RotaSession:
    """Add a session to the rota and cut it into slots at once. It must fit the site's opening
    hours, avoid bank holidays and not overlap the professional's other sessions that day."""
    _check_open(site, day, start, end)
    overlapping = RotaSession.objects.select_for_update().filter(
        professional=professional, date=day, start__lt=end, end__gt=start
    )
    clash = overlapping.first()
    same = (site.pk, start, end, mode, slot_minutes, getattr(service, "pk", None))
    if clash is not None and same == (
        clash.site_id,
        clash.start,
        clash.end,
        clash.mode,
        clash.slot_minutes,
        clash.service_id,
    ):
        return clash  # the same form sent twice
    if clash is not None:
        raise RotaProblem(
            "start",
            f"{professional.name} already has a session from {clash.start:%H:%M} to "
            f"{clash.end:%H:%M} that day",
        )
    session = RotaSession.objects.create(
        professional=professional,
        site=site,
        service=service,
        date=day,
        start=start,
        end=end,
        mode=mode,
        slot_minutes=slot_minutes,
    )
    generate_slots([session])
    return session
