"""Who is in the population on the index date: born, alive and living here."""

from datetime import date

from .harness import INDEX_DATE, column, person


def test_population_leaves_out_the_dead_the_moved_out_and_the_unborn(engine):
    results = engine.find_cases(
        {
            "persons": [
                person(1),
                person(2, death_date=date(2026, 6, 29)),  # died the day before
                person(3, death_date=INDEX_DATE),  # died on the index date
                person(4, death_date=date(2026, 7, 1)),  # died after: still here then
                person(5, moved_out_on=date(2025, 1, 1)),
                person(6, moved_out_on=date(2026, 7, 1)),  # moves out after
                person(7, birth_date=date(2026, 7, 1)),  # not yet born
                person(8, birth_date=INDEX_DATE),  # born that day
            ]
        }
    )
    assert sorted(results) == [1, 4, 6, 8]


def test_population_age_is_whole_years_on_the_index_date(engine):
    results = engine.find_cases(
        {
            "persons": [
                person(1, birth_date=date(1960, 6, 30)),  # birthday on the index date
                person(2, birth_date=date(1960, 7, 1)),  # birthday tomorrow
                person(3, birth_date=date(1960, 6, 29)),
                person(4, birth_date=date(1960, 12, 31)),
                person(5, birth_date=INDEX_DATE),
            ]
        }
    )
    assert column(results, "age") == {1: 66, 2: 65, 3: 66, 4: 65, 5: 0}


def test_population_carries_the_person_columns_through(engine):
    results = engine.find_cases(
        {
            "persons": [
                person(
                    1,
                    imd_decile=1,
                    sex="female",
                    practice_id=7,
                    neighbourhood_id=3,
                    lives_alone=True,
                ),
                person(2, imd_decile=None, lives_alone=None),
            ]
        }
    )
    assert results[1]["imd_decile"] == 1 and results[1]["practice_id"] == 7
    assert results[1]["neighbourhood_id"] == 3 and results[1]["sex"] == "female"
    assert column(results, "lives_alone") == {1: True, 2: False}
    assert results[2]["imd_decile"] is None


def test_population_empty_tables_give_an_empty_result(engine):
    assert engine.find_cases({}) == {}
