"""Every engine gives the reference engine's rows, every column, on a random population."""

import random
from datetime import date, timedelta

from .harness import CODELISTS, INDEX_DATE, RULES, Engine

SLUGS = sorted(RULES.codelist_slugs())


def random_population(seed: int, people: int = 150) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    day = lambda: INDEX_DATE - timedelta(days=rng.randint(-60, 3000))  # noqa: E731
    persons, events, meds, contacts = [], [], [], []
    for pid in range(1, people + 1):
        persons.append(
            {
                "person_id": pid,
                "birth_date": date(
                    rng.choice([rng.randint(1925, 1960), rng.randint(1925, 2026)]),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                ),
                "death_date": day() if rng.random() < 0.05 else None,
                "moved_out_on": day() if rng.random() < 0.05 else None,
                "imd_decile": rng.choice([None, *range(1, 11)]),
                "sex": rng.choice(["female", "male"]),
                "lives_alone": rng.choice([None, True, False]),
            }
        )
        frailty = rng.random() ** 2
        for _ in range(rng.randint(0, 30)):
            concept = (
                rng.choice(sorted(CODELISTS[rng.choice(SLUGS)].codes))
                if rng.random() < 0.5 + frailty / 2
                else str(rng.randint(10**6, 10**9))
            )
            status = rng.choice(["active"] * 8 + ["resolved", "inactive", None])
            events.append(
                {"person_id": pid, "snomed_concept_id": concept, "date": day(), "status": status}
            )
        for _ in range(rng.randint(0, 8)):
            meds.append(
                {
                    "person_id": pid,
                    # Some medicines have no dm+d code: known by name, as written.
                    "dmd_code": rng.choice([str(rng.randint(1, 12)), None]),
                    "name": rng.choice(["Senna 7.5mg tablets", " senna  7.5mg TABLETS", "Aspirin"]),
                    "start_date": day(),
                    "end_date": day() if rng.random() < 0.3 else None,
                    "status": rng.choice(["active"] * 4 + ["stopped"]),
                }
            )
        for _ in range(rng.choice([0, 2, 5, 12, 15])):
            contacts.append(
                {
                    "person_id": pid,
                    "contact_date": INDEX_DATE - timedelta(days=rng.randint(-10, 400)),
                    "profession": rng.choice(["gp", "gp", "practice_nurse"]),
                }
            )
    return {"persons": persons, "coded_events": events, "medications": meds, "contacts": contacts}


def test_engines_agree_with_the_reference_on_a_random_population(engine):
    data = random_population(seed=20261125)
    expected = Engine("reference").find_cases(data)
    results = engine.find_cases(data)
    assert sum(r["complex_needs"] for r in expected.values()) > 10  # the case is not trivial
    assert {r["efi_category"] for r in expected.values()} == {
        None,  # under 65
        "fit",
        "mild",
        "moderate",
        "severe",
    }
    assert len({r["need_band"] for r in expected.values()}) >= 5
    assert results == expected
