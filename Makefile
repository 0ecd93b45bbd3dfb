# sccac: the two commands. Each target installs what it needs (idempotently) and then runs.
#   make demo   run the whole system offline and print what happened
#   make test   run every test suite: ruff and mypy, offline Salesforce checks, sam build, pytest,
#               robocop, actionlint, Robot (offline backend), LWC (ESLint, Jest, headless Chromium)

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.sccac-installed
NODE_STAMP := node_modules/.sccac-installed
# The AWS SAM CLI pins its own dependencies (boto3 among them), so it gets a venv of its own.
SAM_VENV := .venv-sam
SAM_VERSION := 1.170.0
SAM_STAMP := $(SAM_VENV)/.sccac-installed-$(SAM_VERSION)
OUT := out
# Every `sf` run under make (npm ci's install scripts, CumulusCI's scratch org calls): no self-update,
# no new-version check, no telemetry. Names as read by @salesforce/cli and @salesforce/core;
# `sccac check` sets the same for the `sf` it runs.
export SF_AUTOUPDATE_DISABLE := true
export SF_DISABLE_AUTOUPDATE := true
export SF_DISABLE_TELEMETRY := true
export SF_SKIP_NEW_VERSION_CHECK := true

.PHONY: demo test setup lint check sam pytest robot lwc clean constraints

# `make setup`, then `source .venv/bin/activate`: sccac, cci and sf (linked from node_modules) are on PATH.
setup: $(PY_STAMP) $(NODE_STAMP) $(BIN)/sf

$(BIN)/sf: | $(PY_STAMP) $(NODE_STAMP)
	ln -sf ../../node_modules/.bin/sf $@

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

# The demo needs only the Python environment (no Node tools).
demo: $(PY_STAMP)
	$(BIN)/sccac demo --out $(OUT)/demo

test: setup lint check sam pytest robot lwc
	@echo "==> all test suites passed"

lint: setup
	@echo "==> ruff (pyflakes rules: unused and undefined names, syntax)"
	$(BIN)/ruff check --select F,E9 --output-format concise sccac python_tasks tests bench robot aws
	@echo "==> mypy (the sccac library is typed: py.typed)"
	$(BIN)/mypy sccac python_tasks

check: setup
	@echo "==> offline Salesforce checks (sccac check)"
	$(BIN)/sccac check

$(SAM_STAMP):
	@echo "==> AWS SAM CLI $(SAM_VERSION) ($(SAM_VENV))"
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet "aws-sam-cli==$(SAM_VERSION)"
	touch $@

sam: setup $(SAM_STAMP)
	@echo "==> sam validate --lint, sam build, and the built artifacts answer a Connect event"
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 $(SAM_VENV)/bin/sam validate --lint -t aws/template.yaml
	rm -rf $(OUT)/sam
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 $(SAM_VENV)/bin/sam build -t aws/template.yaml --build-dir $(OUT)/sam/build
	$(BIN)/python aws/check_build.py $(OUT)/sam/build

pytest: setup
	@echo "==> pytest"
	$(BIN)/pytest

robot: setup
	@echo "==> robocop (Robot suites and keyword resources) and actionlint (GitHub Actions workflows)"
	$(BIN)/robocop check robot
	$(BIN)/actionlint .github/workflows/*.yml
	@echo "==> Robot Framework, offline backend (report: $(OUT)/robot; the org backend: cci task run robot --org dev)"
	$(BIN)/robot --outputdir $(OUT)/robot --exclude org --variable BACKEND:offline --loglevel INFO robot/SCCAC/tests

# The real-browser suite drives Debian's chromium (the browser playwright-core downloads is not reachable here).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@echo "==> Debian's chromium for the LWC browser suite"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

lwc: setup $(CHROMIUM)
	@echo "==> LWC: ESLint (@salesforce/eslint-config-lwc recommended), then LWC Jest with @sa11y/jest"
	npx --no-install eslint force-app/main/default/lwc tests/lwc
	@if compgen -G "force-app/main/default/lwc/*/__tests__" > /dev/null; then \
		npx --no-install sfdx-lwc-jest; \
	else \
		echo "no LWC components with __tests__ in force-app yet: nothing to run"; \
	fi
	@echo "==> LWC in headless Chromium: compiled component, Apex stand-in, keyboard-only walk, axe-core per state"
	CHROMIUM_PATH=$(CHROMIUM) node --test tests/lwc/browser/

clean:
	rm -rf $(OUT) .pytest_cache
