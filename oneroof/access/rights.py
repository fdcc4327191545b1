"""The access-rights engine: which appointments meet a right, in plain Python (no database).

For a request made at time t to the person's GP surgery (DESIGN.md, seed 003):

- `same_day`: a consultation with any clinician of the practice's team, in any mode, starting
  before the end of the surgery's working day of t. After the day's close, or on a day the
  surgery does not open (Sundays, bank holidays in England), there is no same-day option.
- `within_48h`: an appointment with a GP of the surgery starting within 48 hours of t.
- `book_ahead`: an appointment more than 48 hours after t with the GP the person chooses.

Every option also starts after t. "48 hours" is elapsed time, so the arithmetic is done in UTC:
across a change of the clocks 48 hours is not "the same time two days later".
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FORTY_EIGHT_HOURS = timedelta(hours=48)
SUNDAY = 6


class Right(enum.StrEnum):
    SAME_DAY = "same_day"
    WITHIN_48H = "within_48h"
    BOOK_AHEAD = "book_ahead"

    @property
    def label(self) -> str:
        return _RIGHT_LABELS[self]


_RIGHT_LABELS = {
    Right.SAME_DAY: "A consultation today",
    Right.WITHIN_48H: "A GP appointment within 48 hours",
    Right.BOOK_AHEAD: "A GP of your choice, more than 48 hours ahead",
}


class UnmetReason(enum.StrEnum):
    CLOSED = "closed"  # same day asked for after the close, or on a day the surgery is shut
    NO_CAPACITY = "no_capacity"  # open, but nothing free meets the right
    NOT_REGISTERED = "not_registered"  # the person has no GP surgery to ask

    @property
    def label(self) -> str:
        return _UNMET_LABELS[self]


_UNMET_LABELS = {
    UnmetReason.CLOSED: "Surgery closed for the day",
    UnmetReason.NO_CAPACITY: "No appointment free",
    UnmetReason.NOT_REGISTERED: "Not registered with a GP surgery",
}


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Times given to the rights engine must be timezone-aware.")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class WorkingWeek:
    """A surgery's working days: opening and closing times (local) by weekday, Monday = 0,
    and the dates it is shut whatever the weekday (bank holidays). Sundays are always closed."""

    hours: dict[int, tuple[time, time]]
    closed_dates: frozenset[date] = frozenset()
    zone: ZoneInfo = LONDON

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """When the surgery opens and closes on `day`, or None if it does not open."""
        if day.weekday() == SUNDAY or day in self.closed_dates or day.weekday() not in self.hours:
            return None
        opens, closes = self.hours[day.weekday()]
        return datetime.combine(day, opens, self.zone), datetime.combine(day, closes, self.zone)

    def end_of_working_day(self, at: datetime) -> datetime | None:
        """The close of the working day of `at`, or None if the surgery has closed for the day
        (or does not open that day) at the time of `at`."""
        local = utc(at).astimezone(self.zone)
        hours = self.hours_on(local.date())
        if hours is None or utc(at) >= utc(hours[1]):
            return None
        return hours[1]


@dataclass(frozen=True)
class Candidate:
    """A free slot as the engine sees it."""

    slot_id: int
    professional_id: int
    start: datetime
    mode: str
    in_practice_team: bool  # the professional works for the person's GP surgery
    is_gp: bool
    is_clinician: bool = True  # receptionists and other non-clinical staff are not


@dataclass(frozen=True)
class RightRequest:
    right: Right
    at: datetime
    chosen_gp_id: int | None = None  # book_ahead: the GP the person chose
    usual_gp_id: int | None = None  # preferred when the right allows a choice of clinician


@dataclass(frozen=True)
class Offer:
    request: RightRequest
    options: tuple[Candidate, ...]
    unmet_reason: UnmetReason | None

    @property
    def met(self) -> bool:
        return self.unmet_reason is None


def meets(request: RightRequest, candidate: Candidate, week: WorkingWeek) -> bool:
    """Whether one slot meets the right asked for: the definitions, in one place."""
    at, start = utc(request.at), utc(candidate.start)
    if start <= at or not candidate.in_practice_team:
        return False
    if request.right is Right.SAME_DAY:
        end = week.end_of_working_day(at)
        return end is not None and start < utc(end) and candidate.is_clinician
    if request.right is Right.WITHIN_48H:
        return candidate.is_gp and start - at <= FORTY_EIGHT_HOURS
    return (
        candidate.is_gp
        and candidate.professional_id == request.chosen_gp_id
        and start - at > FORTY_EIGHT_HOURS
    )


def search_window(
    request: RightRequest, week: WorkingWeek, *, horizon: timedelta
) -> tuple[datetime, datetime] | None:
    """The span of start times worth fetching from the database (after, up to and including),
    or None when no slot can meet the right. `horizon` bounds book_ahead, which has no end."""
    at = utc(request.at)
    if request.right is Right.SAME_DAY:
        end = week.end_of_working_day(at)
        return None if end is None else (at, utc(end))
    if request.right is Right.WITHIN_48H:
        return at, at + FORTY_EIGHT_HOURS
    return at + FORTY_EIGHT_HOURS, at + FORTY_EIGHT_HOURS + horizon


def prefers_usual_gp(request: RightRequest) -> bool:
    """same_day and within_48h leave the clinician open, so the usual GP comes first; with
    book_ahead the person has chosen their GP."""
    return request.usual_gp_id is not None and request.right is not Right.BOOK_AHEAD


def offer(request: RightRequest, candidates: Iterable[Candidate], week: WorkingWeek) -> Offer:
    """The options that meet the right, the usual GP's first when the right allows, then the
    earliest; or, when there are none, why not."""
    if request.right is Right.BOOK_AHEAD and request.chosen_gp_id is None:
        raise ValueError("book_ahead needs the GP the person chose.")
    if request.right is Right.SAME_DAY and week.end_of_working_day(request.at) is None:
        return Offer(request, (), UnmetReason.CLOSED)
    usual_first = prefers_usual_gp(request)
    options = sorted(
        (c for c in candidates if meets(request, c, week)),
        key=lambda c: (
            usual_first and c.professional_id != request.usual_gp_id,
            utc(c.start),
            c.slot_id,
        ),
    )
    return Offer(request, tuple(options), None if options else UnmetReason.NO_CAPACITY)


def unmet(request: RightRequest, reason: UnmetReason) -> Offer:
    return Offer(request, (), reason)
