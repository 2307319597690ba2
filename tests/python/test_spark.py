"""The same project on Apache Spark: the demo data built on DuckDB and on a local Spark session (dbt-spark's session
method, `python -m engagement_radar.spark build`, what `make spark` runs), and every public mart compared row by
row (doubles to a relative 1e-9), the ML tables included. A mart that is empty on either engine fails: a silent
NULL must not pass as green."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import PROJECT_DIR, make_data, run_dbt

from engagement_radar.parity import compare_builds, public_marts

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module", params=["parquet", "dirty_csv"])
def spark_data(request, tmp_path_factory):
    """Clean Parquet, and CSV with every class of bad input the generator plants (quarantined the same way)."""
    if not shutil.which("java"):
        pytest.fail("Spark needs a Java runtime: `make spark-env` installs one (apt-get install default-jre-headless)")
    pytest.importorskip("pyspark", reason="`make spark-env` installs dbt-spark and PySpark")
    if request.param == "parquet":
        return make_data(tmp_path_factory.mktemp("spark_data"), customers=800, months=12, seed=11), "parquet"
    return make_data(tmp_path_factory.mktemp("spark_csv"), customers=400, months=12, seed=5, dirty=True,
                     file_format="csv"), "csv"


@pytest.fixture(scope="module")
def builds(spark_data, tmp_path_factory):
    """(DuckDB build, folder of the Spark build's relations as Parquet, the Spark build's output)."""
    spark_data, raw_format = spark_data
    duck = run_dbt(["build"], tmp_path_factory.mktemp("duckdb_build"), spark_data, raw_format=raw_format)
    assert duck.returncode == 0, duck.output[-3000:]
    work = tmp_path_factory.mktemp("spark_build")
    env = {**os.environ, "ENGAGEMENT_RADAR_SPARK_HOME": str(work / "spark"), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DBT_PROFILES_DIR": str(PROJECT_DIR), "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "engagement_radar.spark", "build", "--vars",
                          json.dumps({"raw_path": str(spark_data), "raw_format": raw_format})],
                         cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=3600)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-5000:]
    exported = subprocess.run([sys.executable, "-m", "engagement_radar.spark", "export", "--out", str(work / "export")],
                              cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1800)
    assert exported.returncode == 0, (exported.stdout + exported.stderr)[-3000:]
    return duck, work / "export", output


def test_every_model_and_test_builds_on_spark(builds):
    """Every SQL model, seed, data test and unit test passes on Spark, and the ML steps write their tables."""
    _, exported, output = builds
    assert "ERROR=0" in output and " ERROR " not in output, output[-3000:]
    for step in ["btyd_model", "segment_model", "propensity_model", "propensity_scores"]:
        assert f"== ML step {step}:" in output
    assert (exported / "propensity_scores.parquet").exists() and (exported / "customer_360.parquet").exists()


def test_every_public_mart_is_identical_on_duckdb_and_spark(builds):
    duck, exported, _ = builds
    marts = public_marts(duck.database.parent / "target" / "manifest.json")
    assert len(marts) >= 20 and "customer_360" in marts
    report = compare_builds(duck.database, exported, marts)
    empty = {name: rows[:2] for name, rows in report.items() if rows[0] <= 0 or rows[1] <= 0}
    assert not empty, f"empty on DuckDB or on Spark (rows on each): {empty}"
    assert not {name: problems for name, (_, _, problems) in report.items() if problems}
