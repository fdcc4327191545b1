"""The neighbourhood's organisations, sites and team: created with the ORM (a few dozen rows).

Organisation names are made up. GP practice codes are ODS-shaped (a letter and five digits, in
the North East's A8 range) but are not codes of real practices: none is in NHS England's
practice list of August 2025. Other organisation codes are likewise made up.
"""

from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from oneroof.workforce.models import (
    Neighbourhood,
    OpeningHours,
    Organisation,
    OrganisationKind,
    Profession,
    Professional,
    Site,
)

from .signins import DEMO_PASSWORD

P = Profession
K = OrganisationKind

NEIGHBOURHOOD = ("stockton-riverside", "Stockton Riverside neighbourhood")

# key: (ODS-like code, name, kind)
ORGANISATIONS: dict[str, tuple[str, str, str]] = {
    "practice1": ("A89971", "Riverside Medical Practice", K.GP_PRACTICE),
    "practice2": ("A89972", "Oakfield Surgery", K.GP_PRACTICE),
    "practice3": ("A89973", "Millbrook Family Practice", K.GP_PRACTICE),
    "community": ("R9D1", "Tees Riverside Community Health NHS Trust", K.COMMUNITY_TRUST),
    "mental_health": (
        "R9D2",
        "Tees Riverside Mental Health NHS Foundation Trust",
        K.MENTAL_HEALTH_TRUST,
    ),
    "council": ("L9D1", "Stockton-on-Tees Borough Council Adult Social Care", K.LOCAL_AUTHORITY),
    "hospice": ("H9D1", "Riverside Hospice", K.HOSPICE),
    "voluntary": ("V9D1", "Riverside Community Action", K.VOLUNTARY),
    "pharmacy": ("FD9R1", "Bridge Road Pharmacy", K.PHARMACY),
    "optician": ("OD9R1", "Riverside Opticians", K.OPTICIAN),
}
PRACTICES = ("practice1", "practice2", "practice3")
# Which practice is nearest to each postcode district of the neighbourhood.
PRACTICE_FOR_DISTRICT = {"TS18": "practice1", "TS19": "practice2", "TS20": "practice3"}

# (site name, organisation key, address line, postcode, is the health centre)
SITES = (
    ("Riverside Neighbourhood Health Centre", "community", "1 Riverside Walk", "TS18 1NH", True),
    ("Riverside Medical Practice", "practice1", "14 Bridge Terrace", "TS18 1QF", False),
    ("Oakfield Surgery", "practice2", "2 Oakfield Road", "TS19 7DX", False),
    ("Millbrook Family Practice", "practice3", "40 Mill Lane", "TS20 1LB", False),
)

