"""What each measure asks, as frozen data: kept apart from how it runs (expressions.py on Ibis,
reference.py in plain Python).

A measure counts *units* (people, requests, referrals, answers) in a neighbourhood for a month.
Each unit has a value: 1 or 0 for a proportion or a rate (does the unit meet the numerator?),
or a number for a mean (days, a continuity index). Every unit also carries the groups it falls
in for each breakdown, so that every measure breaks down the same way by deprivation,
ethnicity, age and sex, and a few also by right or by service.

The plain-English text here is what the staff pages, the report pack, the public page and
docs/measures.md show; a test checks docs/measures.md says the same.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

DEFINITIONS_VERSION = "2026.1"


class Kind(StrEnum):
    PROPORTION = "proportion"  # numerator / denominator, shown as a percentage
    RATE = "rate"  # numerator / denominator per 1,000
    MEAN = "mean"  # the mean of the units' values


RATE_PER = 1000


@dataclass(frozen=True)
class Group:
    key: str
    label: str


@dataclass(frozen=True)
class Breakdown:
    key: str  # the column each unit carries
    title: str  # "Deprivation (IMD 2019 quintile)"
    groups: tuple[Group, ...] = ()  # empty: the groups come from the data (services)

    def label(self, group_key: str, labels: dict[str, str] | None = None) -> str:
        for group in self.groups:
            if group.key == group_key:
                return group.label
        return (labels or {}).get(group_key, group_key)


UNKNOWN = "unknown"

# IMD 2019 deciles 1-2 are quintile 1 (most deprived), ... 9-10 quintile 5.
IMD_QUINTILE = Breakdown(
    "imd_quintile",
    "Deprivation (IMD 2019 quintile of where the person lives)",
    (
        Group("1", "1 (most deprived)"),
        Group("2", "2"),
        Group("3", "3"),
        Group("4", "4"),
        Group("5", "5 (least deprived)"),
        Group(UNKNOWN, "Not known"),
    ),
)
MOST_DEPRIVED, LEAST_DEPRIVED = "1", "5"

# The five high-level groups of the 2021 Census (people.EthnicGroup); "not stated" and a
# missing value are one group, so a small group is not split in two.
ETHNICITY = Breakdown(
    "ethnicity",
    "Ethnic group",
    (
        Group("white", "White"),
        Group("mixed", "Mixed or multiple ethnic groups"),
        Group("asian", "Asian or Asian British"),
        Group("black", "Black, Black British, Caribbean or African"),
        Group("other", "Other ethnic group"),
        Group(UNKNOWN, "Not stated or not known"),
    ),
)
KNOWN_ETHNIC_GROUPS = ("white", "mixed", "asian", "black", "other")

# (youngest, oldest or None, key), in whole years on the last day of the month.
AGE_BANDS = (
    (0, 17, "0-17"),
    (18, 34, "18-34"),
    (35, 49, "35-49"),
    (50, 64, "50-64"),
    (65, 74, "65-74"),
    (75, 84, "75-84"),
    (85, None, "85+"),
)
AGE_BAND = Breakdown(
    "age_band",
    "Age band",
    tuple(
        Group(key, f"{low} and over" if high is None else f"{low} to {high}")
        for low, high, key in AGE_BANDS
    ),
)

SEX = Breakdown(
    "sex",
    "Sex",
    (Group("female", "Female"), Group("male", "Male"), Group("other", "Other or not known")),
)

RIGHTS = ("same_day", "within_48h", "book_ahead")
RIGHT = Breakdown(
    "right",
    "Access right asked for",
    (
        Group("same_day", "Same day"),
        Group("within_48h", "Within 48 hours"),
        Group("book_ahead", "Booked ahead"),
    ),
)

SERVICE = Breakdown("service", "Service")  # groups from the data: the services referred to

EQUITY_BREAKDOWNS = (IMD_QUINTILE, ETHNICITY, AGE_BAND, SEX)
BREAKDOWNS = {b.key: b for b in (*EQUITY_BREAKDOWNS, RIGHT, SERVICE)}
EQUITY = tuple(b.key for b in EQUITY_BREAKDOWNS)


@dataclass(frozen=True)
class Measure:
    key: str
    topic: str
    title: str
    description: str  # one or two plain sentences: what it tells you
    numerator: str  # for a mean: what each unit's value is
    denominator: str  # who or what is counted
    kind: Kind
    calculation: str  # which unit builder the engines use
    unit: str  # what one unit is: "request", "person", "referral", "answer"
    sources: tuple[str, ...]  # analytic tables without which there is nothing to report
    public_title: str
    higher_is_better: bool | None = True  # None: neither way is better (a choice)
    value_unit: str = ""  # for a mean: "days", or "" for an index
    extra_breakdowns: tuple[str, ...] = ()
    params: tuple[tuple[str, object], ...] = ()
    notes: str = ""  # limits a reader should know
    breakdowns: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "breakdowns", (*EQUITY, *self.extra_breakdowns))

    def param(self, name: str) -> Any:
        return dict(self.params)[name]

    @property
    def units(self) -> str:
        return "people" if self.unit == "person" else f"{self.unit}s"


ACCESS = "Getting an appointment"
CONTINUITY = "Seeing the same GP"
COMPLEX = "Joined-up care for people with complex needs"
CARERS_EOL = "Carers and care at the end of life"
REFERRALS = "Referrals and waiting times"
EXPERIENCE = "What people tell us"
SOCIAL = "Social needs"
TOPICS = (ACCESS, CONTINUITY, COMPLEX, CARERS_EOL, REFERRALS, EXPERIENCE, SOCIAL)

_RIGHT_WORDS = {
    "same_day": (
        "a same-day consultation",
        "a consultation (with any clinician of the surgery's team, in any way) starting before "
        "the end of the surgery's working day",
    ),
    "within_48h": (
        "an appointment with a GP within 48 hours",
        "an appointment with a GP of the surgery starting within 48 hours of the request",
    ),
    "book_ahead": (
        "an appointment booked ahead with the GP they chose",
        "an appointment more than 48 hours ahead with the GP the person chose",
    ),
}


def _right_measure(right: str, title: str, public_title: str) -> Measure:
    asked, offered = _RIGHT_WORDS[right]
    return Measure(
        key=f"right-met-{right.replace('_', '-')}",
        topic=ACCESS,
        title=title,
        description=(
            f"Of the requests for {asked}, the share where the surgery offered one that met the "
            "right."
        ),
        numerator=(
            f"Requests where the access-rights engine offered {offered} (whether or not the "
            "person then booked it)."
        ),
        denominator=f"Requests for {asked} made in the month by residents of the neighbourhood.",
        kind=Kind.PROPORTION,
        calculation="right_met",
        unit="request",
        sources=("access_requests",),
        public_title=public_title,
        params=(("right", right),),
    )


MEASURES: tuple[Measure, ...] = (
    _right_measure("same_day", "Same-day right met", "Getting a same-day appointment"),
    _right_measure("within_48h", "48-hour right met", "Seeing a GP within 48 hours"),
    _right_measure("book_ahead", "Book-ahead right met", "Booking ahead with the GP you choose"),
    *(
        Measure(
            key=f"time-to-appointment-{right.replace('_', '-')}",
            topic=ACCESS,
            title=title,
            description=description,
            numerator=(
                "For each request that was booked, the time from the request to the start of the "
                f"appointment, in {unit} ({example})."
            ),
            denominator=(
                f"Requests for {_RIGHT_WORDS[right][0]} made in the month that were booked into "
                "an appointment that was not cancelled."
            ),
            kind=Kind.MEAN,
            calculation="time_to_appointment",
            unit="request",
            sources=("access_requests", "appointments"),
            public_title=public_title,
            higher_is_better=better,
            value_unit=unit,
            params=(("right", right), ("seconds", seconds)),
            notes=notes,
        )
        for right, title, public_title, description, unit, seconds, example, better, notes in (
            (
                "same_day",
                "Hours from a same-day request to the appointment",
                "How soon a same-day appointment starts",
                "How long people who ask for a same-day consultation wait for it, on average.",
                "hours",
                3600,
                "90 minutes is 1.5 hours",
                False,
                "A mean, so a few long waits pull it up.",
            ),
            (
                "within_48h",
                "Hours from a 48-hour request to the appointment",
                "How soon a 48-hour GP appointment starts",
                "How long people who ask to see a GP within 48 hours wait for it, on average.",
                "hours",
                3600,
                "a day and a half is 36 hours",
                False,
                "A mean, so a few long waits pull it up.",
            ),
            (
                "book_ahead",
                "Days ahead booked with the GP of choice",
                "How far ahead people book with the GP they choose",
                "How far ahead people who book with the GP they chose book, on average: the time "
                "they chose, not a wait.",
                "days",
                86400,
                "36 hours is 1.5 days",
                None,
                "Booking ahead with a chosen GP is the person's choice, so neither higher nor "
                "lower is better; it is reported apart so that honouring a choice of GP does not "
                "look like a wait in the same-day and 48-hour figures.",
            ),
        )
    ),
    Measure(
        key="book-ahead-with-chosen-gp",
        topic=ACCESS,
        title="Book-ahead appointments with the GP chosen",
        description=(
            "Whether people who book ahead with a GP they choose get an appointment with that GP."
        ),
        numerator="Those whose appointment is with the GP the person chose.",
        denominator=(
            "Requests to book ahead with a chosen GP made in the month that were booked into an "
            "appointment that was not cancelled."
        ),
        kind=Kind.PROPORTION,
        calculation="booked_with_chosen_gp",
        unit="request",
        sources=("access_requests", "appointments"),
        public_title="Booking ahead with the GP you choose and seeing them",
    ),
    *(
        Measure(
            key=f"continuity-{index}",
            topic=CONTINUITY,
            title=title,
            description=description,
            numerator=numerator,
            denominator=(
                "Residents on the last day of the month with at least 2 GP contacts in the 2 "
                "years up to then."
            ),
            kind=Kind.MEAN,
            calculation="continuity",
            unit="person",
            sources=("contacts",),
            public_title=public_title,
            params=(("index", index), ("window_days", 730), ("minimum_contacts", 2)),
            notes=(
                "An index between 0 and 1; 1 is perfect continuity. Contacts without a named "
                "GP are left out."
            ),
        )
        for index, title, public_title, description, numerator in (
            (
                "upc",
                "Usual GP of care (UPC)",
                "Seeing your usual GP",
                "How much of people's GP care is with their usual GP.",
                "For each person, the share of their GP contacts that were with their usual GP: "
                "the GP they chose, or else the GP they saw most (on a tie, the one seen last).",
            ),
            (
                "coc",
                "Continuity of care index (COC)",
                "Seeing the same GP over time",
                "Whether people's GP contacts are concentrated on few GPs (Bice-Boxerman).",
                "For each person, the Bice-Boxerman index: (the sum over GPs of the contacts "
                "with that GP squared, minus the number of contacts) divided by (contacts times "
                "contacts minus 1).",
            ),
            (
                "secon",
                "Sequential continuity (SECON)",
                "Seeing the same GP next time",
                "How often someone's next GP contact is with the same GP as the last one.",
                "For each person, the share of consecutive pairs of GP contacts that were with "
                "the same GP.",
            ),
        )
    ),
    *(
        Measure(
            key=f"complex-needs-{requirement.replace('_', '-')}",
            topic=COMPLEX,
            title=title,
            description=description,
            numerator=numerator,
            denominator=(
                "Residents on the last day of the month in the complex-needs cohort (the "
                "case-finding rule set: moderate or severe frailty, multimorbidity with mental "
                "health, 4 or more long-term conditions, housebound, or high use)."
            ),
            kind=Kind.PROPORTION,
            calculation="complex_needs",
            unit="person",
            sources=sources,
            public_title=public_title,
            params=(("requirement", requirement),),
            notes=notes,
        )
        for requirement, title, public_title, description, numerator, sources, notes in (
            (
                "coordinator",
                "Named care coordinator",
                "People with complex needs who have a named coordinator",
                "Whether people with complex needs have one named person to contact.",
                "Those whose care team has a named coordinator.",
                ("persons", "care_teams"),
                "Care teams are as they are in the snapshot, so earlier months use today's teams.",
            ),
            (
                "care_plan_reviewed",
                "Care plan reviewed in the last 12 months",
                "People with complex needs whose care plan is up to date",
                "Whether people with complex needs have a care plan looked at in the last year.",
                'Those with a care plan review recorded (the team\'s "Record a review" on the '
                "care plan) in the 12 months up to the last day of the month.",
                ("persons", "care_plan_reviews"),
                "Only a review recorded as one counts: changing the plan, adding a goal or an "
                "action, or an MDT review does not.",
            ),
            (
                "mdt_review",
                "Multidisciplinary team review in the last 12 months",
                "People with complex needs reviewed by the whole team",
                "Whether the neighbourhood team has discussed people with complex needs together "
                "in the last year.",
                "Those with a multidisciplinary team review held in the 12 months up to the last "
                "day of the month.",
                ("persons", "mdt_reviews"),
                "",
            ),
        )
    ),
    Measure(
        key="carers-identified",
        topic=CARERS_EOL,
        title="Carers identified per 1,000 residents",
        description="How many unpaid carers the neighbourhood knows about, for its size.",
        numerator=(
            "Residents recorded as a carer: a carer code in their record, or named as the carer "
            "of someone, with the caring going on on the last day of the month."
        ),
        denominator="Residents on the last day of the month.",
        kind=Kind.RATE,
        calculation="carers",
        unit="person",
        sources=("persons",),
        public_title="Carers known to the neighbourhood team",
        notes="Carers who are not residents here are not counted.",
    ),
    Measure(
        key="palliative-preferred-place",
        topic=CARERS_EOL,
        title="Preferred place of care recorded (palliative care register)",
        description=(
            "Whether people nearing the end of life have been asked, and have told us, where "
            "they want to be cared for."
        ),
        numerator="Those with a preferred place of care recorded on or before that day.",
        denominator="Residents on the palliative care register on the last day of the month.",
        kind=Kind.PROPORTION,
        calculation="palliative_preference",
        unit="person",
        sources=("persons", "coded_events"),
        public_title="People at the end of life whose wishes are recorded",
        params=(("kinds", ("place_of_care",)),),
    ),
    *(
        Measure(
            key=key,
            topic=REFERRALS,
            title=title,
            description=description,
            numerator=(
                "Those seen within the service's waiting-time standard (its tightest: for "
                f"talking therapies, 6 weeks), counted from when the referral was made to {stop}."
            ),
            denominator=(
                f"Referrals to {services} with a waiting-time standard whose clock stopped "
                "in the month, for residents of the neighbourhood."
            ),
            kind=Kind.PROPORTION,
            calculation="referrals_within_standard",
            unit="referral",
            sources=("referrals", "services"),
            public_title=public_title,
            extra_breakdowns=("service",),
            params=(("mental_health", mental_health), ("clock_stop", clock_stop)),
            notes=(
                "Counted when the clock stops, as NHS Talking Therapies reports completed waits; "
                "people still waiting are counted in the waiting-list measure beside it. Each "
                "service's own standard (say 75% within 6 weeks) is shown beside its figure."
            ),
        )
        for key, title, public_title, description, services, mental_health, clock_stop, stop in (
            (
                "referrals-within-standard",
                "Referrals seen within the waiting-time standard",
                "Being seen in time after a referral",
                "Whether people referred to a neighbourhood service are seen within the time "
                "the service promises.",
                "services other than mental health services",
                False,
                "first_seen_at",
                "when the person was first seen",
            ),
            (
                "mental-health-referrals-within-standard",
                "Mental health referrals treated within the waiting-time standard",
                "Starting treatment in time with mental health services",
                "Whether people referred to a mental health service start treatment within the "
                "time the service promises, reported apart from other services.",
                "mental health services",
                True,
                "first_treated_at",
                "their first treatment session (an assessment alone does not stop the clock)",
            ),
        )
    ),
    *(
        Measure(
            key=key,
            topic=REFERRALS,
            title=title,
            description=description,
            numerator=(
                "Those who at the end of the month had waited no longer than the service's "
                "waiting-time standard (its tightest), counted from when the referral was made."
            ),
            denominator=(
                f"Referrals to {services} with a waiting-time standard still waiting at the end "
                f"of the month ({waiting}), for people resident on the month's last day: the "
                "waiting list."
            ),
            kind=Kind.PROPORTION,
            calculation="referrals_waiting",
            unit="waiting referral",
            sources=("referrals", "services"),
            public_title=public_title,
            extra_breakdowns=("service",),
            params=(("mental_health", mental_health), ("clock_stop", clock_stop)),
            notes=(
                "The people still waiting (incomplete pathways, as referral to treatment counts "
                "them): the number counted is the waiting list, and the share is of those "
                "waiting within the standard so far. A referral closed without being seen "
                "(declined or sent to another service) is no longer waiting; one sent on keeps "
                "its first date."
            ),
        )
        for key, title, public_title, description, services, mental_health, clock_stop, waiting in (
            (
                "referrals-waiting-within-standard",
                "People still waiting, within the waiting-time standard",
                "People waiting for a neighbourhood service",
                "How many people are waiting for a neighbourhood service at the end of the "
                "month, and how many of them have waited no longer than the service promises.",
                "services other than mental health services",
                False,
                "first_seen_at",
                "not yet seen and not closed",
            ),
            (
                "mental-health-waiting-within-standard",
                "People still waiting for mental health treatment, within the standard",
                "People waiting to start treatment with mental health services",
                "How many people are waiting to start treatment with a mental health service at "
                "the end of the month, and how many of them have waited no longer than the "
                "service promises.",
                "mental health services",
                True,
                "first_treated_at",
                "not yet treated, even if assessed, and not closed",
            ),
        )
    ),
    Measure(
        key="fft-positive",
        topic=EXPERIENCE,
        title="Friends and Family Test: positive answers",
        description="How people rated their experience after an appointment.",
        numerator="Answers of 'very good' or 'good'.",
        denominator=(
            "All Friends and Family Test answers given in the month after an appointment, "
            "'don't know' included (as NHS England counts them)."
        ),
        kind=Kind.PROPORTION,
        calculation="fft_positive",
        unit="answer",
        sources=("feedback",),
        public_title="People who rated their experience good or very good",
        params=(("positive", ("very_good", "good")),),
    ),
    Measure(
        key="social-needs-identified",
        topic=SOCIAL,
        title="Social needs identified",
        description=(
            "How many residents have a social need (isolation, money, work or housing) on "
            "their record."
        ),
        numerator="Those with an active social need recorded on or before that day.",
        denominator="Residents on the last day of the month.",
        kind=Kind.PROPORTION,
        calculation="social_needs_identified",
        unit="person",
        sources=("persons", "coded_events"),
        public_title="Residents whose social needs are known",
        higher_is_better=True,
        notes="More is better here only while needs are under-recorded.",
    ),
    Measure(
        key="social-needs-referred",
        topic=SOCIAL,
        title="Social needs referred on",
        description=(
            "Whether people with a social need recorded are referred to a council or voluntary "
            "service that can help."
        ),
        numerator=(
            "Those with a referral to a council or voluntary and community sector service made "
            "in the same 12 months."
        ),
        denominator=(
            "Residents on the last day of the month with a social need recorded in the 12 "
            "months up to then."
        ),
        kind=Kind.PROPORTION,
        calculation="social_needs_referred",
        unit="person",
        sources=("persons", "coded_events", "referrals", "services"),
        public_title="People with social needs referred for help",
        params=(("sectors", ("council", "voluntary")),),
    ),
)

BY_KEY = {m.key: m for m in MEASURES}


def measure(key: str) -> Measure:
    """The measure with this key; KeyError if there is none."""
    return BY_KEY[key]
