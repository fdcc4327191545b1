"""Mrs Patel, the story persona, and her family: always present, exactly as the story tells.

Mrs Meera Patel (born 12 March 1944) lives with her husband Raj, who has dementia and whom she
cares for, in the most deprived LSOA of the neighbourhood. Her daughter Priya is her main carer
(with Meera's consent to act for her) and her grandson Arjun, 15, helps too.
"""

import uuid
from datetime import date, datetime, time, timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from oneroof.care.models import (
    CarePlan,
    CarePlanAction,
    Condition,
    Contact,
    Goal,
    MdtReview,
    MedicationStatement,
    Task,
)
from oneroof.people.models import Address, Carer, Consent, Person, Preference
from oneroof.workforce.models import CareTeam, CareTeamMember

from .codes import CONDITION_BY_KEY, DEFICIT_BY_KEY, SOCIAL_NEEDS
from .medicines import MEDICINES
from .population import CITY, Lsoa
from .texts import CONTACT_SUMMARIES
from .workforce import PATEL_TEAM, Workforce, demo_password_hash

MEERA_NHS_NUMBER = "9434765919"
# Valid NHS numbers in the 999 test range for her family (the generator's own numbers are drawn
# from the same range by a seeded permutation, so these are taken out of it first).
FAMILY_NHS_NUMBERS = {"raj": "9990000018", "priya": "9990000026", "arjun": "9990000034"}

WHAT_MATTERS = "Staying at home with Raj, and seeing my grandchildren on Sundays."
GOALS = (
    "Walk to the corner shop with my stick by the summer.",
    "Not fall again.",
    "Get out to the temple and see my friends once a week.",
)
# (owner's name, goal index, action)
ACTIONS = (
    (
        ("Laura", "Mitchell"),
        0,
        "Home exercise programme for strength and balance; review in six weeks.",
    ),
    (
        ("Sam", "Reid"),
        1,
        "Carer's assessment for Priya, and review of help at home for Meera and Raj.",
    ),
    (
        ("Jess", "Thompson"),
        2,
        "Introduce Meera to the Tuesday lunch club and help with the Attendance Allowance claim.",
    ),
)
MEDICINE_KEYS = (
    "furosemide",
    "bisoprolol",
    "ramipril",
    "metformin",
    "atorvastatin",
    "sertraline",
    "co_codamol",
)
DEFICIT_CODES = (  # frailty deficits beyond her conditions and polypharmacy: 10 in all
    ("falls", 0),
    ("mobility", 0),
    ("dyspnoea", 0),
    ("hearing", 0),
    ("urinary_incontinence", 0),
    ("care_requirement", 1),
)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def create_patel_family(workforce: Workforce, lsoas: list[Lsoa], today: date, seed: int):
    """Create Meera, Raj, Priya and Arjun with everything the story needs; return Meera."""
    rng = np.random.default_rng([seed, 0])
    practice = workforce.organisations["practice1"]
    home = min(lsoas, key=lambda lsoa: lsoa.imd_rank)  # the most deprived LSOA
    nearby = next(lsoa for lsoa in lsoas if lsoa.district == home.district and lsoa != home)
    users = get_user_model()
    tom = workforce.by_name[("Tom", "Hughes")]

    def person(key, given, prefix, sex, born, lsoa, line, postcode, user=None):
        record = Person.objects.create(
            public_id=uuid.UUID(bytes=rng.bytes(16), version=4),
            nhs_number=FAMILY_NHS_NUMBERS.get(key, MEERA_NHS_NUMBER),
            prefix=prefix,
            given_name=given,
            family_name="Patel",
            birth_date=born,
            gender=sex,
            ethnic_group="asian",
            phone="07700 900461",
            general_practice=practice,
            user=user,
        )
        Address.objects.create(
            person=record,
            line=line,
            city=CITY,
            postal_code=postcode,
            lsoa_code=lsoa.code,
            imd_decile=lsoa.imd_decile,
            period_start=date(1978, 6, 1),
        )
        Consent.objects.create(
            person=record,
            scope="share_with_team",
            status="active",
            date_time=_aware(today - timedelta(days=400), time(10)),
            recorded_by=tom,
        )
        return record

    def sign_in(username, first):
        return users.objects.create(
            username=username, first_name=first, last_name="Patel", password=demo_password_hash()
        )

    meera = person(
        "meera",
        "Meera",
        "Mrs",
        "female",
        date(1944, 3, 12),
        home,
        "27 Skinner Street",
        "TS18 1EU",
        sign_in("patel", "Meera"),
    )
    raj = person(
        "raj", "Raj", "Mr", "male", date(1941, 9, 30), home, "27 Skinner Street", "TS18 1EU"
    )
    priya = person(
        "priya",
        "Priya",
        "Mrs",
        "female",
        date(1972, 7, 4),
        nearby,
        "8 Ramsey Street",
        "TS18 2LR",
        sign_in("priya", "Priya"),
    )
    # Arjun is 15 whatever day the demo is loaded: born 15 years and 100 days ago.
    arjun = person(
        "arjun",
        "Arjun",
        "",
        "male",
        today - timedelta(days=15 * 365 + 100),
        nearby,
        "8 Ramsey Street",
        "TS18 2LR",
    )
    _meera_record(meera, workforce, today, rng)
    _raj_record(raj, meera, tom, today)
    _carers(meera, priya, arjun, tom, today)
    return meera


