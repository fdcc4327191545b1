"""The rights in the evenings and at weekends against the database: the neighbourhood centre's
GP sessions, the neighbourhood's telephone setting, reception, residents' booking, the hub's
worklist and the manager's settings page.

The surgery (access_factories.make_surgery) opens Monday to Friday, 8am to 6:30pm; the centre in
its neighbourhood 8am to 8pm, Monday to Saturday. Services run on a fixed clock; pages run on
the real one, so their requests are made a week or more ahead.
"""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneroof.access import services
from oneroof.access.models import AccessRequest, Channel, Mode
from oneroof.people.access import relationship_with
from oneroof.workforce.models import GpAppointmentMode, Neighbourhood, OpeningHours, Site
from tests.db.access_factories import SiteFactory, SlotFactory, london, make_surgery
from tests.factories import (
    NeighbourhoodFactory,
    OrganisationFactory,
    ProfessionalFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]

FRIDAY_EVENING = london(2030, 12, 6, 18, 30)  # the surgery has just closed
SATURDAY = london(2030, 12, 7, 9, 0)
SUNDAY = london(2030, 12, 8, 10, 0)


@pytest.fixture
def surgery():
    return make_surgery()


@pytest.fixture
def centre(surgery):
    return Site.objects.get(is_health_centre=True, neighbourhood=surgery.practice.neighbourhood)


@pytest.fixture
def other_gp(surgery):
    """A GP of another practice in the same neighbourhood, who takes a turn at the centre."""
    practice = OrganisationFactory(neighbourhood=surgery.practice.neighbourhood)
    return ProfessionalFactory(profession="gp", organisation=practice, prefix="Dr")


def at_site(site, who, start, *, mode=Mode.FACE_TO_FACE):
    return SlotFactory(
        professional=who, site=site, start=start, end=start + timedelta(minutes=10), mode=mode
    )


def ask(person, right, at, **kwargs):
    clerk = kwargs.pop("by", None) or UserFactory()
    return services.request_appointment(
        person=person, right=right, by=clerk, channel=Channel.RECEPTION, at=at, **kwargs
    )


def set_telephone(surgery):
    Neighbourhood.objects.filter(pk=surgery.practice.neighbourhood_id).update(
        within_48h_mode=GpAppointmentMode.TELEPHONE
    )


# --- services --------------------------------------------------------------------------------


def test_friday_evening_within_48h_is_met_by_the_centre_s_saturday_session(
    surgery, centre, other_gp
):
    person = surgery.patient()
    saturday = at_site(centre, other_gp, SATURDAY)
    at_site(centre, other_gp, SATURDAY + timedelta(minutes=10), mode=Mode.PHONE)  # face to face
    own_site = SiteFactory(organisation=other_gp.organisation, neighbourhood=centre.neighbourhood)
    at_site(own_site, other_gp, SATURDAY + timedelta(minutes=20))  # their own surgery: no

    result = ask(person, "within_48h", FRIDAY_EVENING)

    assert result.slots == [saturday]
    appointment = services.book_appointment(
        slot=saturday,
        person=person,
        by=surgery.receptionist.user,
        submission_id=uuid.uuid4(),
        access_request=result.access_request,
        at=FRIDAY_EVENING,
    )
    result.access_request.refresh_from_db()
    assert (result.access_request.outcome, result.access_request.appointment) == (
        "met",
        appointment,
    )
    # Offered by the rights engine for the person's request: the centre's GP may open the record.
    assert appointment.relationship_basis == "own_team"
    assert relationship_with(other_gp.user, person) == "open_appointment"


def test_within_48h_telephone_counts_once_the_neighbourhood_says_so(surgery, centre, other_gp):
    person = surgery.patient()
    phone = at_site(centre, other_gp, SATURDAY, mode=Mode.PHONE)
    in_hours = surgery.slot(surgery.dr_hughes, london(2030, 12, 9, 8, 0), mode=Mode.PHONE)

    assert ask(person, "within_48h", SATURDAY - timedelta(hours=1)).slots == []
    set_telephone(surgery)
    result = ask(person, "within_48h", SATURDAY - timedelta(hours=1))

    assert result.slots == [phone, in_hours]
    assert result.offer.terms.telephone_counts


