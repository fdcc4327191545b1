"""The rights in the evenings, at weekends and on bank holidays, against hand-worked cases.

The surgery opens Monday to Friday, 8am to 6:30pm; the neighbourhood centre opens 8am to 8pm,
Monday to Saturday, and its GP sessions meet same-day and 48-hour requests for every practice's
patients while the surgery is closed. What counts as a GP appointment within 48 hours is the
neighbourhood's setting: face to face (and home visits) by default, telephone and video too when
the neighbourhood says so. Times are London times; 4 December 2026 is a Friday.
"""

from datetime import time, timedelta

import pytest

from oneroof.access.opening import bank_holidays
from oneroof.access.rights import (
    Candidate,
    NeighbourhoodTerms,
    Right,
    RightRequest,
    UnmetReason,
    WorkingWeek,
    meets,
    offer,
    search_window,
)
from tests.unit.test_rights import london

HOLIDAYS = bank_holidays(2026) | bank_holidays(2027)
SURGERY = WorkingWeek(
    hours={d: (time(8, 0), time(18, 30)) for d in range(5)}, closed_dates=HOLIDAYS
)
SATURDAY_MORNINGS = WorkingWeek(
    hours={**SURGERY.hours, 5: (time(8, 0), time(12, 0))}, closed_dates=HOLIDAYS
)
CENTRE = WorkingWeek(hours={d: (time(8, 0), time(20, 0)) for d in range(6)}, closed_dates=HOLIDAYS)
FACE_TO_FACE = NeighbourhoodTerms(centre=CENTRE)
TELEPHONE = NeighbourhoodTerms(centre=CENTRE, telephone_counts=True)

DR_A, NURSE, OTHER_GP, CENTRE_PHYSIO = 1, 2, 3, 4


def slot(pk, who, start, *, mode="face_to_face", at_centre=False):
    return Candidate(
        slot_id=pk,
        professional_id=who,
        start=start,
        mode=mode,
        in_practice_team=who in (DR_A, NURSE),
        is_gp=who in (DR_A, OTHER_GP),
        at_centre=at_centre,
    )


def centre(pk, who, start, *, mode="face_to_face"):
    return slot(pk, who, start, mode=mode, at_centre=True)


def offered(right, at, slots, *, week=SURGERY, terms=FACE_TO_FACE):
    result = offer(RightRequest(right, at), slots, week, terms)
    return [c.slot_id for c in result.options], result.unmet_reason


# --- Friday 6:30pm: the surgery has just closed ----------------------------------------------

FRIDAY_EVENING = london(2026, 12, 4, 18, 30)


def test_friday_evening_same_day_goes_to_the_centre_s_gp_sessions_until_it_closes():
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 4, 19, 0), mode="video"),  # any GP, any mode
        centre(2, DR_A, london(2026, 12, 4, 19, 50), mode="phone"),
        centre(3, OTHER_GP, london(2026, 12, 4, 20, 0)),  # at the centre's close: not before
        slot(4, DR_A, london(2026, 12, 4, 19, 0)),  # a late slot at the surgery: it has closed
        centre(5, CENTRE_PHYSIO, london(2026, 12, 4, 19, 10)),  # not a GP session
        centre(6, OTHER_GP, london(2026, 12, 5, 9, 0)),  # tomorrow
    ]
    assert offered(Right.SAME_DAY, FRIDAY_EVENING, slots) == ([1, 2], None)


def test_friday_evening_within_48h_is_met_by_the_centre_s_saturday_gp_sessions():
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 5, 9, 0)),  # a GP of another practice: counts
        centre(2, OTHER_GP, london(2026, 12, 5, 9, 10), mode="phone"),  # face to face only
        centre(3, OTHER_GP, london(2026, 12, 5, 9, 20), mode="video"),
        slot(4, OTHER_GP, london(2026, 12, 5, 9, 0)),  # another practice's own site: no
        slot(5, DR_A, london(2026, 12, 7, 8, 0)),  # Monday 8am: 61.5 hours on
        centre(6, CENTRE_PHYSIO, london(2026, 12, 5, 10, 0)),  # not a GP
    ]
    assert offered(Right.WITHIN_48H, FRIDAY_EVENING, slots) == ([1], None)
    assert offered(Right.WITHIN_48H, FRIDAY_EVENING, slots, terms=TELEPHONE) == ([1, 2, 3], None)