def _condition(person, code, category, onset, recorder):
    Condition.objects.create(
        person=person,
        code=code.code,
        display=code.display,
        category=category,
        onset_date=onset,
        recorded_date=onset,
        recorder=recorder,
    )


def _meera_record(meera, workforce: Workforce, today: date, rng) -> None:
    team = [workforce.by_name[name] for name in PATEL_TEAM]
    grace, tom = team[0], team[1]
    years = lambda n: today - timedelta(days=int(n * 365.25))  # noqa: E731
    _condition(meera, CONDITION_BY_KEY["heart_failure"].codes[0], "physical", years(4), tom)
    _condition(meera, CONDITION_BY_KEY["diabetes"].codes[0], "physical", years(12), tom)
    _condition(meera, CONDITION_BY_KEY["knee_oa"].codes[0], "physical", years(9), tom)
    _condition(meera, CONDITION_BY_KEY["depression"].codes[0], "mental", years(2), tom)
    _condition(meera, SOCIAL_NEEDS["isolation"], "social", years(1), grace)
    _condition(meera, SOCIAL_NEEDS["debt"], "social", years(0.5), grace)
    for key, which in DEFICIT_CODES:
        deficit = DEFICIT_BY_KEY[key]
        _condition(meera, deficit.codes[which], deficit.category, years(1.5), grace)
    for key in MEDICINE_KEYS:
        medicine = MEDICINES[key]
        MedicationStatement.objects.create(
            person=meera,
            code=medicine.code,
            display=medicine.display,
            dosage=medicine.dosage,
            effective_start=years(2),
        )
    Preference.objects.create(
        person=meera, kind="place_of_care", value="At home", recorded_by=grace
    )
    Preference.objects.create(
        person=meera,
        kind="communication",
        value="Phone, in the morning; speaks Gujarati and English",
        recorded_by=grace,
    )
    care_team = CareTeam.objects.create(
        person=meera, coordinator=grace, created_at=_aware(years(1), time(11))
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(care_team=care_team, professional=pro, period_start=years(1)) for pro in team
    )
    plan = CarePlan.objects.create(
        person=meera,
        what_matters=WHAT_MATTERS,
        next_review_date=today + timedelta(days=5),
        created_at=_aware(years(1), time(11, 30)),
        updated_at=_aware(today - timedelta(days=40), time(15)),
    )
    goals = [
        Goal.objects.create(
            care_plan=plan,
            description=text,
            target_date=today + timedelta(days=120),
            created_at=_aware(years(1), time(11, 30)),
        )
        for text in GOALS
    ]
    for (owner_name, goal, text), status in zip(
        ACTIONS, ("in-progress", "requested", "requested"), strict=True
    ):
        owner = workforce.by_name[owner_name]
        action = CarePlanAction.objects.create(
            care_plan=plan,
            goal=goals[goal],
            description=text,
            owner=owner,
            due_date=today + timedelta(days=14),
            created_by=grace,
            created_at=_aware(today - timedelta(days=40), time(15)),
        )
        Task.objects.create(
            public_id=uuid.UUID(bytes=rng.bytes(16), version=4),
            person=meera,
            description=text,
            status=status,
            owner=owner,
            requester=grace,
            action=action,
            due_date=action.due_date,
            authored_on=action.created_at,
            last_modified=action.created_at,
        )
    for months, decision in (
        (6, "Falls and low mood discussed. Physiotherapy and talking therapies offered."),
        (3, "Priya is struggling to care for both parents: carer's assessment agreed."),
    ):
        held = today - timedelta(days=30 * months)
        review = MdtReview.objects.create(
            person=meera,
            held_on=held,
            decision=decision,
            recorded_by=grace,
            recorded_at=_aware(held, time(13)),
            next_review_date=today + timedelta(days=5),
        )
        review.attendees.set(team[:4])
    contacts = []
    for _ in range(28):
        pro = team[int(rng.choice(len(team), p=_contact_weights(len(team))))]
        day = today - timedelta(days=int(rng.integers(1, 730)))
        mode = (
            "home_visit"
            if pro.profession in {"district_nurse", "care_worker", "palliative_care"}
            else "phone"
        )
        summaries = CONTACT_SUMMARIES[pro.profession]
        contacts.append(
            Contact(
                person=meera,
                professional=pro,
                mode=mode,
                occurred_at=_aware(day, time(9 + int(rng.integers(0, 8)), 30)),
                summary=summaries[int(rng.integers(0, len(summaries)))],
            )
        )
    Contact.objects.bulk_create(contacts)


