"""Fast inserts for big loads: COPY on PostgreSQL, batched executemany elsewhere.

The ORM's bulk_create is several times slower at millions of rows, mostly in per-value field
preparation. Callers hand over rows whose values are already in the form the database stores
(ISO dates, UTC timestamps, UUID hex, explicit primary keys), which is what Django itself would
send, and do so inside their own transaction.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

BATCH = 10_000


def insert_rows(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Insert rows (tuples in the order of `fields`: field names or attnames such as
    'person_id') into the model's table; returns how many were written."""
    quote = connection.ops.quote_name
    opts = model._meta
    table = quote(opts.db_table)
    names = ", ".join(quote(_column(opts.get_field(name))) for name in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's cursor wrapper around a psycopg 3 cursor: COPY is psycopg's own API.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _column(field: object) -> str:
    """The database column of a concrete field (a reverse relation has none: a caller's fault)."""
    if not isinstance(field, models.Field):
        raise ValueError(f"{field} is not a column of the table")
    return str(field.column)