def test_friday_evening_with_no_centre_in_the_neighbourhood_is_as_before():
    slots = [centre(1, OTHER_GP, london(2026, 12, 4, 19, 0))]
    none = NeighbourhoodTerms()
    assert offered(Right.SAME_DAY, FRIDAY_EVENING, slots, terms=none) == ([], UnmetReason.CLOSED)
    assert offered(Right.WITHIN_48H, FRIDAY_EVENING, slots, terms=none) == (
        [],
        UnmetReason.NO_CAPACITY,
    )


# --- Saturday --------------------------------------------------------------------------------


def test_saturday_morning_same_day_goes_to_the_centre():
    at = london(2026, 12, 5, 9, 0)
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 5, 8, 30)),  # before the request
        centre(2, OTHER_GP, london(2026, 12, 5, 9, 10)),
        centre(3, DR_A, london(2026, 12, 5, 19, 50), mode="phone"),
        slot(4, NURSE, london(2026, 12, 5, 10, 0)),  # the surgery does not open on Saturdays
    ]
    assert offered(Right.SAME_DAY, at, slots) == ([2, 3], None)


def test_saturday_morning_within_48h_reaches_monday_morning_at_the_surgery():
    at = london(2026, 12, 5, 9, 0)
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 5, 12, 0)),
        slot(2, DR_A, london(2026, 12, 7, 8, 0)),  # 47 hours on
        slot(3, DR_A, london(2026, 12, 7, 9, 10)),  # 48 hours and 10 minutes: too late
        centre(4, OTHER_GP, london(2026, 12, 7, 10, 0)),  # the surgery is open then: its own GPs
        centre(5, OTHER_GP, london(2026, 12, 6, 10, 0)),  # a Sunday session: the surgery is shut
    ]
    assert offered(Right.WITHIN_48H, at, slots) == ([1, 5, 2], None)


def test_saturday_evening_same_day_until_8pm_then_closed():
    at = london(2026, 12, 5, 19, 30)
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 5, 19, 40)),
        centre(2, DR_A, london(2026, 12, 5, 20, 0)),
    ]
    assert offered(Right.SAME_DAY, at, slots) == ([1], None)
    late = london(2026, 12, 5, 20, 0)
    assert offered(Right.SAME_DAY, late, slots) == ([], UnmetReason.CLOSED)


def test_saturday_evening_within_48h_offers_monday_at_the_surgery_and_monday_evening_centre():
    at = london(2026, 12, 5, 19, 30)
    slots = [
        slot(1, DR_A, london(2026, 12, 7, 8, 0)),
        centre(2, OTHER_GP, london(2026, 12, 7, 19, 0)),  # Monday evening: the surgery has closed
        centre(3, OTHER_GP, london(2026, 12, 7, 18, 0)),  # Monday 6pm: the surgery is open
    ]
    assert offered(Right.WITHIN_48H, at, slots) == ([1, 2], None)


# --- Sunday and bank holidays ----------------------------------------------------------------


def test_sunday_same_day_is_closed_everywhere():
    at = london(2026, 12, 6, 10, 0)
    slots = [centre(1, OTHER_GP, london(2026, 12, 6, 11, 0))]  # a session held anyway
    assert offered(Right.SAME_DAY, at, slots) == ([], UnmetReason.CLOSED)


def test_sunday_within_48h_offers_monday_at_the_surgery_and_the_centre_after_it_closes():
    at = london(2026, 12, 6, 10, 0)
    slots = [
        slot(1, DR_A, london(2026, 12, 7, 8, 0)),
        centre(2, OTHER_GP, london(2026, 12, 7, 19, 0)),
        centre(3, OTHER_GP, london(2026, 12, 7, 12, 0)),
    ]
    assert offered(Right.WITHIN_48H, at, slots) == ([1, 2], None)


def test_bank_holiday_monday_same_day_is_closed_and_48h_reaches_tuesday():
    at = london(2026, 8, 31, 10, 0)  # the summer bank holiday in England
    slots = [
        centre(1, OTHER_GP, london(2026, 8, 31, 11, 0)),
        slot(2, DR_A, london(2026, 9, 1, 9, 0)),
        centre(3, OTHER_GP, london(2026, 9, 1, 10, 0)),  # Tuesday in surgery hours: no
    ]
    assert offered(Right.SAME_DAY, at, slots) == ([], UnmetReason.CLOSED)
    assert offered(Right.WITHIN_48H, at, slots) == ([1, 2], None)


