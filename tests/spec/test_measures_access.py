"""Access measures: each right met, the time from request to appointment for each right, and
booking ahead with the GP chosen."""

from datetime import date

import pytest

from .measures_harness import at, counts, one, person, run, value_of

SAME_DAY = "right-met-same-day"


def request(request_id, person_id, when, outcome="met", right="same_day", **columns) -> dict:
    return {
        "request_id": request_id,
        "person_id": person_id,
        "requested_at": when,
        "right": right,
        "outcome": outcome,
    } | columns


def test_measures_right_met_counts_met_and_offered_requests_in_the_month(engine):
    rows = {
        "persons": [person(1), person(2), person(3)],
        "access_requests": [
            request(1, 1, at(2026, 5, 4), "met"),
            request(2, 2, at(2026, 5, 5), "offered"),  # offered, not booked: the right was met
            request(3, 3, at(2026, 5, 6), "unmet"),
            request(4, 1, at(2026, 5, 7), "met", right="within_48h"),  # another right
            request(5, 1, at(2026, 4, 20), "unmet"),  # April
            request(6, 2, at(2026, 6, 2), "unmet"),  # June
        ],
    }
    result = one(engine, rows, SAME_DAY)
    assert counts(result) == (2, 3)
    assert value_of(result) == pytest.approx(2 / 3)


def test_measures_month_boundaries_are_london_midnights(engine):
    rows = {
        "persons": [person(1)],
        "access_requests": [
            # 00:30 on 1 May in London (BST) is 23:30 on 30 April in UTC: in May.
            request(1, 1, at(2026, 4, 30, 23, 30)),
            # 00:30 on 1 June in London is 23:30 on 31 May in UTC: in June.
            request(2, 1, at(2026, 5, 31, 23, 30), "unmet"),
            request(3, 1, at(2026, 5, 31, 22, 59), "unmet"),  # 23:59 on 31 May in London
        ],
    }
    assert counts(one(engine, rows, SAME_DAY)) == (1, 2)


def test_measures_right_met_leaves_out_people_gone_before_the_month(engine):
    rows = {
        "persons": [
            person(1, death_date=date(2026, 4, 30)),  # died before May: a stray record
            person(2, death_date=date(2026, 5, 15)),  # died in May: asked before, counted
            person(3, moved_out_on=date(2026, 3, 1)),
            person(4, moved_out_on=date(2026, 5, 20)),
            person(5, neighbourhood_id=2),  # another neighbourhood
        ],
        "access_requests": [request(i, i, at(2026, 5, 10)) for i in range(1, 6)],
    }
    results = run(engine, rows, measures=[SAME_DAY])
    assert counts(results[(SAME_DAY, 1)]) == (2, 2)
    assert counts(results[(SAME_DAY, 2)]) == (1, 1)


def test_measures_each_right_is_its_own_measure(engine):
    rows = {
        "persons": [person(1)],
        "access_requests": [
            request(1, 1, at(2026, 5, 4), "unmet", right="within_48h"),
            request(2, 1, at(2026, 5, 5), "met", right="within_48h"),
            request(3, 1, at(2026, 5, 6), "unmet", right="book_ahead"),
        ],
    }
    keys = ["right-met-same-day", "right-met-within-48h", "right-met-book-ahead"]
    results = run(engine, rows, measures=keys, neighbourhoods=[1])
    assert [counts(results[(k, 1)]) for k in keys] == [(0, 0), (1, 2), (0, 1)]
    assert value_of(results[("right-met-same-day", 1)]) is None  # nobody asked: no value


def test_measures_no_access_requests_at_all_is_no_data_yet(engine):
    result = one(engine, {"persons": [person(1)]}, SAME_DAY)
    assert result.status == "no_data"
    assert result.missing_sources == ("access_requests",)
    assert result.total.units == 0


def appointment(appointment_id, person_id, start, status="booked", **columns) -> dict:
    return {
        "appointment_id": appointment_id,
        "person_id": person_id,
        "start_at": start,
        "status": status,
    } | columns


TIMES = {
    "same_day": "time-to-appointment-same-day",
    "within_48h": "time-to-appointment-within-48h",
    "book_ahead": "time-to-appointment-book-ahead",
}


def test_measures_time_to_appointment_is_reported_for_each_right_apart(engine):
    rows = {
        "persons": [person(1), person(2)],
        "access_requests": [
            request(1, 1, at(2026, 5, 4, 9), appointment_id=11),  # 6 hours
            request(2, 2, at(2026, 5, 4, 9), appointment_id=12, right="within_48h"),  # 36 hours
            request(3, 1, at(2026, 5, 6, 9), appointment_id=13, right="book_ahead"),  # 7 days
            request(4, 1, at(2026, 5, 7, 9), appointment_id=14),  # cancelled
            request(5, 2, at(2026, 5, 8, 9), "unmet"),  # never booked
            request(6, 2, at(2026, 4, 28, 9), appointment_id=15),  # asked in April
            request(7, 2, at(2026, 5, 9, 9), appointment_id=16),  # 90 minutes
        ],
        "appointments": [
            appointment(11, 1, at(2026, 5, 4, 15)),
            appointment(12, 2, at(2026, 5, 5, 21)),
            appointment(13, 1, at(2026, 5, 13, 9), "fulfilled"),
            appointment(14, 1, at(2026, 5, 7, 11), "cancelled"),
            appointment(15, 2, at(2026, 5, 2, 9)),
            appointment(16, 2, at(2026, 5, 9, 10, 30)),
        ],
    }
    results = run(engine, rows, measures=list(TIMES.values()), neighbourhoods=[1])
    same_day, within_48h, book_ahead = (results[(key, 1)] for key in TIMES.values())
    assert counts(same_day) == (7.5, 2)  # hours
    assert same_day.total.sum_squares == pytest.approx(6**2 + 1.5**2)
    assert counts(within_48h) == (36.0, 1)  # hours
    assert counts(book_ahead) == (7.0, 1)  # days
    # The week booked ahead with the GP of choice is in none of the other rights' figures.
    assert value_of(same_day) == pytest.approx(3.75)


def test_measures_book_ahead_with_the_gp_chosen(engine):
    rows = {
        "persons": [person(1), person(2)],
        "access_requests": [
            request(1, 1, at(2026, 5, 4), right="book_ahead", appointment_id=11, chosen_gp_id=7),
            request(2, 2, at(2026, 5, 4), right="book_ahead", appointment_id=12, chosen_gp_id=7),
            request(3, 1, at(2026, 5, 5), right="book_ahead", appointment_id=13),  # no choice
            request(4, 2, at(2026, 5, 6), right="book_ahead", appointment_id=14, chosen_gp_id=8),
            request(5, 1, at(2026, 5, 6), right="within_48h", appointment_id=15, chosen_gp_id=7),
        ],
        "appointments": [
            appointment(11, 1, at(2026, 5, 14), professional_id=7),
            appointment(12, 2, at(2026, 5, 14), professional_id=9),  # another GP
            appointment(13, 1, at(2026, 5, 15), professional_id=7),
            appointment(14, 2, at(2026, 5, 16), "cancelled", professional_id=8),
            appointment(15, 1, at(2026, 5, 7), professional_id=7),
        ],
    }
    assert counts(one(engine, rows, "book-ahead-with-chosen-gp")) == (1, 2)
