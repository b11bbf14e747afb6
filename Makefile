# Innovatorium: `make run` starts the site with demo data; `make test` runs every check and test.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install uv deps assets static migrate demo browser lint check pytest bench clean

run: install static migrate demo
	@echo ""
	@echo "  Innovatorium is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password for all: $$($(PY) -c 'from innovatorium.demo.constants import DEMO_PASSWORD; print(DEMO_PASSWORD)')):"
	@$(PY) manage.py demo_data --list-logins
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install static browser lint check pytest

install: uv deps assets

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || pip install --quiet uv

deps: uv
	$(UV) sync --frozen --python python3.11

assets:
	@test -d node_modules/nhsuk-frontend -a -d node_modules/htmx.org -a -d node_modules/axe-core || npm ci --no-audit --no-fund

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
