"""The access-rights engine against hand-worked cases (docs/architecture.md "Access rights").

The surgery in these tests opens Monday to Friday, 8am to 6:30pm, like the demo's practices.
Times are London times; each case says what it checks.
"""

from datetime import date, datetime, time, timedelta

import pytest

from oneroof.access.opening import bank_holidays
from oneroof.access.presenters import unmet_message
from oneroof.access.rights import (
    LONDON,
    Candidate,
    Right,
    RightRequest,
    UnmetReason,
    WorkingWeek,
    meets,
    offer,
    search_window,
)

SURGERY = WorkingWeek(
    hours={day: (time(8, 0), time(18, 30)) for day in range(5)},
    closed_dates=bank_holidays(2026) | bank_holidays(2027),
)
CENTRE = WorkingWeek(
    hours={day: (time(8, 0), time(20, 0)) for day in range(7)},  # Sunday listed: still closed
    closed_dates=bank_holidays(2026) | bank_holidays(2027),
)
DR_A, DR_B, NURSE, RECEPTION, OTHER_GP = 1, 2, 3, 4, 5


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def slot(pk, who, start, *, mode="face_to_face"):
    return Candidate(
        slot_id=pk,
        professional_id=who,
        start=start,
        mode=mode,
        in_practice_team=who != OTHER_GP,
        is_gp=who in (DR_A, DR_B, OTHER_GP),
        is_clinician=who != RECEPTION,
    )


def offered(right, at, slots, *, week=SURGERY, chosen=None, usual=None):
    result = offer(RightRequest(right, at, chosen, usual), slots, week)
    return [c.slot_id for c in result.options], result.unmet_reason


# --- same_day --------------------------------------------------------------------------------


def test_same_day_offers_team_clinicians_before_close_and_after_the_request():
    at = london(2026, 12, 1, 10, 0)  # a Tuesday
    slots = [
        slot(1, DR_A, london(2026, 12, 1, 9, 0)),  # already past
        slot(2, DR_A, london(2026, 12, 1, 10, 0)),  # starts at the moment of asking
        slot(3, DR_A, london(2026, 12, 1, 10, 10)),
        slot(4, NURSE, london(2026, 12, 1, 18, 20), mode="phone"),  # any clinician, any mode
        slot(5, DR_B, london(2026, 12, 1, 18, 30)),  # starts at the close: not before it
        slot(6, DR_B, london(2026, 12, 2, 8, 0)),  # tomorrow
        slot(7, RECEPTION, london(2026, 12, 1, 11, 0)),  # not a clinician
        slot(8, OTHER_GP, london(2026, 12, 1, 11, 0)),  # another practice
    ]
    assert offered(Right.SAME_DAY, at, slots) == ([3, 4], None)


def test_same_day_one_minute_before_close_is_still_open():
    at = london(2026, 12, 1, 18, 29)
    slots = [slot(1, DR_A, london(2026, 12, 1, 18, 29, 30))]
    assert offered(Right.SAME_DAY, at, slots) == ([1], None)


@pytest.mark.parametrize(
    "at",
    [
        london(2026, 12, 1, 18, 30),  # at the close
        london(2026, 12, 1, 22, 0),  # evening
        london(2026, 12, 5, 10, 0),  # Saturday: the surgery does not open
        london(2026, 12, 6, 10, 0),  # Sunday
        london(2026, 12, 25, 10, 0),  # Christmas Day, a Friday
        london(2026, 12, 28, 10, 0),  # Boxing Day (substitute day), a Monday
    ],
)
def test_same_day_after_close_or_on_a_closed_day_is_unmet_closed(at):
    later = [slot(1, DR_A, at + timedelta(minutes=10)), slot(2, NURSE, at + timedelta(hours=1))]
    assert offered(Right.SAME_DAY, at, later) == ([], UnmetReason.CLOSED)


def test_same_day_before_opening_offers_the_day_ahead():
    at = london(2026, 12, 1, 6, 30)
    slots = [slot(1, DR_A, london(2026, 12, 1, 8, 0)), slot(2, DR_A, london(2026, 12, 2, 8, 0))]
    assert offered(Right.SAME_DAY, at, slots) == ([1], None)


