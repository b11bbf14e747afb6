# Innovatorium: `make run` starts the site with demo data; `make test` runs every check and test.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
# `uv` on PATH, else the copy `pip install uv` puts beside the interpreter (run as a module, so PATH never matters).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install uv deps assets static migrate demo browser lint check pytest bench clean

run: install static migrate demo
	@echo ""
	@echo "  Innovatorium is running at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(PY) manage.py demo_data --list-logins
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode: gunicorn web processes and the background task worker (Procfile, run by honcho) on PostgreSQL.
# INNOVATORIUM_ENV defaults to production here, so SECRET_KEY and ALLOWED_HOSTS must be set (docs/deployment.md).
serve: export INNOVATORIUM_ENV ?= production
serve: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve needs PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/innovatorium" \
	       "(see docs/deployment.md)." >&2; exit 2;; esac
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	@echo "  Innovatorium (production mode) on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	HOST=$(HOST) PORT=$(PORT) $(UV) run --frozen honcho start -f Procfile

test: install static browser lint check pytest

install: uv deps assets

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --user --break-system-packages uv

deps: uv
	$(UV) sync --frozen --python python3.11

assets: node_modules/.package-lock.json

# npm writes this file on every install, so assets are reinstalled exactly when package-lock.json changes.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

static:
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate:
	$(PY) manage.py migrate --noinput

demo:
	$(PY) manage.py demo_data

# Browser tests drive Debian's Chromium; install it if this machine lacks it (we never download a browser build).
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

lint:
	$(UV) run --frozen ruff check .

check:
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

pytest:
	$(UV) run --frozen pytest -q $(PYTEST_ARGS)

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf var/ .pytest_cache .ruff_cache
