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
DBT_VARS ?= {raw_path: '$(RAW_PATH)', raw_format: '$(RAW_FORMAT)'}

export ENGAGEMENT_RADAR_DB ?= $(CURDIR)/warehouse/engagement_radar.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build env data dbt-build test lint docs lock clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: data dbt-build  ## environment + demo data (if data/raw is empty) + dbt build

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

dbt-build: env  ## dbt build against RAW_PATH into ENGAGEMENT_RADAR_DB
	@mkdir -p $(dir $(ENGAGEMENT_RADAR_DB))
	$(BIN)/dbt build --vars "$(DBT_VARS)"

test: env  ## every test: lint, pytest (generator, package, real dbt builds)
	$(BIN)/ruff check engagement_radar tests
	$(BIN)/pytest

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
