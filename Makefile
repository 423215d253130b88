# The verbs people type. `make demo` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck validate scan build invoke bench bench-scale unit functional e2e clean

# sam without prompts or telemetry, in a fixed region, with the venv's python and pip first on PATH (the makefile
# builds of the layer and the functions run pip from there).
SAM := SAM_CLI_TELEMETRY=0 AWS_REGION=$${AWS_REGION:-us-east-1} AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} \
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sam

$(STAMP): pyproject.toml requirements/dev.txt requirements/constraints.txt layers/common/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## demo: reconcile sample endpoints on an embedded local AWS (moto_server with the fidelity layer)
demo: $(STAMP)
	$(BIN)/sagemaker-autoscaler demo

## test: lint, type-check, validate, scan and build the SAM application, and the whole test suite
test: lint typecheck validate scan build
	$(BIN)/python -m pytest -n 2 -q

## lint: ruff, and the layering of the packages (pyproject.toml [tool.importlinter]) on this tree's own sources (the
## paths of pytest's pythonpath, whatever the venv has installed); no cache written
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=layers/common:src:. $(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

## validate: sam validate --lint (works offline)
validate: $(STAMP)
	$(SAM) validate --lint < /dev/null

SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

$(SCAN_STAMP): requirements/scan.txt requirements/scan-constraints.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/scan.txt -c requirements/scan-constraints.txt
	touch $@

## scan: checkov on template.yaml, offline; every suppression is in the template with its reason
scan: $(SCAN_STAMP)
	$(SCAN_VENV)/bin/checkov -f template.yaml --framework cloudformation --quiet --compact --skip-download

## build: sam build without Docker (BuildMethod: makefile; wheels for python3.13 on arm64)
build: $(STAMP)
	$(SAM) build --parallel < /dev/null

## invoke: run a function's handler in-process on an event file: make invoke FUNCTION=RouterFunction EVENT=events/x.json
## [ENDPOINT_URL=http://127.0.0.1:5000] (without ENDPOINT_URL: real AWS, normal credential chain)
invoke: $(STAMP)
	$(BIN)/python -m localaws.invoke $(FUNCTION) $(EVENT) $(if $(ENDPOINT_URL),--endpoint-url $(ENDPOINT_URL))

## bench: AWS calls, wall time and peak memory of the controller against the naive way, N = 10, 100, 500
SIZES ?= 10,100,500
bench: $(STAMP) build
	$(BIN)/python -m bench --sizes $(SIZES)

## bench-scale: the no-drift sweep against its paged-read floor, projected to AWS latencies; the router per tag event;
## a reconcile burst; N = 1,000, 5,000, 20,000 (SCALE_SIZES=...); writes docs/bench-scale.json
SCALE_SIZES ?= 1000,5000,20000
bench-scale: $(STAMP)
	$(BIN)/python -m bench scale --sizes $(SCALE_SIZES)

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

functional: $(STAMP)
	$(BIN)/python -m pytest -q tests/functional

e2e: $(STAMP)
	$(BIN)/python -m pytest -q tests/e2e

clean:
	rm -rf $(VENV) $(SCAN_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
