"""No 500 from input: every page and form of the site, sent the fuzz corpus (oversized numbers,
unicode digits, huge ids, very long and comma-stuffed text, NUL bytes) and a body over the
limit, answers with a page, a 4xx or a redirect, never a server error. The FHIR API has its own
corpus in tests/api/test_fhir_hostile_input.py.

The routes are enumerated from the URL configuration (as the CSRF test does), each id filled
with a real object of a small neighbourhood so that the forms behind them are reached; each
route is fuzzed as the first role that may open it.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneroof.access import services as booking
from oneroof.access.models import Channel
from oneroof.audit.services import break_glass
from tests.db.access_factories import make_surgery
from tests.db.test_security import _all_url_patterns
from tests.factories import PASSWORD, TaskFactory, UserFactory, team_around
from tests.referral_factories import ReferralFactory, ServiceFactory, optician

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # past 2^63, never mind 2^31
CORPUS = [
    HUGE,
    str(2**31),
    "-" + HUGE,
    "²",  # a digit to str.isdigit(), not to int()
    "٣٤",  # Arabic-Indic digits: int() reads them
    "１２",  # full-width digits
    "1e309",
    "NaN",
    "\x00",
    "x" * 20_000,
    ",".join(["1"] * 400),
    "' OR 1=1 --",
]
# Query names some list pages read that no form on the page carries.
EXTRA_NAMES = ["professional", "date", "day", "week", "page", "service", "status", "month", "q"]


class World:
    """A surgery, a resident on a district nurse's team with a request, an appointment, a
    task, a referral and a break-glass grant: one real object behind every kind of id."""

    def __init__(self):
        now = timezone.now()
        self.surgery = s = make_surgery()
        self.person = s.patient(user=UserFactory(username="resident"))
        team_around(self.person, s.nurse, s.dr_hughes)
        clerk = s.receptionist.user
        for hours in (3, 4, 5):
            s.slot(s.dr_hughes, now + timedelta(hours=hours))
        self.request = booking.request_appointment(
            person=self.person, right="within_48h", by=clerk, channel=Channel.RECEPTION
        ).access_request
        self.appointment = booking.book_appointment(
            slot=s.slot(s.dr_malik, now + timedelta(days=3)),
            person=self.person,
            by=clerk,
            submission_id=uuid.uuid4(),
        )
        self.task = TaskFactory(person=self.person, owner=s.nurse)
        self.service = ServiceFactory(triagers=[s.nurse])
        self.referral = ReferralFactory(person=self.person, service=self.service)
        self.grant = break_glass(
            user=s.dr_malik.user,
            person=self.person,
            reason_kind="care_now",
            reason="Called to the house at night and the team cannot be reached",
        )
        officer = UserFactory(username="privacy")
        from django.contrib.auth.models import Permission

        officer.user_permissions.add(Permission.objects.get(codename="view_recordaccess"))
        self.users = [
            s.nurse.user,
            s.receptionist.user,
            s.dr_hughes.user,
            self.person.user,
            officer,
            optician().user,
        ]

    def url(self, route: str) -> str:
        ids = {
            "people/tasks/<uuid:task_id>": self.task.public_id,
            "appointments/requests/<uuid:public_id>": self.request.public_id,
            "my/appointments/requests/<uuid:public_id>": self.request.public_id,
            "appointments/appointments/<uuid:public_id>": self.appointment.public_id,
            "my/appointments/<uuid:public_id>": self.appointment.public_id,
            "referrals/<uuid:public_id>": self.referral.public_id,
            "refer/<uuid:public_id>": self.service.public_id,
            "openreferral/services/<uuid:public_id>": self.service.public_id,
            "<uuid:public_id>": self.person.public_id,
        }
        for prefix, value in ids.items():
            marker = prefix.rsplit("/", 1)[-1]
            if route.startswith(prefix) or (prefix == marker and marker in route):
                route = route.replace(marker, str(value), 1)
        route = route.replace("<int:pk>", str(self.grant.pk))
        return "/" + re.sub(r"<str:\w+>", "x", route)


@pytest.fixture
def world():
    return World()


def _clients(world):
    # A server error is an answer to count here, not an exception to stop at.
    clients = [Client(raise_request_exception=False)]
    for user in world.users:
        client = Client(raise_request_exception=False)
        assert client.login(username=user.username, password=PASSWORD)
        clients.append(client)
    return clients


def _names(html: str) -> list[str]:
    found = re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html)
    return [n for n in dict.fromkeys(found) if n != "csrfmiddlewaretoken"]


def _site_routes():
    return [r for r in dict.fromkeys(_all_url_patterns()) if not r.startswith("fhir/R4/")]


def _reachable(clients, url):
    """The first client (anonymous first) that the route lets in, and the form names it
    shows; None if nobody may open it."""
    for client in clients:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in (200, 405):
            html = response.content.decode(errors="replace")
            return client, _names(html) if response.status_code == 200 else []
    return None, []


def test_every_page_and_form_survives_the_fuzz_corpus(world):
    clients = _clients(world)
    routes = _site_routes()
    assert len(routes) >= 60
    reached, failures = 0, []
    for route in routes:
        url = world.url(route)
        client, names = _reachable(clients, url)
        if client is None:
            continue
        reached += 1
        names = names or ["submission_id", "reason", "note", "answer", "text"]
        for value in CORPUS:
            data = dict.fromkeys([*names, *EXTRA_NAMES], value)
            for method in (client.get, client.post):
                status = method(url, data).status_code
                if status >= 500:
                    failures.append((route, method.__name__, value[:20], status))
    assert reached >= 40
    assert failures == [], "\n".join(map(str, failures))


DATE_FORMS = [
    # (url name, who, the date field)
    ("care:person_find", "nurse", "birth_date"),
    ("self_referral:self_refer", None, "birth_date"),
    ("referrals:referral_create", "nurse", "birth_date"),
]


@pytest.mark.parametrize(
    "day_month_year", [(HUGE, "3", "1944"), ("12", "3", HUGE), ("1", HUGE, "2")]
)
@pytest.mark.parametrize(("name", "who", "field"), DATE_FORMS)
def test_date_parts_beyond_any_integer_are_a_clear_error(world, name, who, field, day_month_year):
    client = Client()
    if who:
        assert client.login(username=world.surgery.nurse.user.username, password=PASSWORD)
    data = {f"{field}_{i}": part for i, part in enumerate(day_month_year)}
    data["family_name"] = "Patel"
    if name == "care:person_find":
        response = client.get(reverse(name), data)
    else:
        kwargs = {"public_id": world.service.public_id} if name.startswith("self_") else {}
        response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code in (200, 400)
    assert "must be a real date" in response.content.decode()


def test_unicode_digits_in_a_date_are_not_read_as_a_date(world):
    client = Client()
    assert client.login(username=world.surgery.nurse.user.username, password=PASSWORD)
    response = client.get(
        reverse("care:person_find"),
        {"family_name": "Patel", "birth_date_0": "١٢", "birth_date_1": "٣", "birth_date_2": "١٩٤٤"},
    )
    assert "must be a real date" in response.content.decode()


def test_a_body_over_the_limit_is_413_on_every_route(world):
    clients = _clients(world)
    body = "x=" + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    for route in dict.fromkeys(_all_url_patterns()):
        url = (
            world.url(route)
            if not route.startswith("fhir/R4/")
            else "/" + route.replace("<id>", str(uuid.uuid4()))
        )
        for client in (clients[0], clients[1]):
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 413, (route, response.status_code)
            text = response.content.decode()
            assert "too large" in text, route
            if route.startswith("fhir/R4/"):
                assert response.json()["resourceType"] == "OperationOutcome"


def test_a_professional_id_in_unicode_digits_or_past_2_63_finds_no_one(world):
    client = Client()
    assert client.login(username=world.surgery.receptionist.user.username, password=PASSWORD)
    url = world.url("appointments/people/<uuid:public_id>/")
    for value in ("²", "٣", HUGE, str(2**63)):
        response = client.get(url, {"professional": value})
        assert response.status_code == 200, value


def test_huge_attendee_ids_are_a_clear_error(world):
    client = Client()
    assert client.login(username=world.surgery.nurse.user.username, password=PASSWORD)
    response = client.post(
        world.url("people/<uuid:public_id>/mdt-review/"),
        {"submission_id": str(uuid.uuid4()), "decision": "Falls clinic", "attendees": [HUGE]},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
