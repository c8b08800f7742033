# Shuangfang developer commands. `make run` and `make test` work on a bare machine (SQLite +
# Celery filesystem transport); set DATABASE_URL / CELERY_BROKER_URL / REDIS_URL for real services.
# The development targets turn DEBUG on (settings default it off); `make serve` is the production command.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install system-deps console run serve static test lint migrate demo worker beat bench clean

# Development targets: DEBUG on unless the environment says otherwise (HOST defaults to 127.0.0.1 in run.sh).
run demo migrate static worker beat bench: export DEBUG ?= True

# The same install script the Docker image runs (scripts/install.sh).
$(STAMP): pyproject.toml scripts/install.sh
	PY=$(PY) bash scripts/install.sh $(VENV) '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the PDF reports need (CJK font, Pango for WeasyPrint). Needs root; skipped otherwise.
system-deps:
	@bash scripts/system-deps.sh

# The web console (frontend/, Node.js ≥ 20): rebuilt when its sources changed (scripts/build-console.sh;
# without npm it warns and the API runs without the console).
CONSOLE_SOURCES := $(shell find frontend/src frontend/scripts -type f 2>/dev/null) frontend/package.json \
	frontend/package-lock.json frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/tsconfig.app.json
CONSOLE_STAMP := frontend/dist/.built

$(CONSOLE_STAMP): $(CONSOLE_SOURCES)
	@bash scripts/build-console.sh

console: $(CONSOLE_STAMP)

migrate: install
	$(PYTHON) manage.py migrate --noinput

demo: migrate
	$(PYTHON) manage.py load_demo

static: install
	$(PYTHON) manage.py collectstatic --noinput -v 0

run: system-deps demo static console
	@bash scripts/run.sh $(PORT)

# Production: gunicorn + whitenoise with the settings of the environment (README "Production").
serve: install
	$(BIN)/gunicorn -c python:backend.gunicorn_conf backend.wsgi

worker: install
	$(PYTHON) -m celery -A celery_worker worker -l info -c 2 -Q celery,reports

beat: install
	$(PYTHON) -m celery -A celery_worker beat -l info

# The browser tests (tests/browser) drive the built console.
test: install console
	DEBUG=$${DEBUG:-True} $(PYTHON) manage.py check
	DEBUG=$${DEBUG:-True} $(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# ruff, the import contracts, and mypy (django/drf stubs) over backend/core, the rules and the services.
# DEBUG=true only so that the settings (imported by the django-stubs plugin) accept the dev SECRET_KEY.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DEBUG=true $(BIN)/mypy

bench: install
	$(PYTHON) -m bench

clean:
	rm -rf var/ .pytest_cache
