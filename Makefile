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
# The vars go to dbt only when they differ from dbt_project.yml's defaults, and the warehouse paths stay the
# profile's defaults unless set: `make build` and a plain `dbt build` then see the same profile and vars, so dbt
# parses the project only when it changed (partial parsing).
ifeq ($(RAW_PATH)$(RAW_FORMAT),data/rawparquet)
DBT_VARS ?=
else
DBT_VARS ?= {raw_path: '$(RAW_PATH)', raw_format: '$(RAW_FORMAT)'}
endif
DBT_VARS_ARG = $(if $(DBT_VARS),--vars "$(DBT_VARS)",)
APP_PORT ?= 8501
# test files run in this many processes (each file in one of them)
TEST_WORKERS ?= 2
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build env data demo dbt-build publish notify app lint test bench browsers java spark-env spark docs screenshots lock clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sed 's/$$(APP_PORT)/$(APP_PORT)/'

build: data dbt-build publish  ## environment + demo data (if data/raw is empty) + dbt build + publish

env: $(VENV)/.installed  ## the virtual environment, from pinned requirements

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
		|| $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

data: env  ## the demo data into data/raw when it is empty (another RAW_PATH must hold your exports)
	@if [ "$(RAW_PATH)" != "data/raw" ]; then \
		if [ -z "$$(ls -A '$(RAW_PATH)' 2>/dev/null | grep -v '^\.gitkeep$$')" ]; then \
			echo "RAW_PATH=$(RAW_PATH) holds no files: put your exports there (see the input contract in README.md)," \
				"or generate demo data into it with: make demo RAW_PATH=$(RAW_PATH)" >&2; exit 1; \
		fi; \
		echo "using the files in $(RAW_PATH)"; \
	elif [ -z "$$(ls -A data/raw | grep -v '^\.gitkeep$$')" ]; then \
		$(MAKE) --no-print-directory demo; \
	else \
		echo "using the files in data/raw"; \
	fi

demo: env  ## generate demo data into RAW_PATH (CUSTOMERS, MONTHS, SEED)
	@mkdir -p '$(RAW_PATH)'
	@echo "generating demo data into $(RAW_PATH) ($(CUSTOMERS) customers, $(MONTHS) months)"
	$(BIN)/python -m engagement_radar.datagen --customers $(CUSTOMERS) --months $(MONTHS) --seed $(SEED) \
		--out '$(RAW_PATH)' --format $(RAW_FORMAT)

dbt-build: env  ## dbt build against RAW_PATH into the working file (ENGAGEMENT_RADAR_DB, default warehouse/build/)
	$(BIN)/dbt build $(DBT_VARS_ARG)

publish: env  ## atomically replace the published warehouse with the working one (after a successful build)
	$(BIN)/python -m engagement_radar.publish

notify: env  ## deliver the alerts not yet delivered (publish does it too): JSON Lines in warehouse/alerts/, a webhook
	$(BIN)/python -m engagement_radar.alerts

app: env  ## start the app on http://127.0.0.1:$(APP_PORT)
	$(BIN)/streamlit run streamlit_app/app.py --server.address 127.0.0.1 --server.port $(APP_PORT) \
		--server.headless true --browser.gatherUsageStats false

browsers:  ## Debian's Chromium, for the browser tests (installed with apt-get when missing and run as root)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "The browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi

java:  ## a Java runtime for Spark (Debian's default-jre-headless, installed with apt-get when missing and run as root)
	@if ! command -v java > /dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless > /dev/null; \
		else echo "Spark needs Java 17 or later: install it (e.g. sudo apt-get install default-jre-headless)" >&2; exit 1; fi; \
	fi

spark-env: env java $(VENV)/.spark-installed  ## dbt-spark and PySpark in the environment, and Java

$(VENV)/.spark-installed: requirements-spark.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	touch $@

spark: spark-env data  ## build and test the warehouse on a local Spark session (warehouse/spark/): SQL, ML steps, tests
	$(BIN)/python -m engagement_radar.spark build --vars "$(DBT_VARS)"

lint: env  ## SQL lint (sqlfluff with the dbt templater: no raw files or warehouse needed) and Python lint (ruff)
	$(BIN)/ruff check engagement_radar tests models streamlit_app
	$(BIN)/sqlfluff lint models --processes $(TEST_WORKERS)

test: env browsers spark-env lint  ## every test: lint, pytest (generator, package, real dbt builds, the app in a real browser)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

bench: env  ## benchmark at SCALE customers (default 100000, about 10M events): dbt vs pandas vs bare DuckDB, full vs incremental; writes BENCHMARKS.md
	$(BIN)/python -m engagement_radar.bench --customers $(SCALE) --months $(MONTHS) --seed $(SEED)

screenshots: env browsers  ## screenshots of every page of the app on the published warehouse, into docs/screenshots/
	$(BIN)/python -m engagement_radar.screenshots --out docs/screenshots

docs: env  ## dbt docs generate
	$(BIN)/dbt docs generate $(DBT_VARS_ARG)

lock:  ## re-pin requirements.txt from requirements.in in a fresh environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Pinned from requirements.in by 'make lock'. Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze; } > requirements.txt
	rm -rf .lock-venv

clean:  ## remove dbt artefacts (keeps data and the warehouse)
	rm -rf target logs
