"""Security: who may see what, IDOR, CSRF on every form, escaping, residents, audit."""

import ast
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oneroof.audit.models import BreakGlass, RecordAccess
from oneroof.care.models import Goal, Task
from tests.factories import (
    PASSWORD,
    CarePlanFactory,
    PersonFactory,
    TaskFactory,
    UserFactory,
    team_around,
)

pytestmark = pytest.mark.django_db

PERSON_PAGES = [
    "care:record_view",
    "care:plan_edit",
    "care:mdt_review_add",
    "care:record_access_list",
]


def person_url(name, person):
    return reverse(name, kwargs={"public_id": person.public_id})


@pytest.fixture
def two_people(nurse):
    mine, theirs = PersonFactory(given_name="Mine"), PersonFactory(given_name="Theirs")
    team_around(mine, nurse)
    CarePlanFactory(person=theirs, what_matters="Something only their team should read")
    return mine, theirs


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_idor_changing_the_id_never_shows_another_person(client_for, nurse, two_people, page):
    mine, theirs = two_people
    client = client_for(nurse)
    assert client.get(person_url(page, mine)).status_code == 200

    response = client.get(person_url(page, theirs))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Something only their team should read" not in body
    assert theirs.nhs_number not in body
    assert not RecordAccess.objects.filter(person=theirs).exists()


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_unknown_person_id_is_404(client_for, nurse, page):
    url = reverse(page, kwargs={"public_id": uuid.uuid4()})
    assert client_for(nurse).get(url).status_code == 404


def test_idor_posting_to_another_persons_plan_changes_nothing(client_for, nurse, two_people):
    _, theirs = two_people
    response = client_for(nurse).post(
        person_url("care:plan_edit", theirs),
        {
            "form": "goal",
            "submission_id": str(uuid.uuid4()),
            "description": "Injected goal",
        },
    )
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_idor_completing_someone_elses_task_is_404(client_for, nurse, social_worker, person):
    task = TaskFactory(person=person, owner=social_worker)
    url = reverse("care:task_complete", kwargs={"task_id": task.public_id})
    assert client_for(nurse).post(url).status_code == 404
    task.refresh_from_db()
    assert task.status == "requested"


def _all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    return "/" + (
        route.replace("<uuid:public_id>", str(uuid.uuid4()))
        .replace("<uuid:task_id>", str(uuid.uuid4()))
        .replace("<int:pk>", "1")
        .replace("<id>", str(uuid.uuid4()))
    )


# The FHIR API authenticates other systems by bearer token, never by cookie, so it is exempt
# from CSRF; what it must enforce instead is "no token, no data", even for a signed-in session.
API_PREFIX = "fhir/R4/"
PUBLIC_API_ROUTES = {  # discovery, and the token endpoint itself
    "fhir/R4/",
    "fhir/R4/metadata",
    "fhir/R4/.well-known/smart-configuration",
    "fhir/R4/auth/token",
    "fhir/R4/openapi.json",
}


def test_csrf_is_enforced_on_every_url(nurse):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=nurse.user.username, password=PASSWORD)
    routes = list(_all_url_patterns())
    assert len(routes) >= 10
    for route in routes:
        if route.startswith(API_PREFIX):
            continue  # checked by test_api_gives_nothing_without_a_token
        response = client.post(_concrete(route), {"reason": "x" * 20, "description": "x"})
        assert response.status_code == 403, route
        assert "Your form could not be sent" in response.content.decode(), route


def test_api_gives_nothing_without_a_token(nurse):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=nurse.user.username, password=PASSWORD)
    routes = [
        r for r in _all_url_patterns() if r.startswith(API_PREFIX) and r not in PUBLIC_API_ROUTES
    ]
    assert len(routes) >= 30
    for route in routes:
        url = _concrete(route)
        statuses = {client.generic(method, url).status_code for method in ("GET", "POST", "PUT")}
        assert 401 in statuses and statuses <= {401, 405}, (route, statuses)


