# ecoinspect — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test install install-dev lint messages browsers clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,production]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo — install, migrate an SQLite database under var/, load demo data (kept on re-runs), serve.
demo: install
	ECOINSPECT_DEBUG=1 $(BIN)/ecoinspect migrate --noinput
	ECOINSPECT_DEBUG=1 $(BIN)/ecoinspect demo load
	@echo ""
	@echo "ecoinspect: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	ECOINSPECT_DEBUG=1 $(BIN)/ecoinspect runserver 127.0.0.1:$(PORT)

## make test — install the development extras, lint, check the layers, and run the whole suite (DATABASE_URL picks PostgreSQL).
test: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

## make messages — refresh and compile the English catalogue (Chinese is the source language).
messages: install-dev
	cd src/ecoinspect && ../../$(BIN)/ecoinspect makemessages -l en --no-obsolete --no-location --ignore "indicators/*"
	$(BIN)/python tools/po_fill_bilingual.py src/ecoinspect/locale/en/LC_MESSAGES/django.po
	cd src/ecoinspect && ../../$(BIN)/ecoinspect compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
