# OneRoof. The two commands: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
PYTEST := $(UV) run --frozen pytest
# Test processes (pytest-xdist), each with its own test database; `make test WORKERS=1` for one.
WORKERS ?= 2
XDIST := -n $(WORKERS) --dist loadgroup
MANAGE := $(UV) run --frozen python manage.py

.PHONY: run test check bench fix setup setup-test test-sqlite test-postgres test-fast

setup:
	@scripts/bootstrap.sh run
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --loglevel=error

setup-test:
	@scripts/bootstrap.sh test
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --loglevel=error

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) load_demo --if-empty --with-measures
	$(MANAGE) demo_sign_ins
	$(UV) run --frozen gunicorn oneroof.config.wsgi --bind 127.0.0.1:8000 --workers 3 \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s' --access-logfile -

check:
	$(UV) lock --check
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports
	$(UV) run --frozen mypy
	$(MANAGE) makemigrations --check --dry-run

# Everything: static checks, the suite on SQLite (with the browser tests and the coverage floor in
# pyproject.toml), the suite on PostgreSQL. Each suite runs in $(WORKERS) processes.
test: setup-test check test-sqlite test-postgres

test-sqlite:
	$(PYTEST) $(XDIST) --cov --cov-report=

test-postgres:
	scripts/with-postgres.sh $(PYTEST) $(XDIST) -m "not system"

# The quick loop: unit and spec tests (reference and DuckDB engines), no database server, no
# browser, no Spark.
test-fast:
	$(PYTEST) $(XDIST) tests/unit tests/spec -m "not spark"

bench: setup-test
	$(UV) run --frozen python benchmarks/run_all.py

fix:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .
