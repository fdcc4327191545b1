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

The script asserts that all three find the same cohort in the same priority order.
"""

import argparse
import json
import os
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
            "dmd_code": rng.integers(1, 40, len(mwho)).astype(str),
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


def _code_map(rules, codelists) -> list[tuple[str, str, str, int]]:
    rows = []
    for d in rules.coded_deficits:
        rows += [(c, "efi", d.key, 1) for c in codelists[d.codelist].codes]
    for cond in rules.conditions:
        rows += [(c, LTC[cond.kind], cond.key, 0) for c in codelists[cond.codelist].codes]
    for slug in rules.housebound_codelists:
        rows += [(c, "housebound", slug, 0) for c in codelists[slug].codes]
    return rows


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
    ][["person_id", "imd_decile"]]
    events = read("coded_events")
    events["date"] = pd.to_datetime(events["date"])
    events = events[events.date <= idx]
    mapping = pd.DataFrame(
        _code_map(rules, codelists), columns=["snomed_concept_id", "kind", "feature", "resolved"]
    )
    hits = events.merge(mapping, on="snomed_concept_id")
    hits = hits[(hits.resolved == 1) | hits.status.isna() | (hits.status == "active")]
    hits = hits[["person_id", "kind", "feature"]].drop_duplicates()
    per = (
        hits.assign(
            efi=hits.kind == "efi",
            ltc=hits.kind.str.startswith("ltc_"),
            physical=hits.kind == "ltc_physical",
            mental=hits.kind == "ltc_mental",
            housebound=hits.kind == "housebound",
        )
        .groupby("person_id")[["efi", "ltc", "physical", "mental", "housebound"]]
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
    medicines = meds.groupby("person_id").dmd_code.nunique().rename("medicines")
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
    admissions = admitted.groupby("person_id").date.nunique().rename("admissions")
    t = people.set_index("person_id").join([per, medicines, gp_contacts, admissions]).fillna(0)
    deficits = t.efi + (t.medicines >= rules.polypharmacy_medicines)
    frailty_max = dict(rules.category_max_deficits())["mild"]  # moderate or severe: above mild
    wanted = rules.complex_needs
    complex_needs = (
        (deficits > frailty_max)
        | ((t.mental > 0) & (t.physical >= wanted.physical_ltcs_with_mental_health))
        | (t.ltc >= wanted.ltcs)
        | (t.housebound > 0)
        | (t.admissions >= rules.high_use.emergency_admissions)
        | (t.gp_contacts >= rules.high_use.gp_contacts)
    )
    cohort = t[complex_needs].assign(efi_deficits=deficits[complex_needs]).reset_index()
    cohort["no_decile"] = cohort.imd_decile.isna()
    cohort = cohort.sort_values(
        ["no_decile", "imd_decile", "efi_deficits", "ltc", "person_id"],
        ascending=[True, True, False, False, True],
    )
    return [(int(p), n) for n, p in enumerate(cohort.person_id, start=1)]


SQL = """
WITH people AS (
  SELECT person_id, imd_decile FROM persons
  WHERE birth_date <= :idx AND (death_date IS NULL OR death_date > :idx)
    AND (moved_out_on IS NULL OR moved_out_on > :idx)
),
hits AS (
  SELECT DISTINCT e.person_id, m.kind, m.feature FROM coded_events e
  JOIN code_map m ON m.code = e.snomed_concept_id
  WHERE e.date <= :idx AND (m.resolved = 1 OR e.status IS NULL OR e.status = 'active')
),
features AS (
  SELECT person_id,
    SUM(kind = 'efi') AS efi,
    SUM(kind LIKE 'ltc_%') AS ltc,
    SUM(kind = 'ltc_physical') AS physical,
    MAX(kind = 'ltc_mental') AS mental,
    MAX(kind = 'housebound') AS housebound
  FROM hits GROUP BY person_id
),
meds AS (
  SELECT person_id, COUNT(DISTINCT dmd_code) AS medicines FROM medications
  WHERE status = 'active' AND start_date <= :idx AND (end_date IS NULL OR end_date > :idx)
  GROUP BY person_id
),
gp AS (
  SELECT person_id, COUNT(*) AS gp_contacts FROM contacts
  WHERE contact_date > :start AND contact_date <= :idx AND profession = 'gp'
  GROUP BY person_id
),
admissions AS (
  SELECT person_id, COUNT(DISTINCT date) AS admissions FROM coded_events
  WHERE date > :start AND date <= :idx
    AND snomed_concept_id IN (SELECT code FROM admission_codes)
  GROUP BY person_id
),
scored AS (
  SELECT p.person_id, p.imd_decile,
    COALESCE(f.efi, 0) + (COALESCE(m.medicines, 0) >= :poly) AS efi_deficits,
    COALESCE(f.ltc, 0) AS ltc, COALESCE(f.physical, 0) AS physical,
    COALESCE(f.mental, 0) AS mental, COALESCE(f.housebound, 0) AS housebound,
    COALESCE(g.gp_contacts, 0) AS gp_contacts, COALESCE(a.admissions, 0) AS admissions
  FROM people p
  LEFT JOIN features f USING (person_id) LEFT JOIN meds m USING (person_id)
  LEFT JOIN gp g USING (person_id) LEFT JOIN admissions a USING (person_id)
)
SELECT person_id, ROW_NUMBER() OVER (
  ORDER BY imd_decile IS NULL, imd_decile, efi_deficits DESC, ltc DESC, person_id) AS priority
FROM scored
WHERE efi_deficits > :mild OR (mental = 1 AND physical >= :physical) OR ltc >= :ltcs
   OR housebound = 1 OR admissions >= :admissions OR gp_contacts >= :gp
ORDER BY priority
"""


# The columns the cohort query reads: the baseline loads those, as DuckDB reads only those
# from Parquet.
SQLITE_COLUMNS = {
    "persons": ("person_id", "birth_date", "death_date", "moved_out_on", "imd_decile"),
    "coded_events": ("person_id", "snomed_concept_id", "date", "status"),
    "medications": ("person_id", "dmd_code", "start_date", "end_date", "status"),
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
    db.execute("CREATE TABLE code_map (code, kind, feature, resolved)")
    db.executemany("INSERT INTO code_map VALUES (?, ?, ?, ?)", _code_map(rules, codelists))
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
    start = INDEX_DATE - timedelta(days=rules.high_use.window_days)
    params = {
        "idx": INDEX_DATE.isoformat(),
        "start": start.isoformat(),
        "poly": rules.polypharmacy_medicines,
        "mild": dict(rules.category_max_deficits())["mild"],
        "physical": rules.complex_needs.physical_ltcs_with_mental_health,
        "ltcs": rules.complex_needs.ltcs,
        "admissions": rules.high_use.emergency_admissions,
        "gp": rules.high_use.gp_contacts,
    }
    try:
        return [tuple(row) for row in db.execute(SQL, params)], loaded
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
