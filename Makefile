# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Set up, build the demo prefecture, run the main job (solve and publish the demo quarter), serve the web view.
run: $(STAMP)
	$(BIN)/scheduler demo
	$(BIN)/scheduler serve --host 127.0.0.1 --port 5000

## Set up with the dev extra and run the whole suite (lint and types first: they are cheap).
test: $(STAMP)
	$(BIN)/ruff check scheduler tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check scheduler tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/solver.py --size county-quarter

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
