"""Shared fixtures: small generated data sets and a helper that runs the real dbt CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from engagement_radar.datagen import GeneratorConfig, generate

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
SMALL = {"customers": 1_500, "months": 12, "seed": 7}


@dataclass
class DbtRun:
    returncode: int
    output: str
    database: Path

    def connect(self):
        return duckdb.connect(str(self.database), read_only=True)

    def query(self, sql: str):
        with self.connect() as con:
            return con.execute(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]


def run_dbt(command: list[str], workdir: Path, raw_path: Path, raw_format: str = "parquet",
            extra_vars: dict | None = None, database: Path | None = None) -> DbtRun:
    """Runs `dbt <command>` on the project, writing its warehouse and artefacts under workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "warehouse.duckdb"
    dbt_vars = {"raw_path": str(raw_path), "raw_format": raw_format, **(extra_vars or {})}
    env = {**os.environ, "ENGAGEMENT_RADAR_DB": str(database), "DBT_PROFILES_DIR": str(PROJECT_DIR),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"}
    result = subprocess.run(
        [str(DBT), *command, "--vars", json.dumps(dbt_vars), "--target-path", str(workdir / "target"),
         "--log-path", str(workdir / "logs"), "--no-use-colors"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1800,
    )
    return DbtRun(result.returncode, result.stdout + result.stderr, database)


def make_data(directory: Path, **overrides) -> Path:
    config = {**SMALL, "progress": False, **overrides}
    generate(GeneratorConfig(out=directory, **config))
    return directory


@pytest.fixture(scope="session")
def clean_parquet(tmp_path_factory) -> Path:
    return make_data(tmp_path_factory.mktemp("clean_parquet"))


@pytest.fixture(scope="session")
def dirty_parquet(tmp_path_factory) -> Path:
    return make_data(tmp_path_factory.mktemp("dirty_parquet"), dirty=True)


@pytest.fixture(scope="session")
def dirty_csv(tmp_path_factory) -> Path:
    return make_data(tmp_path_factory.mktemp("dirty_csv"), dirty=True, file_format="csv")


# A data set that is not the one the defaults were chosen on (seed 42): the analytics tests run on it.
ANALYTICS_DATA = {"customers": 6_000, "months": 18, "seed": 2024}


@pytest.fixture(scope="session")
def analytics_data(tmp_path_factory) -> Path:
    return make_data(tmp_path_factory.mktemp("analytics_data"), **ANALYTICS_DATA)


@pytest.fixture(scope="session")
def analytics_build(analytics_data, tmp_path_factory) -> DbtRun:
    run = run_dbt(["build"], tmp_path_factory.mktemp("analytics_build"), analytics_data)
    assert run.returncode == 0, run.output
    return run


@pytest.fixture(scope="session")
def published_warehouse(analytics_build, tmp_path_factory) -> Path:
    """The analytics build, published the way `make build` publishes: what the app and BI tools read."""
    from engagement_radar.publish import publish

    return publish(analytics_build.database, tmp_path_factory.mktemp("published") / "engagement_radar.duckdb")


def warehouse_fingerprint(path: Path) -> dict:
    """Row count and content hash of every table and view: equal fingerprints, unchanged warehouse."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by 1").fetchall()]
        return {table: con.execute(f'select count(*), sum(hash(t)) from (select * from "{table}") t').fetchall()[0]
                for table in tables if not table.startswith("base_raw__")}


def mart(run: DbtRun, name: str):
    with run.connect() as con:
        return con.execute(f"select * from {name}").df()


def manifest(directory: Path) -> dict:
    return json.loads((directory / "_truth" / "manifest.json").read_text())