def test_saturday_same_day_goes_to_the_centre_s_gp_sessions(surgery, centre, other_gp):
    person = surgery.patient()
    surgery.slot(surgery.nurse, SATURDAY + timedelta(hours=1))  # the surgery is shut today
    at_site(centre, surgery.nurse, SATURDAY + timedelta(hours=2))  # a nurse: not a GP session
    gp = at_site(centre, other_gp, SATURDAY + timedelta(hours=10, minutes=40), mode=Mode.VIDEO)

    result = ask(person, "same_day", SATURDAY)

    assert result.slots == [gp]
    assert AccessRequest.objects.get().outcome == "offered"


def test_sunday_same_day_is_unmet_closed_and_on_the_hub_worklist(surgery, centre, other_gp):
    at_site(centre, other_gp, SUNDAY + timedelta(hours=1))  # a session held on a Sunday anyway

    result = ask(surgery.patient(), "same_day", SUNDAY)

    assert result.offer.unmet_reason == "closed"
    assert AccessRequest.objects.on_worklist().get().unmet_reason == "closed"


def test_within_48h_with_only_telephone_at_the_centre_is_unmet_and_on_the_worklist(
    surgery, centre, other_gp
):
    at_site(centre, other_gp, SATURDAY, mode=Mode.PHONE)

    result = ask(surgery.patient(), "within_48h", FRIDAY_EVENING)

    assert result.slots == [] and result.offer.unmet_reason == "no_capacity"
    assert AccessRequest.objects.on_worklist().get().right == "within_48h"


def test_booking_refuses_another_practice_s_gp_at_the_centre_while_the_surgery_is_open(
    surgery, centre, other_gp
):
    tuesday = london(2030, 12, 3, 10, 0)
    open_hours = at_site(centre, other_gp, tuesday + timedelta(hours=1))
    evening = at_site(centre, other_gp, tuesday + timedelta(hours=9))  # 7pm: surgery closed
    person = surgery.patient()
    record = ask(person, "within_48h", tuesday).access_request

    with pytest.raises(services.BookingError, match="does not meet"):
        services.book_appointment(
            slot=open_hours,
            person=person,
            by=surgery.receptionist.user,
            submission_id=uuid.uuid4(),
            access_request=record,
            at=tuesday,
        )
    assert record.options_offered == 1
    assert services.options_for(record, at=tuesday).slots == [evening]


def test_a_centre_in_another_neighbourhood_does_not_cover(surgery, other_gp):
    elsewhere = SiteFactory(
        neighbourhood=NeighbourhoodFactory(code="elsewhere", name="Elsewhere"),
        is_health_centre=True,
    )
    for day in range(6):
        OpeningHours.objects.create(site=elsewhere, weekday=day, opens=time(8), closes=time(20))
    at_site(elsewhere, other_gp, SATURDAY + timedelta(hours=1))

    result = ask(surgery.patient(), "same_day", SATURDAY)

    assert result.slots == [] and result.offer.unmet_reason == "no_capacity"


# --- pages -----------------------------------------------------------------------------------


def next_friday_evening() -> datetime:
    """A Friday at 6:30pm at least a week ahead (pages search from the real now)."""
    day = timezone.localdate() + timedelta(days=7)
    day += timedelta(days=(4 - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, time(18, 30)))


