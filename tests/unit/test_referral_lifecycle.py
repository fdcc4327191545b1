"""The referral state machine: received -> accepted/redirected/declined; accepted -> booked or
completed; booked -> completed (or back to accepted when cancelled); the rest are final."""

import itertools

import pytest

from oneroof.referrals.lifecycle import (
    FINAL,
    TRANSITIONS,
    IllegalTransition,
    ReferralError,
    can_move,
    check_transition,
)
from oneroof.referrals.models import ReferralStatus as S

ALLOWED = {
    (S.RECEIVED, S.ACCEPTED),
    (S.RECEIVED, S.REDIRECTED),
    (S.RECEIVED, S.DECLINED),
    (S.ACCEPTED, S.BOOKED),
    (S.ACCEPTED, S.COMPLETED),
    (S.BOOKED, S.COMPLETED),
    (S.BOOKED, S.ACCEPTED),
}
EVERY_MOVE = set(itertools.product(S.values, S.values))


def test_lifecycle_covers_every_status():
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize("current, new", sorted(ALLOWED))
def test_allowed_move_passes(current, new):
    assert can_move(current, new)
    check_transition(current, new)


@pytest.mark.parametrize("current, new", sorted(EVERY_MOVE - ALLOWED))
def test_illegal_move_raises_a_domain_error(current, new):
    with pytest.raises(IllegalTransition) as raised:
        check_transition(current, new)
    assert isinstance(raised.value, ReferralError)
    assert S(current).label.lower() in str(raised.value)


def test_redirected_declined_and_completed_are_final():
    assert FINAL == {S.REDIRECTED, S.DECLINED, S.COMPLETED}


def test_received_cannot_skip_triage_to_booked():
    with pytest.raises(IllegalTransition, match="cannot be moved to appointment booked"):
        check_transition(S.RECEIVED, S.BOOKED)
