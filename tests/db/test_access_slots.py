"""Cutting rota sessions into slots, by the service and by `manage.py generate_slots`."""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from oneroof.access.models import RotaSession, Slot
from oneroof.access.rights import LONDON
from oneroof.access.slots import generate_slots, slot_times
from tests.db.access_factories import (
    make_surgery,
)

pytestmark = [pytest.mark.django_db]


def test_slot_times_drop_a_part_slot_at_the_end():
    times = slot_times(date(2030, 12, 3), time(9, 0), time(10, 5), 15, LONDON)
    assert [(s.hour, s.minute) for s, _ in times] == [(9, 0), (9, 15), (9, 30), (9, 45)]
    assert times[-1][1].minute == 0


def test_slot_times_keep_wall_clock_hours_on_the_day_the_clocks_change():
    times = slot_times(date(2030, 10, 27), time(8, 0), time(9, 0), 30, LONDON)  # clocks went back
    assert [s.isoformat() for s, _ in times] == [
        "2030-10-27T08:00:00+00:00",
        "2030-10-27T08:30:00+00:00",
    ]


def _session(surgery, day, **extra):
    return RotaSession.objects.create(
        professional=surgery.dr_hughes,
        site=surgery.site,
        date=day,
        start=time(9, 0),
        end=time(10, 0),
        mode="face_to_face",
        slot_minutes=10,
        **extra,
    )


def test_generate_slots_cuts_each_session_once():
    surgery = make_surgery()
    session = _session(surgery, date(2030, 12, 3))
    assert generate_slots([session]) == 6
    assert generate_slots([session]) == 0  # already cut
    assert Slot.objects.filter(session=session).count() == 6


def test_generate_slots_command_makes_the_coming_sessions_slots():
    surgery = make_surgery()
    today = timezone.localdate()
    _session(surgery, today + timedelta(days=1))
    _session(surgery, today + timedelta(days=40))  # beyond --days
    out = StringIO()
    call_command("generate_slots", "--days", "28", verbosity=0, stdout=out)
    assert "Made 6 slots from 1 sessions." in out.getvalue()
    assert Slot.objects.count() == 6
