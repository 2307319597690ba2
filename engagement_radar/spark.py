"""The project on Apache Spark: `python -m engagement_radar.spark build` (what `make spark` runs).

dbt-spark runs dbt Python models only on Databricks clusters, so on Spark the build has three steps, in one process
and one local Spark session (dbt-spark's `session` method, profiles.yml target `spark`):

1. `dbt build` of every SQL model, seed and test that does not depend on a Python model;
2. the ML step: the same functions the dbt Python models call (engagement_radar.ml.steps) read their inputs through
   Spark, and their tables are written back to the Spark warehouse;
3. `dbt build` of what depends on the ML tables (customer_360, the ML marts), and their tests.

Before dbt runs, the session gets the two SQL functions the input-contract macros call on DuckDB too
(engagement_radar_inspect_file and engagement_radar_prepare_csv, see engagement_radar.dbt_plugin): a CSV export is
read by the project's CSV reader into a Parquet file under the Spark folder, and Spark reads that.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import yaml
from jinja2 import Environment

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON_MODELS = "path:python_models"


def spark_home() -> Path:
    return Path(os.environ.get("ENGAGEMENT_RADAR_SPARK_HOME", PROJECT_DIR / "warehouse" / "spark")).resolve()


def profile_settings(target: str = "spark") -> dict[str, str]:
    """The Spark settings of a profiles.yml target (server_side_parameters), env_var() rendered as dbt would."""
    def env_var(name: str, default: str | None = None) -> str:
        value = os.environ.get(name, default)
        if value is None:
            raise SystemExit(f"profiles.yml needs the environment variable {name}")
        return value

    profiles_dir = Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_DIR))
    rendered = Environment().from_string((profiles_dir / "profiles.yml").read_text()).render(env_var=env_var)
    output = yaml.safe_load(rendered)["engagement_radar"]["outputs"][target]
    return {str(key): str(value) for key, value in (output.get("server_side_parameters") or {}).items()}


def start_session(target: str = "spark"):
    """The local Spark session dbt-spark will use (it calls getOrCreate), with the contract's SQL functions."""
    os.environ.setdefault("ENGAGEMENT_RADAR_SPARK_HOME", str(spark_home()))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python UDFs run in this environment's interpreter
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark_home().mkdir(parents=True, exist_ok=True)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in profile_settings(target).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # pyspark logs every failed statement with its Java stack as JSON; dbt reports the error itself
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    register_functions(session)
    return session


def register_functions(session) -> None:
    from pyspark.sql.types import StringType

    from engagement_radar import raw_csv
    from engagement_radar.dbt_plugin import inspect_file

    session.udf.register("engagement_radar_inspect_file", inspect_file, StringType())
    session.udf.register("engagement_radar_prepare_csv", raw_csv.prepare_json, StringType())


def dbt(args: list[str]) -> bool:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke([*args, "--project-dir", str(PROJECT_DIR)])
    return bool(result.success)


def build(target: str = "spark", dbt_vars: str | None = None, ml: bool = True, select: str | None = None) -> int:
    """The three steps; returns the exit code. select: only these nodes of the SQL layer (and no ML step)."""
    started = time.perf_counter()
    session = start_session(target)
    common = ["--target", target, *(["--vars", dbt_vars] if dbt_vars else [])]
    steps = [("SQL layer", ["build", *common, *(["--select", select] if select else []),
                            "--exclude", f"{PYTHON_MODELS}+"])]
    ml = ml and not select
    if ml:
        steps.append(("ML", None))
        steps.append(("after the ML", ["build", *common, "--select", f"{PYTHON_MODELS}+", "--exclude", PYTHON_MODELS]))
    for name, args in steps:
        print(f"== {name}", flush=True)
        if args is None:
            from engagement_radar.ml import spark_step

            spark_step.run(session, target_schema=spark_schema(), dbt_vars=dbt_vars)
        elif not dbt(args):
            print(f"The Spark build stopped in the step '{name}'.", file=sys.stderr)
            return 1
    print(f"Spark build done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


def spark_schema() -> str:
    return os.environ.get("ENGAGEMENT_RADAR_SPARK_SCHEMA", "engagement_radar")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build"], help="build: the SQL layer, the ML step, then what follows")
    parser.add_argument("--target", default="spark", help="the profiles.yml target (default spark)")
    parser.add_argument("--vars", dest="dbt_vars", help="dbt vars, as for dbt --vars")
    parser.add_argument("--no-ml", action="store_true", help="only the SQL layer that does not need the ML tables")
    parser.add_argument("--select", help="only these nodes of the SQL layer, as for dbt --select (no ML step)")
    options = parser.parse_args(argv)
    os.chdir(PROJECT_DIR)
    return build(options.target, options.dbt_vars, ml=not options.no_ml, select=options.select)


if __name__ == "__main__":
    sys.exit(main())
