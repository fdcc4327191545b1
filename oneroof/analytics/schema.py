"""The analytic schema: the tables and columns that the analytic snapshot exposes.

Everything that case-finding and measures read is here, one row per fact, keyed by `person_id`.
The snapshot writer (population.snapshot) fills these tables from the operational database;
Ibis reads them from Parquet (or, in tests, from in-memory tables). Column types are given once
and turned into Arrow and Ibis schemas from here, so every engine sees the same types.

Dates are calendar dates in Europe/London; timestamps are UTC.
"""

from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa

SCHEMA_VERSION = "2026.2"  # 2026.2: medications carry a name; dm+d code optional

_ARROW_TYPES = {
    "int64": pa.int64(),
    "float64": pa.float64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of _ARROW_TYPES
    nullable: bool = True
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in self.columns]
        )

    def ibis_schema(self) -> ibis.Schema:
        return ibis.Schema.from_pyarrow(self.arrow_schema())

    def empty(self) -> pa.Table:
        """The table with no rows: what the snapshot writes when its source is absent."""
        return self.arrow_schema().empty_table()

    def from_rows(self, rows: list[dict[str, Any]]) -> pa.Table:
        """An Arrow table from dict rows; columns a row leaves out are null."""
        columns = {c.name: [row.get(c.name) for row in rows] for c in self.columns}
        return pa.Table.from_pydict(columns, schema=self.arrow_schema())


C = Column

PERSONS = Table(
    "persons",
    "Everyone the operational record has ever held: alive or dead, resident or moved out.",
    (
        C("person_id", "int64", nullable=False),
        C("sex", "string", description="FHIR administrative gender"),
        C("birth_date", "date"),
        C("death_date", "date", description="null while alive"),
        C("ethnic_group", "string", description="2021 Census high-level group"),
        C("practice_id", "int64", description="registered GP practice (workforce.Organisation)"),
        C("neighbourhood_id", "int64", description="the registered practice's neighbourhood"),
        C("lsoa_code", "string", description="LSOA of the current (or last) address"),
        C("imd_decile", "int64", description="IMD 2019 decile of that LSOA; 1 = most deprived"),
        C("lives_alone", "boolean"),
        C("moved_out_on", "date", description="end of the last address when none is current"),
    ),
)

CODED_EVENTS = Table(
    "coded_events",
    "Coded conditions, needs and observations (SNOMED CT), dated when they were recorded.",
    (
        C("person_id", "int64", nullable=False),
        C("snomed_concept_id", "string", nullable=False),
        C("date", "date", description="date recorded in the record"),
        C("category", "string", description="physical, mental or social; null for observations"),
        C("status", "string", description="active, inactive or resolved (FHIR clinical status)"),
    ),
)

MEDICATIONS = Table(
    "medications",
    "Medicines with the period the person takes them: coded in dm+d, or by name only.",
    (
        C("person_id", "int64", nullable=False),
        C("dmd_code", "string", description="dm+d concept id; null for a medicine kept by name"),
        C("name", "string", description="the medicine's name as recorded"),
        C("start_date", "date"),
        C("end_date", "date", description="null while ongoing"),
        C("status", "string", description="active, completed or stopped"),
    ),
)

APPOINTMENTS = Table(
    "appointments",
    "Booked appointments (FHIR Appointment), past and to come.",
    (
        C("appointment_id", "int64", nullable=False),
        C("person_id", "int64", nullable=False),
        C("professional_id", "int64"),
        C("profession", "string"),
        C("practice_id", "int64", description="the organisation of the professional seen"),
        C("start_at", "timestamp"),
        C("mode", "string"),
        C("status", "string", description="booked, fulfilled, cancelled, noshow"),
        C("right", "string", description="same_day, within_48h or book_ahead, when booked so"),
    ),
)

ACCESS_REQUESTS = Table(
    "access_requests",
    "Requests made under an access right, with their outcome (access.AccessRequest).",
    (
        C("request_id", "int64", nullable=False),
        C("person_id", "int64", nullable=False),
        C("practice_id", "int64"),
        C("requested_at", "timestamp"),
        C("right", "string", description="same_day, within_48h or book_ahead"),
        C("outcome", "string", description="met, offered (not booked) or unmet"),
        # Added for the measures (days from request to appointment): the appointment booked.
        C("appointment_id", "int64", description="appointments.appointment_id, when booked"),
        C("chosen_gp_id", "int64", description="the GP the person chose, for book-ahead"),
    ),
)

REFERRALS = Table(
    "referrals",
    "Referrals through the front doors (FHIR ServiceRequest) of people with a record.",
    (
        C("referral_id", "int64", nullable=False),
        C("person_id", "int64", nullable=False),
        C("front_door", "string", description="self, optician, pharmacist, gp, school, ..."),
        C("service", "string", description="services.service: the service's id, as text"),
        C("status", "string"),
        C("authored_at", "timestamp", description="when received: the waiting-time clock starts"),
        C("first_seen_at", "timestamp", description="first seen (first contact), if they have"),
        C("first_treated_at", "timestamp", description="first treatment session, if there was one"),
        C(
            "closed_at",
            "timestamp",
            description="declined, sent on or completed: no longer waiting",
        ),
    ),
)

CONTACTS = Table(
    "contacts",
    "Contacts between a professional and the person (FHIR Encounter).",
    (
        C("person_id", "int64", nullable=False),
        C("professional_id", "int64"),
        C("profession", "string", description="workforce.Profession value, e.g. gp"),
        C("mode", "string"),
        C("contact_date", "date", description="local date of the contact"),
        C("occurred_at", "timestamp"),
    ),
)

