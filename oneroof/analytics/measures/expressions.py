"""The measures as Ibis expressions over the analytic tables: one code path for DuckDB and Spark.

For a month, each measure's expression gives its *units* (one row per person, request,
referral or answer counted) with the unit's value (1/0, or a number for a mean) and its group
in every breakdown; `grain` sums them to the finest grain, which is all an engine returns.
The plain-Python twin is reference.py; the spec tests expect the same results from both.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from oneroof.analytics.casefinding import find_cases
from oneroof.analytics.codelists import Codelist
from oneroof.analytics.rules import RuleSet

from .definitions import AGE_BANDS, KNOWN_ETHNIC_GROUPS, UNKNOWN, Measure
from .periods import Period, london_midnight, years_before

SECONDS_PER_DAY = 86400
# The cohort columns the measures use from case-finding.
COHORT_COLUMNS = ("person_id", "complex_needs", "palliative", "carer", "social_needs")


def _age(birth_date: ir.DateValue, on: date) -> ir.IntegerValue:
    birthday_to_come = (birth_date.month() > on.month) | (
        (birth_date.month() == on.month) & (birth_date.day() > on.day)
    )
    return on.year - birth_date.year() - ibis.ifelse(birthday_to_come, 1, 0)


def _imd_quintile(decile: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        *(((decile >= 2 * q - 1) & (decile <= 2 * q), str(q)) for q in range(1, 6)),
        else_=UNKNOWN,
    )


def _age_band(age: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        *((age <= high, key) for _, high, key in AGE_BANDS if high is not None),
        else_=AGE_BANDS[-1][2],
    )


def _known(column: ir.StringValue, values: Iterable[str], otherwise: str) -> ir.StringValue:
    return ibis.ifelse(column.isin(list(values)).fill_null(False), column, otherwise)


def attributes(persons: ir.Table, period: Period) -> ir.Table:
    """Each person's groups for the breakdowns (age on the month's last day) and whether they
    count: `resident` on the last day, `present` at some time in the month (for events)."""
    end, start = period.end, period.start
    return persons.filter(persons.birth_date <= end).select(
        "person_id",
        "neighbourhood_id",
        imd_quintile=_imd_quintile(persons.imd_decile),
        ethnicity=_known(persons.ethnic_group, KNOWN_ETHNIC_GROUPS, UNKNOWN),
        age_band=_age_band(_age(persons.birth_date, end)),
        sex=_known(persons.sex, ("female", "male"), "other"),
        resident=(persons.death_date.isnull() | (persons.death_date > end))
        & (persons.moved_out_on.isnull() | (persons.moved_out_on > end)),
        present=(persons.death_date.isnull() | (persons.death_date >= start))
        & (persons.moved_out_on.isnull() | (persons.moved_out_on >= start)),
    )


def grain(units: ir.Table, measure: Measure) -> ir.Table:
    """The units summed to every combination of neighbourhood and breakdown groups."""
    units = units.filter(units.neighbourhood_id.notnull())
    return units.group_by(["neighbourhood_id", *measure.breakdowns]).aggregate(
        units=units.count(),
        numerator=units.value.sum(),
        sum_squares=(units.value * units.value).sum(),
    )


def _flag(condition: ir.BooleanValue) -> ir.FloatingValue:
    return ibis.ifelse(condition.fill_null(False), 1.0, 0.0)


def _in_month(column: ir.TimestampValue, period: Period) -> list[ir.BooleanValue]:
    return [column >= ibis.literal(period.utc_start), column < ibis.literal(period.utc_end)]


def _elapsed_days(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    seconds = later.epoch_seconds() - earlier.epoch_seconds()
    return seconds.cast("float64") / SECONDS_PER_DAY


class Measures:
    """The measures' units for one month, over one set of analytic tables on one connection.

    The attributes of everyone and the case-finding cohort on the month's last day are shared
    by several measures; on DuckDB they are computed once into temporary tables."""

    def __init__(
        self,
        con: BaseBackend,
        tables: Mapping[str, ir.Table],
        *,
        period: Period,
        rules: RuleSet,
        codelists: Mapping[str, Codelist],
    ):
        self.con = con
        self.tables = tables
        self.period = period
        self.rules = rules
        self.codelists = codelists
        self._attributes = None
        self._cohort = None
        self._temporary: list[str] = []

    def _materialise(self, expr: ir.Table, name: str) -> ir.Table:
        if getattr(self.con, "name", None) != "duckdb":
            return expr  # Spark plans the shared parts once per query; nothing to gain
        table = f"_measures_{name}_{uuid.uuid4().hex}"
        self._temporary.append(table)
        return self.con.create_table(table, expr, temp=True)

    def close(self) -> None:
        """Drop the temporary tables this made."""
        while self._temporary:
            # (Ibis 12 with this sqlglot renders drop_table without its name.)
            self.con.raw_sql(f'DROP TABLE IF EXISTS "{self._temporary.pop()}"')

    @property
    def attributes(self) -> ir.Table:
        if self._attributes is None:
            self._attributes = self._materialise(
                attributes(self.tables["persons"], self.period), "attributes"
            )
        return self._attributes

    @property
    def cohort(self) -> ir.Table:
        """Case-finding on the month's last day: everyone resident, with their flags."""
        if self._cohort is None:
            found = find_cases(
                self.tables,
                rules=self.rules,
                codelists=self.codelists,
                index_date=self.period.end,
            )
            self._cohort = self._materialise(found.select(*COHORT_COLUMNS), "cohort")
        return self._cohort

    def units(self, measure: Measure) -> ir.Table:
        return getattr(self, measure.calculation)(measure)

    # --- helpers ------------------------------------------------------------------------

    def _people(self, people: ir.Table, value: ir.FloatingValue | None = None) -> ir.Table:
        """Units that are people: join their groups; `value` is over the joined table."""
        joined = people.join(self.attributes, "person_id")
        return joined.mutate(value=value(joined) if callable(value) else value)

    def _events(
        self,
        events: ir.Table,
        value: Callable[[ir.Table], ir.Value],
        **extra: Callable[[ir.Table], ir.Value],
    ) -> ir.Table:
        """Units that are events in the month: joined to people present in the month."""
        present = self.attributes.filter(self.attributes.present)
        joined = events.join(present, "person_id")
        return joined.mutate(value=value(joined), **{k: v(joined) for k, v in extra.items()})

    def _last_12_months(self, column: ir.DateValue) -> list[ir.BooleanValue]:
        end = self.period.end
        return [column > years_before(end, 1), column <= end]

    # --- access ---------------------------------------------------------------------------

    def right_met(self, measure: Measure) -> ir.Table:
        requests = self.tables["access_requests"]
        requests = requests.filter(
            requests["right"] == measure.param("right"),
            *_in_month(requests.requested_at, self.period),
        )
        return self._events(requests, lambda t: _flag(t.outcome.isin(["met", "offered"])))

    def _booked(self, right: str) -> ir.Table:
        """Requests under `right` made in the month and booked into an appointment that was not
        cancelled, with the appointment's start and professional."""
        requests = self.tables["access_requests"]
        requests = requests.filter(
            requests["right"] == right,
            requests.appointment_id.notnull(),
            *_in_month(requests.requested_at, self.period),
        )
        appointments = self.tables["appointments"]
        booked = appointments.filter(
            appointments.start_at.notnull(),
            appointments.status.isnull() | (appointments.status != "cancelled"),
        ).select("appointment_id", "start_at", seen_by=appointments.professional_id)
        joined = requests.join(booked, "appointment_id")
        return joined.filter(joined.start_at >= joined.requested_at)

    def time_to_appointment(self, measure: Measure) -> ir.Table:
        scale = SECONDS_PER_DAY / measure.param("seconds")
        return self._events(
            self._booked(measure.param("right")),
            lambda t: _elapsed_days(t.start_at, t.requested_at) * scale,
        )

    def booked_with_chosen_gp(self, measure: Measure) -> ir.Table:
        booked = self._booked("book_ahead")
        booked = booked.filter(booked.chosen_gp_id.notnull())
        return self._events(booked, lambda t: _flag(t.seen_by == t.chosen_gp_id))

    # --- continuity -----------------------------------------------------------------------

    def continuity(self, measure: Measure) -> ir.Table:
        end = self.period.end
        contacts = self.tables["contacts"]
        gp = contacts.filter(
            contacts.profession == "gp",
            contacts.professional_id.notnull(),
            contacts.contact_date > end - timedelta(days=measure.param("window_days")),
            contacts.contact_date <= end,
        )
        order = [gp.contact_date, gp.occurred_at.isnull(), gp.occurred_at, gp.professional_id]
        window = ibis.window(group_by=gp.person_id, order_by=order)
        seq = gp.select(
            "person_id",
            "professional_id",
            position=ibis.row_number().over(window),
            previous=gp.professional_id.lag().over(window),
        )
        per_gp = seq.group_by(["person_id", "professional_id"]).aggregate(
            n=seq.count(), last_position=seq.position.max()
        )
        rank = ibis.row_number().over(
            group_by=per_gp.person_id, order_by=[per_gp.n.desc(), per_gp.last_position.desc()]
        )
        most_seen = (
            per_gp.mutate(gp_rank=rank)
            .filter(lambda t: t.gp_rank == 0)
            .select("person_id", most_seen=lambda t: t.professional_id)
        )
        choices = self.tables["usual_gp_choices"]
        chosen = (
            choices.filter(choices.professional_id.notnull())
            .group_by("person_id")
            .aggregate(chosen=choices.professional_id.max())
        )
        people = seq.group_by("person_id").aggregate(
            contacts=seq.count(),
            repeats=ibis.ifelse(seq.previous == seq.professional_id, 1, 0).sum(),
        )
        sums = per_gp.group_by("person_id").aggregate(squares=(per_gp.n * per_gp.n).sum())
        people = (
            people.join(sums, "person_id")
            .left_join(most_seen, "person_id")
            .drop("person_id_right")
            .left_join(chosen, "person_id")
            .drop("person_id_right")
        )
        people = people.mutate(usual=ibis.coalesce(people.chosen, people.most_seen))
        with_usual = people.left_join(
            per_gp,
            [
                people.person_id == per_gp.person_id,
                people.usual == per_gp.professional_id,
            ],
        ).select(*people.columns, with_usual=lambda t: t.n.fill_null(0))
        t = with_usual.filter(with_usual.contacts >= measure.param("minimum_contacts"))
        n = t.contacts.cast("float64")
        index = measure.param("index")
        value = {
            "upc": t.with_usual.cast("float64") / n,
            "coc": (t.squares.cast("float64") - n) / (n * (n - 1)),
            "secon": t.repeats.cast("float64") / (n - 1),
        }[index]
        people = t.select("person_id", value=value)
        residents = self.attributes.filter(self.attributes.resident)
        return people.join(residents, "person_id")

    # --- people in the cohort -------------------------------------------------------------

    def complex_needs(self, measure: Measure) -> ir.Table:
        cohort = self.cohort.filter(self.cohort.complex_needs)
        requirement = measure.param("requirement")
        if requirement == "coordinator":
            teams = self.tables["care_teams"]
            met = teams.filter(teams.coordinator_id.notnull()).person_id
        elif requirement == "care_plan_reviewed":
            reviews = self.tables["care_plan_reviews"]
            met = reviews.filter(*self._last_12_months(reviews.reviewed_on)).person_id
        else:
            reviews = self.tables["mdt_reviews"]
            met = reviews.filter(*self._last_12_months(reviews.held_on)).person_id
        return self._people(cohort.select("person_id"), lambda t: _flag(t.person_id.isin(met)))

    def carers(self, measure: Measure) -> ir.Table:
        end = self.period.end
        carers = self.tables["carers"]
        caring = carers.filter(
            carers.carer_person_id.notnull(),
            carers.start_date.isnull() | (carers.start_date <= end),
            carers.end_date.isnull() | (carers.end_date > end),
        ).carer_person_id
        return self._people(
            self.cohort.select("person_id", "carer"),
            lambda t: _flag(t.carer | t.person_id.isin(caring)),
        )

    def palliative_preference(self, measure: Measure) -> ir.Table:
        prefs = self.tables["preferences"]
        recorded = prefs.filter(
            prefs.kind.isin(list(measure.param("kinds"))),
            prefs.recorded_on.isnull() | (prefs.recorded_on <= self.period.end),
        ).person_id
        register = self.cohort.filter(self.cohort.palliative).select("person_id")
        return self._people(register, lambda t: _flag(t.person_id.isin(recorded)))

    def social_needs_identified(self, measure: Measure) -> ir.Table:
        return self._people(
            self.cohort.select("person_id", "social_needs"), lambda t: _flag(t.social_needs > 0)
        )

    def social_needs_referred(self, measure: Measure) -> ir.Table:
        codes = sorted(
            {
                code
                for need in self.rules.social_needs
                for code in self.codelists[need.codelist].codes
            }
        )
        events = self.tables["coded_events"]
        needs = events.filter(
            events.snomed_concept_id.isin(codes), *self._last_12_months(events.date)
        ).person_id
        services = self.tables["services"]
        helping = services.filter(services.sector.isin(list(measure.param("sectors")))).service
        referrals = self.tables["referrals"]
        window_start = london_midnight(years_before(self.period.end, 1) + timedelta(days=1))
        referred = referrals.filter(
            referrals.service.isin(helping),
            referrals.authored_at >= ibis.literal(window_start),
            referrals.authored_at < ibis.literal(self.period.utc_end),
        ).person_id
        residents = self.attributes.filter(
            self.attributes.resident, self.attributes.person_id.isin(needs)
        )
        return residents.mutate(value=_flag(residents.person_id.isin(referred)))

    # --- events ---------------------------------------------------------------------------

    def _standards(self, measure: Measure) -> ir.Table:
        services = self.tables["services"]
        return services.filter(
            services.standard_days.notnull(),
            services.is_mental_health.fill_null(False) == measure.param("mental_health"),
        ).select("service", "standard_days")

    def referrals_within_standard(self, measure: Measure) -> ir.Table:
        referrals = self.tables["referrals"]
        referrals = referrals.mutate(stopped_at=referrals[measure.param("clock_stop")])
        stopped = referrals.filter(
            referrals.authored_at.notnull(), *_in_month(referrals.stopped_at, self.period)
        )
        joined = stopped.join(self._standards(measure), "service")
        return self._events(
            joined,
            lambda t: _flag(
                _elapsed_days(t.stopped_at, t.authored_at) <= t.standard_days.cast("float64")
            ),
        )

    def referrals_waiting(self, measure: Measure) -> ir.Table:
        """Referrals still waiting at the month's end (incomplete pathways), for residents."""
        end = ibis.literal(self.period.utc_end)
        referrals = self.tables["referrals"]
        stopped_at = referrals[measure.param("clock_stop")]
        waiting = referrals.filter(
            referrals.authored_at.notnull(),
            referrals.authored_at < end,
            stopped_at.isnull() | (stopped_at >= end),
            referrals.closed_at.isnull() | (referrals.closed_at >= end),
        )
        joined = waiting.join(self._standards(measure), "service")
        residents = self.attributes.filter(self.attributes.resident)
        joined = joined.join(residents, "person_id")
        return joined.mutate(
            value=_flag(
                _elapsed_days(end, joined.authored_at) <= joined.standard_days.cast("float64")
            )
        )

    def fft_positive(self, measure: Measure) -> ir.Table:
        feedback = self.tables["feedback"]
        answers = feedback.filter(
            feedback.answer.notnull(), *_in_month(feedback.submitted_at, self.period)
        )
        positive = list(measure.param("positive"))
        return self._events(answers, lambda t: _flag(t.answer.isin(positive)))
