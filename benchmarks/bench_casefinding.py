"""Benchmark: case-finding at 100,000 and 1,000,000 residents on DuckDB, against two baselines.

    uv run python benchmarks/bench_casefinding.py [--residents 100000 1000000] [--events 40]

The analytic tables are generated straight to Parquet with numpy (seeded; about 40 coded
events per resident, drawn from the codelists the rules use plus routine codes in no list), not
through the ORM. Each engine then runs in its own child process, so that its peak memory can be
read from the operating system:

- DuckDB: the Ibis case-finding expressions (oneroof.analytics.casefinding), reading Parquet;
- pandas: the same cohort written by hand with merges and group-bys (the baseline a data
  analyst would write);
- SQLite: the same cohort as one plain SQL query, after loading the columns it reads into a
  SQLite file (no journal, no fsync, one transaction, indexes after the load; timed apart).

The script asserts that all three find the same cohort in the same priority order. The
baselines follow the current rule set as its data says: resolved codes (QOF), the eFI categorised
from 65, medicines with no dm+d code counted by name, need bands and the priority order.
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oneroof.analytics import engines  # noqa: E402
from oneroof.analytics.casefinding import LTC, find_cases  # noqa: E402
from oneroof.analytics.codelists import read_codelists  # noqa: E402
from oneroof.analytics.rules import load_ruleset  # noqa: E402
from oneroof.analytics.snapshot import open_snapshot, write_snapshot  # noqa: E402

CODELIST_DIR = ROOT / "oneroof" / "codelists" / "data"
INDEX_DATE = date(2026, 6, 30)
SEED = 20261125


# --- the data ---------------------------------------------------------------------------------


def generate(directory: Path, residents: int, events_per_person: int) -> dict[str, int]:
    rng = np.random.default_rng([SEED, residents])
    rules, codelists = load_ruleset(), read_codelists(CODELIST_DIR)
    index = np.datetime64(INDEX_DATE.isoformat(), "D")
    ages = np.minimum(rng.gamma(2.2, 18.0, residents).astype(np.int64), 100)
    born = index - (ages * 365.25 + rng.integers(0, 365, residents)).astype("timedelta64[D]")
    ids = np.arange(1, residents + 1, dtype=np.int64)
    dead = rng.random(residents) < 0.01
    moved = rng.random(residents) < 0.02
    persons = pa.table(
        {
            "person_id": ids,
            "sex": np.where(rng.random(residents) < 0.5, "female", "male"),
            "birth_date": born,
            "death_date": np.where(dead, index - rng.integers(1, 900, residents), None),
            "ethnic_group": np.full(residents, "white"),
            "practice_id": rng.integers(1, 4, residents),
            "neighbourhood_id": np.ones(residents, dtype=np.int64),
            "lsoa_code": np.full(residents, "E01000001"),
            "imd_decile": rng.integers(1, 11, residents),
            "lives_alone": rng.random(residents) < np.where(ages >= 65, 0.35, 0.1),
            "moved_out_on": np.where(moved, index - rng.integers(1, 900, residents), None),
        }
    )
    # Coded events: a share drawn from the rules' codelists, more the older and the more
    # morbid the person; the rest routine codes (consultations, results) in no list.
    counts = rng.poisson(events_per_person, residents)
    who = np.repeat(np.arange(residents), counts)
    morbidity = rng.gamma(2.0, 0.5, residents) * np.clip((ages - 20) / 60, 0.05, 1.4)
    listed = rng.random(len(who)) < np.clip(0.07 * morbidity[who], 0, 0.6)
    slugs = sorted(rules.codelist_slugs())
    weights = np.array([0.3 if s.startswith("efi-") else 1.0 for s in slugs])
    pools = [np.array(sorted(codelists[s].codes)) for s in slugs]
    chosen = rng.choice(len(slugs), size=len(who), p=weights / weights.sum())
    picks = rng.random(len(who))
    codes = np.empty(len(who), dtype=object)
    routine = np.array([str(900000000 + n) for n in range(500)])
    codes[~listed] = routine[rng.integers(0, len(routine), (~listed).sum())]
    for n, pool in enumerate(pools):
        mask = listed & (chosen == n)
        codes[mask] = pool[(picks[mask] * len(pool)).astype(np.int64)]
    event_days = index - rng.integers(-30, 15 * 365, len(who))
    status = np.where(rng.random(len(who)) < 0.05, "resolved", "active")
    coded_events = pa.table(
        {
            "person_id": ids[who],
            "snomed_concept_id": codes.astype(str),
            "date": event_days,
            "category": np.full(len(who), "physical"),
            "status": status,
        }
    )
    med_counts = rng.poisson(np.clip(morbidity * 3, 0, 12))
    mwho = np.repeat(np.arange(residents), med_counts)
    medications = pa.table(
        {
            "person_id": ids[mwho],
            # One medicine in twenty kept by name only (not coded in dm+d), written in mixed case.
            "dmd_code": np.where(
                rng.random(len(mwho)) < 0.05, None, rng.integers(1, 40, len(mwho)).astype(str)
            ),
            "name": np.array(["Senna 7.5mg tablets", "senna  7.5mg TABLETS", "Oramorph"])[
                rng.integers(0, 3, len(mwho))
            ],
            "start_date": index - rng.integers(-10, 3000, len(mwho)),
            "end_date": np.where(rng.random(len(mwho)) < 0.1, index - 5, None),
            "status": np.where(rng.random(len(mwho)) < 0.95, "active", "stopped"),
        }
    )
    contact_counts = rng.poisson(np.clip(2 + morbidity * 3, 0, 20))
    cwho = np.repeat(np.arange(residents), contact_counts)
    days = index - rng.integers(0, 730, len(cwho))
    contacts = pa.table(
        {
            "person_id": ids[cwho],
            "professional_id": rng.integers(1, 40, len(cwho)),
            "profession": np.where(rng.random(len(cwho)) < 0.75, "gp", "practice_nurse"),
            "mode": np.full(len(cwho), "face_to_face"),
            "contact_date": days,
            "occurred_at": pa.array(
                days.astype("datetime64[us]"), type=pa.timestamp("us", tz="UTC")
            ),
        }
    )
    info = write_snapshot(
        directory,
        {
            "persons": persons,
            "coded_events": coded_events,
            "medications": medications,
            "contacts": contacts,
        },
    )
    return info.rows


# --- the engines ----------------------------------------------------------------------------


def run_duckdb(directory: Path) -> list[tuple[int, int]]:
    rules, codelists = load_ruleset(), read_codelists(CODELIST_DIR)
    con = engines.duckdb_connection()
    tables = open_snapshot(con, directory)
    expr = find_cases(tables, rules=rules, codelists=codelists, index_date=INDEX_DATE)
    cohort = expr.filter(expr.complex_needs).select("person_id", "priority").order_by("priority")
    result = con.to_pyarrow(cohort)
    return list(zip(result["person_id"].to_pylist(), result["priority"].to_pylist(), strict=True))


def _code_map(rules, codelists) -> list[tuple[str, str, str, int, str]]:
    """(code, kind, feature, counts whatever its status, what a resolved code ends)."""
    rows = []
    for d in rules.coded_deficits:
        rows += [
            (c, "efi", d.key, int(rules.count_resolved_deficits), "")
            for c in codelists[d.codelist].codes
        ]
    ended = [(LTC[c.kind], c.key, c.codelist, c.resolved_codelist) for c in rules.conditions]
    ended += [
        ("flag", key, slug, dict(rules.resolved_flags).get(key))
        for key, slug in rules.flags
        if key == "palliative"
    ]
    for kind, key, slug, resolved in ended:
        rows += [(c, kind, key, 0, "") for c in codelists[slug].codes]
        if resolved:
            rows += [(c, "resolved", "", 1, f"{kind}/{key}") for c in codelists[resolved].codes]
    for slug in rules.housebound_codelists:
        rows += [(c, "housebound", slug, 0, "") for c in codelists[slug].codes]
    return rows


def medicine_key(dmd_code: str | None, name: str | None, by_name: bool) -> str | None:
    if dmd_code is not None or not by_name:
        return dmd_code
    name = re.sub(" +", " ", (name or "").lower()).strip(" ")
    return f"name:{name}" if name else None


def _age(born: pd.Series, on: date) -> pd.Series:
    later = (born.dt.month > on.month) | ((born.dt.month == on.month) & (born.dt.day > on.day))
    return on.year - born.dt.year - later.astype(int)


def _band_holds(t: pd.DataFrame, test) -> pd.Series:
    column = t[test.column]
    if test.test == "in":
        return column.isin(test.value)
    if test.test == "is":
        return column.astype(bool) == test.value
    return column >= test.value


def _pandas_cohort(t: pd.DataFrame, rules) -> pd.DataFrame:
    bounded = rules.category_max_deficits()
    category = pd.Series(bounded[-1][0], index=t.index, dtype=object)
    for name, most in reversed(bounded[:-1]):
        category[t.efi_deficits <= most] = name
    if rules.efi_category_from_age is not None:
        category[t.age < rules.efi_category_from_age] = None
    t = t.assign(efi_category=category)
    wanted = rules.complex_needs
    complex_needs = (
        t.efi_category.isin(wanted.frailty_categories)
        | ((t.mental > 0) & (t.physical >= wanted.physical_ltcs_with_mental_health))
        | (t.ltc_count >= wanted.ltcs)
        | (t.housebound > 0)
        | (t.emergency_admissions >= rules.high_use.emergency_admissions)
        | (t.gp_contacts >= rules.high_use.gp_contacts)
    )
    cohort = t[complex_needs].reset_index()
    band = pd.Series(rules.need_bands[-1].band if rules.need_bands else 0, index=cohort.index)
    for b in reversed(rules.need_bands[:-1]):
        holds = pd.Series(True, index=cohort.index)
        for test in b.tests:
            holds &= _band_holds(cohort, test)
        band[holds] = b.band
    cohort["need_band"] = band
    keys, ascending = [], []
    for column, descending, missing_first in rules.priority:
        cohort[f"{column}_missing"] = cohort[column].isna() != missing_first
        keys += [f"{column}_missing", column]
        ascending += [True, not descending]
    return cohort.sort_values(keys, ascending=ascending)


def run_pandas(directory: Path) -> list[tuple[int, int]]:
    rules, codelists = load_ruleset(), read_codelists(CODELIST_DIR)
    idx = pd.Timestamp(INDEX_DATE)
    start = idx - pd.Timedelta(days=rules.high_use.window_days)
    read = lambda name: pd.read_parquet(directory / f"{name}.parquet")  # noqa: E731
    people = read("persons")
    for column in ("birth_date", "death_date", "moved_out_on"):
        people[column] = pd.to_datetime(people[column])
    people = people[
        (people.birth_date <= idx)
        & (people.death_date.isna() | (people.death_date > idx))
        & (people.moved_out_on.isna() | (people.moved_out_on > idx))
    ]
    people = people.assign(age=_age(people.birth_date, INDEX_DATE))[
        ["person_id", "imd_decile", "age"]
    ]
    events = read("coded_events")
    events["date"] = pd.to_datetime(events["date"])
    events = events[events.date <= idx]
    mapping = pd.DataFrame(
        _code_map(rules, codelists),
        columns=["snomed_concept_id", "kind", "feature", "resolved", "ends"],
    )
    hits = events.merge(mapping, on="snomed_concept_id")
    hits = hits[(hits.resolved == 1) | hits.status.isna() | (hits.status == "active")]
    coded = hits[hits.kind != "resolved"]
    latest = coded.groupby(["person_id", "kind", "feature"]).date.max().reset_index()
    latest["ends"] = latest.kind + "/" + latest.feature
    ended = (
        hits[hits.kind == "resolved"]
        .groupby(["person_id", "ends"])
        .date.max()
        .rename("resolved_on")
        .reset_index()
    )
    present = latest.merge(ended, on=["person_id", "ends"], how="left")
    present = present[present.resolved_on.isna() | (present.resolved_on < present.date)]
    per = (
        present.assign(
            efi=present.kind == "efi",
            ltc_count=present.kind.str.startswith("ltc_"),
            physical=present.kind == "ltc_physical",
            mental=present.kind == "ltc_mental",
            housebound=present.kind == "housebound",
            palliative=(present.kind == "flag") & (present.feature == "palliative"),
        )
        .groupby("person_id")[
            ["efi", "ltc_count", "physical", "mental", "housebound", "palliative"]
        ]
        .sum()
    )
    meds = read("medications")
    for column in ("start_date", "end_date"):
        meds[column] = pd.to_datetime(meds[column])
    meds = meds[
        (meds.status == "active")
        & (meds.start_date <= idx)
        & (meds.end_date.isna() | (meds.end_date > idx))
    ]
    meds = meds.assign(
        key=[
            medicine_key(code, name, rules.medicines_by_name)
            for code, name in zip(meds.dmd_code, meds.name, strict=True)
        ]
    )
    medicines = meds.groupby("person_id").key.nunique().rename("medicines")
    contacts = read("contacts")
    contacts["contact_date"] = pd.to_datetime(contacts["contact_date"])
    gp = contacts[
        (contacts.contact_date > start)
        & (contacts.contact_date <= idx)
        & contacts.profession.isin(rules.high_use.gp_professions)
    ]
    gp_contacts = gp.groupby("person_id").size().rename("gp_contacts")
    admission_codes = codelists[rules.high_use.emergency_admission_codelist].codes
    admitted = events[(events.date > start) & events.snomed_concept_id.isin(admission_codes)]
    admissions = admitted.groupby("person_id").date.nunique().rename("emergency_admissions")
    t = people.set_index("person_id")
    t = t.join([per, medicines, gp_contacts, admissions])
    counts = [c for c in t.columns if c not in ("imd_decile", "age")]
    t[counts] = t[counts].fillna(0)
    t["efi_deficits"] = t.efi + (t.medicines >= rules.polypharmacy_medicines)
    cohort = _pandas_cohort(t, rules)
    return [(int(p), n) for n, p in enumerate(cohort.person_id, start=1)]


SQL = """
WITH people AS (
  SELECT person_id, imd_decile,
    (CAST(strftime('%Y', :idx) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER))
      - (strftime('%m-%d', birth_date) > strftime('%m-%d', :idx)) AS age
  FROM persons
  WHERE birth_date <= :idx AND (death_date IS NULL OR death_date > :idx)
    AND (moved_out_on IS NULL OR moved_out_on > :idx)
),
hits AS (
  SELECT e.person_id, m.kind, m.feature, m.ends, e.date FROM coded_events e
  JOIN code_map m ON m.code = e.snomed_concept_id
  WHERE e.date <= :idx AND (m.resolved = 1 OR e.status IS NULL OR e.status = 'active')
),
latest AS (
  SELECT person_id, kind, feature, MAX(date) AS last_coded FROM hits
  WHERE kind <> 'resolved' GROUP BY person_id, kind, feature
),
ended AS (
  SELECT person_id, ends, MAX(date) AS last_resolved FROM hits
  WHERE kind = 'resolved' GROUP BY person_id, ends
),
present AS (
  SELECT l.person_id, l.kind, l.feature FROM latest l
  LEFT JOIN ended r ON r.person_id = l.person_id AND r.ends = l.kind || '/' || l.feature
  WHERE r.last_resolved IS NULL OR r.last_resolved < l.last_coded
),
features AS (
  SELECT person_id,
    SUM(kind = 'efi') AS efi,
    SUM(kind LIKE 'ltc_%') AS ltc_count,
    SUM(kind = 'ltc_physical') AS physical,
    MAX(kind = 'ltc_mental') AS mental,
    MAX(kind = 'housebound') AS housebound,
    MAX(kind = 'flag' AND feature = 'palliative') AS palliative
  FROM present GROUP BY person_id
),
meds AS (
  SELECT person_id, COUNT(DISTINCT medicine_key(dmd_code, name)) AS medicines FROM medications
  WHERE status = 'active' AND start_date <= :idx AND (end_date IS NULL OR end_date > :idx)
  GROUP BY person_id
),
gp AS (
  SELECT person_id, COUNT(*) AS gp_contacts FROM contacts
  WHERE contact_date > :start AND contact_date <= :idx AND profession = 'gp'
  GROUP BY person_id
),
admissions AS (
  SELECT person_id, COUNT(DISTINCT date) AS emergency_admissions FROM coded_events
  WHERE date > :start AND date <= :idx
    AND snomed_concept_id IN (SELECT code FROM admission_codes)
  GROUP BY person_id
),
scored AS (
  SELECT p.person_id, p.imd_decile, p.age,
    COALESCE(f.efi, 0) + (COALESCE(m.medicines, 0) >= :poly) AS efi_deficits,
    COALESCE(f.ltc_count, 0) AS ltc_count, COALESCE(f.physical, 0) AS physical,
    COALESCE(f.mental, 0) AS mental, COALESCE(f.housebound, 0) AS housebound,
    COALESCE(f.palliative, 0) AS palliative,
    COALESCE(g.gp_contacts, 0) AS gp_contacts,
    COALESCE(a.emergency_admissions, 0) AS emergency_admissions
  FROM people p
  LEFT JOIN features f USING (person_id) LEFT JOIN meds m USING (person_id)
  LEFT JOIN gp g USING (person_id) LEFT JOIN admissions a USING (person_id)
),
categorised AS (
  SELECT *, {category} AS efi_category FROM scored
),
cohort AS (
  SELECT *, {band} AS need_band FROM categorised
  WHERE efi_category IN ({frailty}) OR (mental = 1 AND physical >= :physical)
    OR ltc_count >= :ltcs OR housebound = 1 OR emergency_admissions >= :admissions
    OR gp_contacts >= :gp
)
SELECT person_id, ROW_NUMBER() OVER (ORDER BY {order}) AS priority
FROM cohort
ORDER BY priority
"""


def _sql_literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value))


def _sql_test(test) -> str:
    if test.test == "in":
        return f"{test.column} IN ({', '.join(_sql_literal(v) for v in test.value)})"
    if test.test == "is":
        return f"{test.column} = {int(test.value)}"
    return f"{test.column} >= {int(test.value)}"


def cohort_sql(rules) -> str:
    """The query, with the rule set's categories, need bands and order written in."""
    *bounded, (last, _) = rules.category_max_deficits()
    cases = " ".join(f"WHEN efi_deficits <= {most} THEN '{name}'" for name, most in bounded)
    category = f"CASE {cases} ELSE '{last}' END"
    if rules.efi_category_from_age is not None:
        category = f"CASE WHEN age < {rules.efi_category_from_age} THEN NULL ELSE {category} END"
    band = "NULL"
    if rules.need_bands:
        *tested, rest = rules.need_bands
        whens = " ".join(
            f"WHEN {' AND '.join(_sql_test(t) for t in b.tests)} THEN {b.band}" for b in tested
        )
        band = f"CASE {whens} ELSE {rest.band} END"
    order = ", ".join(
        f"{column} IS {'NOT ' if missing_first else ''}NULL, {column}{' DESC' if desc else ''}"
        for column, desc, missing_first in rules.priority
    )
    frailty = ", ".join(_sql_literal(c) for c in rules.complex_needs.frailty_categories)
    return SQL.format(category=category, band=band, order=order, frailty=frailty)


