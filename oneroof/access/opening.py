"""A surgery's working week: its own site's opening hours (else the neighbourhood health
centre's), Sundays closed, and England's bank holidays from the `holidays` package."""

from datetime import date, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Q

from oneroof.workforce.models import OpeningHours

from .rights import WorkingWeek

# When neither the surgery nor the centre has hours recorded: the centre's standard day,
# 8am to 8pm, Monday to Saturday.
DEFAULT_HOURS = {day: (time(8, 0), time(20, 0)) for day in range(6)}


@lru_cache(maxsize=16)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def opening_hours(practice) -> dict[int, tuple[time, time]]:
    """Weekday -> (opens, closes) for the practice's own site, else the centre's (one query)."""
    rows = OpeningHours.objects.filter(
        Q(site__organisation=practice)
        | Q(site__is_health_centre=True, site__neighbourhood_id=practice.neighbourhood_id)
    ).values_list("site__organisation_id", "site_id", "weekday", "opens", "closes")
    own: dict[int, dict[int, tuple[time, time]]] = {}
    centre: dict[int, dict[int, tuple[time, time]]] = {}
    for organisation_id, site_id, weekday, opens, closes in rows:
        table = own if organisation_id == practice.pk else centre
        table.setdefault(site_id, {})[weekday] = (opens, closes)
    for table in (own, centre):
        if table:
            return table[min(table)]  # the first site recorded, if there are several
    return DEFAULT_HOURS


def working_week_for(practice, *, around: date) -> WorkingWeek:
    """The surgery's working week, knowing the bank holidays of the year of `around` and of the
    next (a request in late December looks into January)."""
    return WorkingWeek(
        hours=opening_hours(practice),
        closed_dates=bank_holidays(around.year) | bank_holidays(around.year + 1),
        zone=ZoneInfo(settings.TIME_ZONE),
    )
