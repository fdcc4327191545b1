"""A break-glass reason must say something: a kind from the list, and words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneroof.audit.reasons import BreakGlassReason, InvalidReason, check_reason, is_read_only

MEANINGLESS = [
    "aaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "x x x x x x x x",
    "help help help help",
    "asdfasdfasdf",
    "1234567890123",
    "..........!!!!",
    "ab ab ab ab ab ab",
    "ok ok ok please",
    "A real emergency",  # says nothing a reviewer could check
]
MEANINGFUL = [
    "Called to the house, team not reachable",
    "Found unwell in the street",
    "Safeguarding concern raised by neighbour",
    "Gefallen zu Hause, Team nicht erreichbar",  # any alphabet counts
]


@pytest.mark.parametrize("text", MEANINGLESS)
def test_check_reason_refuses_words_that_say_nothing(text):
    with pytest.raises(InvalidReason, match="Describe the reason in words|10 characters"):
        check_reason(BreakGlassReason.OTHER, text)


@pytest.mark.parametrize("text", MEANINGFUL)
def test_check_reason_accepts_a_sentence(text):
    assert check_reason(BreakGlassReason.CARE_NOW, f"  {text} ") == text


def test_check_reason_needs_a_kind_from_the_list():
    with pytest.raises(InvalidReason, match="Choose why"):
        check_reason("because", "Called to the house, team not reachable")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Enter why"), ("short one", "10 characters or more"), ("word " * 300, "or fewer")],
)
def test_check_reason_says_what_is_wrong_with_the_length(text, message):
    with pytest.raises(InvalidReason, match=message):
        check_reason(BreakGlassReason.OTHER, text)


def test_only_clinical_care_now_may_change_the_record():
    assert [kind for kind in BreakGlassReason.values if not is_read_only(kind)] == ["care_now"]


@given(st.characters(), st.integers(min_value=10, max_value=400))
def test_check_reason_refuses_any_one_character_repeated(char, times):
    with pytest.raises(InvalidReason):
        check_reason(BreakGlassReason.OTHER, char * times)
