"""The access-rights engine: which appointments meet a right, in plain Python (no database).

For a request made at time t to the person's GP surgery (docs/architecture.md, "Access rights"):

- `same_day`: a consultation with any clinician of the practice's team, in any mode, starting
  before the end of the surgery's working day of t. Once the surgery has closed for the day, or
  on a day it does not open (Saturdays for most, Sundays, bank holidays in England), same-day
  requests go to the neighbourhood centre: its GP sessions that day, until the centre closes.
- `within_48h`: an appointment with a GP of the surgery starting within 48 hours of t, or with
  a GP at one of the neighbourhood centre's GP sessions held while the surgery is closed
  (evenings, Saturdays), for every practice's patients. Face to face (a home visit is face to
  face) unless the neighbourhood counts a telephone (or video) consultation too.
- `book_ahead`: an appointment more than 48 hours after t with the GP the person chooses.

The centre's GP sessions cover only times the person's own surgery is closed: while it is open,
its own team meets the right (docs/adr/0012-rights-at-weekends.md).

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
IN_PERSON_MODES = frozenset({"face_to_face", "home_visit"})
REMOTE_MODES = frozenset({"phone", "video"})


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
    CLOSED = "closed"  # same day, once the surgery and the centre have both closed for the day
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

    def is_open_at(self, moment: datetime) -> bool:
        """Whether the surgery is open at `moment`: from its opening, up to but not at its close."""
        hours = self.hours_on(utc(moment).astimezone(self.zone).date())
        return hours is not None and utc(hours[0]) <= utc(moment) < utc(hours[1])


@dataclass(frozen=True)
class NeighbourhoodTerms:
    """What the person's neighbourhood adds to their surgery's own week.

    `centre`: the neighbourhood centre's working week, whose GP sessions meet same-day and
    48-hour requests for every practice's patients while the surgery is closed; None when the
    neighbourhood has no centre. `telephone_counts`: whether a GP telephone (or video)
    consultation counts as a GP appointment within 48 hours; face to face only by default."""

    centre: WorkingWeek | None = None
    telephone_counts: bool = False


NO_CENTRE = NeighbourhoodTerms()


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
    at_centre: bool = False  # held at the neighbourhood centre of the person's neighbourhood


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
    terms: NeighbourhoodTerms = NO_CENTRE  # so the offer can say what counts, and where

    @property
    def met(self) -> bool:
        return self.unmet_reason is None


def counts_as_gp_appointment(mode: str, terms: NeighbourhoodTerms) -> bool:
    """Whether an appointment in this mode is "a GP appointment" for within_48h: face to face
    (or a home visit) always, telephone or video only where the neighbourhood says so."""
    return mode in IN_PERSON_MODES or (terms.telephone_counts and mode in REMOTE_MODES)


def centre_covers(candidate: Candidate, week: WorkingWeek, terms: NeighbourhoodTerms) -> bool:
    """A GP session at the neighbourhood centre, starting while the person's surgery is closed."""
    return (
        terms.centre is not None
        and candidate.at_centre
        and candidate.is_gp
        and not week.is_open_at(candidate.start)
    )


def same_day_close(
    at: datetime, week: WorkingWeek, terms: NeighbourhoodTerms = NO_CENTRE
) -> datetime | None:
    """The last moment a same-day option may start before: the later of the surgery's and the
    centre's close of the day of `at`, or None when both have closed for the day."""
    closes = [week.end_of_working_day(at)]
    if terms.centre is not None:
        closes.append(terms.centre.end_of_working_day(at))
    closes = [utc(c) for c in closes if c is not None]
    return max(closes) if closes else None


def _meets_same_day(
    at: datetime, candidate: Candidate, week: WorkingWeek, terms: NeighbourhoodTerms
) -> bool:
    start = utc(candidate.start)
    practice_close = week.end_of_working_day(at)
    if (
        practice_close is not None
        and candidate.in_practice_team
        and candidate.is_clinician
        and start < utc(practice_close)
    ):
        return True
    centre_close = terms.centre.end_of_working_day(at) if terms.centre is not None else None
    return (
        centre_close is not None
        and start < utc(centre_close)
        and centre_covers(candidate, week, terms)
    )


def meets(
    request: RightRequest,
    candidate: Candidate,
    week: WorkingWeek,
    terms: NeighbourhoodTerms = NO_CENTRE,
) -> bool:
    """Whether one slot meets the right asked for: the definitions, in one place."""
    at, start = utc(request.at), utc(candidate.start)
    if start <= at:
        return False
    if request.right is Right.SAME_DAY:
        return _meets_same_day(at, candidate, week, terms)
    if request.right is Right.WITHIN_48H:
        return (
            candidate.is_gp
            and start - at <= FORTY_EIGHT_HOURS
            and counts_as_gp_appointment(candidate.mode, terms)
            and (candidate.in_practice_team or centre_covers(candidate, week, terms))
        )
    return (
        candidate.in_practice_team
        and candidate.is_gp
        and candidate.professional_id == request.chosen_gp_id
        and start - at > FORTY_EIGHT_HOURS
    )


def search_window(
    request: RightRequest,
    week: WorkingWeek,
    terms: NeighbourhoodTerms = NO_CENTRE,
    *,
    horizon: timedelta,
) -> tuple[datetime, datetime] | None:
    """The span of start times worth fetching from the database (after, up to and including),
    or None when no slot can meet the right. `horizon` bounds book_ahead, which has no end."""
    at = utc(request.at)
    if request.right is Right.SAME_DAY:
        end = same_day_close(at, week, terms)
        return None if end is None else (at, end)
    if request.right is Right.WITHIN_48H:
        return at, at + FORTY_EIGHT_HOURS
    return at + FORTY_EIGHT_HOURS, at + FORTY_EIGHT_HOURS + horizon


def prefers_usual_gp(request: RightRequest) -> bool:
    """same_day and within_48h leave the clinician open, so the usual GP comes first; with
    book_ahead the person has chosen their GP."""
    return request.usual_gp_id is not None and request.right is not Right.BOOK_AHEAD


def offer(
    request: RightRequest,
    candidates: Iterable[Candidate],
    week: WorkingWeek,
    terms: NeighbourhoodTerms = NO_CENTRE,
) -> Offer:
    """The options that meet the right, the usual GP's first when the right allows, then the
    earliest; or, when there are none, why not. Same day is closed only when the surgery and
    the neighbourhood centre have both closed for the day."""
    if request.right is Right.BOOK_AHEAD and request.chosen_gp_id is None:
        raise ValueError("book_ahead needs the GP the person chose.")
    if request.right is Right.SAME_DAY and same_day_close(request.at, week, terms) is None:
        return Offer(request, (), UnmetReason.CLOSED, terms)
    usual_first = prefers_usual_gp(request)
    options = sorted(
        (c for c in candidates if meets(request, c, week, terms)),
        key=lambda c: (
            usual_first and c.professional_id != request.usual_gp_id,
            utc(c.start),
            c.slot_id,
        ),
    )
    reason = None if options else UnmetReason.NO_CAPACITY
    return Offer(request, tuple(options), reason, terms)


def unmet(request: RightRequest, reason: UnmetReason) -> Offer:
    return Offer(request, (), reason)
