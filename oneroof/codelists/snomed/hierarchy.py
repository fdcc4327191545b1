"""The loaded release's IS-A hierarchy in memory, for expanding codelist definitions.

Built once per expansion run from the database (every concept id and flag, every active IS-A
pair) into numpy arrays: concept ids sorted, and each concept's children in compressed sparse
row form. Descendants are then found breadth first, a whole level at a time, with array
operations: a few milliseconds for most concepts, well under a second for the largest
subtrees. (benchmarks/bench_snomed.py measures this against a recursive SQL query.)
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection

from oneroof.codelists.models import SnomedConcept, SnomedIsA, SnomedRelease

FETCH = 100_000


@dataclass(frozen=True)
class Hierarchy:
    release: str
    ids: np.ndarray  # int64 concept ids, sorted
    active: np.ndarray  # bool, per concept
    starts: np.ndarray  # int64, len(ids) + 1: children of concept i are children[starts[i]:...]
    children: np.ndarray  # int64 indexes into ids

    @classmethod
    def from_database(cls, release: SnomedRelease) -> "Hierarchy":
        ids, active = _columns(SnomedConcept, ("id", "active"), "id")
        child, parent = _columns(SnomedIsA, ("child", "parent"))
        child_at, parent_at = np.searchsorted(ids, child), np.searchsorted(ids, parent)
        order = np.argsort(parent_at, kind="stable")
        counts = np.bincount(parent_at, minlength=len(ids))
        starts = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(release.version, ids, active.astype(bool), starts, child_at[order])

    def find(self, concept_id: int) -> int | None:
        """The index of a concept, or None when the release does not have it."""
        at = int(np.searchsorted(self.ids, concept_id))
        return at if at < len(self.ids) and self.ids[at] == concept_id else None

    def children_of(self, at: np.ndarray) -> np.ndarray:
        """Every child of the concepts at these indexes (with repeats)."""
        begin, end = self.starts[at], self.starts[at + 1]
        counts = end - begin
        total = int(counts.sum())
        if not total:
            return np.empty(0, dtype=np.int64)
        offsets = np.cumsum(counts) - counts
        return self.children[np.repeat(begin - offsets, counts) + np.arange(total)]

    def closure(self, roots: np.ndarray) -> np.ndarray:
        """A mask of the roots and every concept below them."""
        seen = np.zeros(len(self.ids), dtype=bool)
        frontier = np.unique(np.asarray(roots, dtype=np.int64))
        seen[frontier] = True
        while frontier.size:
            found = self.children_of(frontier)
            frontier = np.unique(found[~seen[found]])
            seen[frontier] = True
        return seen


def _columns(model, fields: tuple[str, ...], order_by: str | None = None):
    """Whole integer columns of a table as numpy arrays, fetched in chunks."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    sql = f"SELECT {names} FROM {quote(model._meta.db_table)}"
    if order_by:
        sql += f" ORDER BY {quote(order_by)}"
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH):
            chunks.append(np.array(rows, dtype=np.int64).reshape(-1, len(fields)))
    table = np.concatenate(chunks) if chunks else np.empty((0, len(fields)), dtype=np.int64)
    return tuple(table[:, i].copy() for i in range(len(fields)))
