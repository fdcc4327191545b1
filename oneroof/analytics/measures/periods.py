"""Reporting periods: calendar months in Europe/London.

Dates in the analytic tables are local calendar dates; timestamps are UTC. A period is given
both ways, so an expression compares a timestamp with the UTC instants at which the month
began and ended in London (midnight local, which is 23:00 UTC in summer).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month, first and last day included."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(start, following - timedelta(days=1))

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2026-05' -> May 2026; ValueError for anything else."""
        year, _, month = text.partition("-")
        if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
            raise ValueError(f"a month is written YYYY-MM, not {text!r}")
        if not 1 <= int(month) <= 12:
            raise ValueError(f"there is no month {month}")
        return cls.month(int(year), int(month))

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls.month(day.year, day.month)

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def utc_start(self) -> datetime:
        """The instant the month began in London, in UTC."""
        return london_midnight(self.start)

    @property
    def utc_end(self) -> datetime:
        """The instant the month ended in London (the next month's first midnight), in UTC."""
        return london_midnight(self.end + timedelta(days=1))

    def previous(self) -> "Period":
        return Period.containing(self.start - timedelta(days=1))

    def next(self) -> "Period":
        return Period.containing(self.end + timedelta(days=1))

    def months_back(self, count: int) -> list["Period"]:
        """The `count` months ending with this one, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def last_complete_month(today: date) -> Period:
    return Period.containing(today).previous()
