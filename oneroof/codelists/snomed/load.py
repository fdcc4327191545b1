"""Loading an RF2 Snapshot release into the database, replacing the one loaded before.

Everything happens in one transaction: the previous release is deleted, the files are streamed
row by row into bulk inserts (executemany on SQLite, COPY on PostgreSQL), and the first
malformed row raises, rolling the whole load back so that the previous release stays exactly as
it was. Memory holds one id and one flag per concept (to refuse descriptions and relationships
that name no concept), never the files' rows.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from oneroof.codelists.models import SnomedConcept, SnomedIsA, SnomedRelease
from oneroof.core.bulk import insert_rows

from . import rf2

_ACTIVE, _TERMED = 1, 2  # bit flags per concept while loading


def load_release(folder: Path, *, step: rf2.Step | None = None) -> SnomedRelease:
    """Load the RF2 Snapshot release in `folder` (see rf2.find_release), replacing the release
    loaded before; raises rf2.RF2Error, changing nothing, if any file or row is not right."""
    files = rf2.find_release(folder)
    with transaction.atomic():
        SnomedIsA.objects.all().delete()
        SnomedConcept.objects.all().delete()
        SnomedRelease.objects.all().delete()
        concepts: dict[int, int] = {}
        for concept_id, active in rf2.concepts(files.concepts, step):
            if concept_id in concepts:
                raise rf2.RF2Error(f"{files.concepts.name}: concept {concept_id} appears twice")
            concepts[concept_id] = _ACTIVE if active else 0
        known = concepts.__contains__
        _insert(
            SnomedConcept,
            ("id", "active", "term"),
            _concept_rows(concepts, rf2.fully_specified_names(files.descriptions, known, step)),
        )
        # The index is built once after the rows are in, not row by row: several times faster.
        index = _parent_index()
        _execute(f"DROP INDEX {index.name}")
        is_a = _insert(
            SnomedIsA,
            ("child", "parent"),
            rf2.is_a_relationships(files.relationships, known, step),
        )
        _execute(f"CREATE INDEX {index.name} ON {index.table} ({index.column})")
        _analyse(SnomedConcept, SnomedIsA)
        return SnomedRelease.objects.create(
            version=files.version,
            effective_date=files.effective_date,
            folder=Path(folder).resolve().name,
            loaded_at=timezone.now(),
            concepts=len(concepts),
            active_concepts=sum(flags & _ACTIVE for flags in concepts.values()),
            is_a_relationships=is_a,
        )


def _concept_rows(concepts: dict[int, int], names: Iterable[tuple[int, str]]):
    """A row per concept, as its first active fully specified name is read; then the concepts
    that have none (an inactive concept may have none left), with an empty term."""
    for concept_id, term in names:
        flags = concepts[concept_id]
        if not flags & _TERMED:
            concepts[concept_id] = flags | _TERMED
            yield concept_id, bool(flags & _ACTIVE), term
    for concept_id, flags in concepts.items():
        if not flags & _TERMED:
            yield concept_id, bool(flags & _ACTIVE), ""


def _insert(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    return insert_rows(connection, model, columns, rows)


class _Index(NamedTuple):
    name: str
    table: str
    column: str


def _parent_index() -> _Index:
    (index,) = SnomedIsA._meta.indexes
    quote = connection.ops.quote_name
    return _Index(
        quote(index.name),
        quote(SnomedIsA._meta.db_table),
        quote(SnomedIsA._meta.get_field("parent").column),
    )


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _analyse(*models) -> None:
    """PostgreSQL's planner statistics for the tables just filled, so that the first queries on
    them are not planned as if they were empty."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def loaded_release() -> SnomedRelease | None:
    return SnomedRelease.objects.first()
