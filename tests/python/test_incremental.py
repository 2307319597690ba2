"""The incremental engagement rollup: after new days (and late events) arrive, the marts equal a full refresh."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import make_data, run_dbt

pytestmark = pytest.mark.dbt
COMPARED = ["int_engagement_daily", "int_customer_months", "customer_rfm", "cohort_retention", "customer_engagement",
            "engagement_alerts", "kpi_summary", "kpi_monthly", "channel_funnel", "campaign_performance",
            "content_performance", "dim_customers", "fct_orders", "fct_engagement_events"]


def write_earlier_export(full, earlier, cutoff: str, late_day: str):
    """The export as it stood before `cutoff`, missing some events of `late_day` that arrive late."""
    earlier.mkdir()
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    filters = {
        "customers": f"signup_at < timestamptz '{cutoff}'",
        "orders": f"ordered_at < timestamptz '{cutoff}'",
        "engagement_events": f"""occurred_at < timestamptz '{cutoff}'
                                 and not (cast(occurred_at as date) = date '{late_day}' and event_id % 3 = 0)""",
        "campaigns": "true",
    }
    for name, condition in filters.items():
        con.execute(f"copy (select * from read_parquet('{full}/{name}.parquet') where {condition}) "
                    f"to '{earlier}/{name}.parquet' (format parquet)")
    late = con.execute(f"""select count(*) from read_parquet('{full}/engagement_events.parquet')
                           where cast(occurred_at as date) = date '{late_day}' and event_id % 3 = 0""").fetchall()
    return late[0][0]


def table(database, name) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute(f"select * from {name}").df()
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_incremental_refresh_equals_full_refresh(tmp_path):
    full = make_data(tmp_path / "full", customers=2_000, months=6, seed=9)
    late_events = write_earlier_export(full, tmp_path / "earlier", cutoff="2026-06-28", late_day="2026-06-26")
    assert late_events > 0

    incremental_db = tmp_path / "incremental.duckdb"
    first = run_dbt(["build"], tmp_path / "run1", tmp_path / "earlier", database=incremental_db)
    assert first.returncode == 0, first.output
    assert str(first.scalar("select max(activity_date) from int_engagement_daily")) == "2026-06-27"
    with duckdb.connect(str(incremental_db)) as con:  # a marker the next run keeps only if it does not rebuild
        con.execute("insert into int_engagement_daily values ('MARKER', date '2000-01-01', 'web', 'visit', 1)")

    second = run_dbt(["build"], tmp_path / "run2", full, database=incremental_db)
    assert second.returncode == 0, second.output
    assert second.scalar("select count(*) from int_engagement_daily where customer_id = 'MARKER'") == 1
    with duckdb.connect(str(incremental_db)) as con:
        con.execute("delete from int_engagement_daily where customer_id = 'MARKER'")
    rebuilt = run_dbt(["run", "--select", "int_engagement_daily+", "--exclude", "int_engagement_daily"],
                      tmp_path / "run2", full, database=incremental_db)  # drop the marker's traces downstream
    assert rebuilt.returncode == 0, rebuilt.output

    refreshed = run_dbt(["build", "--full-refresh"], tmp_path / "run3", full)
    assert refreshed.returncode == 0, refreshed.output

    for name in COMPARED:
        left, right = table(incremental_db, name), table(refreshed.database, name)
        assert left.shape == right.shape, name
        for column in left.columns:
            if pd.api.types.is_float_dtype(left[column]):
                a, b = left[column].to_numpy(), right[column].to_numpy()
                assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), f"{name}.{column}"
            else:
                assert left[column].equals(right[column]), f"{name}.{column}"
    print(f"{len(COMPARED)} tables identical after an incremental run that added 3 days and {late_events} late events")


def test_docs_generate(tmp_path, clean_parquet):
    run = run_dbt(["build"], tmp_path, clean_parquet)
    assert run.returncode == 0, run.output
    docs = run_dbt(["docs", "generate"], tmp_path, clean_parquet)
    assert docs.returncode == 0, docs.output
    assert (tmp_path / "target" / "catalog.json").exists()
