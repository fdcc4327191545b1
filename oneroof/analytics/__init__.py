"""Population analytics, free of Django: the analytic schema, the Parquet snapshot, codelists,
the versioned case-finding rules, and the engines that run them (Ibis on DuckDB or Spark, and a
plain-Python reference engine for the spec tests). An import-linter contract keeps Django and
the apps out of this package; everything it needs is passed in."""
