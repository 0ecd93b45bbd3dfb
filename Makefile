# sccac: the two commands. Each target installs what it needs (idempotently) and then runs.
#   make demo   run the whole system offline and print what happened
#   make test   run every test suite: ruff, offline Salesforce checks, pytest, Robot (offline), LWC Jest

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.sccac-installed
NODE_STAMP := node_modules/.sccac-installed
OUT := out

.PHONY: demo test setup lint check pytest robot lwc clean constraints

setup: $(PY_STAMP) $(NODE_STAMP)

# constraints.txt pins every Python package to the versions the suites last passed with, so a
# new release on PyPI cannot break `make test` without a change here. Refresh it with
# `make constraints` after changing dependencies in pyproject.toml.
$(PY_STAMP): pyproject.toml constraints.txt
	@echo "==> Python environment ($(VENV))"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

$(NODE_STAMP): package.json package-lock.json
	@echo "==> Node tools (Salesforce CLI, Apex language server and PMD jars, LWC Jest)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/sccac demo --out $(OUT)/demo

test: setup lint check pytest robot lwc
	@echo "==> all test suites passed"

lint: setup
	@echo "==> ruff (pyflakes rules: unused and undefined names, syntax)"
	$(BIN)/ruff check --select F,E9 --output-format concise sccac python_tasks tests bench robot
	@echo "==> mypy (the sccac library is typed: py.typed)"
	$(BIN)/mypy sccac python_tasks

check: setup
	@echo "==> offline Salesforce checks (sccac check)"
	$(BIN)/sccac check

pytest: setup
	@echo "==> pytest"
	$(BIN)/pytest

robot: setup
	@echo "==> Robot Framework (offline suite; tests tagged org need a connected org)"
	$(BIN)/robot --outputdir $(OUT)/robot --exclude org --loglevel INFO robot/SCCAC/tests

lwc: setup
	@echo "==> LWC Jest"
	@if compgen -G "force-app/main/default/lwc/*/__tests__" > /dev/null; then \
		npx --no-install sfdx-lwc-jest; \
	else \
		echo "no LWC components with __tests__ in force-app yet: nothing to run"; \
	fi

clean:
	rm -rf $(OUT) .pytest_cache