def test_reception_request_page_says_what_counts_and_where(client_for, surgery, centre, other_gp):
    friday = next_friday_evening()
    person = surgery.patient()
    saturday = at_site(centre, other_gp, friday + timedelta(hours=15))
    record = ask(person, "within_48h", friday, by=surgery.receptionist.user).access_request

    page = client_for(surgery.receptionist).get(
        reverse("access:request_view", kwargs={"public_id": record.public_id})
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "a GP appointment within 48 hours is face to face" in text
    assert "at the neighbourhood centre meets this request" in text
    assert f'value="{saturday.pk}"' in text
    assert f"Face to face at {centre.name}" in text


def test_resident_options_page_says_by_telephone_when_the_neighbourhood_counts_it(
    client_for, surgery, centre, other_gp
):
    set_telephone(surgery)
    friday = next_friday_evening()
    meera = surgery.patient(user=UserFactory())
    phone = at_site(centre, other_gp, friday + timedelta(hours=15), mode=Mode.PHONE)
    at_site(centre, other_gp, friday + timedelta(hours=15, minutes=10), mode=Mode.HOME_VISIT)
    record = services.request_appointment(
        person=meera, right="within_48h", by=meera.user, channel=Channel.ONLINE, at=friday
    ).access_request

    page = client_for(meera.user).get(
        reverse("portal:appointment_options", kwargs={"public_id": record.public_id})
    )

    text = page.content.decode()
    assert "can be face to face or by telephone" in text
    assert f'value="{phone.pk}"' in text and f"By telephone from {centre.name}" in text
    assert "Home visit" not in text  # residents book home visits through staff


def test_hub_worklist_shows_an_unmet_weekend_request(client_for, surgery):
    ask(surgery.patient(), "same_day", SUNDAY)

    page = client_for(surgery.receptionist).get(reverse("access:worklist"))

    assert "The surgery and the neighbourhood centre have closed for today" in page.content.decode()


# --- the manager's settings page -------------------------------------------------------------


def settings_url():
    return reverse("access:neighbourhood_settings")


@pytest.fixture
def manager(surgery):
    user = UserFactory(username="dana.price")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="workforce", codename="change_neighbourhood")
    )
    return user


def test_manager_sets_telephone_for_the_neighbourhood(client_for, surgery, manager):
    hood = surgery.practice.neighbourhood
    client = client_for(manager)
    assert "Face to face only" in client.get(settings_url()).content.decode()

    response = client.post(
        settings_url(), {"neighbourhood": hood.code, f"{hood.code}-within_48h_mode": "telephone"}
    )

    assert response.status_code == 302
    hood.refresh_from_db()
    assert hood.within_48h_mode == "telephone"


@pytest.mark.parametrize("value", ["", "video", "telephone'; --"])
def test_manager_bad_setting_is_400_and_changes_nothing(client_for, surgery, manager, value):
    hood = surgery.practice.neighbourhood
    response = client_for(manager).post(
        settings_url(), {"neighbourhood": hood.code, f"{hood.code}-within_48h_mode": value}
    )

    assert response.status_code == 400
    assert "Choose what counts as a GP appointment within 48 hours" in response.content.decode()
    hood.refresh_from_db()
    assert hood.within_48h_mode == "face_to_face"


def test_settings_page_is_closed_to_users_without_the_permission(client_for, surgery):
    hood = surgery.practice.neighbourhood
    client = client_for(surgery.receptionist)
    assert client.get(settings_url()).status_code == 403
    post = {"neighbourhood": hood.code, f"{hood.code}-within_48h_mode": "telephone"}
    assert client.post(settings_url(), post).status_code == 403
    hood.refresh_from_db()
    assert hood.within_48h_mode == "face_to_face"


def test_team_member_with_the_permission_changes_only_their_own_neighbourhood(
    client_for, surgery, manager
):
    elsewhere = NeighbourhoodFactory(code="elsewhere", name="Elsewhere")
    gp = surgery.dr_hughes
    gp.user.user_permissions.add(*manager.user_permissions.all())
    client = client_for(gp)

    assert "Elsewhere" not in client.get(settings_url()).content.decode()
    post = {"neighbourhood": "elsewhere", "elsewhere-within_48h_mode": "telephone"}
    assert client.post(settings_url(), post).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.within_48h_mode == "face_to_face"


def test_demo_manager_may_change_the_access_settings():
    from oneroof.demo import DEMO_PASSWORD
    from oneroof.demo.workforce import create_workforce

    create_workforce()
    client = Client()
    assert client.login(username="manager", password=DEMO_PASSWORD)
    page = client.get(settings_url())
    assert page.status_code == 200 and "Face to face only" in page.content.decode()
