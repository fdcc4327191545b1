# OneRoof. The two commands: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
PYTEST := $(UV) run --frozen pytest
MANAGE := $(UV) run --frozen python manage.py

.PHONY: run test check bench fix setup setup-test test-sqlite test-postgres

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
	$(MANAGE) makemigrations --check --dry-run

# Everything: static checks, the suite on SQLite (with the browser tests), the suite on PostgreSQL.
test: setup-test check test-sqlite test-postgres

test-sqlite:
	$(PYTEST)

test-postgres:
	scripts/with-postgres.sh $(PYTEST) -m "not system"

bench: setup-test
	$(UV) run --frozen python benchmarks/run_all.py

fix:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .
