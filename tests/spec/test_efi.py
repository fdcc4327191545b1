"""The electronic Frailty Index: 36 deficits, score = deficits / 36, and its categories
(docs/architecture.md; Clegg et al. 2016)."""

from datetime import date

import pytest

from oneroof.analytics.rules import load_ruleset

from .harness import (
    CODELISTS,
    EFI_SLUGS,
    INDEX_DATE,
    code,
    column,
    event,
    events_for,
    medicine,
    medicines,
    person,
)


def test_efi_no_events_is_fit_with_score_zero(engine):
    results = engine.find_cases({"persons": [person(1)]})
    assert results[1]["efi_deficits"] == 0
    assert results[1]["efi_score"] == 0.0
    assert results[1]["efi_category"] == "fit"


def test_efi_counts_a_deficit_once_however_many_of_its_codes(engine):
    falls = sorted(CODELISTS["efi-falls"].codes)
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [event(1, falls[0]), event(1, falls[1]), event(1, falls[0])]
            + events_for(1, ["efi-anaemia"]),
        }
    )
    assert results[1]["efi_deficits"] == 2


def test_efi_ignores_events_after_the_index_date_and_codes_in_no_list(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": [
                event(1, code("efi-falls"), date(2026, 7, 1)),  # the day after
                event(1, code("efi-anaemia"), INDEX_DATE),  # on the day: counts
                event(2, "22298006000"),  # not a code in any list
                event(2, "999999999"),
                event(2, code("efi-dizziness"), None),  # undated
            ],
        }
    )
    assert column(results, "efi_deficits") == {1: 1, 2: 0}


def test_efi_counts_a_resolved_deficit_as_ever_recorded(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [event(1, code("efi-falls"), status="resolved")],
        }
    )
    assert results[1]["efi_deficits"] == 1


@pytest.mark.parametrize(
    ("deficits", "category"),
    [
        (0, "fit"),
        (4, "fit"),
        (5, "mild"),
        (8, "mild"),
        (9, "moderate"),
        (12, "moderate"),
        (13, "severe"),
        (35, "severe"),
    ],
)
def test_efi_category_cut_offs(engine, deficits, category):
    # fit <= 0.12 < mild <= 0.24 < moderate <= 0.36 < severe: 4/36 = 0.111, 5/36 = 0.139,
    # 8/36 = 0.222, 9/36 = 0.25, 12/36 = 0.333, 13/36 = 0.361.
    results = engine.find_cases(
        {"persons": [person(1)], "coded_events": events_for(1, EFI_SLUGS[:deficits])}
    )
    assert results[1]["efi_deficits"] == deficits
    assert results[1]["efi_score"] == pytest.approx(deficits / 36)
    assert results[1]["efi_category"] == category


def test_efi_all_36_deficits_score_one(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": events_for(1, EFI_SLUGS),
            "medications": medicines(1, 5),
        }
    )
    assert results[1]["efi_deficits"] == 36
    assert results[1]["efi_score"] == 1.0
    assert results[1]["efi_category"] == "severe"


def test_polypharmacy_is_five_current_medicines_and_the_36th_deficit(engine):
    results = engine.find_cases(
        {
            "persons": [person(n) for n in range(1, 6)],
            "medications": medicines(1, 4)
            + medicines(2, 5)
            # the same medicine twice is one medicine
            + medicines(3, 4)
            + [medicine(3, "100000")]
            # ended, stopped, or not yet started are not current
            + medicines(4, 4)
            + [
                medicine(4, "200", end_date=date(2026, 6, 30)),
                medicine(4, "201", status="stopped"),
                medicine(4, "202", start=date(2026, 7, 1)),
            ]
            # still taking it on the index date: ends the next day
            + medicines(5, 4)
            + [medicine(5, "300", end_date=date(2026, 7, 1))],
        }
    )
    assert column(results, "medicines") == {1: 4, 2: 5, 3: 4, 4: 4, 5: 5}
    assert column(results, "polypharmacy") == {1: False, 2: True, 3: False, 4: False, 5: True}
    assert column(results, "efi_deficits") == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}


def test_efi_category_only_for_people_aged_65_and_over(engine):
    results = engine.find_cases(
        {
            "persons": [
                person(1, birth_date=date(1961, 6, 30)),  # 65 on the index date
                person(2, birth_date=date(1961, 7, 1)),  # 65 tomorrow: 64
                person(3, birth_date=date(1990, 1, 1)),
            ],
            "coded_events": events_for(1, EFI_SLUGS[:13])
            + events_for(2, EFI_SLUGS[:13])
            + events_for(3, EFI_SLUGS[:9]),
        }
    )
    assert column(results, "age") == {1: 65, 2: 64, 3: 36}
    # The score is counted for everyone; the category (and so the frailty criterion) is 65+.
    assert column(results, "efi_deficits") == {1: 13, 2: 13, 3: 9}
    assert column(results, "efi_category") == {1: "severe", 2: None, 3: None}
    assert column(results, "meets_frailty") == {1: True, 2: False, 3: False}
    assert column(results, "complex_needs") == {1: True, 2: False, 3: False}


def test_efi_version_2026_1_categorised_every_age(engine):
    results = engine.find_cases(
        {"persons": [person(1, birth_date=date(1990, 1, 1))], "coded_events": _frail(1, 9)},
        rules=load_ruleset("2026.1"),
    )
    assert results[1]["efi_category"] == "moderate"


def _frail(person_id, deficits):
    return events_for(person_id, EFI_SLUGS[:deficits])


def _named(person_id: int, name: str, dmd: str | None = None, **columns) -> dict:
    return medicine(person_id, dmd, name=name, **columns)


def test_polypharmacy_counts_medicines_with_no_dmd_code_by_name(engine):
    results = engine.find_cases(
        {
            "persons": [person(n) for n in range(1, 5)],
            # 1: three coded and two kept by name only: five medicines
            "medications": medicines(1, 3)
            + [_named(1, "Senna 7.5mg tablets"), _named(1, "Oramorph oral solution")]
            # 2: one medicine by name written three ways is one medicine
            + medicines(2, 4)
            + [
                _named(2, "Senna 7.5mg tablets"),
                _named(2, " senna  7.5mg TABLETS "),
                _named(2, "SENNA 7.5MG TABLETS"),
            ]
            # 3: a coded medicine is known by its code, whatever its name
            + medicines(3, 4)
            + [_named(3, "Amlodipine", "100000"), _named(3, "Amlodipine 5mg", "100000")]
            # 4: uncoded and stopped, or with neither code nor name: not counted
            + medicines(4, 4)
            + [_named(4, "Senna", status="stopped"), _named(4, ""), _named(4, None)],
        }
    )
    assert column(results, "medicines") == {1: 5, 2: 5, 3: 4, 4: 4}
    assert column(results, "polypharmacy") == {1: True, 2: True, 3: False, 4: False}


def test_polypharmacy_version_2026_1_counted_dmd_codes_only(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "medications": medicines(1, 3) + [_named(1, "Senna"), _named(1, "Oramorph")],
        },
        rules=load_ruleset("2026.1"),
    )
    assert results[1]["medicines"] == 3
