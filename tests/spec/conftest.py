"""Every spec runs on every engine: the plain-Python reference, DuckDB, and PySpark in local
mode (marked `spark`, one SparkSession for the whole test session, or for the one test process
that runs them all under pytest-xdist)."""

import os
import shutil

import pytest

from oneroof.analytics import engines

from .harness import Engine

# Under pytest-xdist the Spark tests share one worker (`--dist loadgroup`), so that one JVM starts.
SPARK = [pytest.mark.spark, pytest.mark.xdist_group("spark")]
ENGINES = ["reference", "duckdb", pytest.param("spark", marks=SPARK)]


@pytest.fixture(scope="session")
def spark_session():
    if shutil.which("java") is None:
        pytest.fail("PySpark needs Java 17+: run scripts/bootstrap.sh test (default-jre-headless)")
    # The driver talks to its executor over loopback only.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("oneroof-spec-tests")
        # Small data: one partition, no UI, no progress bars, UTC so dates never shift.
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duckdb_connection():
    return engines.duckdb_connection()


@pytest.fixture(params=ENGINES)
def engine(request) -> Engine:
    if request.param == "reference":
        return Engine("reference")
    if request.param == "duckdb":
        return Engine("duckdb", request.getfixturevalue("duckdb_connection"))
    session = request.getfixturevalue("spark_session")
    return Engine("spark", engines.spark_connection(session))
