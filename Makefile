# Schakelpunt: `make demo` and `make test` on a fresh machine. See README.md.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/schakelpunt
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= small
BRP_PORT ?= 5010

# The first Python >= 3.12 on the PATH (pyenv reads .python-version in this folder).
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		echo $$candidate; break; fi; done)

.PHONY: help install demo test bench lint format messages settings-docs clean

help:
	@echo "make demo      install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test      install and run the whole test suite"
	@echo "make bench     generate data and run the benchmarks (SCALE=small|large; see docs/performance.md)"
	@echo "make lint      ruff and the missing-migrations check"
	@echo "make install   virtualenv and dependencies only"
	@echo "make format    let ruff fix and format the code"
	@echo "make messages  update and compile the translation catalogues"
	@echo "make settings-docs  regenerate docs/settings.md"
	@echo "make clean     remove the virtualenv and the var folder"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Schakelpunt needs Python 3.12 or newer; none was found on the PATH."; \
		echo "Install one (e.g. 'pyenv install 3.12') and run this command again."; \
		exit 1; fi
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) demo_data
	@echo "Schakelpunt runs on http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "The population-register simulator (BRP) runs on http://127.0.0.1:$(BRP_PORT)/"
	@$(MANAGE) brp_simulator --port $(BRP_PORT) & simulator=$$!; \
	trap 'kill $$simulator 2>/dev/null' EXIT INT TERM; \
	BRP_API_URL=http://127.0.0.1:$(BRP_PORT)/haalcentraal/api/brp \
	BRP_UPDATE_API_URL=http://127.0.0.1:$(BRP_PORT)/haalcentraal/api/brpupdate \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "NOTE: Chromium (/usr/bin/chromium) is not installed: the browser tests will be skipped."; \
		echo "      Install it with 'apt-get install chromium' to run them (CI does)."; fi
	@if ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "NOTE: pdftoppm (poppler-utils) is not installed: the check that a PDF page is not blank"; \
		echo "      will be skipped. Install it with 'apt-get install poppler-utils' (CI does)."; fi
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure."; exit 1; fi; exit $$rc

# Benchmarks on PostgreSQL (BENCH_DATABASE_URL, default schakelpunt_bench on 127.0.0.1) and, for
# the small scale, SQLite under var/. Data is generated once per scale; see docs/performance.md.
bench: install
	$(BIN)/python -m bench.run --scale $(SCALE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=schakelpunt.conf.test $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd src/schakelpunt && ../../$(MANAGE) makemessages -l en --no-location --no-obsolete && ../../$(MANAGE) compilemessages

settings-docs: install
	$(MANAGE) settings_reference > docs/settings.md

clean:
	rm -rf $(VENV) var .pytest_cache