# (username or "", prefix, given, family, profession, organisation key, registration number)
# A blank username becomes firstname.lastname with an unusable password.
TEAM = (
    ("gp", "Dr", "Tom", "Hughes", P.GP, "practice1", "GMC 7012345"),
    ("", "Dr", "Fatima", "Malik", P.GP, "practice1", "GMC 7023456"),
    ("", "Dr", "Oliver", "Grant", P.GP, "practice1", "GMC 6934567"),
    ("", "", "Hannah", "Lee", P.PRACTICE_NURSE, "practice1", "NMC 09A1234E"),
    ("", "", "Daniel", "Osei", P.PHARMACIST, "practice1", "GPhC 2071234"),
    ("reception", "", "Lucy", "Ward", P.RECEPTIONIST, "practice1", ""),
    ("", "Dr", "Ravi", "Sharma", P.GP, "practice2", "GMC 7045678"),
    ("", "Dr", "Emma", "Clarke", P.GP, "practice2", "GMC 7056789"),
    ("", "Dr", "James", "Whitfield", P.GP, "practice2", "GMC 6867890"),
    ("", "", "Chloe", "Dixon", P.PRACTICE_NURSE, "practice2", "NMC 12B2345E"),
    ("", "", "Karen", "Bell", P.RECEPTIONIST, "practice2", ""),
    ("", "Dr", "Sarah", "O'Neill", P.GP, "practice3", "GMC 7078901"),
    ("", "Dr", "Kwame", "Mensah", P.GP, "practice3", "GMC 7089012"),
    ("", "Dr", "Rachel", "Lewis", P.GP, "practice3", "GMC 7090123"),
    ("", "", "Joanne", "Price", P.PRACTICE_NURSE, "practice3", "NMC 05C3456E"),
    ("", "", "Paul", "Turner", P.RECEPTIONIST, "practice3", ""),
    ("coordinator", "", "Grace", "Okafor", P.DISTRICT_NURSE, "community", "NMC 08D4567E"),
    ("nurse", "", "Aisha", "Khan", P.DISTRICT_NURSE, "community", "NMC 14E5678E"),
    ("", "", "Megan", "Hall", P.DISTRICT_NURSE, "community", "NMC 16F6789E"),
    ("", "", "Tomasz", "Nowak", P.DISTRICT_NURSE, "community", "NMC 11G7890E"),
    ("", "", "Sophie", "Walsh", P.DISTRICT_NURSE, "community", "NMC 19H8901E"),
    ("physio", "", "Ben", "Carter", P.PHYSIOTHERAPIST, "community", "HCPC PH112233"),
    ("", "", "Laura", "Mitchell", P.PHYSIOTHERAPIST, "community", "HCPC PH223344"),
    ("", "", "Siobhan", "Murphy", P.OCCUPATIONAL_THERAPIST, "community", "HCPC OT334455"),
    ("", "", "Imran", "Hussain", P.OCCUPATIONAL_THERAPIST, "community", "HCPC OT445566"),
    ("", "", "Claire", "Robson", P.HEALTH_VISITOR, "community", "NMC 07J9012E"),
    ("socialworker", "", "Sam", "Reid", P.SOCIAL_WORKER, "council", "SWE SW123456"),
    ("", "", "Natalie", "Green", P.SOCIAL_WORKER, "council", "SWE SW234567"),
    ("", "", "Joy", "Adeyemi", P.CARE_WORKER, "council", ""),
    ("", "", "Mark", "Simpson", P.CARE_WORKER, "council", ""),
    ("", "", "Zainab", "Ali", P.CARE_WORKER, "council", ""),
    ("", "", "Helen", "Forster", P.PALLIATIVE_CARE, "hospice", "NMC 02K0123E"),
    ("", "", "David", "Kerr", P.PALLIATIVE_CARE, "hospice", "NMC 04L1234E"),
    ("", "", "Anjali", "Desai", P.MENTAL_HEALTH, "mental_health", "NMC 10M2345E"),
    ("", "", "Callum", "Fraser", P.MENTAL_HEALTH, "mental_health", "HCPC PYL034567"),
    ("", "", "Amira", "Haddad", P.MENTAL_HEALTH, "mental_health", "SWE SW345678"),
    ("", "", "Sunil", "Mehta", P.PHARMACIST, "pharmacy", "GPhC 2081234"),
    ("", "", "Jess", "Thompson", P.LINK_WORKER, "voluntary", ""),
    ("", "", "Yusuf", "Rahman", P.LINK_WORKER, "voluntary", ""),
    ("", "", "Alan", "Brooks", P.OPTOMETRIST, "optician", "GOC 01-23456"),
)

# Mrs Patel's team, by (given, family) name; her physiotherapist is not the demo user physio.
PATEL_TEAM = (
    ("Grace", "Okafor"),
    ("Tom", "Hughes"),
    ("Aisha", "Khan"),
    ("Sam", "Reid"),
    ("Joy", "Adeyemi"),
    ("Laura", "Mitchell"),
    ("Helen", "Forster"),
    ("Anjali", "Desai"),
    ("Daniel", "Osei"),
    ("Jess", "Thompson"),
)