CARE_TEAMS = Table(
    "care_teams",
    "Each person's care team and named coordinator (null when none is named yet).",
    (
        C("person_id", "int64", nullable=False),
        C("coordinator_id", "int64"),
        C("members", "int64", description="current members, the coordinator included"),
    ),
)

CARE_PLANS = Table(
    "care_plans",
    "Each person's one care plan.",
    (
        C("person_id", "int64", nullable=False),
        C("next_review_date", "date"),
        C("updated_on", "date"),
        C("active_goals", "int64"),
    ),
)

CARERS = Table(
    "carers",
    "Unpaid carers (FHIR RelatedPerson) of the person `person_id`.",
    (
        C("person_id", "int64", nullable=False, description="the person cared for"),
        C("carer_person_id", "int64", description="the carer, when they have their own record"),
        C("relationship", "string"),
        C("is_main_carer", "boolean"),
        C("is_young_carer", "boolean"),
        C("start_date", "date"),
        C("end_date", "date"),
    ),
)

PREFERENCES = Table(
    "preferences",
    "What the person has told us about how they want to be cared for (kind only).",
    (
        C("person_id", "int64", nullable=False),
        C("kind", "string"),
        C("recorded_on", "date"),
    ),
)

# --- Tables added for the measures (analytics/measures) -------------------------------------

MDT_REVIEWS = Table(
    "mdt_reviews",
    "Multidisciplinary team reviews of the person at the neighbourhood huddle (care.MdtReview).",
    (
        C("person_id", "int64", nullable=False),
        C("held_on", "date"),
    ),
)

CARE_PLAN_REVIEWS = Table(
    "care_plan_reviews",
    "Reviews of the person's care plan recorded as reviews (care.CarePlanReview).",
    (
        C("person_id", "int64", nullable=False),
        C("reviewed_on", "date"),
    ),
)

FEEDBACK = Table(
    "feedback",
    "Friends and Family Test answers after an appointment (access.Feedback).",
    (
        C("appointment_id", "int64"),
        C("person_id", "int64", nullable=False),
        C("practice_id", "int64", description="the organisation of the professional seen"),
        C("submitted_at", "timestamp"),
        C("answer", "string", description="very_good, good, neither, poor, very_poor, dont_know"),
    ),
)

SERVICES = Table(
    "services",
    "The neighbourhood's services (workforce.Service) with their tightest waiting-time standard.",
    (
        C("service", "string", nullable=False, description="the service's id, as text"),
        C("name", "string"),
        C("sector", "string", description="nhs, council, voluntary, independent or education"),
        C("is_mental_health", "boolean"),
        C("standard_days", "int64", description="seen within this many days; null: no standard"),
        C("standard_percent", "int64", description="the share the standard expects, 1 to 100"),
    ),
)

USUAL_GP_CHOICES = Table(
    "usual_gp_choices",
    "The GP each person has chosen as their usual GP (access.UsualGpChoice).",
    (
        C("person_id", "int64", nullable=False),
        C("professional_id", "int64"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PERSONS,
        CODED_EVENTS,
        MEDICATIONS,
        APPOINTMENTS,
        ACCESS_REQUESTS,
        REFERRALS,
        CONTACTS,
        CARE_TEAMS,
        CARE_PLANS,
        CARERS,
        PREFERENCES,
        MDT_REVIEWS,
        CARE_PLAN_REVIEWS,
        FEEDBACK,
        SERVICES,
        USUAL_GP_CHOICES,
    )
}


# --- What case-finding returns: one row per person in the population on the index date -------

CRITERIA = (
    "meets_frailty",
    "meets_ltcs_with_mental_health",
    "meets_ltcs",
    "meets_housebound",
    "meets_high_use",
)

CASEFINDING_RESULT = Table(
    "casefinding",
    "Case-finding features and the complex-needs cohort, one row per resident on the index date.",
    (
        C("person_id", "int64", nullable=False),
        C("practice_id", "int64"),
        C("neighbourhood_id", "int64"),
        C("imd_decile", "int64"),
        C("age", "int64"),
        C("sex", "string"),
        C("lives_alone", "boolean"),
        C("efi_deficits", "int64", description="how many of the 36 deficits are present"),
        C("efi_score", "float64", description="efi_deficits / 36"),
        C(
            "efi_category",
            "string",
            description="fit, mild, moderate or severe; null below the rule set's age (65)",
        ),
        C("medicines", "int64", description="different current medicines"),
        C("polypharmacy", "boolean"),
        C("ltc_count", "int64", description="long-term conditions, mental health ones included"),
        C("physical_ltc_count", "int64"),
        C("mental_health", "boolean", description="has a mental health condition"),
        C("severe_mental_illness", "boolean"),
        C("dementia", "boolean"),
        C("learning_disability", "boolean"),
        C("palliative", "boolean", description="on the palliative care register"),
        C("carer", "boolean", description="is a carer"),
        C("smoker", "boolean"),
        C("obese", "boolean"),
        C("housebound", "boolean"),
        C("emergency_admissions", "int64", description="in the high-use window"),
        C("gp_contacts", "int64", description="in the high-use window"),
        C("high_use", "boolean"),
        C("social_needs", "int64", description="how many kinds of social need are recorded"),
        *(C(name, "boolean") for name in CRITERIA),
        C("complex_needs", "boolean"),
        C("need_band", "int64", description="1 = greatest need; null outside the cohort"),
        C("priority", "int64", description="1 = first to be seen; null outside the cohort"),
    ),
)
