"""The rule deciding whether an appointment gives its professional a relationship (ADR 0014),
as a plain function of the facts of the booking: every case, and the properties that matter."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneroof.access.relationships import BookingFacts, appointment_basis, grants_access

B_PERSON, B_REL, B_TEAM, B_SELF, B_NONE = (
    "person",
    "relationship",
    "own_team",
    "self_claimed",
    "none",
)
NEEDS_REASON = None


def facts(**changes) -> BookingFacts:
    base = dict(
        by_person=False,
        had_relationship=False,
        own_slot=False,
        same_organisation=False,
        recorded_reason=False,
        reason_given=False,
    )
    return BookingFacts(**{**base, **changes})


@pytest.mark.parametrize(
    "who, changes, basis",
    [
        ("the person, online", dict(by_person=True), B_PERSON),
        ("a carer with consent", dict(by_person=True), B_PERSON),
        ("a care team member", dict(had_relationship=True), B_REL),
        ("a GP with a relationship, own slot", dict(had_relationship=True, own_slot=True), B_REL),
        (
            "reception, a patient who phoned",
            dict(same_organisation=True, recorded_reason=True),
            B_TEAM,
        ),
        ("a colleague, nothing on record", dict(same_organisation=True), NEEDS_REASON),
        (
            "a colleague, a typed reason",
            dict(same_organisation=True, recorded_reason=True, reason_given=True),
            B_TEAM,
        ),
        ("a GP, stranger, own slot", dict(own_slot=True, same_organisation=True), NEEDS_REASON),
        (
            "a GP, stranger, own slot, under a request",
            dict(own_slot=True, same_organisation=True, recorded_reason=True),
            NEEDS_REASON,
        ),
        (
            "a GP, stranger, own slot, a reason",
            dict(own_slot=True, same_organisation=True, recorded_reason=True, reason_given=True),
            B_SELF,
        ),
        ("reception, another organisation's slot", dict(recorded_reason=True), B_NONE),
        ("an API client", dict(), B_NONE),
    ],
)
def test_appointment_basis_for_each_kind_of_booking(who, changes, basis):
    assert appointment_basis(facts(**changes)) == basis, who


FACTS = st.builds(
    BookingFacts,
    by_person=st.booleans(),
    had_relationship=st.booleans(),
    own_slot=st.booleans(),
    same_organisation=st.booleans(),
    recorded_reason=st.booleans(),
    reason_given=st.booleans(),
)


@given(FACTS)
def test_appointment_basis_never_grants_a_professional_what_they_made_themselves(f):
    """Booking into your own slot someone you have no relationship with never gives a lasting
    appointment relationship: at most a self-claimed one, and only with a reason."""
    basis = appointment_basis(f)
    if f.own_slot and not (f.by_person or f.had_relationship):
        assert basis in (B_SELF, NEEDS_REASON)
        assert not grants_access(basis or B_NONE)
        assert (basis == B_SELF) == f.reason_given


@given(FACTS)
def test_appointment_basis_grants_only_when_someone_else_made_it_for_something_on_record(f):
    basis = appointment_basis(f)
    if basis is not None and grants_access(basis):
        assert (
            f.by_person
            or f.had_relationship
            or (f.same_organisation and f.recorded_reason and not f.own_slot)
        )
    if not (f.same_organisation or f.own_slot or f.by_person or f.had_relationship):
        assert basis == B_NONE  # another organisation's diary: booked, but no access
