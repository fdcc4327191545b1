"""The analytic snapshot on disk: one Parquet file per table of schema.py and a manifest.

The writer checks every table against the schema, so nothing downstream meets a surprise
column; a table whose source does not exist yet is written empty, with its columns. The reader
hands Ibis a table per file, on whichever connection it is given.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from .schema import SCHEMA_VERSION, TABLES

MANIFEST = "manifest.json"


class SnapshotError(ValueError):
    """A snapshot that does not match the analytic schema."""


@dataclass(frozen=True)
class SnapshotInfo:
    directory: Path
    taken_at: datetime
    schema_version: str
    rows: dict[str, int]
    absent: tuple[str, ...]  # tables whose source did not exist, written empty


class SnapshotWriter:
    """Writes a snapshot table by table, in batches, so memory stays flat."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._rows: dict[str, int] = {}
        self._absent: list[str] = []

    def write(self, name: str, batch: pa.Table) -> None:
        table = TABLES[name]
        schema = table.arrow_schema()
        if batch.schema.names != list(table.column_names):
            raise SnapshotError(f"{name}: columns {batch.schema.names} are not the schema's")
        batch = batch.cast(schema)
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.directory / f"{name}.parquet", schema)
            self._rows[name] = 0
        self._writers[name].write_table(batch)
        self._rows[name] += batch.num_rows

    def mark_absent(self, name: str) -> None:
        self._absent.append(name)

    def close(self, *, taken_at: datetime | None = None) -> SnapshotInfo:
        for name, table in TABLES.items():
            if name not in self._writers:
                self.write(name, table.empty())
        for writer in self._writers.values():
            writer.close()
        info = SnapshotInfo(
            self.directory,
            taken_at or datetime.now(UTC),
            SCHEMA_VERSION,
            dict(self._rows),
            tuple(self._absent),
        )
        (self.directory / MANIFEST).write_text(
            json.dumps(
                {
                    "taken_at": info.taken_at.isoformat(),
                    "schema_version": info.schema_version,
                    "rows": info.rows,
                    "absent": list(info.absent),
                },
                indent=2,
            )
        )
        return info


def write_snapshot(directory: Path, tables: Mapping[str, pa.Table]) -> SnapshotInfo:
    """Write whole in-memory tables as a snapshot (tests and benchmarks)."""
    writer = SnapshotWriter(directory)
    for name, data in tables.items():
        writer.write(name, data)
    return writer.close()


def read_manifest(directory: Path) -> SnapshotInfo:
    doc = json.loads((Path(directory) / MANIFEST).read_text())
    if doc["schema_version"] != SCHEMA_VERSION:
        raise SnapshotError(
            f"snapshot schema {doc['schema_version']} is not this code's {SCHEMA_VERSION}"
        )
    return SnapshotInfo(
        Path(directory),
        datetime.fromisoformat(doc["taken_at"]),
        doc["schema_version"],
        doc["rows"],
        tuple(doc["absent"]),
    )


def open_snapshot(con: BaseBackend, directory: Path) -> dict[str, ir.Table]:
    """An Ibis table for each table of the snapshot, read from Parquet on `con`."""
    read_manifest(directory)
    return {
        name: con.read_parquet(Path(directory) / f"{name}.parquet", table_name=f"snapshot_{name}")
        for name in TABLES
    }
