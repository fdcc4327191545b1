"""GP continuity: UPC, COC and SECON over the 2 years to the month's last day."""

from datetime import date, timedelta

import pytest

from .measures_harness import END, at, counts, person, run

INDICES = ["continuity-upc", "continuity-coc", "continuity-secon"]


def gp_contacts(person_id: int, gps: list[int], *, first: date = date(2026, 1, 5), **columns):
    """One GP contact a week, oldest first."""
    return [
        {
            "person_id": person_id,
            "professional_id": gp,
            "profession": "gp",
            "contact_date": first + timedelta(weeks=i),
        }
        | columns
        for i, gp in enumerate(gps)
    ]


def indices(engine, rows) -> dict[str, tuple]:
    results = run(engine, rows, measures=INDICES, neighbourhoods=[1])
    return {key.split("-")[1]: counts(results[(key, 1)]) for key in INDICES}


def test_measures_continuity_indices_of_one_person(engine):
    # A, A, B, A: usual GP A (seen most); UPC 3/4; COC (9 + 1 - 4) / (4 * 3) = 1/2;
    # SECON: of the pairs AA, AB, BA one is the same GP, 1/3.
    rows = {"persons": [person(1)], "contacts": gp_contacts(1, [7, 7, 8, 7])}
    assert indices(engine, rows) == {
        "upc": (0.75, 1),
        "coc": (0.5, 1),
        "secon": (round(1 / 3, 9), 1),
    }


def test_measures_continuity_usual_gp_is_the_one_chosen_first(engine):
    rows = {
        "persons": [person(1)],
        "contacts": gp_contacts(1, [7, 7, 8, 7]),
        "usual_gp_choices": [{"person_id": 1, "professional_id": 8}],
    }
    assert indices(engine, rows)["upc"] == (0.25, 1)


def test_measures_continuity_on_a_tie_the_usual_gp_is_the_one_seen_last(engine):
    # 7, 8, 8, 7, 9: 7 and 8 twice each, 7 seen last. With a chosen GP never seen, UPC is 0.
    rows = {
        "persons": [person(1), person(2)],
        "contacts": gp_contacts(1, [7, 8, 8, 7, 9]) + gp_contacts(2, [7, 7]),
        "usual_gp_choices": [{"person_id": 2, "professional_id": 99}],
    }
    results = run(engine, rows, measures=["continuity-upc"], neighbourhoods=[1])
    assert counts(results[("continuity-upc", 1)]) == (0.4, 2)


def test_measures_continuity_orders_same_day_contacts_by_time(engine):
    # Two GPs on one day: 8 at 9am, 7 at 2pm, then 7 next week: sequence 8, 7, 7.
    rows = {
        "persons": [person(1)],
        "contacts": [
            {"person_id": 1, "professional_id": 7, "profession": "gp",
             "contact_date": date(2026, 3, 2), "occurred_at": at(2026, 3, 2, 14)},
            {"person_id": 1, "professional_id": 8, "profession": "gp",
             "contact_date": date(2026, 3, 2), "occurred_at": at(2026, 3, 2, 9)},
            {"person_id": 1, "professional_id": 7, "profession": "gp",
             "contact_date": date(2026, 3, 9), "occurred_at": at(2026, 3, 9, 9)},
        ],
    }  # fmt: skip
    assert indices(engine, rows)["secon"] == (0.5, 1)


def test_measures_continuity_counts_only_gp_contacts_in_the_two_years(engine):
    rows = {
        "persons": [person(1), person(2), person(3, death_date=date(2026, 5, 1)), person(4)],
        "contacts": [
            *gp_contacts(1, [7, 7]),
            *gp_contacts(1, [8], first=END - timedelta(days=730)),  # a day too early
            *gp_contacts(1, [8], first=END + timedelta(days=1)),  # after the month
            *gp_contacts(1, [8], profession="practice_nurse"),
            *gp_contacts(1, [None]),  # no GP named: left out
            *gp_contacts(2, [7]),  # one contact: no index
            *gp_contacts(3, [7, 8]),  # died before the month's end
            *gp_contacts(4, [7, 8], first=END - timedelta(days=729)),  # just inside
        ],
    }
    assert indices(engine, rows) == {"upc": (1.5, 2), "coc": (1.0, 2), "secon": (1.0, 2)}


def test_measures_continuity_mean_has_a_t_interval(engine):
    from oneroof.analytics.measures import interval, measure

    rows = {
        "persons": [person(1), person(2), person(3)],
        "contacts": gp_contacts(1, [7, 7]) + gp_contacts(2, [7, 8]) + gp_contacts(3, [7, 7, 8, 8]),
    }
    result = run(engine, rows, measures=["continuity-coc"], neighbourhoods=[1])
    cell = result[("continuity-coc", 1)].total
    # COC: 1, 0 and (4 + 4 - 4) / 12 = 1/3; mean 4/9, clipped to [0, 1].
    assert cell.numerator == pytest.approx(4 / 3)
    low, high = interval(measure("continuity-coc"), cell)
    assert (low, high) == (0.0, 1.0)