def test_same_day_sunday_is_closed_even_if_hours_are_recorded_for_it():
    at = london(2026, 12, 6, 10, 0)
    slots = [slot(1, DR_A, london(2026, 12, 6, 11, 0))]
    assert offered(Right.SAME_DAY, at, slots, week=CENTRE) == ([], UnmetReason.CLOSED)


def test_same_day_saturday_at_the_centre_is_open():
    at = london(2026, 12, 5, 10, 0)
    slots = [slot(1, NURSE, london(2026, 12, 5, 19, 50))]
    assert offered(Right.SAME_DAY, at, slots, week=CENTRE) == ([1], None)


def test_same_day_open_but_nothing_free_is_unmet_no_capacity():
    at = london(2026, 12, 1, 10, 0)
    assert offered(Right.SAME_DAY, at, []) == ([], UnmetReason.NO_CAPACITY)


# --- within_48h ------------------------------------------------------------------------------


def test_within_48h_is_a_gp_of_the_surgery_up_to_48_hours_inclusive():
    at = london(2026, 11, 27, 16, 0)  # a Friday afternoon
    slots = [
        slot(1, DR_A, london(2026, 11, 27, 16, 10)),
        slot(2, DR_B, london(2026, 11, 29, 16, 0)),  # exactly 48 hours later (a Sunday slot)
        slot(3, DR_B, london(2026, 11, 29, 16, 1)),  # 48 hours and a minute
        slot(4, DR_A, london(2026, 11, 30, 8, 0)),  # Monday morning: too late
        slot(5, NURSE, london(2026, 11, 28, 9, 0)),  # not a GP
        slot(6, OTHER_GP, london(2026, 11, 28, 9, 0)),  # a GP, of another surgery
    ]
    assert offered(Right.WITHIN_48H, at, slots) == ([1, 2], None)


def test_within_48h_counts_elapsed_hours_when_the_clocks_go_back():
    # Clocks go back at 2am BST on Sunday 25 October 2026. From noon on Friday (11:00 UTC),
    # 48 hours later is 11am on Sunday, GMT (11:00 UTC); noon on Sunday is 49 hours later.
    at = london(2026, 10, 23, 12, 0)
    slots = [slot(1, DR_A, london(2026, 10, 25, 11, 0)), slot(2, DR_A, london(2026, 10, 25, 12, 0))]
    assert offered(Right.WITHIN_48H, at, slots) == ([1], None)


def test_within_48h_counts_elapsed_hours_when_the_clocks_go_forward():
    # Clocks go forward at 1am GMT on Sunday 28 March 2027. From noon on Friday (12:00 UTC),
    # 1pm BST on Sunday (12:00 UTC) is exactly 48 hours later, 1:10pm is past it.
    at = london(2027, 3, 26, 12, 0)
    slots = [slot(1, DR_A, london(2027, 3, 28, 13, 0)), slot(2, DR_A, london(2027, 3, 28, 13, 10))]
    assert offered(Right.WITHIN_48H, at, slots) == ([1], None)


def test_within_48h_with_no_gp_free_is_unmet_no_capacity():
    at = london(2026, 12, 1, 10, 0)
    slots = [slot(1, NURSE, london(2026, 12, 1, 11, 0))]
    assert offered(Right.WITHIN_48H, at, slots) == ([], UnmetReason.NO_CAPACITY)


def test_within_48h_late_on_a_closed_day_is_still_a_right():
    at = london(2026, 12, 25, 21, 0)  # Christmas night: no same-day, but 48 hours is 48 hours
    slots = [slot(1, DR_A, london(2026, 12, 27, 20, 0))]
    assert offered(Right.WITHIN_48H, at, slots) == ([1], None)


# --- book_ahead ------------------------------------------------------------------------------


