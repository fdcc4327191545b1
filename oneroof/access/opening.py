"""A surgery's working week: its own site's opening hours (else the neighbourhood health
centre's), Sundays closed, and England's bank holidays from the `holidays` package; and what its
neighbourhood adds: the centre's working week, whose GP sessions cover the surgery's closed
hours, and whether a GP telephone consultation counts as a GP appointment within 48 hours."""

from datetime import date, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Q

from oneroof.workforce.models import GpAppointmentMode, Neighbourhood, OpeningHours

from .rights import NeighbourhoodTerms, WorkingWeek

# When neither the surgery nor the centre has hours recorded: the centre's standard day,
# 8am to 8pm, Monday to Saturday.
DEFAULT_HOURS = {day: (time(8, 0), time(20, 0)) for day in range(6)}


@lru_cache(maxsize=16)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


Hours = dict[int, tuple[time, time]]


def _site_hours(practice) -> tuple[Hours | None, Hours | None]:
    """The practice's own site's hours and the neighbourhood centre's (None where none are
    recorded), in one query; the first site recorded, if either has several."""
    rows = OpeningHours.objects.filter(
        Q(site__organisation=practice)
        | Q(site__is_health_centre=True, site__neighbourhood_id=practice.neighbourhood_id)
    ).values_list(
        "site__organisation_id", "site__is_health_centre", "site_id", "weekday", "opens", "closes"
    )
    own: dict[int, Hours] = {}
    centre: dict[int, Hours] = {}
    for organisation_id, is_centre, site_id, weekday, opens, closes in rows:
        if organisation_id == practice.pk and not is_centre:
            own.setdefault(site_id, {})[weekday] = (opens, closes)
        elif is_centre:
            centre.setdefault(site_id, {})[weekday] = (opens, closes)
    return (own[min(own)] if own else None), (centre[min(centre)] if centre else None)


def opening_hours(practice) -> Hours:
    """Weekday -> (opens, closes) for the practice's own site, else the centre's (one query)."""
    own, centre = _site_hours(practice)
    return own or centre or DEFAULT_HOURS


def _closed_dates(around: date) -> frozenset[date]:
    return bank_holidays(around.year) | bank_holidays(around.year + 1)


def working_week_for(practice, *, around: date) -> WorkingWeek:
    """The surgery's working week, knowing the bank holidays of the year of `around` and of the
    next (a request in late December looks into January)."""
    return weeks_for(practice, around=around)[0]


def weeks_for(practice, *, around: date) -> tuple[WorkingWeek, NeighbourhoodTerms]:
    """The surgery's working week and its neighbourhood's terms: the centre's working week
    (None when no centre hours are recorded) and the 48-hour telephone setting. Two queries."""
    own, centre = _site_hours(practice)
    zone, closed = ZoneInfo(settings.TIME_ZONE), _closed_dates(around)
    week = WorkingWeek(hours=own or centre or DEFAULT_HOURS, closed_dates=closed, zone=zone)
    mode = (
        Neighbourhood.objects.filter(pk=practice.neighbourhood_id)
        .values_list("within_48h_mode", flat=True)
        .first()
    )
    terms = NeighbourhoodTerms(
        centre=WorkingWeek(hours=centre, closed_dates=closed, zone=zone) if centre else None,
        telephone_counts=mode == GpAppointmentMode.TELEPHONE,
    )
    return week, terms
