"""The reference engine for the measures: plain Python, one row at a time.

Written to be obviously right rather than fast. It shares nothing with expressions.py but the
definitions and the case-finding reference engine; the spec tests run every case on both.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from oneroof.analytics import reference as casefinding
from oneroof.analytics.codelists import Codelist
from oneroof.analytics.rules import RuleSet

from .definitions import AGE_BANDS, KNOWN_ETHNIC_GROUPS, UNKNOWN, Measure
from .periods import Period, london_midnight, years_before

Rows = list[dict[str, Any]]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _imd_quintile(decile: int | None) -> str:
    return str((decile + 1) // 2) if decile is not None and 1 <= decile <= 10 else UNKNOWN


def _age_band(age: int) -> str:
    return next(key for _, high, key in AGE_BANDS if high is None or age <= high)


def _groups(person: dict[str, Any], period: Period) -> dict[str, Any]:
    return {
        "neighbourhood_id": person["neighbourhood_id"],
        "imd_quintile": _imd_quintile(person["imd_decile"]),
        "ethnicity": person["ethnic_group"]
        if person["ethnic_group"] in KNOWN_ETHNIC_GROUPS
        else UNKNOWN,
        "age_band": _age_band(_age(person["birth_date"], period.end)),
        "sex": person["sex"] if person["sex"] in ("female", "male") else "other",
    }


def _resident(person: dict[str, Any], on: date) -> bool:
    born, died, moved = person["birth_date"], person["death_date"], person["moved_out_on"]
    return (
        born is not None
        and born <= on
        and (died is None or died > on)
        and (moved is None or moved > on)
    )


def _present(person: dict[str, Any], period: Period) -> bool:
    """Alive and living here at some time in the month."""
    born, died, moved = person["birth_date"], person["death_date"], person["moved_out_on"]
    return (
        born is not None
        and born <= period.end
        and (died is None or died >= period.start)
        and (moved is None or moved >= period.start)
    )


def _in_month(moment: datetime | None, period: Period) -> bool:
    return moment is not None and period.utc_start <= moment < period.utc_end


def _in_last_12_months(day: date | None, period: Period) -> bool:
    return day is not None and years_before(period.end, 1) < day <= period.end


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _days_between(later: datetime, earlier: datetime) -> float:
    # Whole seconds, as the Ibis engines count them (epoch seconds).
    return (_seconds(later) - _seconds(earlier)) / 86400


class ReferenceMeasures:
    def __init__(
        self,
        tables: Mapping[str, Rows],
        *,
        period: Period,
        rules: RuleSet,
        codelists: Mapping[str, Codelist],
    ):
        self.tables = tables
        self.period = period
        self.rules = rules
        self.codelists = codelists
        self.persons = {p["person_id"]: p for p in tables.get("persons", [])}
        self._cohort: dict[int, dict[str, Any]] | None = None

    def rows(self, name: str) -> Rows:
        return self.tables.get(name, [])

    @property
    def cohort(self) -> dict[int, dict[str, Any]]:
        if self._cohort is None:
            found = casefinding.find_cases(
                self.tables, rules=self.rules, codelists=self.codelists, index_date=self.period.end
            )
            self._cohort = {row["person_id"]: row for row in found}
        return self._cohort

    def units(self, measure: Measure) -> Rows:
        calculation: Callable[[Measure], Rows] = getattr(self, measure.calculation)
        return calculation(measure)

    def grain(self, measure: Measure) -> Rows:
        """The units summed to every combination of neighbourhood and breakdown groups."""
        cells: defaultdict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        for unit in self.units(measure):
            if unit["neighbourhood_id"] is None:
                continue
            key = (unit["neighbourhood_id"], *(unit[b] for b in measure.breakdowns))
            cell = cells[key]
            cell[0] += 1
            cell[1] += unit["value"]
            cell[2] += unit["value"] * unit["value"]
        columns = ("neighbourhood_id", *measure.breakdowns)
        return [
            dict(zip(columns, key, strict=True), units=u, numerator=n, sum_squares=s)
            for key, (u, n, s) in cells.items()
        ]

    # --- helpers ------------------------------------------------------------------------

    def _person_unit(self, person_id: int, value: float) -> dict[str, Any]:
        return {**_groups(self.persons[person_id], self.period), "value": float(value)}

    def _event_unit(
        self, event: dict[str, Any], value: float, **extra: object
    ) -> dict[str, Any] | None:
        person = self.persons.get(event["person_id"])
        if person is None or not _present(person, self.period):
            return None
        return {**_groups(person, self.period), "value": float(value), **extra}

    @staticmethod
    def _kept(units: Iterable[dict[str, Any] | None]) -> Rows:
        return [u for u in units if u is not None]

    # --- access ---------------------------------------------------------------------------

    def right_met(self, measure: Measure) -> Rows:
        right = measure.param("right")
        return self._kept(
            self._event_unit(r, r["outcome"] in ("met", "offered"))
            for r in self.rows("access_requests")
            if r["right"] == right and _in_month(r["requested_at"], self.period)
        )

    def _booked(self, right: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(request, appointment) for requests under `right` made in the month and booked into
        an appointment, not cancelled, starting no earlier than the request."""
        appointments = {
            a["appointment_id"]: a
            for a in self.rows("appointments")
            if a["start_at"] is not None and a["status"] != "cancelled"
        }
        pairs = []
        for r in self.rows("access_requests"):
            booked = appointments.get(r["appointment_id"])
            if (
                r["right"] == right
                and booked is not None
                and _in_month(r["requested_at"], self.period)
                and booked["start_at"] >= r["requested_at"]
            ):
                pairs.append((r, booked))
        return pairs

    def time_to_appointment(self, measure: Measure) -> Rows:
        per_day = 86400 / measure.param("seconds")
        return self._kept(
            self._event_unit(r, _days_between(a["start_at"], r["requested_at"]) * per_day)
            for r, a in self._booked(measure.param("right"))
        )

    def booked_with_chosen_gp(self, measure: Measure) -> Rows:
        return self._kept(
            self._event_unit(r, a["professional_id"] == r["chosen_gp_id"])
            for r, a in self._booked("book_ahead")
            if r["chosen_gp_id"] is not None
        )

    # --- continuity -----------------------------------------------------------------------

    def continuity(self, measure: Measure) -> Rows:
        end = self.period.end
        start = end - timedelta(days=measure.param("window_days"))
        visits = defaultdict(list)
        for c in self.rows("contacts"):
            day = c["contact_date"]
            if (
                c["profession"] == "gp"
                and c["professional_id"] is not None
                and day is not None
                and start < day <= end
            ):
                order = (day, c["occurred_at"] is None, c["occurred_at"] or 0, c["professional_id"])
                visits[c["person_id"]].append((order, c["professional_id"]))
        chosen: dict[int, int] = {}
        for choice in self.rows("usual_gp_choices"):
            if choice["professional_id"] is not None:
                previous = chosen.get(choice["person_id"], choice["professional_id"])
                chosen[choice["person_id"]] = max(previous, choice["professional_id"])
        units = []
        for person_id, seen in visits.items():
            person = self.persons.get(person_id)
            if person is None or not _resident(person, end):
                continue
            gps = [gp for _, gp in sorted(seen, key=lambda v: v[0])]
            if len(gps) < measure.param("minimum_contacts"):
                continue
            value = _index(measure.param("index"), gps, chosen.get(person_id))
            units.append(self._person_unit(person_id, value))
        return units

    # --- people in the cohort -------------------------------------------------------------

    def complex_needs(self, measure: Measure) -> Rows:
        requirement = measure.param("requirement")
        if requirement == "coordinator":
            met = {t["person_id"] for t in self.rows("care_teams") if t["coordinator_id"]}
        elif requirement == "care_plan_reviewed":
            met = {
                r["person_id"]
                for r in self.rows("care_plan_reviews")
                if _in_last_12_months(r["reviewed_on"], self.period)
            }
        else:
            met = {
                r["person_id"]
                for r in self.rows("mdt_reviews")
                if _in_last_12_months(r["held_on"], self.period)
            }
        return [
            self._person_unit(pid, pid in met)
            for pid, row in self.cohort.items()
            if row["complex_needs"]
        ]

    def carers(self, measure: Measure) -> Rows:
        end = self.period.end
        caring = {
            c["carer_person_id"]
            for c in self.rows("carers")
            if c["carer_person_id"] is not None
            and (c["start_date"] is None or c["start_date"] <= end)
            and (c["end_date"] is None or c["end_date"] > end)
        }
        return [
            self._person_unit(pid, row["carer"] or pid in caring)
            for pid, row in self.cohort.items()
        ]

    def palliative_preference(self, measure: Measure) -> Rows:
        kinds = measure.param("kinds")
        recorded = {
            p["person_id"]
            for p in self.rows("preferences")
            if p["kind"] in kinds
            and (p["recorded_on"] is None or p["recorded_on"] <= self.period.end)
        }
        return [
            self._person_unit(pid, pid in recorded)
            for pid, row in self.cohort.items()
            if row["palliative"]
        ]

    def social_needs_identified(self, measure: Measure) -> Rows:
        return [self._person_unit(pid, row["social_needs"] > 0) for pid, row in self.cohort.items()]

    def social_needs_referred(self, measure: Measure) -> Rows:
        codes = {
            code for need in self.rules.social_needs for code in self.codelists[need.codelist].codes
        }
        needs = {
            e["person_id"]
            for e in self.rows("coded_events")
            if e["snomed_concept_id"] in codes and _in_last_12_months(e["date"], self.period)
        }
        helping = {
            s["service"] for s in self.rows("services") if s["sector"] in measure.param("sectors")
        }
        since = london_midnight(years_before(self.period.end, 1) + timedelta(days=1))
        referred = {
            r["person_id"]
            for r in self.rows("referrals")
            if r["service"] in helping
            and r["authored_at"] is not None
            and since <= r["authored_at"] < self.period.utc_end
        }
        return [
            self._person_unit(pid, pid in referred)
            for pid in sorted(needs)
            if pid in self.persons and _resident(self.persons[pid], self.period.end)
        ]

    # --- events ---------------------------------------------------------------------------

    def _standards(self, measure: Measure) -> dict[str, int]:
        return {
            s["service"]: s["standard_days"]
            for s in self.rows("services")
            if s["standard_days"] is not None
            and bool(s["is_mental_health"]) == measure.param("mental_health")
        }

    def referrals_within_standard(self, measure: Measure) -> Rows:
        standard = self._standards(measure)
        stop = measure.param("clock_stop")
        return self._kept(
            self._event_unit(
                r,
                _days_between(r[stop], r["authored_at"]) <= standard[r["service"]],
                service=r["service"],
            )
            for r in self.rows("referrals")
            if r["service"] in standard
            and r["authored_at"] is not None
            and _in_month(r[stop], self.period)
        )

    def referrals_waiting(self, measure: Measure) -> Rows:
        """Referrals still waiting when the month ended (incomplete pathways), for residents."""
        standard = self._standards(measure)
        stop, end = measure.param("clock_stop"), self.period.utc_end

        def waiting(r: dict[str, Any]) -> bool:
            person = self.persons.get(r["person_id"])
            return (
                r["service"] in standard
                and r["authored_at"] is not None
                and r["authored_at"] < end
                and (r[stop] is None or r[stop] >= end)
                and (r["closed_at"] is None or r["closed_at"] >= end)
                and person is not None
                and _resident(person, self.period.end)
            )

        return [
            {
                **_groups(self.persons[r["person_id"]], self.period),
                "service": r["service"],
                "value": float(_days_between(end, r["authored_at"]) <= standard[r["service"]]),
            }
            for r in self.rows("referrals")
            if waiting(r)
        ]

    def fft_positive(self, measure: Measure) -> Rows:
        positive = measure.param("positive")
        return self._kept(
            self._event_unit(f, f["answer"] in positive)
            for f in self.rows("feedback")
            if f["answer"] is not None and _in_month(f["submitted_at"], self.period)
        )


def _index(index: str, gps: list[int], chosen: int | None) -> float:
    """UPC, COC or SECON of one person's GP contacts, oldest first (docs/architecture.md)."""
    n = len(gps)
    counts = Counter(gps)
    if index == "coc":
        return (sum(c * c for c in counts.values()) - n) / (n * (n - 1))
    if index == "secon":
        return sum(a == b for a, b in zip(gps, gps[1:], strict=False)) / (n - 1)
    last_seen = {gp: i for i, gp in enumerate(gps)}
    usual = chosen if chosen is not None else max(counts, key=lambda g: (counts[g], last_seen[g]))
    return counts[usual] / n
