"""Checks that a re-implementation of the core marts (pandas, bare DuckDB) gives the warehouse's numbers: counts and
scores exactly, money and rates to 1e-9."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# mart -> (key columns, exact columns, float columns)
CHECKED = {
    "customer_rfm": (["customer_id"], ["recency_days", "frequency", "r_score", "f_score", "m_score", "is_at_risk",
                                       "value_segment"], ["monetary"]),
    "customer_engagement": (["customer_id"], [], ["engagement_score", "prior_quarter_score"]),
    "cohort_retention": (["cohort_month", "months_since_signup"],
                         ["cohort_size", "active_customers", "purchasers", "lapsed_customers",
                          "reactivated_customers", "emails_delivered", "email_clicks"], ["retention_rate"]),
    "kpi_monthly": (["activity_month", "value_segment"],
                    ["active_customers", "purchasers", "orders", "new_customers"], ["net_revenue"]),
}


def _normalise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for key in keys:
        if "month" in key and key != "months_since_signup":
            frame[key] = pd.to_datetime(frame[key]).dt.tz_localize(None).dt.normalize()
        elif key == "months_since_signup":
            frame[key] = frame[key].astype(np.int64)
    return frame


def differences(warehouse: Path, results: Path) -> dict[str, str]:
    """mart -> a description of what differs (empty when the numbers agree)."""
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart, (keys, exact, floats) in CHECKED.items():
            theirs = _normalise(pd.read_parquet(results / f"{mart}.parquet"), keys)
            ours = _normalise(con.execute(f"select {', '.join(keys + exact + floats)} from {mart}").df(), keys)
            merged = ours.merge(theirs, on=keys, how="outer", suffixes=("", "_other"), indicator=True)
            problems = []
            if (merged["_merge"] != "both").any():
                problems.append(f"{int((merged['_merge'] != 'both').sum())} rows on one side only")
            both = merged[merged["_merge"] == "both"]
            for column in exact:
                left, right = both[column], both[f"{column}_other"]
                same = (left.astype(str) == right.astype(str)) | (left.isna() & right.isna())
                if not isinstance(left.iloc[0] if len(left) else None, str):
                    same = same | np.isclose(left.astype(float), right.astype(float), rtol=0, atol=0, equal_nan=True)
                if not same.all():
                    problems.append(f"{column}: {int((~same).sum())} rows")
            for column in floats:
                left, right = both[column].astype(float), both[f"{column}_other"].astype(float)
                same = np.isclose(left, right, rtol=1e-9, atol=1e-9, equal_nan=True)
                if not same.all():
                    problems.append(f"{column}: {int((~same).sum())} rows")
            found[mart] = "; ".join(problems)
    return found
