# czrm — the two ways in are `make demo` and `make test`; `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CZRM_TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
export CZRM_TEST_PG_URL

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) assets ## Create the virtualenv with the locked dependencies, build the web assets

assets: $(STAMP) ## Build the pages' CSS and scripts from the npm packages (npm ci + Sass)
	$(BIN)/python scripts/build_assets.py

messages: $(STAMP) ## Extract translatable text and update the catalogues (en, cy, ar)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o src/czrm/locale/messages.pot src/czrm
	$(BIN)/pybabel update -i src/czrm/locale/messages.pot -d src/czrm/locale --no-fuzzy-matching --ignore-obsolete

demo: $(STAMP) assets ## Start the demo council on http://127.0.0.1:8000 (SQLite in var/)
	$(BIN)/czrm demo

test: $(STAMP) assets tools ## Lint, type-check, check migrations, run every test on SQLite and PostgreSQL
	$(BIN)/python scripts/run_tests.py

tools: ## wrk, the benchmarks' load generator (from Debian, when missing and allowed)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk; } || echo "wrk is missing: install it (apt-get install wrk) for the bench smoke run"

lint: $(STAMP) ## ruff and mypy only
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

format: $(STAMP) ## Format the code
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

lock: $(STAMP) ## Re-resolve requirements.lock from pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock

clean: ## Remove the virtualenv and demo data
	rm -rf $(VENV) var

.PHONY: help install assets messages demo test tools lint format lock clean
