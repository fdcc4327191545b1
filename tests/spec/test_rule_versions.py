"""Rule set versions: a released version keeps giving exactly the output it gave when released.

The frozen population below is built from its own small codelists (not the repository's, which
grow as published lists are adopted), so the expected output of version 2026.1 depends only on
the engines and the rule set. Its digest was taken with the engines as they were when 2026.1
was current."""

import hashlib
import json
import random
from datetime import date, timedelta

import pytest

from oneroof.analytics.codelists import Codelist
from oneroof.analytics.rules import CURRENT_VERSION, load_ruleset

from .harness import INDEX_DATE, column, person

RULES_2026_1 = load_ruleset("2026.1")
RULES_2026_2 = load_ruleset("2026.2")
# What 2026.1 gave on the frozen population when it was the current version (every engine
# gave the same), over the columns its result had then.
DIGEST_2026_1 = "405e237e7ba90792"
COLUMNS_2026_1 = (
    "person_id",
    "practice_id",
    "neighbourhood_id",
    "imd_decile",
    "age",
    "sex",
    "lives_alone",
    "efi_deficits",
    "efi_score",
    "efi_category",
    "medicines",
    "polypharmacy",
    "ltc_count",
    "physical_ltc_count",
    "mental_health",
    "severe_mental_illness",
    "dementia",
    "learning_disability",
    "palliative",
    "carer",
    "smoker",
    "obese",
    "housebound",
    "emergency_admissions",
    "gp_contacts",
    "high_use",
    "social_needs",
    "meets_frailty",
    "meets_ltcs_with_mental_health",
    "meets_ltcs",
    "meets_housebound",
    "meets_high_use",
    "complex_needs",
    "priority",
)


def frozen_codelists(rules) -> dict[str, Codelist]:
    """Three made-up codes for every list the rule set names, in a fixed order."""
    slugs = sorted(rules.codelist_slugs())
    return {
        slug: Codelist(
            slug, slug, "test", "1", frozenset(str(900_000 + 10 * n + k) for k in range(3))
        )
        for n, slug in enumerate(slugs)
    }


def frozen_population(codes: list[str], seed: int = 20261203, people: int = 200):
    rng = random.Random(seed)
    day = lambda: INDEX_DATE - timedelta(days=rng.randint(-60, 3000))  # noqa: E731
    persons, events, meds, contacts = [], [], [], []
    for pid in range(1, people + 1):
        persons.append(
            {
                "person_id": pid,
                "birth_date": date(rng.randint(1925, 2026), rng.randint(1, 12), rng.randint(1, 28)),
                "death_date": day() if rng.random() < 0.05 else None,
                "moved_out_on": day() if rng.random() < 0.05 else None,
                "imd_decile": rng.choice([None, *range(1, 11)]),
                "sex": rng.choice(["female", "male"]),
                "lives_alone": rng.choice([None, True, False]),
            }
        )
        frailty = rng.random() ** 2
        for _ in range(rng.randint(0, 40)):
            concept = (
                rng.choice(codes)
                if rng.random() < 0.5 + frailty / 2
                else str(rng.randint(10**6, 10**7))
            )
            status = rng.choice(["active"] * 8 + ["resolved", "inactive", None])
            events.append(
                {"person_id": pid, "snomed_concept_id": concept, "date": day(), "status": status}
            )
        for _ in range(rng.randint(0, 8)):
            meds.append(
                {
                    "person_id": pid,
                    "dmd_code": str(rng.randint(1, 12)),
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


def digest(results: dict[int, dict], columns) -> str:
    rows = [
        [round(v, 9) if isinstance(v, float) else v for v in (results[pid][c] for c in columns)]
        for pid in sorted(results)
    ]
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:16]


def _run(engine, rules, data, lists):
    # The engine's own entry point, with the frozen codelists instead of the repository's.
    from oneroof.analytics import engines, reference
    from oneroof.analytics.schema import TABLES

    arrow = {name: TABLES[name].from_rows(rows) for name, rows in data.items()}
    args = {"rules": rules, "codelists": lists, "index_date": INDEX_DATE}
    if engine.name == "reference":
        rows = reference.find_cases({n: t.to_pylist() for n, t in arrow.items()}, **args)
    elif engine.name == "duckdb":
        tables = engines.memory_tables(arrow)
        rows = engines.run_casefinding(engine.connection, tables, **args).to_pylist()
    else:
        tables = engines.spark_tables(engine.connection, arrow, prefix="frozen_")
        rows = engines.run_casefinding(engine.connection, tables, **args).to_pylist()
    return {row["person_id"]: row for row in rows}


def test_rule_versions_2026_1_reproduces_its_output_and_2026_2_runs_on_the_same_data(engine):
    lists = frozen_codelists(RULES_2026_1)
    data = frozen_population(sorted(code for c in lists.values() for code in c.codes))
    old = _run(engine, RULES_2026_1, data, lists)
    assert digest(old, COLUMNS_2026_1) == DIGEST_2026_1
    assert {row["need_band"] for row in old.values()} == {None}

    # 2026.2 on the same data: its resolved lists hold codes the data never uses.
    extra = sorted(RULES_2026_2.codelist_slugs() - RULES_2026_1.codelist_slugs())
    new_lists = lists | {
        slug: Codelist(slug, slug, "test", "1", frozenset({str(800_000 + n)}))
        for n, slug in enumerate(extra)
    }
    new = _run(engine, RULES_2026_2, data, new_lists)
    assert sorted(new) == sorted(old)
    same = ("efi_deficits", "medicines", "ltc_count", "palliative", "housebound", "high_use")
    for name in same:
        assert column(new, name) == column(old, name), name
    # The eFI is categorised from 65 only, so the younger leave the frailty criterion.
    for pid, row in new.items():
        expected = old[pid]["efi_category"] if row["age"] >= 65 else None
        assert row["efi_category"] == expected
    assert any(r["age"] < 65 and r["meets_frailty"] for r in old.values())
    # Every member of the cohort has a band, and the priority runs band by band.
    cohort = sorted((r for r in new.values() if r["complex_needs"]), key=lambda r: r["priority"])
    assert all(r["need_band"] is not None for r in cohort)
    assert [r["need_band"] for r in cohort] == sorted(r["need_band"] for r in cohort)
    assert [r["priority"] for r in cohort] == list(range(1, len(cohort) + 1))
    assert len({r["need_band"] for r in cohort}) >= 5


def test_rule_versions_current_is_2026_2():
    assert CURRENT_VERSION == "2026.2"
    assert load_ruleset().version == "2026.2"


@pytest.mark.parametrize("version", ["2026.1", "2026.2"])
def test_rule_versions_each_runs_on_the_repository_codelists(engine, version):
    results = engine.find_cases({"persons": [person(1)]}, rules=load_ruleset(version))
    assert results[1]["complex_needs"] is False
