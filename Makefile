# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs what running needs; `make test` adds the dev extra (pytest, ruff, mypy, Playwright...).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(RUN_STAMP) $(DEV_STAMP)

## Set up, build the demo prefecture, solve and publish its roster and calendars, serve the web view (Ctrl+C stops).
run: $(RUN_STAMP)
	$(BIN)/scheduler demo
	$(BIN)/scheduler serve --host 127.0.0.1 --port 5000

## Set up with the dev extra and run the whole suite (lint and types first: they are cheap).
test: $(DEV_STAMP)
	$(BIN)/ruff check scheduler tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check scheduler tests bench
	$(BIN)/mypy

bench: $(DEV_STAMP)
	$(BIN)/python bench/solver.py --size county-quarter
	$(BIN)/python bench/cli_startup.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
