"""Where case-finding runs: the connections, and the tables Ibis reads.

Connection details are always passed in (a path, a SparkSession); nothing here reads settings
or the environment. DuckDB in process is the default; Spark runs the same expressions for
populations past one machine.
"""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

if TYPE_CHECKING:  # PySpark is imported only where Spark is used
    from ibis.backends.pyspark import Backend as SparkBackend
    from pyspark.sql import SparkSession

from . import casefinding
from .codelists import Codelist
from .rules import RuleSet
from .schema import CASEFINDING_RESULT, TABLES


def duckdb_connection(
    database: str = ":memory:", *, threads: int | None = None, memory_limit: str | None = None
) -> BaseBackend:
    """An in-process DuckDB connection; `database` is a file path or ':memory:'."""
    config: dict[str, object] = {}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    return ibis.duckdb.connect(database, **config)


def spark_connection(session: "SparkSession") -> BaseBackend:
    """An Ibis connection over a SparkSession that the caller built (local or a cluster)."""
    return ibis.pyspark.connect(session)


def memory_tables(data: Mapping[str, pa.Table]) -> dict[str, ir.Table]:
    """Ibis tables over in-memory Arrow tables; an absent table is empty, with its schema."""
    return {
        name: ibis.memtable(data.get(name, table.empty()).cast(table.arrow_schema()))
        for name, table in TABLES.items()
    }


def spark_tables(
    con: "SparkBackend", data: Mapping[str, pa.Table], *, prefix: str = ""
) -> dict[str, ir.Table]:
    """Ibis tables over Spark temporary views made from in-memory Arrow tables.

    Spark is handed the Arrow data directly (not through pandas, which would turn a column of
    integers with a null into floats that Spark then reads as null)."""
    session = con._session
    tables = {}
    for name, table in TABLES.items():
        arrow = data.get(name, table.empty()).cast(table.arrow_schema())
        view = f"{prefix}{name}"
        session.createDataFrame(arrow).createOrReplaceTempView(view)
        tables[name] = con.table(view)
    return tables


def run_casefinding(
    con: BaseBackend,
    tables: Mapping[str, ir.Table],
    *,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    index_date: date,
) -> pa.Table:
    """Run case-finding on `con` and return the result as Arrow, in person_id order."""
    expr = casefinding.find_cases(tables, rules=rules, codelists=codelists, index_date=index_date)
    result = con.to_pyarrow(expr.order_by("person_id"))
    return result.cast(CASEFINDING_RESULT.arrow_schema())