def test_html_in_a_goal_or_note_is_shown_as_text(client_for, nurse, person):
    team_around(person, nurse)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = client_for(nurse)
    client.post(
        person_url("care:plan_edit", person),
        {
            "form": "goal",
            "submission_id": str(uuid.uuid4()),
            "description": payload,
        },
    )
    client.post(
        person_url("care:plan_edit", person),
        {
            "form": "plan",
            "what_matters": payload,
        },
    )
    for page in ("care:record_view", "care:plan_edit"):
        body = client.get(person_url(page, person)).content.decode()
        assert payload not in body
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body


def test_pages_send_a_strict_content_security_policy(client_for, nurse):
    response = client_for(nurse).get(reverse("care:person_find"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_resident_sees_only_their_own_record(client_for):
    me = PersonFactory(user=UserFactory(), given_name="Me")
    other = PersonFactory(given_name="Other")
    CarePlanFactory(person=me, what_matters="My own wish")
    CarePlanFactory(person=other, what_matters="Another person's wish")
    client = client_for(me.user)

    summary = client.get(reverse("portal:summary")).content.decode()
    assert "My own wish" in summary and "Another person's wish" not in summary
    for person in (me, other):  # staff pages are closed to residents, even for themselves
        assert client.get(person_url("care:record_view", person)).status_code == 403
    assert client.get(reverse("care:task_list")).status_code == 403
    assert client.get(reverse("audit:break_glass_list")).status_code == 403


def test_resident_sees_who_opened_their_record(client_for, nurse, stranger):
    me = PersonFactory(user=UserFactory())
    team_around(me, nurse)
    client_for(nurse).get(person_url("care:record_view", me))
    stranger_client = client_for(stranger)
    stranger_client.post(
        person_url("care:break_glass_create", me),
        {"reason_kind": "care_now", "reason": "Found unwell in the street"},
    )

    page = client_for(me.user).get(reverse("portal:record_access")).content.decode()

    assert "Aisha Khan, District nurse" in page
    assert "Lee Park, Physiotherapist" in page
    assert "Found unwell in the street" in page
    assert RecordAccess.objects.filter(person=me, purpose="self").exists()


def test_signed_out_visitor_is_sent_to_sign_in(person):
    client = Client()
    for url in (
        reverse("care:person_find"),
        person_url("care:record_view", person),
        reverse("portal:summary"),
        reverse("audit:break_glass_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:sign_in"))


def test_privacy_officer_reviews_break_glass(client_for, privacy_officer, stranger, person):
    client_for(stranger).post(
        person_url("care:break_glass_create", person),
        {"reason_kind": "safeguarding", "reason": "Safeguarding concern raised by neighbour"},
    )
    grant = BreakGlass.objects.get()
    client = client_for(privacy_officer)
    assert (
        "Safeguarding concern raised by neighbour"
        in client.get(reverse("audit:break_glass_list")).content.decode()
    )

    url = reverse("audit:break_glass_review", kwargs={"pk": grant.pk})
    assert client.post(url, {"note": ""}).status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    client.post(url, {"note": "Justified"})
    grant.refresh_from_db()
    assert grant.reviewed_by == privacy_officer and grant.review_note == "Justified"


def test_professional_cannot_review_break_glass(client_for, nurse):
    assert client_for(nurse).get(reverse("audit:break_glass_list")).status_code == 403


def test_break_glass_expires(client_for, stranger, person, settings):
    settings.BREAK_GLASS_HOURS = 0
    client = client_for(stranger)
    client.post(
        person_url("care:break_glass_create", person),
        {"reason_kind": "care_now", "reason": "A real emergency at the day centre"},
    )
    assert client.get(person_url("care:record_view", person)).status_code == 403


PERSONAL_MODELS = {
    "Person",
    "Address",
    "Carer",
    "Preference",
    "Consent",
    "Condition",
    "Observation",
    "MedicationStatement",
    "CarePlan",
    "Goal",
    "CarePlanAction",
    "Task",
    "MdtReview",
    "Contact",
    "RecordAccess",
    "BreakGlass",
    "Immunization",
    "Referral",
    "AccessRequest",
    "Appointment",
    "WaitingListEntry",
    "Feedback",
    "UsualGpChoice",
    "WorklistEntry",
}
SCOPES = {
    "visible_to",
    "proxied_by",
    "for_record",
    "find",
    "for_owner",
    "for_person",
    "for_review",
    "for_identity",
    "for_resident",
    "for_professional",
    "for_triager",
    "sent_by",
    "bookable_by",
    "manageable_by",
}


def _chain(node, parents) -> list[str]:
    """The methods called one after another from `Model.objects`: open().bookable_by(...)."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        call = parents.get(node)
        node = parents.get(call) if isinstance(call, ast.Call) else None
    return names


def test_views_reach_personal_data_only_through_scopes():
    """A view that queried `Person.objects.filter(...)` directly would skip the access rules:
    somewhere in the chain from `Model.objects` there must be a scope."""
    offences = []
    modules = [*Path("oneroof").glob("*/views.py"), Path("oneroof/access/hub.py")]
    modules += Path("oneroof/portal").glob("*.py")
    for module in modules:
        tree = ast.parse(module.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in PERSONAL_MODELS
                and not SCOPES & set(_chain(node, parents))
            ):
                offences.append(f"{module}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    assert offences == []


def test_completing_a_task_twice_is_one_change(client_for, nurse, person):
    task = TaskFactory(person=person, owner=nurse)
    url = reverse("care:task_complete", kwargs={"task_id": task.public_id})
    client = client_for(nurse)
    client.post(url, {"note": "Done"})
    client.post(url, {"note": "Done again"})
    task.refresh_from_db()
    assert task.status == "completed" and task.completed_note == "Done"
    assert Task.objects.count() == 1


def _carer_with_consent(cared_for, status):
    from oneroof.people.models import Carer, Consent

    carer_person = PersonFactory(user=UserFactory(), given_name="Priya")
    carer = Carer.objects.create(
        cared_for=cared_for, carer_person=carer_person, name="Priya Patel", relationship="CHILD"
    )
    Consent.objects.create(person=cared_for, scope="carer_proxy", status=status, grantee=carer)
    return carer_person, carer


def test_carer_acts_for_a_person_only_with_consent(client_for):
    mother = PersonFactory(given_name="Meera")
    CarePlanFactory(person=mother, what_matters="Staying at home with Raj")
    carer_person, carer = _carer_with_consent(mother, "active")
    client = client_for(carer_person.user)
    url = reverse("portal:proxy_summary", kwargs={"public_id": mother.public_id})

    assert url in client.get(reverse("portal:summary")).content.decode()
    assert "Staying at home with Raj" in client.get(url).content.decode()
    assert RecordAccess.objects.filter(person=mother, purpose="proxy").count() == 1

    from oneroof.people.models import Consent

    Consent.objects.create(person=mother, scope="carer_proxy", status="inactive", grantee=carer)
    assert client.get(url).status_code == 404


def test_carer_without_consent_cannot_act_for_person(client_for):
    mother = PersonFactory(given_name="Meera")
    carer_person, _ = _carer_with_consent(mother, "rejected")
    url = reverse("portal:proxy_summary", kwargs={"public_id": mother.public_id})
    assert client_for(carer_person.user).get(url).status_code == 404
    assert not RecordAccess.objects.filter(person=mother).exists()


def test_break_glass_twice_is_one_grant(client_for, stranger, person):
    client = client_for(stranger)
    url = person_url("care:break_glass_create", person)
    client.post(
        url, {"reason_kind": "care_now", "reason": "Called to the house, team not reachable"}
    )
    client.post(
        url, {"reason_kind": "care_now", "reason": "Called to the house, team not reachable"}
    )
    assert BreakGlass.objects.count() == 1
