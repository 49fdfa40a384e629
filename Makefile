# SendHub: `make run` (the demo on embedded defaults) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Tests run against real PostgreSQL and Redis on this machine (as in CI).
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/sendhub
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install run seed test lint format check-deploy compose-check system-deps services bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Run the demo: SQLite, Celery on the filesystem transport, demo data, web + worker + beat.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py seed_demo
	@echo "Open http://127.0.0.1:8000 and sign in with one of the logins above."
	$(VENV)/bin/honcho -f Procfile.dev start

seed: install
	$(PY) manage.py seed_demo

system-deps:
	bash scripts/system-deps.sh

services:
	bash scripts/services.sh

## The whole test suite against PostgreSQL, Redis, a real Celery worker and Chromium.
test: install system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) SENDHUB_TEST_REDIS_URL=$(TEST_REDIS_URL) \
	SENDHUB_REQUIRE_SERVICES=$${SENDHUB_REQUIRE_SERVICES:-1} \
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## `check --deploy` with production settings and real-looking values.
check-deploy: install
	DJANGO_SETTINGS_MODULE=sendhub.settings.production \
	DJANGO_SECRET_KEY=ci-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	DJANGO_ALLOWED_HOSTS=sendhub.example.org \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=redis://127.0.0.1:6379/0 \
	$(PY) manage.py check --deploy --fail-level WARNING

compose-check:
	DJANGO_SECRET_KEY=compose-config-check POSTGRES_PASSWORD=compose-config-check \
	DJANGO_ALLOWED_HOSTS=sendhub.example.org SENDHUB_BASE_URL=https://sendhub.example.org \
	docker-compose config --quiet

bench: install
	$(PY) manage.py bench --json

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