# The columns the cohort query reads: the baseline loads those, as DuckDB reads only those
# from Parquet.
SQLITE_COLUMNS = {
    "persons": ("person_id", "birth_date", "death_date", "moved_out_on", "imd_decile"),
    "coded_events": ("person_id", "snomed_concept_id", "date", "status"),
    "medications": ("person_id", "dmd_code", "name", "start_date", "end_date", "status"),
    "contacts": ("person_id", "profession", "contact_date"),
}
SQLITE_CACHE_MIB = 512


def load_sqlite(directory: Path, rules, codelists) -> sqlite3.Connection:
    """The tables in a SQLite file, loaded the fast way: no journal, no fsync, one transaction,
    rows straight from Arrow batches (dates as ISO text, converted by Arrow), indexes after."""
    path = directory / "baseline.sqlite3"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_MIB * 1024}")
    db.execute("BEGIN")
    for name, columns in SQLITE_COLUMNS.items():
        db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        insert = f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})"
        parquet = pq.ParquetFile(directory / f"{name}.parquet")
        for batch in parquet.iter_batches(200_000, columns=list(columns)):
            db.executemany(insert, zip(*(_sqlite_values(c) for c in batch.columns), strict=True))
    db.execute("CREATE TABLE code_map (code, kind, feature, resolved, ends)")
    db.executemany("INSERT INTO code_map VALUES (?, ?, ?, ?, ?)", _code_map(rules, codelists))
    db.execute("CREATE TABLE admission_codes (code PRIMARY KEY)")
    admission = codelists[rules.high_use.emergency_admission_codelist].codes
    db.executemany("INSERT INTO admission_codes VALUES (?)", [(c,) for c in admission])
    db.execute("COMMIT")
    db.execute("CREATE INDEX code_map_code ON code_map (code)")
    db.execute("ANALYZE")
    return db


def run_sqlite(directory: Path) -> tuple[list[tuple[int, int]], float]:
    """Returns the cohort and the seconds spent loading the tables (not the query)."""
    rules, codelists = load_ruleset(), read_codelists(CODELIST_DIR)
    loading = time.perf_counter()
    db = load_sqlite(directory, rules, codelists)
    loaded = time.perf_counter() - loading
    by_name = rules.medicines_by_name
    db.create_function(
        "medicine_key", 2, lambda code, name: medicine_key(code, name, by_name), deterministic=True
    )
    start = INDEX_DATE - timedelta(days=rules.high_use.window_days)
    params = {
        "idx": INDEX_DATE.isoformat(),
        "start": start.isoformat(),
        "poly": rules.polypharmacy_medicines,
        "physical": rules.complex_needs.physical_ltcs_with_mental_health,
        "ltcs": rules.complex_needs.ltcs,
        "admissions": rules.high_use.emergency_admissions,
        "gp": rules.high_use.gp_contacts,
    }
    try:
        return [tuple(row) for row in db.execute(cohort_sql(rules), params)], loaded
    finally:
        db.close()


def _sqlite_values(column: pa.Array) -> list:
    if pa.types.is_date(column.type):
        column = column.cast(pa.string())  # ISO dates, which compare as the dates do
    return column.to_pylist()


