"""Consent to share withdrawn binds (issue 10, part 2): the person's objection to sharing their
record with the team overrides every relationship but one they chose, on every page and list;
break-glass still opens the record in an emergency, and is audited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from oneroof.access.models import Channel, RelationshipBasis
from oneroof.audit.models import BreakGlass, RecordAccess
from oneroof.people.access import relationship_with, withheld_relationship
from oneroof.people.consent import objecting_people_q, objects_to_sharing
from oneroof.people.models import Carer, Consent, ConsentScope, Person
from oneroof.population.models import CohortRun, WorklistEntry
from tests.db.access_factories import AppointmentFactory, SlotFactory
from tests.factories import (
    CarePlanFactory,
    PersonFactory,
    ProfessionalFactory,
    TaskFactory,
    UserFactory,
    team_around,
)
from tests.referral_factories import ReferralFactory

pytestmark = pytest.mark.django_db

WITHDRAWN, REFUSED, GIVEN = "inactive", "rejected", "active"


def decide(person, status, at=None):
    return Consent.objects.create(
        person=person,
        scope=ConsentScope.SHARE_WITH_TEAM,
        status=status,
        date_time=at or timezone.now(),
    )


def record_url(person, name="care:record_view"):
    return reverse(name, kwargs={"public_id": person.public_id})


@pytest.fixture
def resident():
    return PersonFactory(user=UserFactory(), given_name="Mary", family_name="Jones")


def test_withdrawing_in_the_portal_stops_the_team_opening_the_record_at_once(
    client_for, resident, nurse
):
    """The issue's third bullet: the page showed "Withdrawn" and every team member still
    opened the record."""
    team_around(resident, nurse)
    CarePlanFactory(person=resident, what_matters="A private wish")
    team = client_for(nurse)
    assert team.get(record_url(resident)).status_code == 200

    mine = client_for(resident.user)
    saved = mine.post(reverse("portal:sharing"), {"share": "no"})
    assert saved.status_code == 302

    response = team.get(record_url(resident))
    assert response.status_code == 403
    body = response.content.decode()
    assert "This person has withdrawn consent to share their record" in body
    assert "member of the care team" in body
    assert "A private wish" not in body and resident.nhs_number not in body
    assert record_url(resident, "care:break_glass_create") in body
    viewed = RecordAccess.objects.filter(person=resident, user=nurse.user, action="viewed record")
    assert viewed.count() == 1  # the view before the withdrawal; the refusal opened nothing


@pytest.mark.parametrize(
    "page", ["care:plan_edit", "care:mdt_review_add", "care:record_access_list"]
)
def test_every_record_page_honours_withdrawn_consent(client_for, person, nurse, page):
    team_around(person, nurse)
    decide(person, WITHDRAWN)
    response = client_for(nurse).get(record_url(person, page))
    assert response.status_code == 403
    assert "withdrawn consent to share" in response.content.decode()


def test_a_refusal_binds_like_a_withdrawal_and_says_refused(client_for, person, nurse):
    team_around(person, nurse)
    decide(person, REFUSED)
    response = client_for(nurse).get(record_url(person))
    assert response.status_code == 403
    assert "This person has refused consent to share their record" in response.content.decode()


def test_the_latest_decision_counts(client_for, person, nurse):
    team_around(person, nurse)
    now = timezone.now()
    decide(person, WITHDRAWN, now - timedelta(days=2))
    decide(person, GIVEN, now - timedelta(days=1))
    assert client_for(nurse).get(record_url(person)).status_code == 200
    decide(person, WITHDRAWN, now)
    assert client_for(nurse).get(record_url(person)).status_code == 403


def test_someone_with_no_relationship_is_not_told_about_the_persons_consent(
    client_for, person, stranger
):
    decide(person, WITHDRAWN)
    response = client_for(stranger).get(record_url(person))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You do not have a care relationship with this person" in body
    assert "consent" not in body.lower()


# --- relationships overridden, and those that survive --------------------------------------


def _task(person, professional):
    TaskFactory(person=person, owner=professional)


def _referral(person, professional):
    ReferralFactory(person=person, status="accepted", service__triagers=[professional])


def _booked_by_staff(person, professional):
    AppointmentFactory(person=person, slot=SlotFactory(professional=professional))


def _care_team(person, professional):
    team_around(person, professional)


@pytest.mark.parametrize(
    "relate,purpose",
    [
        (_care_team, "care_team"),
        (_task, "open_task"),
        (_referral, "open_referral"),
        (_booked_by_staff, "open_appointment"),
    ],
)
def test_team_relationships_do_not_survive_an_objection(client_for, person, relate, purpose):
    professional = ProfessionalFactory()
    relate(person, professional)
    assert relationship_with(professional.user, person) == purpose
    decide(person, WITHDRAWN)
    assert relationship_with(professional.user, person) is None
    assert withheld_relationship(professional.user, person) == purpose
    assert not Person.objects.visible_to(professional.user).filter(pk=person.pk).exists()
    assert client_for(professional).get(record_url(person)).status_code == 403


def test_an_appointment_the_person_booked_themselves_survives(client_for, resident):
    gp = ProfessionalFactory(profession="gp")
    AppointmentFactory(
        person=resident,
        slot=SlotFactory(professional=gp),
        channel=Channel.ONLINE,
        booked_by=resident.user,
        relationship_basis=RelationshipBasis.PERSON,
    )
    decide(resident, WITHDRAWN)
    assert withheld_relationship(gp.user, resident) is None
    response = client_for(gp).get(record_url(resident))
    assert response.status_code == 200
    assert 'id="sharing-withheld"' in response.content.decode()
    access = RecordAccess.objects.get(person=resident, user=gp.user, action="viewed record")
    assert access.purpose == "open_appointment"


def test_a_chosen_appointment_survives_beside_one_booked_by_staff(client_for, resident):
    gp = ProfessionalFactory(profession="gp")
    AppointmentFactory(person=resident, slot=SlotFactory(professional=gp))
    AppointmentFactory(
        person=resident,
        slot=SlotFactory(professional=gp, start=timezone.now() + timedelta(days=1)),
        channel=Channel.ONLINE,
        booked_by=resident.user,
        relationship_basis=RelationshipBasis.PERSON,
    )
    decide(resident, WITHDRAWN)
    assert relationship_with(gp.user, resident) == "open_appointment"
    assert withheld_relationship(gp.user, resident) is None
    assert Person.objects.visible_to(gp.user).filter(pk=resident.pk).exists()


def test_the_person_still_sees_their_own_record(client_for, resident):
    decide(resident, WITHDRAWN)
    assert client_for(resident.user).get(reverse("portal:summary")).status_code == 200


def test_a_carer_acting_with_consent_still_sees_the_summary(client_for, resident):
    carer_person = PersonFactory(user=UserFactory(), given_name="Priya")
    carer = Carer.objects.create(
        cared_for=resident, carer_person=carer_person, name="Priya", relationship="CHILD"
    )
    Consent.objects.create(
        person=resident, scope=ConsentScope.CARER_PROXY, status=GIVEN, grantee=carer
    )
    decide(resident, WITHDRAWN)
    url = reverse("portal:proxy_summary", kwargs={"public_id": resident.public_id})
    assert client_for(carer_person.user).get(url).status_code == 200


def test_the_registered_practice_is_not_a_relationship_of_its_own(client_for, person):
    gp = ProfessionalFactory(profession="gp")
    Person.objects.filter(pk=person.pk).update(general_practice=gp.organisation)
    decide(person, WITHDRAWN)
    assert client_for(gp).get(record_url(person)).status_code == 403


# --- break-glass -----------------------------------------------------------------------------


def test_break_glass_still_opens_the_record_and_is_audited_for_review(client_for, person, nurse):
    team_around(person, nurse)
    decide(person, WITHDRAWN)
    client = client_for(nurse)
    created = client.post(
        record_url(person, "care:break_glass_create"),
        {"reason_kind": "care_now", "reason": "Collapsed at home, needs her medicines list"},
    )
    assert created.status_code == 302

    response = client.get(record_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "You broke the glass to open this record" in body
    assert 'id="sharing-withheld"' in body
    grant = BreakGlass.objects.get(person=person, user=nurse.user)
    assert grant.reviewed_at is None and not grant.read_only
    access = RecordAccess.objects.get(person=person, user=nurse.user, action="viewed record")
    assert (access.purpose, access.break_glass) == ("break_glass", grant)


# --- recording the decision ------------------------------------------------------------------


def test_staff_record_a_withdrawal_that_binds_at_once(client_for, person, nurse, social_worker):
    team_around(person, nurse, social_worker)
    url = record_url(person, "care:sharing_decision")
    nurse_client = client_for(nurse)
    assert nurse_client.get(url).status_code == 200

    assert nurse_client.post(url, {"status": "bogus"}).status_code == 400
    assert not Consent.objects.exists()

    assert nurse_client.post(url, {"status": WITHDRAWN}).status_code == 302
    consent = Consent.objects.get()
    assert (consent.status, consent.recorded_by) == (WITHDRAWN, nurse)
    assert RecordAccess.objects.filter(person=person, action="recorded sharing decision").exists()
    assert client_for(social_worker).get(record_url(person)).status_code == 403
    assert nurse_client.get(record_url(person)).status_code == 403


def test_read_only_break_glass_cannot_record_a_decision(client_for, person, stranger):
    decide(person, WITHDRAWN)
    client = client_for(stranger)
    client.post(
        record_url(person, "care:break_glass_create"),
        {"reason_kind": "safeguarding", "reason": "Safeguarding concern raised by a neighbour"},
    )
    assert BreakGlass.objects.get().read_only
    response = client.post(record_url(person, "care:sharing_decision"), {"status": GIVEN})
    assert response.status_code == 403
    assert objects_to_sharing(person)


def test_the_person_gives_withdraws_and_gives_again_in_the_portal(client_for, resident, nurse):
    team_around(resident, nurse)
    client = client_for(resident.user)
    page = client.get(reverse("portal:sharing")).content.decode()
    assert "Your care team can see your record." in page

    assert client.post(reverse("portal:sharing"), {}).status_code == 400
    assert not Consent.objects.exists()

    client.post(reverse("portal:sharing"), {"share": "no"})
    assert list(Consent.objects.values_list("status", "recorded_by")) == [(WITHDRAWN, None)]
    page = client.get(reverse("portal:sharing")).content.decode()
    assert "You have asked us not to share your record" in page
    assert client_for(nurse).get(record_url(resident)).status_code == 403

    client.post(reverse("portal:sharing"), {"share": "yes"})
    assert client_for(nurse).get(record_url(resident)).status_code == 200
    audit = RecordAccess.objects.filter(person=resident, action="recorded sharing decision")
    assert set(audit.values_list("purpose", flat=True)) == {"self"}


def test_saying_no_again_after_a_refusal_stays_a_refusal(client_for, resident):
    decide(resident, REFUSED, timezone.now() - timedelta(days=1))
    client_for(resident.user).post(reverse("portal:sharing"), {"share": "no"})
    assert Consent.objects.order_by("-date_time").first().status == REFUSED


def test_a_carer_cannot_decide_for_the_person(client_for, resident):
    carer_person = PersonFactory(user=UserFactory())
    client_for(carer_person.user).post(reverse("portal:sharing"), {"share": "no"})
    assert not Consent.objects.filter(person=resident).exists()


# --- lists keep the person, marked -----------------------------------------------------------

MARK = "Consent withdrawn: break the glass to open"


def test_find_a_person_marks_withdrawn_consent_instead_of_dropping_them(
    client_for, nurse, stranger
):
    shared, objecting = PersonFactory(family_name="Okafor"), PersonFactory(family_name="Okafor")
    team_around(shared, nurse)
    team_around(objecting, nurse)
    decide(objecting, WITHDRAWN)
    url = reverse("care:person_find")
    query = {"family_name": "Okafor", "birth_date_0": 1, "birth_date_1": 6, "birth_date_2": 1950}
    body = client_for(nurse).get(url, query).content.decode()
    assert "2 people found" in body
    assert body.count("In your care") == 1 and body.count(MARK) == 1
    # Someone without a relationship learns nothing about consent from a search.
    assert MARK not in client_for(stranger).get(url, query).content.decode()


def test_caseload_keeps_the_person_marked(client_for, nurse):
    shared, objecting = PersonFactory(given_name="Ada"), PersonFactory(given_name="Bea")
    team_around(shared, nurse, coordinator=nurse)
    team_around(objecting, nurse, coordinator=nurse)
    decide(objecting, REFUSED)
    body = client_for(nurse).get(reverse("care:caseload")).content.decode()
    assert "Ada Example" in body and "Bea Example" in body
    assert body.count(MARK) == 2  # in the huddle list and the caseload list


def _worklist_entry(person, coordinator=None):
    run = CohortRun.objects.first() or CohortRun.objects.create(
        index_date=timezone.localdate(),
        trigger="on_demand",
        rule_version="2026.1",
        rule_fingerprint="f" * 64,
        engine="duckdb",
        snapshot_taken_at=timezone.now(),
    )
    return WorklistEntry.objects.create(
        person=person, coordinator=coordinator, found_in=run, priority=1, reasons="severe frailty"
    )


def test_worklist_keeps_the_person_marked_without_anything_from_their_record(client_for, nurse):
    objecting = PersonFactory(given_name="Cara")
    team_around(objecting, nurse)
    _worklist_entry(objecting)
    decide(objecting, WITHDRAWN)
    body = client_for(nurse).get(reverse("population:worklist_list")).content.decode()
    assert "Cara Example" in body and MARK in body
    assert "Severe frailty" not in body
    assert "Record outcome" not in body  # the neighbourhood's entry needs a relationship


def test_list_query_counts_do_not_grow_with_people_who_withdrew(client_for, nurse):
    def add(n):
        for _ in range(n):
            someone = PersonFactory()
            team_around(someone, nurse, coordinator=nurse)
            _worklist_entry(someone, coordinator=nurse)
            decide(someone, WITHDRAWN)

    client = client_for(nurse)
    add(1)
    counts = {}
    for size in ("small", "large"):
        for page in ("care:caseload", "population:worklist_list"):
            with CaptureQueriesContext(connection) as queries:
                body = client.get(reverse(page)).content.decode()
            assert MARK in body
            counts[size, page] = len(queries)
        add(15)
    for page in ("care:caseload", "population:worklist_list"):
        assert counts["small", page] == counts["large", page], page


# --- the rule against a plain reference, on decisions it was not shaped for ------------------

STATUSES = st.sampled_from([GIVEN, WITHDRAWN, REFUSED])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.tuples(STATUSES, st.integers(0, 3)), max_size=4), max_size=5))
def test_objecting_people_are_those_whose_latest_decision_is_no(histories):
    """Decisions at the same moment are ordered as recorded: the later row counts."""
    Consent.objects.all().delete()
    start = timezone.now()
    expected = set()
    people = PersonFactory.create_batch(len(histories))
    for person, history in zip(people, histories, strict=True):
        ordered = sorted(enumerate(history), key=lambda item: (item[1][1], item[0]))
        for _, (status, day) in ordered:
            decide(person, status, start + timedelta(days=day))
        if ordered and ordered[-1][1][0] in (WITHDRAWN, REFUSED):
            expected.add(person.pk)
    found = set(
        Person.objects.filter(objecting_people_q(), pk__in=[p.pk for p in people]).values_list(
            "pk", flat=True
        )
    )
    assert found == expected
    assert {p.pk for p in people if objects_to_sharing(p)} == expected
