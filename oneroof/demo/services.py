"""The neighbourhood's service directory, its external referrers and a few dozen referrals.

Services are NHS, council and voluntary alike, each with who may refer, who it is for and its
waiting-time standard. The waiting-time standards are the national ones where there is one
(talking therapies: 75% within 6 weeks and 95% within 18 weeks; early intervention in
psychosis: 60% within 2 weeks; 18 weeks from referral to treatment) and the demo's own
choice elsewhere. Referrals are written straight to the tables (no emails are sent).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Max, Min
from django.utils import timezone

from oneroof.care.models import Immunization
from oneroof.people.models import Person
from oneroof.referrals.models import (
    IdentityConfirmation,
    IdentityMatch,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from oneroof.referrals.rules import is_eligible_age, referrer_kind, standard_due
from oneroof.workforce.models import (
    Organisation,
    OrganisationKind,
    Profession,
    Professional,
    ReferrerKind,
    Service,
    Site,
    WaitingTimeStandard,
)

from .persona import MEERA_NHS_NUMBER
from .workforce import Workforce, demo_password_hash

R = ReferrerKind
S = ReferralStatus
TEAM = (R.GP, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL)  # "any neighbourhood service"
WEEK = 7
URL = "https://stockton-riverside.example/services/"  # a reserved domain: not a real site


@dataclass(frozen=True)
class Spec:
    key: str
    name: str
    organisation: str  # key in ORGANISATIONS, or "school"
    description: str
    self_referral: bool
    referrers: tuple[str, ...]
    standards: tuple[tuple[int, int], ...] = ()  # (percent, days)
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility: str = ""
    mental_health: bool = False
    site: str = "Riverside Neighbourhood Health Centre"
    triagers: tuple[tuple[str, str], ...] = ()


RTT = ((92, 18 * WEEK),)  # 18 weeks from referral to treatment
SPECS = (
    Spec(
        "msk", "MSK physiotherapy", "community",
        "Physiotherapy for back, neck, joint and muscle problems.",
        True, (*TEAM, R.PHARMACIST), RTT, minimum_age=16,
        triagers=(("Rebecca", "Stone"),),
    ),
    Spec(
        "talking", "NHS Talking Therapies", "mental_health",
        "Talking therapies for anxiety and depression, in person, by video or online.",
        True, TEAM, ((75, 6 * WEEK), (95, 18 * WEEK)), minimum_age=18, mental_health=True,
        triagers=(("Callum", "Fraser"),),
    ),
    Spec(
        "youth", "Young people's mental health hub", "mental_health",
        "Drop in or refer yourself: support for young people's mental health and wellbeing.",
        True, TEAM, ((75, 4 * WEEK),), maximum_age=24,
        eligibility="For young people under 25. Open access: you do not need a referral.",
        mental_health=True, triagers=(("Callum", "Fraser"),),
    ),
    Spec(
        "eip", "Early intervention in psychosis", "mental_health",
        "Assessment and treatment for people having a first episode of psychosis.",
        False, TEAM, ((60, 2 * WEEK),), minimum_age=14, maximum_age=65, mental_health=True,
        triagers=(("Amira", "Haddad"),),
    ),
    Spec(
        "smoking", "Stop smoking service", "council",
        "Free support and medicines to help you stop smoking.",
        True, (*TEAM, R.PHARMACIST), minimum_age=12, triagers=(("Yusuf", "Rahman"),),
    ),
    Spec(
        "weight", "Weight management", "council",
        "A 12-week programme to help you lose weight and keep it off.",
        True, (*TEAM, R.PHARMACIST), ((92, 18 * WEEK),), minimum_age=18,
        triagers=(("Yusuf", "Rahman"),),
    ),
    Spec(
        "debt", "Debt advice", "voluntary",
        "Free, confidential advice on debt, benefits and money worries.",
        True, TEAM, minimum_age=18, triagers=(("Jess", "Thompson"),),
    ),
    Spec(
        "employment", "Employment advice", "voluntary",
        "Help to find work, stay in work or go back to work after illness.",
        True, TEAM, minimum_age=16, triagers=(("Jess", "Thompson"),),
    ),
    Spec(
        "carers", "Carers' support", "voluntary",
        "Support, breaks and a carer's assessment for anyone who looks after someone, "
        "young carers included.",
        True, (*TEAM, R.PHARMACIST), triagers=(("Jess", "Thompson"),),
    ),
    Spec(
        "eye", "Community eye service", "community",
        "Assessment of eye problems found by your optician, without going to hospital.",
        False, (R.OPTICIAN, R.GP), RTT, triagers=(("Fatima", "Malik"),),
    ),
    Spec(
        "gp1", "GP team, Riverside Medical Practice", "practice1",
        "Your GP practice's team, for a pharmacist, optician or school to raise a concern.",
        False, (R.PHARMACIST, R.OPTICIAN, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL),
        site="Riverside Medical Practice", triagers=(("Tom", "Hughes"),),
    ),
    Spec(
        "gp2", "GP team, Oakfield Surgery", "practice2",
        "Your GP practice's team, for a pharmacist, optician or school to raise a concern.",
        False, (R.PHARMACIST, R.OPTICIAN, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL),
        site="Oakfield Surgery", triagers=(("Ravi", "Sharma"),),
    ),
    Spec(
        "gp3", "GP team, Millbrook Family Practice", "practice3",
        "Your GP practice's team, for a pharmacist, optician or school to raise a concern.",
        False, (R.PHARMACIST, R.OPTICIAN, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL),
        site="Millbrook Family Practice", triagers=(("Sarah", "O'Neill"),),
    ),
    Spec(
        "district_nursing", "District nursing", "community",
        "Nursing at home for people who are housebound.",
        False, (*TEAM, R.PHARMACIST), minimum_age=18, triagers=(("Megan", "Hall"),),
    ),
    Spec(
        "social_care", "Adult social care assessment", "council",
        "An assessment of the help you need to live at home, from the council.",
        True, TEAM, ((92, 4 * WEEK),), minimum_age=18, triagers=(("Natalie", "Green"),),
    ),
    Spec(
        "falls", "Falls prevention service", "community",
        "Strength and balance, a home check and a medicines review after a fall.",
        False, (*TEAM, R.PHARMACIST), RTT, minimum_age=65, triagers=(("Laura", "Mitchell"),),
    ),
    Spec(
        "pharmacy", "Pharmacy First", "pharmacy",
        "Advice and, where needed, medicines for common conditions, from a pharmacist.",
        True, TEAM, site="", triagers=(("Sunil", "Mehta"),),
    ),
)  # fmt: skip

# (username, prefix, given, family, profession, organisation key, registration, external?)
P = Profession
ACCOUNTS = (
    ("optician", "", "Nadia", "Shah", P.OPTOMETRIST, "optician", "GOC 01-34567", True),
    ("pharmacist", "", "Olivia", "Bennett", P.PHARMACIST, "pharmacy", "GPhC 2091234", True),
    ("school", "Mr", "Peter", "Lowe", P.TEACHER, "school", "", True),
    ("triage", "", "Rebecca", "Stone", P.PHYSIOTHERAPIST, "community", "HCPC PH556677", False),
)
SCHOOL = ("Riverside Academy", "A secondary school in the neighbourhood.")

# Mrs Patel's referrals: (service key, from, days ago, status, reason, status reason)
PATEL = (
    ("falls", ("Tom", "Hughes"), 24, S.ACCEPTED,
     "Two falls at home since January, the last on the stairs at night. Lives with her "
     "husband, who has dementia; she is his main carer.", ""),
    ("msk", ("Tom", "Hughes"), 12, S.RECEIVED,
     "Osteoarthritis of the right knee, worse over three months. Struggling with stairs; "
     "keen to try physiotherapy before anything else.", ""),
    ("carers", None, 5, S.RECEIVED,
     "I look after my husband Raj, who has dementia. I would like to talk to someone about a "
     "break and some help at home.", ""),
    ("gp1", ("Olivia", "Bennett"), 1, S.RECEIVED,
     "Blood pressure 168/96 at a pharmacy check today (repeated, same arm). No symptoms. "
     "Please review her medicines.", ""),
    ("eye", ("Nadia", "Shah"), 240, S.COMPLETED,
     "Reduced vision in the left eye; lens opacity seen. Please assess for cataract.", ""),
)  # fmt: skip

REASONS = {
    "msk": "Low back pain for six weeks, not improving with painkillers.",
    "talking": "Low mood and poor sleep since losing their job.",
    "youth": "Feeling anxious about exams and not sleeping.",
    "smoking": "Wants to stop smoking before their operation.",
    "weight": "BMI 36; type 2 diabetes; wants help to lose weight.",
    "debt": "Behind with rent and council tax; letters from bailiffs.",
    "employment": "Off work with back pain for three months; wants to go back.",
    "carers": "Looks after their mother, who has had a stroke.",
    "social_care": "Needs help with washing and dressing after a hospital stay.",
    "district_nursing": "Leg ulcer dressings twice a week; housebound.",
    "eye": "Raised eye pressure at a sight test.",
    "eip": "Hearing voices for two weeks; family worried.",
    "falls": "Fell twice in a month; uses a stick.",
}
DECLINED = (
    "This service is for people who live in the neighbourhood. Please ask your GP about a "
    "service near you."
)
# The statuses of the other residents' referrals, in turn.
MIX = (S.RECEIVED, S.RECEIVED, S.RECEIVED, S.ACCEPTED, S.COMPLETED, S.DECLINED, S.BOOKED)


def create_services(
    workforce: Workforce, *, today: date | None = None, seed: int = 0
) -> dict[str, Service]:
    """Create the directory, the external referrers' sign-ins and the demo's referrals; return
    the services by key."""
    today = today or timezone.localdate()
    orgs = dict(workforce.organisations)
    orgs["school"] = Organisation.objects.create(
        name=SCHOOL[0],
        description=SCHOOL[1],
        kind=OrganisationKind.SCHOOL,
        neighbourhood=workforce.neighbourhood,
    )
    people = dict(workforce.by_name)
    for account in ACCOUNTS:
        professional = _account(*account, orgs)
        people[(professional.given_name, professional.family_name)] = professional
    sites = {site.name: site for site in Site.objects.filter(neighbourhood=workforce.neighbourhood)}
    services = {spec.key: _service(spec, orgs, sites, people) for spec in SPECS}
    _patel(services, people, today)
    _residents(services, people, today, np.random.default_rng([seed, 3]))
    return services


def _account(username, prefix, given, family, profession, org_key, registration, external, orgs):
    user = get_user_model().objects.create(
        username=username, first_name=given, last_name=family, password=demo_password_hash()
    )
    return Professional.objects.create(
        user=user,
        prefix=prefix,
        given_name=given,
        family_name=family,
        profession=profession,
        organisation=orgs[org_key],
        registration_number=registration,
        phone="0300 555 0100",
        is_external_referrer=external,
    )


def _service(spec: Spec, orgs, sites, people) -> Service:
    service = Service.objects.create(
        name=spec.name,
        description=spec.description,
        organisation=orgs[spec.organisation],
        url=URL + spec.key,
        accepts_self_referral=spec.self_referral,
        referrers=list(spec.referrers),
        minimum_age=spec.minimum_age,
        maximum_age=spec.maximum_age,
        eligibility_description=spec.eligibility,
        is_mental_health=spec.mental_health,
    )
    WaitingTimeStandard.objects.bulk_create(
        WaitingTimeStandard(service=service, percent=percent, days=days)
        for percent, days in spec.standards
    )
    if spec.site:
        service.sites.add(sites[spec.site])
    service.triagers.set([people[name] for name in spec.triagers])
    return service


def _at(today: date, days_ago: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour)))


def _referral(service, person, *, status, received, requester, reason, status_reason="", **extra):
    days = [s.days for s in service.standards.all()]
    closed = status in (S.DECLINED, S.REDIRECTED, S.COMPLETED)
    triaged = status != S.RECEIVED
    return Referral(
        service=service,
        person=person,
        source=ReferrerKind.SELF if requester is None else _kind(requester),
        requester=requester,
        nhs_number=person.nhs_number,
        birth_date=person.birth_date,
        given_name=person.given_name,
        family_name=person.family_name,
        phone=person.phone,
        identity_match=IdentityMatch.MATCHED,
        # A demo self-referral is the resident's own, signed in; the rest the team's.
        identity_confirmation=IdentityConfirmation.RESIDENT
        if requester is None
        else IdentityConfirmation.REFERRER,
        identity_confirmed_at=received,
        relationship_granted=status in (S.ACCEPTED, S.BOOKED, S.COMPLETED),
        reason=reason,
        status=status,
        status_reason=status_reason,
        received_at=received,
        standard_due_at=standard_due(received, days),
        triaged_at=received + timedelta(days=3) if triaged else None,
        triaged_by=service.triagers.first() if triaged else None,
        first_seen_at=received + timedelta(days=20) if status == S.COMPLETED else None,
        closed_at=received + timedelta(days=20) if closed else None,
        updated_at=received,
        **extra,
    )


def _kind(professional) -> str:
    return referrer_kind(professional.profession)


def _save(referrals: list[Referral]) -> None:
    Referral.objects.bulk_create(referrals)
    events = []
    for referral in Referral.objects.filter(pk__in=[r.pk for r in referrals]):
        events.append(ReferralEvent(referral=referral, status=S.RECEIVED, at=referral.received_at))
        if referral.status != S.RECEIVED:
            by = referral.triaged_by.user if referral.triaged_by else None
            events.append(
                ReferralEvent(
                    referral=referral,
                    status=referral.status,
                    at=referral.triaged_at,
                    by=by,
                    note=referral.status_reason,
                )
            )
    ReferralEvent.objects.bulk_create(events)


def _patel(services, people, today: date) -> None:
    meera = Person.objects.get(nhs_number=MEERA_NHS_NUMBER)
    referrals = [
        _referral(
            services[key],
            meera,
            status=status,
            received=_at(today, days_ago),
            requester=people[who] if who else None,
            reason=reason,
            status_reason=status_reason,
            email="" if who else "meera.patel@example.com",
        )
        for key, who, days_ago, status, reason, status_reason in PATEL
    ]
    _save(referrals)
    pharmacist = people[("Olivia", "Bennett")]
    Immunization.objects.create(
        person=meera,
        procedure_code="822851000000102",
        procedure_display="Seasonal influenza vaccination",
        occurrence_date=today - timedelta(days=60),
        performer_organisation=pharmacist.organisation,
        recorded_by=pharmacist,
        recorded_at=_at(today, 60, 11),
    )


def _residents(services, people, today: date, rng) -> None:
    """Thirty-odd referrals for other residents, spread over services, ages and states."""
    candidates = list(
        Person.objects.exclude(nhs_number=MEERA_NHS_NUMBER)
        .filter(pk__in=_sample_ids(rng, 400), deceased_at__isnull=True)
        .order_by("pk")
    )
    referrers = [
        None,
        people[("Tom", "Hughes")],
        people[("Aisha", "Khan")],
        people[("Sam", "Reid")],
        people[("Peter", "Lowe")],
        people[("Olivia", "Bennett")],
    ]
    referrals = []
    keys = [key for key in REASONS if key in services]
    for i, person in enumerate(candidates):
        if len(referrals) >= 36:
            break
        key = keys[i % len(keys)]
        service = services[key]
        requester = referrers[i % len(referrers)]
        source = ReferrerKind.SELF if requester is None else _kind(requester)
        allowed = service.accepts_self_referral if source == R.SELF else source in service.referrers
        if not allowed or not is_eligible_age(
            service.minimum_age, service.maximum_age, person.birth_date, today
        ):
            continue
        status = MIX[len(referrals) % len(MIX)]
        # Waits from a day to five months, so some are near or past their standard.
        days_ago = int(rng.integers(1, 150)) if status == S.RECEIVED else int(rng.integers(30, 200))
        referrals.append(
            _referral(
                service,
                person,
                status=status,
                received=_at(today, days_ago, 9 + len(referrals) % 8),
                requester=requester,
                reason=REASONS[key],
                status_reason=DECLINED if status == S.DECLINED else "",
            )
        )
    _save(referrals)


def _sample_ids(rng, count: int) -> list[int]:
    # The generator writes residents with consecutive keys: draw from the range, not the table.
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    return rng.integers(bounds["low"], bounds["high"] + 1, count).tolist()