def test_saturday_before_a_bank_holiday_monday_is_met_by_the_centre_on_saturday():
    at = london(2026, 8, 29, 10, 0)
    slots = [
        centre(1, OTHER_GP, london(2026, 8, 29, 15, 0)),
        slot(2, DR_A, london(2026, 9, 1, 8, 0)),
    ]
    assert offered(Right.WITHIN_48H, at, slots) == ([1], None)


# --- a practice that opens on Saturday mornings ----------------------------------------------


def test_saturday_morning_practice_meets_same_day_itself_then_the_centre_after_it_closes():
    at = london(2026, 12, 5, 9, 0)
    slots = [
        slot(1, NURSE, london(2026, 12, 5, 10, 0)),
        centre(2, OTHER_GP, london(2026, 12, 5, 10, 0)),  # the surgery is open: not for us
        centre(3, OTHER_GP, london(2026, 12, 5, 13, 0)),
        centre(4, DR_A, london(2026, 12, 5, 11, 0)),  # our own GP at the centre: our team
    ]
    assert offered(Right.SAME_DAY, at, slots, week=SATURDAY_MORNINGS) == ([1, 4, 3], None)
    after_close = london(2026, 12, 5, 12, 30)
    assert offered(Right.SAME_DAY, after_close, slots, week=SATURDAY_MORNINGS) == ([3], None)


def test_saturday_morning_practice_within_48h_uses_the_centre_only_when_it_is_closed():
    at = london(2026, 12, 5, 9, 0)
    slots = [
        centre(1, OTHER_GP, london(2026, 12, 5, 10, 0)),
        centre(2, OTHER_GP, london(2026, 12, 5, 13, 0)),
    ]
    assert offered(Right.WITHIN_48H, at, slots, week=SATURDAY_MORNINGS) == ([2], None)


# --- the telephone setting in surgery hours --------------------------------------------------


@pytest.mark.parametrize("mode", ["phone", "video"])
def test_within_48h_remote_gp_appointment_counts_only_when_the_neighbourhood_says_so(mode):
    at = london(2026, 12, 1, 10, 0)
    slots = [slot(1, DR_A, london(2026, 12, 1, 14, 0), mode=mode)]
    assert offered(Right.WITHIN_48H, at, slots) == ([], UnmetReason.NO_CAPACITY)
    assert offered(Right.WITHIN_48H, at, slots, terms=TELEPHONE) == ([1], None)


def test_within_48h_home_visit_is_face_to_face():
    at = london(2026, 12, 1, 10, 0)
    slots = [slot(1, DR_A, london(2026, 12, 1, 14, 0), mode="home_visit")]
    assert offered(Right.WITHIN_48H, at, slots) == ([1], None)


def test_same_day_and_book_ahead_are_any_mode_whatever_the_setting():
    at = london(2026, 12, 1, 10, 0)
    phone = [slot(1, DR_A, london(2026, 12, 1, 14, 0), mode="phone")]
    assert offered(Right.SAME_DAY, at, phone) == ([1], None)
    later = [slot(2, DR_A, london(2026, 12, 8, 14, 0), mode="phone")]
    result = offer(RightRequest(Right.BOOK_AHEAD, at, DR_A), later, SURGERY, FACE_TO_FACE)
    assert [c.slot_id for c in result.options] == [2]


def test_the_offer_carries_the_neighbourhood_s_terms():
    at = london(2026, 12, 1, 10, 0)
    assert offer(RightRequest(Right.WITHIN_48H, at), [], SURGERY, TELEPHONE).terms == TELEPHONE


def test_book_ahead_at_the_centre_with_another_practice_s_gp_is_not_a_choice():
    at = london(2026, 12, 1, 10, 0)
    ask = RightRequest(Right.BOOK_AHEAD, at, OTHER_GP)
    assert not meets(ask, centre(1, OTHER_GP, london(2026, 12, 5, 10, 0)), SURGERY, FACE_TO_FACE)


def test_search_window_for_same_day_runs_to_the_centre_s_close_when_the_surgery_has_closed():
    ask = RightRequest(Right.SAME_DAY, FRIDAY_EVENING)
    after, until = search_window(ask, SURGERY, FACE_TO_FACE, horizon=timedelta(weeks=6))
    assert (after, until) == (FRIDAY_EVENING, london(2026, 12, 4, 20, 0))
    assert search_window(ask, SURGERY, horizon=timedelta(weeks=6)) is None  # no centre
