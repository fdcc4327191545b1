"""Fast inserts for the big tables, through oneroof.core.bulk (executemany on SQLite, COPY on
PostgreSQL), with explicit primary keys.

The generator hands over rows whose values are already in the form the database stores (ISO
dates, UTC timestamps, UUID hex), which is what Django itself would send. Primary keys are
allocated here, after the largest one already in the table, so rows can refer to each other
before they are written; finish() moves PostgreSQL's sequences past them so later ORM inserts
do not collide.
"""

from collections.abc import Iterable, Sequence

import numpy as np
from django.core.management.color import no_style
from django.db import models

from oneroof.core.bulk import insert_rows

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


class BulkWriter:
    """Writes rows straight into the tables of Django models, inside the caller's transaction."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self._next_id: dict[type[models.Model], int] = {}
        self._tables: set[str] = set()
        self.rows_written = 0

    # --- keys ----------------------------------------------------------------------------------

    def allocate(self, model: type[models.Model], count: int) -> np.ndarray:
        """Reserve `count` new primary keys for `model`, in order."""
        if model not in self._next_id:
            table = self.connection.ops.quote_name(model._meta.db_table)
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {table}")
                (largest,) = cursor.fetchone()
            self._next_id[model] = (largest or 0) + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return np.arange(start, start + count, dtype=np.int64)

    # --- values --------------------------------------------------------------------------------

    @staticmethod
    def dates(ordinals: np.ndarray) -> list[str | None]:
        """ISO dates from proleptic ordinals (date.toordinal()); a negative ordinal is NULL."""
        ordinals = np.asarray(ordinals, dtype=np.int64)
        if ordinals.size == 0:
            return []
        text = np.datetime_as_string(
            (np.maximum(ordinals, 1) - _EPOCH_ORDINAL).astype("datetime64[D]"), unit="D"
        ).tolist()
        if (ordinals < 0).any():
            return [t if o >= 0 else None for t, o in zip(text, ordinals.tolist(), strict=True)]
        return text

    def datetimes(self, epoch_seconds: np.ndarray) -> list[str]:
        """UTC timestamps as the database stores them, from seconds since 1970-01-01 UTC.

        SQLite (with USE_TZ) holds naive UTC text 'YYYY-MM-DD HH:MM:SS', the form Django writes,
        so string comparisons in queries order correctly; PostgreSQL is told the zone.
        """
        seconds = np.asarray(epoch_seconds, dtype=np.int64)
        if seconds.size == 0:
            return []
        text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
        text = np.char.replace(text, "T", " ")
        if self.postgres:
            text = np.char.add(text, "+00")
        return text.tolist()

    def uuids(self, raw: bytes, count: int) -> list[str]:
        """Version 4 UUIDs (as 32 hex digits) from 16 * count random bytes."""
        buf = np.frombuffer(raw, dtype=np.uint8).reshape(count, 16).copy()
        buf[:, 6] = (buf[:, 6] & 0x0F) | 0x40  # version 4
        buf[:, 8] = (buf[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
        text = buf.tobytes().hex()
        return [text[i : i + 32] for i in range(0, 32 * count, 32)]

    # --- rows ----------------------------------------------------------------------------------

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]
    ) -> int:
        """Insert rows (tuples in the order of `fields`, attnames such as 'person_id')."""
        self._tables.add(model._meta.db_table)
        written = insert_rows(self.connection, model, fields, rows)
        self.rows_written += written
        return written

    def finish(self) -> None:
        """On PostgreSQL: move the id sequences past the keys this writer allocated, and gather
        the planner's statistics for the tables it filled. Without them, the first queries after
        a bulk load are planned as if the tables were empty (nested loops over thousands of
        rows) until autovacuum gets round to them."""
        if not self.postgres:
            return
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        statements += [f"ANALYZE {self.connection.ops.quote_name(t)}" for t in sorted(self._tables)]
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
