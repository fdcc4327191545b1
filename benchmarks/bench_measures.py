"""Benchmark: the full measure suite for one month on a 1,000,000-resident population, on
DuckDB, against a plain-pandas baseline computing the same numerators and denominators.

    uv run python benchmarks/bench_measures.py [--residents 1000000] [--neighbourhoods 25]

The analytic tables are generated straight to Parquet with numpy, seeded: persons, coded
events, medicines and contacts by the case-finding benchmark's generator (imported from
bench_casefinding.py, so both benchmarks read the same population), then spread over
neighbourhoods and ethnic groups, and the tables the measures add (access requests and their
appointments, referrals and services, Friends and Family Test answers, care teams, care plans,
MDT reviews, carers, preferences, usual GP choices). Each engine runs in its own child process
so its peak memory (RSS) can be read from the operating system:

- DuckDB: oneroof.analytics.measures.run_measures over the Parquet snapshot (every measure,
  every neighbourhood, every breakdown);
- pandas: the same measures written by hand with merges and group-bys, the complex-needs
  cohort taken from bench_casefinding's pandas baseline.

The script asserts that both give the same totals and the same IMD-quintile cells for every
measure in every neighbourhood.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_casefinding  # noqa: E402

from oneroof.analytics import engines  # noqa: E402
from oneroof.analytics.codelists import read_codelists  # noqa: E402
from oneroof.analytics.measures import MEASURES, Period, run_measures  # noqa: E402
from oneroof.analytics.measures.definitions import RIGHTS  # noqa: E402
from oneroof.analytics.measures.periods import london_midnight, years_before  # noqa: E402
from oneroof.analytics.rules import load_ruleset  # noqa: E402
from oneroof.analytics.schema import TABLES  # noqa: E402
from oneroof.analytics.snapshot import MANIFEST, open_snapshot  # noqa: E402

PERIOD = Period.containing(bench_casefinding.INDEX_DATE)  # June 2026
END = PERIOD.end
CODELIST_DIR = bench_casefinding.CODELIST_DIR
SERVICES = [
    # service, name, sector, mental health, standard days, standard percent
    ("physio", "Physiotherapy", "nhs", False, 42, 92),
    ("falls", "Falls service", "nhs", False, 14, 90),
    ("district-nursing", "District nursing", "nhs", False, 2, 95),
    ("podiatry", "Podiatry", "nhs", False, 56, 92),
    ("talking-therapies", "Talking therapies", "nhs", True, 42, 75),
    ("eip", "Early intervention in psychosis", "nhs", True, 14, 60),
    ("community-mh", "Community mental health team", "nhs", True, 28, 80),
    ("social-prescribing", "Social prescribing", "voluntary", False, 14, 80),
    ("befriending", "Befriending", "voluntary", False, None, None),
    ("housing", "Housing advice", "council", False, 10, 90),
    ("adult-social-care", "Adult social care assessment", "council", False, 28, 90),
    ("debt-advice", "Debt advice", "voluntary", False, None, None),
]
SOCIAL_SECTORS = ("council", "voluntary")


# --- the data ---------------------------------------------------------------------------------


def _timestamps(days: np.ndarray, seconds: np.ndarray) -> pa.Array:
    """UTC instants: midnight of each day plus so many seconds."""
    moments = days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    return pa.array(moments.astype("datetime64[us]"), type=pa.timestamp("us", tz="UTC"))


def _write(directory: Path, name: str, columns: dict) -> int:
    table = pa.table(columns).cast(TABLES[name].arrow_schema())
    pq.write_table(table, directory / f"{name}.parquet")
    return table.num_rows


def generate(directory: Path, residents: int, neighbourhoods: int, events: int) -> dict:
    """The case-finding benchmark's population, plus every table the measures read."""
    rows = bench_casefinding.generate(directory, residents, events)
    rng = np.random.default_rng([bench_casefinding.SEED, residents, 4])
    persons = pq.read_table(directory / "persons.parquet")
    n = persons.num_rows
    ids = persons["person_id"].to_numpy()
    ethnic = rng.choice(
        ["white", "asian", "black", "mixed", "other", "not_stated"],
        size=n,
        p=[0.74, 0.1, 0.05, 0.03, 0.03, 0.05],
    )
    persons = persons.set_column(
        persons.schema.get_field_index("ethnic_group"), "ethnic_group", pa.array(ethnic)
    ).set_column(
        persons.schema.get_field_index("neighbourhood_id"),
        "neighbourhood_id",
        pa.array(rng.integers(1, neighbourhoods + 1, n)),
    )
    pq.write_table(persons, directory / "persons.parquet")
    june = np.datetime64(PERIOD.start.isoformat(), "D")

    def pick(share: float) -> np.ndarray:
        return ids[rng.random(n) < share]

    # Access requests: about 0.3 a resident in June, and some in May; a third booked ahead.
    count = int(n * 0.35)
    asked_days = june + rng.integers(-20, 30, count)
    asked_seconds = rng.integers(7 * 3600, 18 * 3600, count)
    outcome = rng.choice(["met", "offered", "unmet"], size=count, p=[0.72, 0.1, 0.18])
    request_ids = np.arange(1, count + 1)
    booked = outcome == "met"
    wait = rng.gamma(1.2, 40 * 3600, count).astype(np.int64)
    rows["access_requests"] = _write(
        directory,
        "access_requests",
        {
            "request_id": request_ids,
            "person_id": rng.choice(ids, count),
            "practice_id": rng.integers(1, 4, count),
            "requested_at": _timestamps(asked_days, asked_seconds),
            "right": rng.choice(list(RIGHTS), size=count, p=[0.5, 0.3, 0.2]),
            "outcome": outcome,
            "appointment_id": np.where(booked, request_ids, None),
            "chosen_gp_id": rng.integers(1, 40, count),
        },
    )
    appointment = request_ids[booked]
    rows["appointments"] = _write(
        directory,
        "appointments",
        {
            "appointment_id": appointment,
            "person_id": np.zeros(len(appointment), dtype=np.int64),
            "professional_id": rng.integers(1, 40, len(appointment)),
            "profession": np.full(len(appointment), "gp"),
            "practice_id": rng.integers(1, 4, len(appointment)),
            "start_at": _timestamps(asked_days[booked], asked_seconds[booked] + wait[booked]),
            "mode": np.full(len(appointment), "face_to_face"),
            "status": rng.choice(
                ["booked", "fulfilled", "cancelled", "noshow"],
                size=len(appointment),
                p=[0.3, 0.6, 0.05, 0.05],
            ),
            "right": np.full(len(appointment), None),
        },
    )
    answers = int(n * 0.1)
    rows["feedback"] = _write(
        directory,
        "feedback",
        {
            "appointment_id": np.full(answers, None),
            "person_id": rng.choice(ids, answers),
            "practice_id": rng.integers(1, 4, answers),
            "submitted_at": _timestamps(
                june + rng.integers(-5, 30, answers), rng.integers(0, 86400, answers)
            ),
            "answer": rng.choice(
                ["very_good", "good", "neither", "poor", "very_poor", "dont_know"],
                size=answers,
                p=[0.6, 0.22, 0.06, 0.04, 0.04, 0.04],
            ),
        },
    )
    services = [list(column) for column in zip(*SERVICES, strict=True)]
    rows["services"] = _write(
        directory,
        "services",
        {
            "service": services[0],
            "name": services[1],
            "sector": services[2],
            "is_mental_health": services[3],
            "standard_days": services[4],
            "standard_percent": services[5],
        },
    )
    referred = int(n * 0.12)
    authored_days = june - rng.integers(0, 300, referred)
    authored_seconds = rng.integers(0, 86400, referred)
    delay = rng.gamma(1.5, 18 * 86400, referred).astype(np.int64)
    seen = rng.random(referred) < 0.85
    seen_moments = authored_days.astype("datetime64[s]") + (authored_seconds + delay).astype(
        "timedelta64[s]"
    )
    # Treated (a mental health clock's stop) some weeks after first seen, or not yet; closed
    # (declined, sent on or completed) for some.
    treated = seen & (rng.random(referred) < 0.7)
    treated_moments = seen_moments + rng.gamma(1.5, 14 * 86400, referred).astype("timedelta64[s]")
    closed = rng.random(referred) < 0.5
    closed_moments = authored_days.astype("datetime64[s]") + rng.integers(
        0, 200 * 86400, referred
    ).astype("timedelta64[s]")

    def moments(present: np.ndarray, when: np.ndarray) -> pa.Array:
        return pa.array(
            np.where(present, when, np.datetime64("NaT")).astype("datetime64[us]"),
            type=pa.timestamp("us", tz="UTC"),
            from_pandas=True,  # NaT is null
        )

    rows["referrals"] = _write(
        directory,
        "referrals",
        {
            "referral_id": np.arange(1, referred + 1),
            "person_id": rng.choice(ids, referred),
            "front_door": rng.choice(["self", "gp", "pharmacist", "optician"], referred),
            "service": rng.choice(services[0], referred),
            "status": np.full(referred, "seen"),
            "authored_at": _timestamps(authored_days, authored_seconds),
            "first_seen_at": moments(seen, seen_moments),
            "first_treated_at": moments(treated, treated_moments),
            "closed_at": moments(closed, closed_moments),
        },
    )
    teams = pick(0.2)
    rows["care_teams"] = _write(
        directory,
        "care_teams",
        {
            "person_id": teams,
            "coordinator_id": np.where(rng.random(len(teams)) < 0.7, 70, None),
            "members": rng.integers(1, 6, len(teams)),
        },
    )
    plans = pick(0.25)
    index = np.datetime64(END.isoformat(), "D")
    rows["care_plans"] = _write(
        directory,
        "care_plans",
        {
            "person_id": plans,
            "next_review_date": index + rng.integers(-100, 300, len(plans)),
            "updated_on": index - rng.integers(0, 800, len(plans)),
            "active_goals": rng.integers(0, 5, len(plans)),
        },
    )
    reviewed = np.repeat(pick(0.2), 2)
    rows["care_plan_reviews"] = _write(
        directory,
        "care_plan_reviews",
        {"person_id": reviewed, "reviewed_on": index - rng.integers(0, 800, len(reviewed))},
    )
    reviews = np.repeat(pick(0.06), 2)
    rows["mdt_reviews"] = _write(
        directory,
        "mdt_reviews",
        {"person_id": reviews, "held_on": index - rng.integers(0, 700, len(reviews))},
    )
    caring = pick(0.04)
    rows["carers"] = _write(
        directory,
        "carers",
        {
            "person_id": rng.choice(ids, len(caring)),
            "carer_person_id": caring,
            "relationship": np.full(len(caring), "CHILD"),
            "is_main_carer": rng.random(len(caring)) < 0.6,
            "is_young_carer": np.zeros(len(caring), dtype=bool),
            "start_date": index - rng.integers(0, 3000, len(caring)),
            "end_date": np.where(rng.random(len(caring)) < 0.1, index - 10, None),
        },
    )
    told = pick(0.03)
    rows["preferences"] = _write(
        directory,
        "preferences",
        {
            "person_id": told,
            "kind": rng.choice(["place_of_care", "place_of_death", "communication"], len(told)),
            "recorded_on": index - rng.integers(-20, 900, len(told)),
        },
    )
    chose = pick(0.1)
    rows["usual_gp_choices"] = _write(
        directory,
        "usual_gp_choices",
        {"person_id": chose, "professional_id": rng.integers(1, 40, len(chose))},
    )
    manifest = json.loads((directory / MANIFEST).read_text())
    manifest["rows"] = rows
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return rows


