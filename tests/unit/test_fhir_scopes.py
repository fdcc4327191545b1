"""SMART system scopes: v1 (.read, .write, .*) and v2 (cruds) syntax."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneroof.fhir.scopes import (
    InvalidScope,
    allows,
    covered_by,
    intersect,
    parse_scope,
    parse_scopes,
)


@pytest.mark.parametrize(
    ("scope", "resource_type", "interaction", "allowed"),
    [
        ("system/Patient.read", "Patient", "read", True),
        ("system/Patient.read", "Patient", "search", True),
        ("system/Patient.read", "Patient", "update", False),
        ("system/Patient.read", "Observation", "read", False),
        ("system/*.read", "Observation", "search", True),
        ("system/*.read", "Task", "update", False),
        ("system/Task.write", "Task", "update", True),
        ("system/Task.write", "Task", "read", False),
        ("system/Task.u", "Task", "update", True),
        ("system/ServiceRequest.cu", "ServiceRequest", "create", True),
        ("system/Patient.rs", "Patient", "search", True),
        ("system/Patient.r", "Patient", "search", False),
        ("system/*.*", "Consent", "delete", True),
    ],
)
def test_scope_allows_exactly_its_interactions(scope, resource_type, interaction, allowed):
    assert allows(parse_scopes(scope), resource_type, interaction) is allowed


@pytest.mark.parametrize(
    "text",
    [
        "patient/Patient.read",
        "user/*.read",
        "system/Patient",
        "system/patient.read",
        "system/Patient.readwrite",
        "system/Patient.",
        "openid",
        "system/Patient.sr",
    ],
)
def test_only_system_scopes_are_accepted(text):
    with pytest.raises(InvalidScope):
        parse_scope(text)


def test_a_client_is_granted_no_more_than_it_was_registered_with():
    registered = parse_scopes("system/Patient.read system/Task.write")
    assert covered_by(parse_scope("system/Patient.read"), registered)
    assert covered_by(parse_scope("system/Patient.rs"), registered)
    assert covered_by(parse_scope("system/Task.u"), registered)
    assert not covered_by(parse_scope("system/*.read"), registered)
    assert not covered_by(parse_scope("system/Patient.write"), registered)
    assert covered_by(parse_scope("system/Condition.read"), parse_scopes("system/*.read"))


@given(st.sampled_from(["Patient", "Task", "*"]), st.sets(st.sampled_from("cruds"), min_size=1))
def test_v2_permissions_round_trip(resource_type, letters):
    text = "".join(letter for letter in "cruds" if letter in letters)
    scope = parse_scope(f"system/{resource_type}.{text}")
    assert scope.permissions == frozenset(letters)
    assert covered_by(scope, (scope,))


_SCOPE_TEXT = st.builds(
    lambda kind, perm: f"system/{kind}.{perm}",
    st.sampled_from(["*", "Patient", "Task", "Condition"]),
    st.sampled_from(["read", "write", "*", "r", "s", "rs", "cu", "u", "cruds"]),
)


@given(
    st.lists(_SCOPE_TEXT, min_size=1, max_size=3),
    st.lists(_SCOPE_TEXT, min_size=1, max_size=3),
    st.sampled_from(["Patient", "Task", "Condition", "Observation"]),
    st.sampled_from(["read", "search", "create", "update", "delete"]),
)
def test_a_token_allows_only_what_both_it_and_the_clients_registration_allow(
    token, registered, resource_type, interaction
):
    kept = intersect(parse_scopes(" ".join(token)), parse_scopes(" ".join(registered)))
    assert allows(kept, resource_type, interaction) is (
        allows(parse_scopes(" ".join(token)), resource_type, interaction)
        and allows(parse_scopes(" ".join(registered)), resource_type, interaction)
    )