def _contact_weights(size: int) -> np.ndarray:
    weights = np.ones(size)
    weights[:3] = 3.0  # her coordinator, GP and district nurse see her most
    return weights / weights.sum()


def _raj_record(raj, meera, tom, today: date) -> None:
    dementia = CONDITION_BY_KEY["dementia"].codes[1]  # Alzheimer's disease
    _condition(raj, dementia, "mental", today - timedelta(days=3 * 365), tom)
    _condition(
        raj,
        CONDITION_BY_KEY["hypertension"].codes[0],
        "physical",
        today - timedelta(days=15 * 365),
        tom,
    )
    for key in ("donepezil", "amlodipine"):
        medicine = MEDICINES[key]
        MedicationStatement.objects.create(
            person=raj,
            code=medicine.code,
            display=medicine.display,
            dosage=medicine.dosage,
            effective_start=today - timedelta(days=700),
        )
    Carer.objects.create(
        cared_for=raj,
        carer_person=meera,
        name=meera.name.removeprefix("Mrs "),
        relationship="SPS",
        birth_date=meera.birth_date,
        phone=meera.phone,
        is_main_carer=True,
        period_start=today - timedelta(days=3 * 365),
    )


def _carers(meera, priya, arjun, tom, today: date) -> None:
    main = Carer.objects.create(
        cared_for=meera,
        carer_person=priya,
        name="Priya Patel",
        relationship="CHILD",
        birth_date=priya.birth_date,
        phone="07700 900462",
        is_main_carer=True,
        period_start=today - timedelta(days=2 * 365),
    )
    Carer.objects.create(
        cared_for=meera,
        carer_person=arjun,
        name="Arjun Patel",
        relationship="GRNDCHILD",
        birth_date=arjun.birth_date,
        is_main_carer=False,
        period_start=today - timedelta(days=365),
    )
    Consent.objects.create(
        person=meera,
        scope="carer_proxy",
        status="active",
        grantee=main,
        date_time=_aware(today - timedelta(days=300), time(14)),
        recorded_by=tom,
    )
