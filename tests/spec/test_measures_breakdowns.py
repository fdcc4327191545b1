"""Every measure breaks down by IMD quintile, ethnic group, age band and sex, each breakdown a
partition of the total (empty groups shown as zero), with the deprivation gap."""

from datetime import date

import pytest

from oneroof.analytics.measures import EQUITY, MEASURES, deprivation_gap, measure

from .measures_harness import coded, counts, one, person, run

CARERS = "carers-identified"


def test_measures_every_measure_has_the_equity_breakdowns():
    for m in MEASURES:
        assert m.breakdowns[:4] == EQUITY, m.key


def test_measures_imd_deciles_fall_into_quintiles_and_missing_is_not_known(engine):
    deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None, 0]
    rows = {"persons": [person(i, imd_decile=d) for i, d in enumerate(deciles, start=1)]}
    result = one(engine, rows, CARERS)
    assert counts(result, "imd_quintile") == {
        "1": (0, 2),
        "2": (0, 2),
        "3": (0, 2),
        "4": (0, 2),
        "5": (0, 2),
        "unknown": (0, 2),
    }


def test_measures_ethnicity_and_sex_groups_with_empty_groups_shown_as_zero(engine):
    rows = {
        "persons": [
            person(1, ethnic_group="asian", sex="male"),
            person(2, ethnic_group="not_stated", sex="unknown"),
            person(3, ethnic_group=None, sex=None),
            person(4, ethnic_group="black", sex="other"),
        ]
    }
    result = one(engine, rows, CARERS)
    assert counts(result, "ethnicity") == {
        "white": (0, 0),
        "mixed": (0, 0),
        "asian": (0, 1),
        "black": (0, 1),
        "other": (0, 0),
        "unknown": (0, 2),
    }
    assert counts(result, "sex") == {"female": (0, 0), "male": (0, 1), "other": (0, 3)}


def test_measures_age_bands_are_whole_years_on_the_months_last_day(engine):
    births = {
        1: date(2008, 5, 31),  # 18 on 31 May 2026
        2: date(2008, 6, 1),  # still 17
        3: date(1941, 5, 31),  # 85
        4: date(1941, 6, 1),  # 84
        5: date(2026, 5, 31),  # born that day: 0
    }
    rows = {"persons": [person(i, birth_date=b) for i, b in births.items()]}
    result = one(engine, rows, CARERS)
    assert {g: units for g, (_, units) in counts(result, "age_band").items()} == {
        "0-17": 2,
        "18-34": 1,
        "35-49": 0,
        "50-64": 0,
        "65-74": 0,
        "75-84": 1,
        "85+": 1,
    }


def test_measures_every_breakdown_adds_up_to_the_total(engine):
    rows = {
        "persons": [
            person(i, imd_decile=(i % 11) or None, sex=["female", "male", None][i % 3],
                   ethnic_group=["white", "asian", None, "mixed"][i % 4],
                   birth_date=date(1930 + 3 * i, 1, 1))
            for i in range(1, 30)
        ],
        "coded_events": [coded(i, "carer") for i in range(1, 30, 3)],
    }  # fmt: skip
    result = one(engine, rows, CARERS)
    assert counts(result) == (10, 29)
    for breakdown in EQUITY:
        cells = result.cells(breakdown).values()
        assert sum(c.units for c in cells) == 29
        assert sum(c.numerator for c in cells) == 10


def test_measures_deprivation_gap_is_most_minus_least_deprived(engine):
    # Quintile 1: 3 of 4 are carers; quintile 5: 1 of 4.
    rows = {
        "persons": [person(i, imd_decile=1) for i in range(1, 5)]
        + [person(i, imd_decile=10) for i in range(5, 9)],
        "coded_events": [coded(i, "carer") for i in (1, 2, 3, 5)],
    }
    result = one(engine, rows, CARERS)
    gap = deprivation_gap(measure(CARERS), result)
    assert gap.value == pytest.approx(500.0)  # per 1,000: 750 - 250
    low, high = gap.interval
    assert low < 0 < 500 < high  # four people each side: wide


def test_measures_results_for_every_neighbourhood_asked_for_even_with_nobody(engine):
    results = run(engine, {"persons": [person(1)]}, measures=[CARERS], neighbourhoods=[1, 2, 3])
    assert [counts(results[(CARERS, n)]) for n in (1, 2, 3)] == [(0, 1), (0, 0), (0, 0)]


def test_measures_by_default_for_every_neighbourhood_anyone_is_registered_in(engine):
    rows = {"persons": [person(1), person(2, neighbourhood_id=5), person(3, neighbourhood_id=None)]}
    results = run(engine, rows, measures=[CARERS], neighbourhoods=None)
    assert sorted(results) == [(CARERS, 1), (CARERS, 5)]


def test_measures_with_no_people_at_all(engine):
    results = run(engine, {}, neighbourhoods=[1])
    assert len(results) == len(MEASURES)
    for result in results.values():
        assert result.total.units == 0
