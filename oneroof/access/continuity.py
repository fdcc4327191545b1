"""Continuity of GP care, in plain Python (no database).

The input is a person's GP contacts over the last two years, oldest first, each given as the id
of the GP seen. The indices are the ones the measures report (docs/architecture.md, "Continuity"):

- UPC, usual provider of care: the share of contacts that were with the usual GP.
- COC, the Bice-Boxerman continuity of care index: (sum of n_j squared - N) / (N (N - 1)),
  where n_j is the number of contacts with GP j and N the number of contacts. 1 when every
  contact was with one GP, 0 when no GP was seen twice.
- SECON, sequential continuity: the share of consecutive pairs of contacts that were with the
  same GP, (number of i with g_i = g_i+1) / (N - 1).

UPC needs at least one contact; COC and SECON need at least two. Otherwise they are None: an
index of nothing is not zero.

The usual GP is the one the person chose, or else the GP seen most often (ties go to the one
seen most recently, so the answer does not depend on how ids were allocated).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

WINDOW = timedelta(days=730)  # "over 2 years"


def most_seen(visits: Sequence[int]) -> int | None:
    """The GP seen most often; on a tie, the one of them seen last."""
    if not visits:
        return None
    counts = Counter(visits)
    last_seen = {gp: i for i, gp in enumerate(visits)}
    return max(counts, key=lambda gp: (counts[gp], last_seen[gp]))


def upc(visits: Sequence[int], usual_gp: int | None) -> float | None:
    if not visits or usual_gp is None:
        return None
    return sum(1 for gp in visits if gp == usual_gp) / len(visits)


def coc(visits: Sequence[int]) -> float | None:
    n = len(visits)
    if n < 2:
        return None
    return (sum(c * c for c in Counter(visits).values()) - n) / (n * (n - 1))


def secon(visits: Sequence[int]) -> float | None:
    n = len(visits)
    if n < 2:
        return None
    return sum(1 for a, b in zip(visits, visits[1:], strict=False) if a == b) / (n - 1)


@dataclass(frozen=True)
class Continuity:
    contacts: int
    usual_gp_id: int | None
    usual_gp_chosen: bool
    upc: float | None
    coc: float | None
    secon: float | None


def continuity(visits: Sequence[int], *, chosen_gp: int | None = None) -> Continuity:
    """All three indices for one person's GP contacts (oldest first) and their usual GP."""
    usual = chosen_gp if chosen_gp is not None else most_seen(visits)
    return Continuity(
        contacts=len(visits),
        usual_gp_id=usual,
        usual_gp_chosen=chosen_gp is not None,
        upc=upc(visits, usual),
        coc=coc(visits),
        secon=secon(visits),
    )
