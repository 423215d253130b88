# The verbs people type. `make demo` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit functional e2e clean

$(STAMP): pyproject.toml requirements/dev.txt requirements/constraints.txt layers/common/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## demo: reconcile sample endpoints on an embedded local AWS (moto_server with the fidelity layer)
demo: $(STAMP)
	$(BIN)/python -m localaws.demo

## test: lint, type-check and the whole test suite
test: lint typecheck
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

functional: $(STAMP)
	$(BIN)/python -m pytest -q tests/functional

e2e: $(STAMP)
	$(BIN)/python -m pytest -q tests/e2e

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
