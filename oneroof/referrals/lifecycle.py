"""The allowed moves of a referral, in one place.

received -> accepted, redirected or declined (triage); accepted -> booked or completed;
booked -> completed, or back to accepted when the appointment is cancelled. Redirected,
declined and completed are final: a redirected referral lives on as a new referral to the
other service.
"""

from .models import ReferralStatus

S = ReferralStatus


class ReferralError(Exception):
    """Something the referral's rules do not allow; the view shows the message."""


class IllegalTransition(ReferralError):
    """A status change the lifecycle does not allow, such as accepting a declined referral."""


TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.REDIRECTED, S.DECLINED}),
    S.ACCEPTED: frozenset({S.BOOKED, S.COMPLETED}),
    S.BOOKED: frozenset({S.COMPLETED, S.ACCEPTED}),
    S.REDIRECTED: frozenset(),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
}
FINAL = frozenset(status for status, moves in TRANSITIONS.items() if not moves)


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS[current]


def check_transition(current: str, new: str) -> None:
    if not can_move(current, new):
        raise IllegalTransition(
            f"A referral that is {S(current).label.lower()} cannot be moved to "
            f"{S(new).label.lower()}."
        )
