"""Which code of a complete codelist the demo records for a condition or frailty deficit.

GP systems record a condition with whichever concept of a large hierarchy the clinician picks:
most people with diabetes carry "Type 2 diabetes mellitus", some "Type 2 diabetes mellitus
without complication" or "Diabetic retinopathy". The demo draws from the codelist files the
repository holds when it runs (oneroof/codelists/data), so it writes what a complete list
contains, not only what a small one would find:

- CORE_SHARE of people get one of the condition's common concepts (codes.py, with its
  weights); the rest get a code from the remaining codes of the list, with a Zipf weighting
  (1/rank) over the list ordered from general to specific concepts, judged from the terms
  (zipf_order). No code-usage frequency is published in the material this project draws on:
  this weighting is the demo's own, documented and reproducible choice. A maintainer could swap
  in NHS Digital's "SNOMED code usage in primary care" counts here.
- Codes whose term names a sex-specific organ or a childhood form are drawn only for people
  they can apply to (fits).
- The long tail of a frailty deficit's list leaves out codes that are in a long-term condition
  list, so a deficit drawn for someone never gives them a condition the demo did not draw.
- A condition's resolved codes come from `<list>-resolved.csv` when the repository has one.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from oneroof.codelists.loader import DATA_DIR, codelist_files, read_codelist

CORE_SHARE = 0.75  # the demo's own choice: most people are coded with the common concepts
CHILD_AGE = 18

_MALE = re.compile(r"\b(prostat\w*|testi\w*|testes|penis|penile|scrot\w*|epididym\w*)\b", re.I)
_FEMALE = re.compile(
    r"\b(ovar\w*|uter\w*|cervix|vulv\w*|vagin\w*|endometri\w*|fallopian|placent\w*|"
    r"pregnan\w*|gestation\w*|puerper\w*|menopaus\w*|postmenopaus\w*|obstetric\w*|"
    r"breast|mammary)\b",
    re.I,
)
_CHILD = re.compile(r"\b(juvenile|childhood|infantile|neonatal|newborn|of infancy)\b", re.I)
# (male, child) groups, in the order CodeChoice keeps a probability vector for each.
GROUPS = ((True, False), (False, False), (True, True), (False, True))


@dataclass(frozen=True)
class CodeChoice:
    """The codes a condition or deficit may be recorded with, and their chances by group."""

    codes: tuple[str, ...]
    terms: tuple[str, ...]
    core: int  # the first `core` codes are the common concepts
    chances: tuple[np.ndarray, ...]  # one vector per GROUPS entry

    def draw(self, rng, male: np.ndarray, child: np.ndarray) -> np.ndarray:
        """An index into `codes` for each person (arrays of the same length)."""
        picks = np.zeros(len(male), dtype=np.int64)
        for (is_male, is_child), p in zip(GROUPS, self.chances, strict=True):
            where = np.flatnonzero((male == is_male) & (child == is_child))
            if where.size:
                picks[where] = rng.choice(len(p), size=where.size, p=p)
        return picks


def fits(term: str, male: bool, child: bool) -> bool:
    """Whether a code with this term can be recorded for a person of this sex and age group."""
    if _MALE.search(term) and not male:
        return False
    if _FEMALE.search(term) and male:
        return False
    return not (_CHILD.search(term) and not child)


_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset("of the and or with due to in on by for a an disorder finding nos".split())


def _words(term: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(term.lower()) if w not in _FILLER)


def zipf_order(entries) -> list[tuple[str, str]]:
    """The documented order of the long tail, most used first: a concept whose words recur in
    many other terms of the list is general ("Chronic kidney disease stage 3" is in "...stage 3A"
    and "...stage 3B"), one whose words recur nowhere is specific or rare. Ordered by how many
    other terms of the list hold all its words (most first), then shorter terms, then code."""
    entries = list(entries)
    words = [_words(term) for _, term in entries]
    postings: dict[str, set[int]] = {}
    for index, bag in enumerate(words):
        for word in bag:
            postings.setdefault(word, set()).add(index)
    holding = []
    for bag in words:
        sets = sorted((postings[w] for w in bag), key=len)
        holding.append(len(set.intersection(*sets)) - 1 if sets else 0)
    ranked = sorted(
        range(len(entries)),
        key=lambda i: (-holding[i], len(entries[i][1]), int(entries[i][0])),
    )
    return [entries[i] for i in ranked]


def _chances(core, tail_terms) -> tuple[np.ndarray, ...]:
    core_terms = [term for _, term, _, _ in core]
    tail_w = 1.0 / np.arange(1, len(tail_terms) + 1, dtype=float)
    vectors = []
    for male, child in GROUPS:
        core_w = np.array([m if male else f for _, _, m, f in core], dtype=float)
        c = core_w * [fits(t, male, child) for t in core_terms]
        t = tail_w * [fits(t, male, child) for t in tail_terms]
        if c.sum() == 0 and t.sum() == 0:
            c = core_w.copy() if core_w.sum() else np.ones(len(core_w))  # nothing fits
        core_share = CORE_SHARE if t.sum() else 1.0
        if c.sum() == 0:
            core_share = 0.0
        p = np.concatenate(
            [
                c / c.sum() * core_share if c.sum() else c,
                t / t.sum() * (1 - core_share) if t.sum() else t,
            ]
        )
        vectors.append(p / p.sum())
    return tuple(vectors)


class CodeBook:
    """Every codelist file in the repository, read once per generation."""

    def __init__(self, directory: Path = DATA_DIR) -> None:
        self.lists: dict[str, tuple[tuple[str, str], ...]] = {
            path.stem: read_codelist(path).entries for path in codelist_files(directory)
        }

    def codes(self, slug: str) -> set[str]:
        return {code for code, _ in self.lists.get(slug, ())}

    def choice(self, core, slug: str, exclude: frozenset[str] = frozenset()) -> CodeChoice:
        """Common concepts `core` ((code, term, weight for men, weight for women) ...) and the
        long tail of list `slug` without `exclude`."""
        core_codes = {code for code, _, _, _ in core}
        tail = zipf_order(
            e for e in self.lists.get(slug, ()) if e[0] not in core_codes and e[0] not in exclude
        )
        tail_terms = [term for _, term in tail]
        return CodeChoice(
            codes=tuple(code for code, _, _, _ in core) + tuple(code for code, _ in tail),
            terms=tuple(term for _, term, _, _ in core) + tuple(tail_terms),
            core=len(core),
            chances=_chances(core, tail_terms),
        )

    @staticmethod
    def fixed(codes) -> CodeChoice:
        """A choice among `codes` (Code objects) alone, Zipf-weighted in the order given."""
        entries = [(c.code, c.display) for c in codes]
        weights = 1.0 / np.arange(1, len(entries) + 1)
        p = weights / weights.sum()
        return CodeChoice(
            codes=tuple(code for code, _ in entries),
            terms=tuple(term for _, term in entries),
            core=len(entries),
            chances=(p,) * len(GROUPS),
        )

    def resolved(self, slug: str) -> tuple[tuple[str, str], ...]:
        """The codes of the list's resolved cluster, or () when the repository has none."""
        return self.lists.get(f"{slug}-resolved", ())
