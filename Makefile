# Engagement Radar: the two commands are `make build` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
RAW_PATH ?= data/raw
RAW_FORMAT ?= parquet
CUSTOMERS ?= 20000
MONTHS ?= 18
SEED ?= 42
SCALE ?= 100000
DBT_VARS ?= {raw_path: '$(RAW_PATH)', raw_format: '$(RAW_FORMAT)'}

# dbt builds into the working file; `make publish` swaps a copy of it in for readers.
export ENGAGEMENT_RADAR_DB ?= $(CURDIR)/warehouse/build/engagement_radar.duckdb
export ENGAGEMENT_RADAR_PUBLISHED_DB ?= $(CURDIR)/warehouse/engagement_radar.duckdb
APP_PORT ?= 8501
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build env data dbt-build publish app test bench browsers docs lock clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: data dbt-build publish  ## environment + demo data (if data/raw is empty) + dbt build + publish

env: $(VENV)/.installed  ## the virtual environment, from pinned requirements

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
		|| $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

data: env  ## generate the demo data into RAW_PATH unless it already holds files
	@mkdir -p $(RAW_PATH)
	@if [ -z "$$(ls -A $(RAW_PATH) | grep -v '^\.gitkeep$$')" ]; then \
		echo "$(RAW_PATH) is empty: generating demo data ($(CUSTOMERS) customers, $(MONTHS) months)"; \
		$(BIN)/python -m engagement_radar.datagen --customers $(CUSTOMERS) --months $(MONTHS) --seed $(SEED) \
			--out $(RAW_PATH) --format $(RAW_FORMAT); \
	else \
		echo "using the files in $(RAW_PATH)"; \
	fi

dbt-build: env  ## dbt build against RAW_PATH into the working file ENGAGEMENT_RADAR_DB
	@mkdir -p $(dir $(ENGAGEMENT_RADAR_DB))
	$(BIN)/dbt build --vars "$(DBT_VARS)"

publish: env  ## atomically replace the published warehouse with the working one (after a successful build)
	$(BIN)/python -m engagement_radar.publish

app: env  ## start the app on http://127.0.0.1:$(APP_PORT)
	$(BIN)/streamlit run streamlit_app/app.py --server.address 127.0.0.1 --server.port $(APP_PORT) \
		--server.headless true --browser.gatherUsageStats false

browsers:  ## Debian's Chromium, for the browser tests (installed with apt-get when missing and run as root)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "The browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi

test: env browsers  ## every test: lint, pytest (generator, package, real dbt builds, the app in a real browser)
	$(BIN)/ruff check engagement_radar tests python_models streamlit_app
	$(BIN)/pytest

bench: env  ## benchmark at SCALE customers (default 100000, about 10M events): dbt vs pandas vs bare DuckDB, full vs incremental; writes BENCHMARKS.md
	$(BIN)/python -m engagement_radar.bench --customers $(SCALE) --months $(MONTHS) --seed $(SEED)

docs: env  ## dbt docs generate
	$(BIN)/dbt docs generate --vars "$(DBT_VARS)"

lock:  ## re-pin requirements.txt from requirements.in in a fresh environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Pinned from requirements.in by 'make lock'. Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze; } > requirements.txt
	rm -rf .lock-venv

clean:  ## remove dbt artefacts (keeps data and the warehouse)
	rm -rf target logs