def test_book_ahead_is_the_chosen_gp_more_than_48_hours_ahead():
    at = london(2026, 12, 1, 10, 0)
    slots = [
        slot(1, DR_B, london(2026, 12, 3, 10, 0)),  # exactly 48 hours: not more than
        slot(2, DR_B, london(2026, 12, 3, 10, 10)),
        slot(3, DR_A, london(2026, 12, 4, 9, 0)),  # not the GP chosen
        slot(4, DR_B, london(2026, 12, 21, 9, 0)),
    ]
    assert offered(Right.BOOK_AHEAD, at, slots, chosen=DR_B, usual=DR_A) == ([2, 4], None)


def test_book_ahead_with_a_gp_of_another_surgery_offers_nothing():
    at = london(2026, 12, 1, 10, 0)
    slots = [slot(1, OTHER_GP, london(2026, 12, 8, 10, 0))]
    assert offered(Right.BOOK_AHEAD, at, slots, chosen=OTHER_GP) == ([], UnmetReason.NO_CAPACITY)


def test_book_ahead_without_a_chosen_gp_is_a_programming_error():
    with pytest.raises(ValueError, match="chose"):
        offer(RightRequest(Right.BOOK_AHEAD, london(2026, 12, 1, 10, 0)), [], SURGERY)


# --- the usual GP ----------------------------------------------------------------------------


@pytest.mark.parametrize("right", [Right.SAME_DAY, Right.WITHIN_48H])
def test_offer_puts_the_usual_gp_first_when_the_right_allows(right):
    at = london(2026, 12, 1, 10, 0)
    slots = [
        slot(1, DR_B, london(2026, 12, 1, 11, 0)),
        slot(2, DR_A, london(2026, 12, 1, 17, 0)),
        slot(3, NURSE, london(2026, 12, 1, 10, 30)),
        slot(4, DR_A, london(2026, 12, 1, 15, 0)),
    ]
    ids, _ = offered(right, at, slots, usual=DR_A)
    expected = {Right.SAME_DAY: [4, 2, 3, 1], Right.WITHIN_48H: [4, 2, 1]}[right]
    assert ids == expected


def test_offer_without_a_usual_gp_is_earliest_first():
    at = london(2026, 12, 1, 10, 0)
    slots = [slot(1, DR_B, london(2026, 12, 1, 12, 0)), slot(2, DR_A, london(2026, 12, 1, 11, 0))]
    assert offered(Right.WITHIN_48H, at, slots) == ([2, 1], None)


# --- the window fetched from the database ----------------------------------------------------


def test_search_window_is_none_when_the_surgery_has_closed_for_the_day():
    ask = RightRequest(Right.SAME_DAY, london(2026, 12, 1, 19, 0))
    assert search_window(ask, SURGERY, horizon=timedelta(weeks=6)) is None


def test_search_window_for_book_ahead_starts_48_hours_on():
    at = london(2026, 12, 1, 10, 0)
    after, until = search_window(
        RightRequest(Right.BOOK_AHEAD, at, DR_A), SURGERY, horizon=timedelta(weeks=6)
    )
    assert (after - at, until - at) == (timedelta(hours=48), timedelta(hours=48, weeks=6))


def test_meets_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        meets(
            RightRequest(Right.WITHIN_48H, datetime(2026, 12, 1, 10, 0)),
            slot(1, DR_A, london(2026, 12, 1, 11, 0)),
            SURGERY,
        )


# --- bank holidays and messages --------------------------------------------------------------


def test_bank_holidays_are_england_s_including_substitute_days():
    days = bank_holidays(2026)
    assert date(2026, 12, 25) in days and date(2026, 12, 28) in days  # Boxing Day substitute
    assert date(2026, 8, 31) in days  # the summer bank holiday in England (Scotland: 3 August)
    assert date(2026, 8, 3) not in days
    assert date(2026, 3, 17) not in days  # St Patrick's Day is Northern Ireland's


def test_unmet_message_says_plainly_why():
    assert "closed for today" in unmet_message("same_day", "closed")
    assert "next 48 hours" in unmet_message("within_48h", "no_capacity")
    assert "not registered" in unmet_message("within_48h", "not_registered")
