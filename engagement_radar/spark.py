"""The project on Apache Spark: `python -m engagement_radar.spark build` (what `make spark` runs).

dbt-spark runs dbt Python models only on Databricks clusters, so on Spark the ML runs as plain Python steps: the same
functions the dbt Python models call on DuckDB (engagement_radar.ml.steps), reading their inputs through Spark and
writing their tables back. The build goes in waves, in one process and one local Spark session (dbt-spark's
`session` method, profiles.yml target `spark`): `dbt build` of the SQL models (and their tests) that need no ML table
yet, then the ML steps whose inputs are built, and so on (the BG/NBD fits feed the customer features, which feed the
segments and the propensity model, which feed customer_360); then the ML tables' own tests.

Before dbt runs, the session gets the two SQL functions the input-contract macros call on DuckDB too
(engagement_radar_inspect_file and engagement_radar_prepare_csv, see engagement_radar.dbt_plugin): a CSV export is
read by the project's CSV reader into a Parquet file under the Spark folder, and Spark reads that.
`python -m engagement_radar.spark export --out DIR` writes every relation to Parquet (the parity test compares them
with the DuckDB build: engagement_radar.parity).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

import yaml
from jinja2 import Environment

from engagement_radar.ml.engines import SparkTables
from engagement_radar.ml.steps import STEPS

PROJECT_DIR = Path(__file__).resolve().parent.parent
# where the dbt Python models live (beside SQL models downstream of them)
ML_FOLDERS = ["path:models/intermediate/ml", "path:models/marts/ml"]
PROJECT = "engagement_radar"


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
    """The SQL layer and the ML steps in dependency order; returns the exit code. select: only these nodes of the
    SQL layer (and no ML step)."""
    started = time.perf_counter()
    session = start_session(target)
    # the labelled snapshots are measured for the ML steps, which dbt does not select here
    merged_vars = {**(yaml.safe_load(dbt_vars) or {} if dbt_vars else {}), "ml_steps_outside_dbt": ml}
    common = ["--target", target, "--vars", json.dumps(merged_vars)]
    if select:
        return 0 if dbt(["build", *common, "--select", select, "--exclude", *(f"{f}+" for f in ML_FOLDERS)]) else 1
    if not dbt(["parse", *common]):
        return 1
    target_path = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    nodes = json.loads((target_path / "manifest.json").read_text())["nodes"]
    waves = build_waves(nodes) if ml else [(sql_nodes_before_python(nodes), [])]
    for number, (sql_names, python_names) in enumerate(waves, 1):
        if sql_names:
            print(f"== SQL, wave {number}: {len(sql_names)} nodes", flush=True)
            if not dbt(["build", *common, "--select", *sql_names, "--indirect-selection", "buildable"]):
                print(f"The Spark build stopped in SQL wave {number}.", file=sys.stderr)
                return 1
        for name in python_names:
            step_started = time.perf_counter()
            tables = SparkTables(session, spark_schema(), name)
            rows = tables.write(STEPS[name](tables))
            print(f"== ML step {name}: {rows:,} rows in {time.perf_counter() - step_started:.1f} s", flush=True)
    python_models = sorted(node["name"] for node in nodes.values() if node.get("language") == "python")
    if ml and not dbt(["test", *common, "--select", *python_models]):
        print("The tests of the ML tables failed.", file=sys.stderr)
        return 1
    print(f"Spark build done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


def _models(nodes: dict) -> dict:
    return {uid: node for uid, node in nodes.items() if node["resource_type"] in ("model", "seed")}


def sql_nodes_before_python(nodes: dict) -> list[str]:
    """The SQL models and seeds that depend on no Python model."""
    return build_waves(nodes)[0][0]


def build_waves(nodes: dict) -> list[tuple[list[str], list[str]]]:
    """The build as waves of (SQL models and seeds, then ML steps in order): each wave's SQL needs only the ML
    steps of earlier waves, and each ML step only what is built before it."""
    models = _models(nodes)
    python = {uid for uid, node in models.items() if node.get("language") == "python"}
    parents = {uid: [p for p in node.get("depends_on", {}).get("nodes", []) if p in models]
               for uid, node in models.items()}
    done: set[str] = set()
    waves = []
    while len(done) < len(models):
        sql = sorted(uid for uid in models if uid not in done and uid not in python
                     and _ready(uid, parents, python, done))
        done |= set(sql)
        steps = []
        for name in STEPS:  # STEPS is in dependency order
            uid = f"model.{PROJECT}.{name}"
            if uid in python and uid not in done and all(p in done for p in parents[uid]):
                steps.append(uid)
                done.add(uid)
        if not sql and not steps:
            raise RuntimeError(f"no order builds: {sorted(set(models) - done)}")
        waves.append(([models[uid]["name"] for uid in sql],
                      [models[uid]["name"] for uid in steps]))
    return waves


def _ready(uid, parents, python, done) -> bool:
    """No Python model among its ancestors that is not done yet."""
    stack, seen = list(parents[uid]), set()
    while stack:
        parent = stack.pop()
        if parent in seen:
            continue
        seen.add(parent)
        if parent in python and parent not in done:
            return False
        stack.extend(parents[parent])
    return True


def export(out: Path, target: str = "spark") -> list[str]:
    """Writes every table and view of the Spark warehouse's schema to out/<name>.parquet (for comparisons and
    for tools that read Parquet); returns the names."""
    import pyarrow.parquet as pq

    session = start_session(target)
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(row.tableName for row in session.sql(f"show tables in {spark_schema()}").collect()
                   if not row.isTemporary)
    for name in names:
        table = session.sql(f"select * from {spark_schema()}.{name}").toArrow()
        pq.write_table(table, out / f"{name}.parquet")
    return names


def spark_schema() -> str:
    return os.environ.get("ENGAGEMENT_RADAR_SPARK_SCHEMA", "engagement_radar")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "export"],
                        help="build: the SQL layer and the ML steps in order; export: every relation to Parquet")
    parser.add_argument("--out", type=Path, default=Path("warehouse/spark/export"), help="export: the folder")
    parser.add_argument("--target", default="spark", help="the profiles.yml target (default spark)")
    parser.add_argument("--vars", dest="dbt_vars", help="dbt vars, as for dbt --vars")
    parser.add_argument("--no-ml", action="store_true", help="only the SQL layer that does not need the ML tables")
    parser.add_argument("--select", help="only these nodes of the SQL layer, as for dbt --select (no ML step)")
    options = parser.parse_args(argv)
    options.out = options.out.resolve()
    os.chdir(PROJECT_DIR)
    if options.command == "export":
        names = export(options.out, options.target)
        print(f"{len(names)} relations written to {options.out}")
        return 0
    return build(options.target, options.dbt_vars, ml=not options.no_ml, select=options.select)


if __name__ == "__main__":
    sys.exit(main())
