# igfgraph — the two commands a new user runs: `make demo` and `make test`.
# This file contains significant tabs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:

# First Python >= 3.11 on PATH (override with `make PYTHON=/path/to/python`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test lint bench install install-dev clean

# Main job: build, validate, analyse and map the graph into $(OUT)/.
demo: install
	$(BIN)/igfgraph all --out $(OUT)/

# Whole suite: lint, the layer contracts (pyproject.toml), then pytest (browser tests included).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check igfgraph tests benchmarks

# Benchmarks (figures in benchmarks/RESULTS.md, never asserted): make bench SCALES="1 10".
SCALES ?= 1 10 100
bench: install-dev
	$(BIN)/python benchmarks/run.py --scales $(SCALES)

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "make: no Python >= 3.11 found on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .ruff_cache
