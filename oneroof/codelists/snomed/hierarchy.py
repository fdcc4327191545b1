"""Walking the loaded release's IS-A hierarchy, for expanding codelist definitions.

Descendants are found by one recursive SQL query per 500 starting concepts (WITH RECURSIVE,
the same on SQLite and PostgreSQL), over the IS-A table and its index on `parent`: nothing is
held in memory but the answer. benchmarks/bench_snomed.py measures this against building the
whole hierarchy in memory (numpy arrays) and walking that: at UK Edition size, expanding every
bundled list this way took 3.0 s on SQLite and 1.8 s on PostgreSQL, against 5.0 s and 2.8 s in
memory, where building the hierarchy alone costs more than all the queries.
"""

from collections.abc import Iterable

from django.db import connection

from oneroof.codelists.models import SnomedConcept, SnomedIsA

CHUNK = 500  # starting concepts per query, well under SQLite's limit on parameters


def _tables() -> tuple[str, str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(SnomedConcept._meta.db_table),
        quote(SnomedIsA._meta.db_table),
        quote(SnomedIsA._meta.get_field("child").column),
        quote(SnomedIsA._meta.get_field("parent").column),
    )


def _chunks(ids: Iterable[int]):
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def descendants_or_self(roots: Iterable[int]) -> set[int]:
    """The roots and every concept below them, through active IS-A relationships."""
    concept, is_a, child, parent = _tables()
    found: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(roots):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"WITH RECURSIVE below(id) AS (SELECT id FROM {concept} WHERE id IN ({marks}) "
                f"UNION SELECT r.{child} FROM {is_a} r JOIN below b ON r.{parent} = b.id) "
                "SELECT id FROM below",
                chunk,
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def children(concepts: Iterable[int]) -> set[int]:
    """The concepts directly below these ones."""
    _, is_a, child, parent = _tables()
    found: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(concepts):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {child} FROM {is_a} WHERE {parent} IN ({marks})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    return found


def concepts(ids: Iterable[int]) -> dict[int, tuple[bool, str]]:
    """(active, term) of each of these concepts that the release has."""
    found: dict[int, tuple[bool, str]] = {}
    for chunk in _chunks(ids):
        rows = SnomedConcept.objects.filter(id__in=chunk).values_list("id", "active", "term")
        found.update((id_, (active, term)) for id_, active, term in rows)
    return found