# --- the harness ----------------------------------------------------------------------------


def child(engine: str, directory: Path, residents: int, events: int) -> None:
    """Run one step in this (child) process and print its result as JSON."""
    if engine == "generate":
        print(json.dumps(generate(directory, residents, events)))
        return
    started = time.perf_counter()
    extra = {}
    if engine == "duckdb":
        cohort = run_duckdb(directory)
    elif engine == "pandas":
        cohort = run_pandas(directory)
    else:
        cohort, extra["load_seconds"] = run_sqlite(directory)
    seconds = time.perf_counter() - started - extra.get("load_seconds", 0.0)
    print(json.dumps({"seconds": seconds, "cohort": cohort, **extra}))


def measure(engine: str, directory: Path, residents: int = 0, events: int = 0) -> dict:
    process = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            engine,
            "--directory",
            str(directory),
            "--residents",
            str(residents),
            "--events",
            str(events),
        ],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{engine} failed with exit code {process.returncode}")
    result = json.loads(output)
    if isinstance(result, dict):
        result["peak_mib"] = usage.ru_maxrss / 1024
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--engines", nargs="+", default=["duckdb", "pandas", "sqlite"])
    parser.add_argument("--child", choices=["generate", "duckdb", "pandas", "sqlite"])
    parser.add_argument("--directory", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.directory, args.residents[0], args.events)
        return 0
    for residents in args.residents:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            started = time.perf_counter()
            rows = measure("generate", directory, residents, args.events)
            print(
                f"\n{residents:,} residents: {rows['coded_events']:,} coded events, "
                f"{rows['medications']:,} medicines, {rows['contacts']:,} contacts "
                f"(generated to Parquet in {time.perf_counter() - started:.1f} s)",
                flush=True,
            )
            results = {}
            for engine in args.engines:
                results[engine] = measure(engine, directory)
                r = results[engine]
                load = f" (+{r['load_seconds']:.1f} s loading)" if "load_seconds" in r else ""
                print(
                    f"  {engine:<7} {r['seconds']:8.2f} s{load}  peak {r['peak_mib']:7.0f} MiB"
                    f"  cohort {len(r['cohort']):,}",
                    flush=True,
                )
            base = results[args.engines[0]]
            for engine in args.engines[1:]:
                r = results[engine]
                print(
                    f"  {engine} / {args.engines[0]}: {r['seconds'] / base['seconds']:.1f}x the "
                    f"time, {r['peak_mib'] / base['peak_mib']:.1f}x the memory"
                )
                same = r["cohort"] == base["cohort"]
                print(f"  same cohort, same order as {args.engines[0]}: {'yes' if same else 'NO'}")
                assert same, f"{engine} found a different cohort from {args.engines[0]}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