# --- DuckDB -------------------------------------------------------------------------------------


def cells_of(results) -> dict[str, list]:
    """Total and IMD-quintile cells of every result, keyed as text for JSON."""
    cells = {}
    for r in results:
        parts = [("total", r.total), *((f"imd:{g}", c) for g, c in r.cells("imd_quintile").items())]
        for name, cell in parts:
            cells[f"{r.measure}|{r.neighbourhood_id}|{name}"] = [cell.units, cell.numerator]
    return cells


def run_duckdb(directory: Path) -> dict:
    con = engines.duckdb_connection()
    tables = open_snapshot(con, directory)
    results = run_measures(
        con,
        tables,
        period=PERIOD,
        rules=load_ruleset(),
        codelists=read_codelists(CODELIST_DIR),
    )
    return cells_of(results)


# --- pandas ---------------------------------------------------------------------------------


class Pandas:
    """The same measures by hand: merges and group-bys over DataFrames read from Parquet."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._events = None
        self.rules = load_ruleset()
        self.codelists = read_codelists(CODELIST_DIR)
        self.start = pd.Timestamp(PERIOD.utc_start)
        self.end = pd.Timestamp(PERIOD.utc_end)
        people = self.read("persons")
        end = pd.Timestamp(END)
        start = pd.Timestamp(PERIOD.start)
        for column in ("birth_date", "death_date", "moved_out_on"):
            people[column] = pd.to_datetime(people[column])
        people = people[people.birth_date <= end]
        people["resident"] = (people.death_date.isna() | (people.death_date > end)) & (
            people.moved_out_on.isna() | (people.moved_out_on > end)
        )
        people["present"] = (people.death_date.isna() | (people.death_date >= start)) & (
            people.moved_out_on.isna() | (people.moved_out_on >= start)
        )
        decile = people.imd_decile
        people["imd"] = np.where(
            decile.between(1, 10), ((decile.fillna(0) + 1) // 2).astype(int).astype(str), "unknown"
        )
        self.people = people[["person_id", "neighbourhood_id", "imd", "resident", "present"]]
        cohort = bench_casefinding.run_pandas(directory)
        self.complex_needs = {person for person, _ in cohort}

    def read(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.directory / f"{name}.parquet")

    def in_month(self, column: pd.Series) -> pd.Series:
        return (column >= self.start) & (column < self.end)

    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = self.read("coded_events")
        return self._events

    def active_codes(self, slugs) -> set[int]:
        codes = set().union(*(self.codelists[s].codes for s in slugs))
        events = self.events()
        events = events[
            events.snomed_concept_id.isin(codes)
            & (pd.to_datetime(events.date) <= pd.Timestamp(END))
            & (events.status.isna() | (events.status == "active"))
        ]
        return set(events.person_id)

    def units(self, units: pd.DataFrame, *, people="present") -> pd.DataFrame:
        """Join units (person_id, value) to the people counted and sum by neighbourhood."""
        joined = units.merge(self.people[self.people[people]], on="person_id")
        return joined.dropna(subset=["neighbourhood_id"])

    def residents(self, values: pd.Series) -> pd.DataFrame:
        people = self.people[self.people.resident]
        return pd.DataFrame({"person_id": people.person_id, "value": values.loc[people.index]})

    def flag(self, people: pd.DataFrame, members: set) -> pd.DataFrame:
        return pd.DataFrame(
            {"person_id": people.person_id, "value": people.person_id.isin(members).astype(float)}
        )

    def right_met(self, right: str) -> pd.DataFrame:
        r = self.read("access_requests")
        r = r[(r["right"] == right) & self.in_month(r.requested_at)]
        return self.units(
            pd.DataFrame(
                {"person_id": r.person_id, "value": r.outcome.isin(["met", "offered"]) * 1.0}
            )
        )

    def booked(self, right: str) -> pd.DataFrame:
        r = self.read("access_requests")
        a = self.read("appointments")
        a = a[a.start_at.notna() & (a.status.isna() | (a.status != "cancelled"))]
        r = r[(r["right"] == right) & self.in_month(r.requested_at)]
        j = r.merge(a[["appointment_id", "start_at", "professional_id"]], on="appointment_id")
        return j[j.start_at >= j.requested_at]

    def time_to_appointment(self, right: str, seconds: int) -> pd.DataFrame:
        j = self.booked(right)
        waited = (j.start_at - j.requested_at).dt.total_seconds() // 1
        return self.units(pd.DataFrame({"person_id": j.person_id, "value": waited / seconds}))

    def chosen_gp(self) -> pd.DataFrame:
        j = self.booked("book_ahead")
        j = j[j.chosen_gp_id.notna()]
        value = (j.professional_id == j.chosen_gp_id) * 1.0
        return self.units(pd.DataFrame({"person_id": j.person_id, "value": value}))

    def continuity(self, index: str) -> pd.DataFrame:
        c = self.read("contacts")
        c["contact_date"] = pd.to_datetime(c.contact_date)
        end = pd.Timestamp(END)
        c = c[
            (c.profession == "gp")
            & c.professional_id.notna()
            & (c.contact_date > end - pd.Timedelta(days=730))
            & (c.contact_date <= end)
        ].copy()
        c["no_time"] = c.occurred_at.isna()
        c = c.sort_values(
            ["person_id", "contact_date", "no_time", "occurred_at", "professional_id"]
        )
        c["position"] = c.groupby("person_id").cumcount()
        c["repeat"] = (c.professional_id == c.groupby("person_id").professional_id.shift()) * 1
        per_gp = c.groupby(["person_id", "professional_id"]).agg(
            n=("position", "size"), last=("position", "max")
        )
        per_gp = per_gp.reset_index()
        people = c.groupby("person_id").agg(
            contacts=("position", "size"), repeats=("repeat", "sum")
        )
        people["squares"] = (per_gp.n**2).groupby(per_gp.person_id).sum()
        most = per_gp.sort_values(["person_id", "n", "last"], ascending=[True, False, False])
        people["most_seen"] = most.groupby("person_id").professional_id.first()
        chosen = self.read("usual_gp_choices").dropna(subset=["professional_id"])
        people["chosen"] = chosen.groupby("person_id").professional_id.max()
        people["usual"] = people.chosen.fillna(people.most_seen).astype("int64")
        people = people.reset_index()
        usual = people[["person_id", "usual"]].merge(
            per_gp, left_on=["person_id", "usual"], right_on=["person_id", "professional_id"]
        )
        people["with_usual"] = people.person_id.map(usual.set_index("person_id").n).fillna(0)
        people = people[people.contacts >= 2]
        n = people.contacts.astype(float)
        value = {
            "upc": people.with_usual / n,
            "coc": (people.squares - n) / (n * (n - 1)),
            "secon": people.repeats / (n - 1),
        }[index]
        return self.units(
            pd.DataFrame({"person_id": people.person_id, "value": value}), people="resident"
        )

    def complex_needs_share(self, requirement: str) -> pd.DataFrame:
        cohort = self.people[self.people.resident & self.people.person_id.isin(self.complex_needs)]
        last_year = (pd.Timestamp(END) - pd.DateOffset(years=1), pd.Timestamp(END))
        if requirement == "coordinator":
            teams = self.read("care_teams")
            met = set(teams[teams.coordinator_id.notna()].person_id)
        else:
            table, column = (
                ("care_plan_reviews", "reviewed_on")
                if requirement == "care_plan_reviewed"
                else ("mdt_reviews", "held_on")
            )
            rows = self.read(table)
            day = pd.to_datetime(rows[column])
            met = set(rows[(day > last_year[0]) & (day <= last_year[1])].person_id)
        return self.units(self.flag(cohort, met), people="resident")

    def carers(self) -> pd.DataFrame:
        end = pd.Timestamp(END)
        c = self.read("carers")
        start, stop = pd.to_datetime(c.start_date), pd.to_datetime(c.end_date)
        c = c[
            c.carer_person_id.notna()
            & (start.isna() | (start <= end))
            & (stop.isna() | (stop > end))
        ]
        coded = self.active_codes([dict(self.rules.flags)["carer"]])
        residents = self.people[self.people.resident]
        return self.units(self.flag(residents, coded | set(c.carer_person_id)), people="resident")

    def palliative(self) -> pd.DataFrame:
        slug = dict(self.rules.flags)["palliative"]
        on_register = self.people.person_id.isin(self.active_codes([slug]))
        register = self.people[self.people.resident & on_register]
        p = self.read("preferences")
        recorded = pd.to_datetime(p.recorded_on)
        p = p[(p.kind == "place_of_care") & (recorded.isna() | (recorded <= pd.Timestamp(END)))]
        return self.units(self.flag(register, set(p.person_id)), people="resident")

    def standards(self, mental_health: bool) -> pd.DataFrame:
        s = self.read("services")
        s = s[s.standard_days.notna() & (s.is_mental_health.fillna(False) == mental_health)]
        return s[["service", "standard_days"]]

    def referrals_within_standard(self, mental_health: bool) -> pd.DataFrame:
        stop = "first_treated_at" if mental_health else "first_seen_at"
        r = self.read("referrals")
        r = r[r.authored_at.notna() & self.in_month(r[stop])]
        j = r.merge(self.standards(mental_health), on="service")
        waited = (j[stop] - j.authored_at).dt.total_seconds() // 1 / 86400
        value = (waited <= j.standard_days) * 1.0
        return self.units(pd.DataFrame({"person_id": j.person_id, "value": value}))

    def referrals_waiting(self, mental_health: bool) -> pd.DataFrame:
        stop = "first_treated_at" if mental_health else "first_seen_at"
        r = self.read("referrals")
        r = r[
            r.authored_at.notna()
            & (r.authored_at < self.end)
            & (r[stop].isna() | (r[stop] >= self.end))
            & (r.closed_at.isna() | (r.closed_at >= self.end))
        ]
        j = r.merge(self.standards(mental_health), on="service")
        waited = (self.end - j.authored_at).dt.total_seconds() // 1 / 86400
        value = (waited <= j.standard_days) * 1.0
        return self.units(
            pd.DataFrame({"person_id": j.person_id, "value": value}), people="resident"
        )

    def fft(self) -> pd.DataFrame:
        f = self.read("feedback")
        f = f[f.answer.notna() & self.in_month(f.submitted_at)]
        value = f.answer.isin(["very_good", "good"]) * 1.0
        return self.units(pd.DataFrame({"person_id": f.person_id, "value": value}))

    def social_identified(self) -> pd.DataFrame:
        needs = self.active_codes([n.codelist for n in self.rules.social_needs])
        residents = self.people[self.people.resident]
        return self.units(self.flag(residents, needs), people="resident")

    def social_referred(self) -> pd.DataFrame:
        codes = set().union(*(self.codelists[n.codelist].codes for n in self.rules.social_needs))
        e = self.events()
        day = pd.to_datetime(e.date)
        end = pd.Timestamp(END)
        recent = e.snomed_concept_id.isin(codes) & (day > end - pd.DateOffset(years=1))
        needs = set(e[recent & (day <= end)].person_id)
        s = self.read("services")
        helping = set(s[s.sector.isin(SOCIAL_SECTORS)].service)
        r = self.read("referrals")
        since = pd.Timestamp(london_midnight(years_before(END, 1) + timedelta(days=1)))
        window = (r.authored_at >= since) & (r.authored_at < self.end)
        referred = set(r[r.service.isin(helping) & window].person_id)
        people = self.people[self.people.resident & self.people.person_id.isin(needs)]
        return self.units(self.flag(people, referred), people="resident")

    def all(self) -> dict[str, pd.DataFrame]:
        return {
            "right-met-same-day": self.right_met("same_day"),
            "right-met-within-48h": self.right_met("within_48h"),
            "right-met-book-ahead": self.right_met("book_ahead"),
            "time-to-appointment-same-day": self.time_to_appointment("same_day", 3600),
            "time-to-appointment-within-48h": self.time_to_appointment("within_48h", 3600),
            "time-to-appointment-book-ahead": self.time_to_appointment("book_ahead", 86400),
            "book-ahead-with-chosen-gp": self.chosen_gp(),
            "continuity-upc": self.continuity("upc"),
            "continuity-coc": self.continuity("coc"),
            "continuity-secon": self.continuity("secon"),
            "complex-needs-coordinator": self.complex_needs_share("coordinator"),
            "complex-needs-care-plan-reviewed": self.complex_needs_share("care_plan_reviewed"),
            "complex-needs-mdt-review": self.complex_needs_share("mdt_review"),
            "carers-identified": self.carers(),
            "palliative-preferred-place": self.palliative(),
            "referrals-within-standard": self.referrals_within_standard(False),
            "mental-health-referrals-within-standard": self.referrals_within_standard(True),
            "referrals-waiting-within-standard": self.referrals_waiting(False),
            "mental-health-waiting-within-standard": self.referrals_waiting(True),
            "fft-positive": self.fft(),
            "social-needs-identified": self.social_identified(),
            "social-needs-referred": self.social_referred(),
        }


def run_pandas(directory: Path) -> dict:
    cells = {}
    for key, units in Pandas(directory).all().items():
        for (neighbourhood, imd), group in units.groupby(["neighbourhood_id", "imd"]):
            cells[f"{key}|{int(neighbourhood)}|imd:{imd}"] = [len(group), float(group.value.sum())]
        for neighbourhood, group in units.groupby("neighbourhood_id"):
            cells[f"{key}|{int(neighbourhood)}|total"] = [len(group), float(group.value.sum())]
    return cells


# --- the harness ----------------------------------------------------------------------------


def child(engine: str, directory: Path, args) -> None:
    if engine == "generate":
        print(json.dumps(generate(directory, args.residents, args.neighbourhoods, args.events)))
        return
    started = time.perf_counter()
    cells = run_duckdb(directory) if engine == "duckdb" else run_pandas(directory)
    print(json.dumps({"seconds": time.perf_counter() - started, "cells": cells}))


def spawn(engine: str, directory: Path, args) -> dict:
    command = [
        sys.executable, __file__, "--child", engine, "--directory", str(directory),
        "--residents", str(args.residents), "--neighbourhoods", str(args.neighbourhoods),
        "--events", str(args.events),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{engine} failed with exit code {os.waitstatus_to_exitcode(status)}")
    result = json.loads(output)
    if isinstance(result, dict) and "seconds" in result:
        result["peak_mib"] = usage.ru_maxrss / 1024
    return result


def compare(duckdb: dict, pandas: dict) -> list[str]:
    """Differences between the two engines' cells (an empty cell is a zero)."""
    differences = []
    for key in sorted(set(duckdb) | set(pandas)):
        a, b = duckdb.get(key, [0, 0.0]), pandas.get(key, [0, 0.0])
        if a[0] != b[0] or abs(a[1] - b[1]) > 1e-6 * max(1.0, abs(a[1])):
            differences.append(f"{key}: duckdb {a}, pandas {b}")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--neighbourhoods", type=int, default=25)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--child", choices=["generate", "duckdb", "pandas"])
    parser.add_argument("--directory", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.directory, args)
        return 0
    with tempfile.TemporaryDirectory(prefix="oneroof-measures-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        rows = spawn("generate", directory, args)
        print(
            f"{args.residents:,} residents in {args.neighbourhoods} neighbourhoods, "
            f"{PERIOD.label}: {rows['coded_events']:,} coded events, {rows['contacts']:,} "
            f"contacts, {rows['access_requests']:,} access requests, {rows['referrals']:,} "
            f"referrals, {rows['feedback']:,} FFT answers "
            f"(generated to Parquet in {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        results = {engine: spawn(engine, directory, args) for engine in ("duckdb", "pandas")}
    cells = len(results["duckdb"]["cells"])
    for engine, r in results.items():
        print(f"  {engine:<7} {r['seconds']:8.1f} s   peak {r['peak_mib']:7.0f} MiB", flush=True)
    d, p = results["duckdb"], results["pandas"]
    print(
        f"  pandas / duckdb: {p['seconds'] / d['seconds']:.1f}x the time, "
        f"{p['peak_mib'] / d['peak_mib']:.1f}x the memory"
    )
    differences = compare(d["cells"], p["cells"])
    print(
        f"  {len(MEASURES)} measures, {cells:,} total and IMD-quintile cells: "
        f"{'the same in both' if not differences else f'{len(differences)} DIFFER'}"
    )
    for line in differences[:10]:
        print(f"    {line}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
