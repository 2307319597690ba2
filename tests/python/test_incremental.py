"""Incremental refresh: after one more day is appended to the files, every mart equals a full refresh."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import make_data, run_dbt

from engagement_radar.datagen.generate import append_day

pytestmark = pytest.mark.dbt
COMPARED = ["stg_raw__customers", "stg_raw__orders", "stg_raw__engagement_events", "quarantine_raw__orders",
            "quarantine_raw__engagement_events", "int_engagement_monthly", "int_engagement_snapshots",
            "int_order_snapshots", "int_orders_sequenced", "int_order_attributions", "int_campaign_responses",
            "int_customer_months", "int_customer_features", "customer_rfm", "cohort_retention",
            "customer_engagement", "engagement_alerts", "engagement_quarterly", "kpi_summary", "kpi_monthly",
            "channel_funnel", "campaign_performance", "content_performance", "dim_customers", "fct_orders",
            "fct_engagement_events", "segment_model", "customer_segments", "segment_profiles",
            "propensity_model", "propensity_model_metrics", "propensity_scores", "customer_360",
            "btyd_model", "btyd_scores", "customer_lifetime_value"]
# when a row was screened, and how far a run read, differ by construction between the two ways of building
RUN_METADATA = {"screened_at", "screened_through", "rows_through", "computed_as_of", "trained_at",
                "model_trained_at", "decided_at", "fitted_at"}
# what a build remembers of the builds before it (the alert history) differs by construction too
HISTORY = {"first_seen_date", "is_new"}


def add_rows_whose_outcome_changes(raw, con):
    """Rows the first run must reject and the run after the append must accept (or reject differently).

    - an event (the day before) of a customer who signs up on the pending day: an orphan until the customers
      file catches up;
    - an event dated on the pending day, written early: future-dated until the export date (given as a var,
      as a daily job would) reaches that day;
    - on the pending day, an event repeating an id already screened: a duplicate of the earlier row.
    """
    events, pending = raw / "engagement_events.parquet", next((raw / "_pending").iterdir())
    newcomer = con.execute(f"select customer_id, signup_at from read_parquet('{pending}/customers.parquet') "
                           "order by customer_id limit 1").fetchall()[0]
    con.execute(f"""copy (
        select * from read_parquet('{events}')
        union all
        select 900000001, '{newcomer[0]}', timestamptz '{newcomer[1]}' - interval 1 day, 'email', 'open', null
        union all
        select 900000002, customer_id, occurred_at + interval 1 day, channel, event_type, campaign_id
        from (select * from read_parquet('{events}') order by occurred_at desc, event_id limit 1)
    ) to '{events}.new' (format parquet)""")
    (raw / "engagement_events.parquet.new").replace(events)
    con.execute(f"""copy (
        select * from read_parquet('{pending}/engagement_events.parquet')
        union all
        select * from read_parquet('{events}') where event_id = 1
    ) to '{pending}/engagement_events.parquet.new' (format parquet)""")
    (pending / "engagement_events.parquet.new").replace(pending / "engagement_events.parquet")


def table(database, name) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute(f"select * from {name}").df()
    frame = frame.drop(columns=[c for c in frame.columns
                                if c in RUN_METADATA or c in HISTORY or c.endswith("_pickle")])
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_one_day_incremental_refresh_equals_a_full_refresh(tmp_path):
    raw = make_data(tmp_path / "raw", customers=2_000, months=6, seed=9, hold_back_days=1)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        add_rows_whose_outcome_changes(raw, con)

    pending_day = next((raw / "_pending").iterdir()).name
    day_before = str((pd.Timestamp(pending_day) - pd.Timedelta(days=1)).date())
    database = tmp_path / "incremental.duckdb"
    first = run_dbt(["build"], tmp_path / "run1", raw, database=database, extra_vars={"export_date": day_before})
    assert first.returncode == 0, first.output
    assert first.query("select event_id, rejection_reason from quarantine_raw__engagement_events "
                       "where event_id in ('900000001', '900000002') order by 1") == [
        ("900000001", "orphan_customer_id"), ("900000002", "future_occurred_at")]
    screened_before = first.scalar("select count(*) from screen_raw__engagement_events")

    appended = append_day(raw)
    late = first.scalar(f"select count(*) from read_parquet('{raw}/engagement_events.parquet', "
                        f"file_row_number = true) where file_row_number >= {screened_before} "
                        f"and cast(occurred_at as date) < date '{appended['day']}'")
    assert late > 0  # some of the day's rows are late arrivals from earlier days
    assert appended["day"] == pending_day
    # the models train again here too, so that the ML marts can be compared with the full refresh's
    second = run_dbt(["build"], tmp_path / "run2", raw, database=database,
                     extra_vars={"export_date": pending_day, "ml_retrain": True})
    assert second.returncode == 0, second.output
    # the orphan and the future-dated row are accepted now (their change kept in the screen), the repeated id not
    assert second.query("select event_id, rejection_reason from screen_raw__engagement_events "
                        "where event_id in ('1', '900000001', '900000002') order by source_row_number") == [
        ("900000001", None), ("900000002", None), ("1", "duplicate_event_id")]
    assert second.scalar("select count(*) from stg_raw__engagement_events "
                         "where event_id in ('1', '900000001', '900000002')") == 3
    # only the rows whose outcome changed were stored anew, and only the touched months were rolled up again
    rescreened = second.scalar("select count(*) from screen_raw__engagement_events "
                               "where screened_at = (select max(screened_at) from screen_raw__engagement_events)")
    assert rescreened == 3  # the orphan and the future-dated row, now accepted, and the new duplicate
    months, untouched_months = second.query(
        "select count(distinct activity_month), count(distinct activity_month) filter "
        "(where rows_through < (select max(rows_through) from int_engagement_monthly)) from int_engagement_monthly")[0]
    assert months >= 6 and untouched_months >= months - 2

    refreshed = run_dbt(["build", "--full-refresh"], tmp_path / "run3", raw, extra_vars={"export_date": pending_day})
    assert refreshed.returncode == 0, refreshed.output

    for name in COMPARED:
        left, right = table(database, name), table(refreshed.database, name)
        assert left.shape == right.shape, name
        for column in left.columns:
            if pd.api.types.is_float_dtype(left[column]):
                a, b = left[column].to_numpy(), right[column].to_numpy()
                assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), f"{name}.{column}"
            else:
                assert left[column].equals(right[column]), f"{name}.{column}"

    # a file replaced rather than appended to: the incremental run stops and says what to do
    with duckdb.connect() as con:
        events = raw / "engagement_events.parquet"
        con.execute(f"copy (select * from read_parquet('{events}') limit 1000) to '{events}.cut' (format parquet)")
        (raw / "engagement_events.parquet.cut").replace(events)
    replaced = run_dbt(["run", "--select", "screen_raw__engagement_events"], tmp_path / "run4", raw,
                       database=database, extra_vars={"export_date": pending_day})
    assert replaced.returncode != 0
    assert "was edited or replaced, not appended to" in replaced.output and "--full-refresh" in replaced.output
    assert "Traceback" not in replaced.output

    print(f"{len(COMPARED)} tables equal after appending {appended['appended']} ({late} late events); "
          f"{untouched_months} of {months} months untouched by the incremental run")


def test_docs_generate(tmp_path, clean_parquet):
    run = run_dbt(["build"], tmp_path, clean_parquet)
    assert run.returncode == 0, run.output
    docs = run_dbt(["docs", "generate"], tmp_path, clean_parquet)
    assert docs.returncode == 0, docs.output
    assert (tmp_path / "target" / "catalog.json").exists()
