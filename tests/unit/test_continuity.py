"""Continuity indices against hand-worked cases, and their properties.

GPs are letters here; each case works the formulas by hand in its comment:
UPC = n_usual / N; COC = (sum n_j^2 - N) / (N (N - 1)); SECON = same-GP consecutive pairs / (N - 1).
"""

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneroof.access.continuity import coc, continuity, most_seen, secon, upc

A, B, C, D = 1, 2, 3, 4


def test_continuity_hand_worked_mixed_gps():
    # A A B A C: N = 5, n_A = 3, n_B = 1, n_C = 1; usual (most seen) = A.
    # UPC = 3/5 = 0.6. COC = (9 + 1 + 1 - 5) / (5 * 4) = 6/20 = 0.3.
    # SECON: pairs AA (same), AB, BA, AC -> 1/4 = 0.25.
    result = continuity([A, A, B, A, C])
    assert (result.usual_gp_id, result.contacts) == (A, 5)
    assert (result.upc, result.coc, result.secon) == pytest.approx((0.6, 0.3, 0.25))


def test_continuity_hand_worked_one_gp_is_perfect():
    # A A A A: UPC = 4/4 = 1. COC = (16 - 4) / (4 * 3) = 1. SECON = 3/3 = 1.
    result = continuity([A, A, A, A])
    assert (result.upc, result.coc, result.secon) == (1.0, 1.0, 1.0)


def test_continuity_hand_worked_every_gp_different():
    # A B C D: all tied once; the tie goes to the one seen last, D. UPC = 1/4.
    # COC = (1 + 1 + 1 + 1 - 4) / 12 = 0. SECON = 0/3 = 0.
    result = continuity([A, B, C, D])
    assert result.usual_gp_id == D
    assert (result.upc, result.coc, result.secon) == (0.25, 0.0, 0.0)


def test_continuity_hand_worked_tie_goes_to_the_gp_seen_last():
    # A B A B B A: n_A = n_B = 3, A seen last -> usual A. UPC = 3/6 = 0.5.
    # COC = (9 + 9 - 6) / (6 * 5) = 12/30 = 0.4. SECON: AB, BA, AB, BB (same), BA -> 1/5 = 0.2.
    result = continuity([A, B, A, B, B, A])
    assert result.usual_gp_id == A
    assert (result.upc, result.coc, result.secon) == pytest.approx((0.5, 0.4, 0.2))


def test_continuity_chosen_gp_is_the_usual_gp_even_if_seen_less():
    # A A C with C chosen: UPC = 1/3. COC = (4 + 1 - 3) / (3 * 2) = 2/6 = 1/3.
    # SECON: AA (same), AC -> 1/2.
    result = continuity([A, A, C], chosen_gp=C)
    assert (result.usual_gp_id, result.usual_gp_chosen) == (C, True)
    assert (result.upc, result.coc, result.secon) == pytest.approx((1 / 3, 1 / 3, 0.5))


def test_continuity_chosen_gp_never_seen_has_upc_zero():
    result = continuity([A, B], chosen_gp=C)
    assert result.upc == 0.0


def test_continuity_with_no_contacts_is_undefined_not_zero():
    result = continuity([])
    assert result == continuity([], chosen_gp=None)
    assert (result.usual_gp_id, result.upc, result.coc, result.secon) == (None, None, None, None)


def test_continuity_with_one_contact_has_upc_but_no_coc_or_secon():
    result = continuity([B])
    assert (result.usual_gp_id, result.upc, result.coc, result.secon) == (B, 1.0, None, None)


visits = st.lists(st.sampled_from([A, B, C, D]), max_size=40)
two_or_more = st.lists(st.sampled_from([A, B, C, D]), min_size=2, max_size=40)


@given(visits)
def test_indices_lie_between_zero_and_one(seq):
    for value in (upc(seq, most_seen(seq)), coc(seq), secon(seq)):
        assert value is None or 0.0 <= value <= 1.0


@given(two_or_more)
def test_coc_is_the_share_of_pairs_of_contacts_with_the_same_gp(seq):
    """COC counted the slow way: every pair of contacts, same GP or not."""
    pairs = list(combinations(seq, 2))
    assert coc(seq) == pytest.approx(sum(a == b for a, b in pairs) / len(pairs))


@given(two_or_more, st.randoms(use_true_random=False))
def test_coc_does_not_depend_on_the_order_of_contacts(seq, random):
    shuffled = list(seq)
    random.shuffle(shuffled)
    assert coc(shuffled) == pytest.approx(coc(seq))


@given(two_or_more)
def test_perfect_continuity_means_one_gp_for_every_index(seq):
    one_gp = len(set(seq)) == 1
    assert (coc(seq) == 1.0) == one_gp
    assert (secon(seq) == 1.0) == one_gp
    assert (upc(seq, most_seen(seq)) == 1.0) == one_gp


@given(two_or_more)
def test_coc_is_zero_exactly_when_no_gp_was_seen_twice(seq):
    assert (coc(seq) == 0.0) == (len(set(seq)) == len(seq))


@given(st.lists(st.sampled_from([A, B, C, D]), min_size=1, max_size=40))
def test_the_most_seen_gp_has_the_highest_upc(seq):
    usual = most_seen(seq)
    assert all(upc(seq, usual) >= upc(seq, other) for other in set(seq))
    assert upc(seq, usual) >= 1 / len(set(seq))