@dataclass
class Workforce:
    neighbourhood: Neighbourhood
    organisations: dict[str, Organisation]
    professionals: list[Professional]
    by_name: dict[tuple[str, str], Professional] = field(default_factory=dict)
    by_profession: dict[str, list[int]] = field(default_factory=dict)  # profession -> ids
    gps_by_practice: dict[int, list[int]] = field(default_factory=dict)  # org id -> GP ids

    def practice_ids(self) -> list[int]:
        return [self.organisations[key].pk for key in PRACTICES]


@lru_cache(maxsize=1)
def demo_password_hash() -> str:
    """One hash of the demo password, reused: hashing is slow by design, and it is dev only."""
    return make_password(DEMO_PASSWORD)


def create_workforce() -> Workforce:
    """Create the neighbourhood, its organisations, sites, opening hours and team."""
    code, name = NEIGHBOURHOOD
    hood = Neighbourhood.objects.create(code=code, name=name)
    orgs = {
        key: Organisation.objects.create(ods_code=ods, name=org_name, kind=kind, neighbourhood=hood)
        for key, (ods, org_name, kind) in ORGANISATIONS.items()
    }
    _create_sites(hood, orgs)
    users = get_user_model()
    staff = []
    for username, prefix, given, family, profession, org_key, registration in TEAM:
        user = users(
            username=username or f"{given}.{family}".lower().replace("'", ""),
            first_name=given,
            last_name=family,
        )
        if username:
            user.password = demo_password_hash()
        else:
            user.set_unusable_password()
        user.save()
        staff.append(
            Professional.objects.create(
                user=user,
                prefix=prefix,
                given_name=given,
                family_name=family,
                profession=profession,
                organisation=orgs[org_key],
                registration_number=registration,
                phone="0300 555 0100",
            )
        )
    _create_privacy_officer()
    _create_manager()
    workforce = Workforce(neighbourhood=hood, organisations=orgs, professionals=staff)
    for pro in staff:
        workforce.by_name[(pro.given_name, pro.family_name)] = pro
        workforce.by_profession.setdefault(pro.profession, []).append(pro.pk)
        if pro.profession == P.GP:
            workforce.gps_by_practice.setdefault(pro.organisation_id, []).append(pro.pk)
    return workforce


def _create_sites(hood: Neighbourhood, orgs: dict[str, Organisation]) -> None:
    for site_name, org_key, line, postcode, is_centre in SITES:
        site = Site.objects.create(
            name=site_name,
            organisation=orgs[org_key],
            neighbourhood=hood,
            line=line,
            postal_code=postcode,
            is_health_centre=is_centre,
        )
        if is_centre:
            # The health centre: 8am to 8pm, Monday to Saturday.
            days, opens, closes = range(6), time(8, 0), time(20, 0)
        else:
            # A practice's own site: ordinary surgery hours, Monday to Friday.
            days, opens, closes = range(5), time(8, 0), time(18, 30)
        OpeningHours.objects.bulk_create(
            OpeningHours(site=site, weekday=day, opens=opens, closes=closes) for day in days
        )


def _create_privacy_officer() -> None:
    """A staff user who may read the audit trail; not a member of any care team."""
    user = get_user_model().objects.create(
        username="privacy",
        first_name="Morgan",
        last_name="Ellis",
        is_staff=True,
        password=demo_password_hash(),
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_recordaccess")
    )


def _create_manager() -> None:
    """The neighbourhood manager: reads the measures and sets what counts as a GP appointment
    within 48 hours; not in the team, opens no record."""
    user = get_user_model().objects.create(
        username="manager",
        first_name="Dana",
        last_name="Price",
        password=demo_password_hash(),
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="measures", codename="view_measureresult"),
        Permission.objects.get(
            content_type__app_label="workforce", codename="change_neighbourhood"
        ),
    )
