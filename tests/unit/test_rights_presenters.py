"""How offers under a right are shown: plain classes, no database."""

from datetime import datetime, time, timedelta

from oneroof.access.availability import shown
from oneroof.access.models import Slot
from oneroof.access.presenters import OfferPresenter, when, where
from oneroof.access.rights import (
    LONDON,
    Candidate,
    NeighbourhoodTerms,
    Right,
    RightRequest,
    WorkingWeek,
    offer,
)
from oneroof.core.formats import format_time as clock
from oneroof.workforce.models import Professional, Site

SITE = Site(pk=1, name="Riverside Medical Practice")
HUGHES = Professional(pk=1, prefix="Dr", given_name="Tom", family_name="Hughes", profession="gp")
MALIK = Professional(pk=2, prefix="Dr", given_name="Fatima", family_name="Malik", profession="gp")
START = datetime(2030, 12, 3, 9, 0, tzinfo=LONDON)


def slot(pk, who, minutes, mode="face_to_face"):
    start = START + timedelta(minutes=minutes)
    return Slot(pk=pk, professional=who, site=SITE, start=start, end=start, mode=mode)


def test_offer_presenter_groups_the_usual_gp_first():
    slots = [slot(1, MALIK, 0), slot(2, HUGHES, 10), slot(3, MALIK, 20)]
    presenter = OfferPresenter(slots, usual_gp_id=HUGHES.pk, right="within_48h")
    assert [o.slot.pk for o in presenter.usual] == [2]
    assert [o.slot.pk for o in presenter.others] == [1, 3]
    assert presenter.usual_gp_name == "Dr Tom Hughes"


def test_offer_presenter_for_book_ahead_has_no_usual_group():
    slots = [slot(1, MALIK, 0), slot(2, HUGHES, 10)]
    presenter = OfferPresenter(slots, usual_gp_id=HUGHES.pk, right="book_ahead")
    assert presenter.usual == [] and [o.slot.pk for o in presenter.others] == [1, 2]


def test_shown_keeps_the_first_of_each_group_in_offer_order():
    week = WorkingWeek(hours={d: (time(8), time(20)) for d in range(6)})
    candidates = [
        Candidate(i, 1 + i % 2, START + timedelta(minutes=10 * i), "face_to_face", True, True)
        for i in range(1, 41)
    ]
    result = offer(RightRequest(Right.WITHIN_48H, START, None, 2), candidates, week)
    ids = shown(result, per_group=3)
    assert ids == [1, 3, 5, 2, 4, 6]  # the usual GP (2) has the odd slots, first


def test_times_and_places_read_as_the_house_style():
    assert clock(START) == "9am" and clock(START.replace(hour=12)) == "midday"
    assert clock(START.replace(hour=14, minute=30)) == "2:30pm"
    assert when(START) == "Tuesday 3 December 2030 at 9am"
    assert where(slot(1, HUGHES, 0)) == "Face to face at Riverside Medical Practice"
    assert where(slot(1, HUGHES, 0, mode="home_visit")) == "Home visit"


def test_where_says_face_to_face_or_by_telephone_and_at_which_site():
    centre = Site(pk=2, name="Riverside Neighbourhood Health Centre")
    phone = Slot(pk=1, professional=HUGHES, site=centre, start=START, end=START, mode="phone")
    video = Slot(pk=2, professional=HUGHES, site=centre, start=START, end=START, mode="video")
    assert where(phone) == "By telephone from Riverside Neighbourhood Health Centre"
    assert where(video) == "By video from Riverside Neighbourhood Health Centre"


def test_offer_presenter_says_what_the_neighbourhood_counts_within_48_hours():
    centre = WorkingWeek(hours={d: (time(8), time(20)) for d in range(6)})
    face = OfferPresenter([], usual_gp_id=None, right="within_48h", terms=NeighbourhoodTerms())
    phone = OfferPresenter(
        [], usual_gp_id=None, right="within_48h", terms=NeighbourhoodTerms(centre, True)
    )
    assert face.notes == ["In this neighbourhood a GP appointment within 48 hours is face to face."]
    assert "face to face or by telephone" in phone.notes[0]
    assert "neighbourhood centre" in phone.notes[1]
    ahead = OfferPresenter(
        [], usual_gp_id=None, right="book_ahead", terms=NeighbourhoodTerms(centre)
    )
    assert ahead.notes == []
