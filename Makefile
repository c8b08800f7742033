# Shuangfang developer commands. `make run` and `make test` work on a bare machine (SQLite +
# Celery filesystem transport); set DATABASE_URL / CELERY_BROKER_URL / REDIS_URL for real services.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install system-deps run test lint migrate demo worker beat bench clean

$(STAMP): pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the PDF reports need (CJK font, Pango for WeasyPrint). Needs root; skipped otherwise.
system-deps:
	@bash scripts/system-deps.sh

migrate: install
	$(PYTHON) manage.py migrate --noinput

demo: migrate
	$(PYTHON) manage.py load_demo

run: system-deps demo
	@bash scripts/run.sh $(PORT)

worker: install
	$(PYTHON) -m celery -A celery_worker worker -l info -c 2 -Q celery,reports

beat: install
	$(PYTHON) -m celery -A celery_worker beat -l info

test: install
	$(PYTHON) manage.py check
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install
	$(PYTHON) -m bench

clean:
	rm -rf var/ .pytest_cache
