"""Row-by-row comparison of two builds of the warehouse (DuckDB and Spark): every public mart, doubles to a relative
1e-9. `python -m engagement_radar.parity DUCKDB_FILE SPARK_EXPORT_DIR` prints one line per mart and exits 1 on any
difference; tests/python/test_spark.py runs it on the demo data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
# when a table was made, not what it holds: differs between any two builds
RUN_TIMES = ("trained_at", "decided_at", "computed_at", "screened_at", "fitted_at", "published_at")


def public_marts(manifest_path: Path = PROJECT_DIR / "target" / "manifest.json") -> list[str]:
    """What BI tools and the app read: the models under models/marts; and the stored ML models
    (models/intermediate/ml, but the int_ tables)."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    return sorted(node["name"] for node in nodes.values() if node["resource_type"] == "model" and (
        node["original_file_path"].startswith("models/marts/")
        or node["original_file_path"].startswith("models/intermediate/ml/") and not node["name"].startswith("int_")))


def normalized(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith(RUN_TIMES)]).copy()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            frame[column] = values.dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].astype("datetime64[us]")
        elif values.dtype == object and values.map(lambda v: isinstance(v, (bytes, bytearray))).any():
            frame = frame.drop(columns=[column])  # pickled models: equal content, not equal bytes across pickles
    return frame


def compare(left: pd.DataFrame, right: pd.DataFrame, rel: float = 1e-9) -> list[str]:
    """Differences between two versions of one table, as sentences (none: equal)."""
    left, right = normalized(left), normalized(right)
    if sorted(left.columns) != sorted(right.columns):
        return [f"columns differ: {sorted(set(left.columns) ^ set(right.columns))}"]
    if len(left) != len(right):
        return [f"{len(left)} rows vs {len(right)}"]
    columns = sorted(left.columns)
    keys = [c for c in columns
            if not pd.api.types.is_float_dtype(left[c]) and not pd.api.types.is_float_dtype(right[c])]
    order = keys or columns
    left = left[columns].sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
    right = right[columns].sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
    problems = []
    for column in columns:
        a, b = left[column], right[column]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(a):
            x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            same = (np.isnan(x) & np.isnan(y)) | np.isclose(x, y, rtol=rel, atol=1e-12)
        else:
            same = (a.isna() & b.isna()) | (a.astype(str) == b.astype(str))
            same = same.to_numpy()
        if not same.all():
            where = np.flatnonzero(~same)[:2]
            problems.append(f"{column}: {(~same).sum()} rows differ, "
                            f"e.g. {list(a.iloc[where])} vs {list(b.iloc[where])}")
    return problems


def compare_builds(duckdb_file: Path, spark_export: Path, names: list[str]) -> dict[str, tuple[int, int, list[str]]]:
    """Each relation's rows on DuckDB, rows on Spark (-1: not exported) and differences (none: equal)."""
    report = {}
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        for name in names:
            left = con.execute(f"select * from {name}").df()
            exported = spark_export / f"{name}.parquet"
            if not exported.exists():
                report[name] = (len(left), -1, ["missing on Spark"])
                continue
            right = pd.read_parquet(exported)
            report[name] = (len(left), len(right), compare(left, right))
            print(f"{name}: {len(left):,} rows, "
                  + ("identical" if not report[name][2] else "; ".join(report[name][2])))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement_radar.parity", description=__doc__.split("\n\n")[0])
    parser.add_argument("duckdb_file", type=Path)
    parser.add_argument("spark_export", type=Path, help="the folder `python -m engagement_radar.spark export` wrote")
    parser.add_argument("--manifest", type=Path, default=PROJECT_DIR / "target" / "manifest.json")
    options = parser.parse_args(argv)
    report = compare_builds(options.duckdb_file, options.spark_export, public_marts(options.manifest))
    return 1 if any(problems or left_rows == 0 for left_rows, _, problems in report.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
