# Engage: `make run` serves the service with demo data, `make test` runs the whole suite.
# Both need nothing but Python 3.11+; installs are skipped while their stamp files are newer than pyproject.toml.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# python3.11 when the machine has it, otherwise python3 (checked below to be 3.11 or newer).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=

# Compiled catalogs (*.mo) are not committed; each is rebuilt when its .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard engage/translations/*/LC_MESSAGES/messages.po))

.PHONY: help run test install install-test translations db demo axe vendor lint bench clean

help:
	@echo "make run    - install, migrate the SQLite database under instance/, load demo data, serve on 127.0.0.1:$(PORT)"
	@echo "             with a job consumer beside the web server (Procfile)"
	@echo "make test   - install with test extras and run the whole test suite"
	@echo "make lint   - ruff"
	@echo "make vendor - copy the check-in QR scanner from npm into static/vendor (after changing its version)"
	@echo "make bench  - the performance benchmark (bench/run.py, needs wrk)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (python3.11 or python3 on PATH)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "$(PYTHON) is older than 3.11; install Python 3.11 or set PYTHON=/path/to/python3.11." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

%.mo: %.po $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

instance:
	@mkdir -p instance

db: install translations | instance
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

# axe-core for the accessibility tests and oidc-provider (the OpenID Connect provider the unified sign-in tests
# run under Node), from the committed lock file; skipped where npm is missing (those tests then skip too, except
# in CI where they fail).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: skipping axe-core and oidc-provider (their tests will be skipped)"; \
	fi

axe: node_modules/axe-core/axe.min.js

# The check-in page's camera scanner, from npm (package.json) into static/vendor: committed, so that a server
# needs no npm, and served from this site like every script (the CSP allows no other). Run after a version change.
VENDOR_JS := static/vendor/zxing-browser.min.js
$(VENDOR_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	cp node_modules/@zxing/browser/umd/zxing-browser.min.js $@
	cp node_modules/@zxing/browser/LICENSE static/vendor/zxing-browser.LICENSE

vendor: $(VENDOR_JS)

# The web server and a job consumer side by side (Procfile); Ctrl-C, or SIGTERM to make, stops both.
run: export PATH := $(abspath $(BIN)):$(PATH)
# Links in messages point at the server make run starts; honcho gives each process its own PORT, so the consumer
# could not tell it.
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: demo
	exec honcho start --procfile Procfile --port $(PORT)

test: install-test translations axe
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

bench: install translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules engage/translations/*/LC_MESSAGES/*.mo
