"""The app's only door to the warehouse: a cached read-only DuckDB connection and cached, parameterised queries.

Every query is a fixed SQL text below. What a user picks or types is passed as a bound parameter, never pasted
into SQL. The connection follows the published warehouse: when a build publishes a new file, the next query
opens it, and the cached connection to the old file is released.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from engagement_radar.publish import published_path

QUERY_TTL_SECONDS = 300

# Filterable columns of the targeting list: the only identifiers a filter can name.
TARGET_FILTERS = {
    "segment_name": "Segment",
    "radar_segment": "Radar segment",
    "value_segment": "Value segment",
    "territory": "Territory",
    "plan": "Plan",
    "industry": "Industry",
    "company_size": "Company size",
}

QUERIES = {
    "as_of": "select * from report_context",
    "kpis": "select * from kpi_summary order by display_order",
    "value_segments": """
        select value_segment, count(*) as customers, sum(monetary) as net_revenue,
               avg(case when is_at_risk then 1.0 else 0.0 end) as at_risk_share
        from customer_rfm group by value_segment order by net_revenue desc""",
    "monthly_by_segment": "select * from kpi_monthly order by activity_month, value_segment",
    "segment_risk": """
        select segment_name, count(*) as customers, sum(monetary) as net_revenue,
               avg(case when is_at_risk then 1.0 else 0.0 end) as at_risk_share, avg(propensity) as mean_propensity
        from customer_360 group by segment_name order by net_revenue desc""",
    "high_revenue_at_risk": """
        select customer_id, territory, plan, value_segment, monetary, recency_days, radar_segment,
               propensity, next_best_action
        from customer_360 where is_at_risk order by monetary desc limit 25""",
    "radar_counts": """
        select radar_segment, customers, customers_prior_quarter, change_in_customers,
               customers_also_prior_quarter, prior_quarter_date
        from radar_summary order by display_order""",
    "engagement_vs_value": """
        select customer_id, engagement_score, monetary, penetration, radar_segment, value_segment
        from customer_360 using sample reservoir(3000 rows) repeatable (7)""",
    "alerts": """
        select a.customer_id, a.alert_reason, a.magnitude, a.alert_detail, a.value_segment, a.monetary,
               c.territory, c.next_best_action
        from engagement_alerts a left join customer_360 c using (customer_id)
        order by a.alert_reason, a.magnitude desc""",
    # every channel group of the seed (one added to it too), the largest share of the score first
    "channel_mix": """
        select channel_group, sum(channel_score) as score from customer_channel_scores
        group by channel_group order by score desc, channel_group""",
    "content": "select * from content_performance order by channel, attendees_per_campaign desc",
    "transitions": """
        select scheme, from_date, to_date, from_segment, to_segment, customers, share_of_from_segment
        from segment_transitions where period = 'quarter' order by scheme, from_segment, to_segment""",
    "campaigns": """
        select campaign_id, campaign_name, channel, content_type, started_at, customers_reached, engaged_customers,
               attributed_orders, attributed_revenue, cost, return_on_cost
        from campaign_performance order by attributed_revenue desc nulls last, campaign_id""",
    "quarterly_trend": "select * from engagement_quarterly order by quarter_start, channel_group",
    "funnel": "select * from channel_funnel order by funnel, stage_number",
    "cohorts": "select * from cohort_retention order by cohort_month, months_since_signup",
    "cohort_summary": "select * from cohort_summary order by cohort_month",
    "reengage": """
        select customer_id, value_segment, radar_segment, recency_days, monetary, days_since_last_engagement,
               next_best_action
        from customer_360
        where cohort_month = cast(? as date) and (is_at_risk or radar_segment in ('Alert', 'Dormant'))
        order by monetary desc, customer_id""",
    "segment_profiles": "select * from segment_profiles order by revenue_share desc",
    "segment_scatter": """
        select customer_id, segment_name, pc1, pc2 from customer_segments
        using sample reservoir(4000 rows) repeatable (7)""",
    "segment_diagnostics": "select * from segment_diagnostics order by k",
    "model_metrics": "select * from propensity_model_metrics",
    "model_info": "select * exclude (model_pickle) from propensity_model",
    "gains": "select * from propensity_gains order by decile",
    "breakdowns": "select * from propensity_breakdowns order by dimension, value",
    "importance": "select * from propensity_feature_importance order by rank limit 20",
    "filter_values": """
        select 'segment_name' as name, segment_name as value from customer_360 group by all
        union all select 'radar_segment', radar_segment from customer_360 group by all
        union all select 'value_segment', value_segment from customer_360 group by all
        union all select 'territory', territory from customer_360 group by all
        union all select 'plan', plan from customer_360 group by all
        union all select 'industry', industry from customer_360 group by all
        union all select 'company_size', company_size from customer_360 group by all""",
    "customer": """
        select c.*, v.p_alive, v.expected_purchases, v.horizon_days, v.lifetime_value, v.clv_horizon_days
        from customer_360 c left join customer_lifetime_value v using (customer_id)
        where c.customer_id = ?""",
    "customer_orders": """
        select ordered_at, net_revenue, gross_amount, discount_amount, refund_amount
        from fct_orders where customer_id = ? and not is_after_as_of_date order by ordered_at""",
    "customer_events": """
        select occurred_at, channel, event_type, channel_group, weight, campaign_id
        from fct_engagement_events where customer_id = ? and not is_after_as_of_date order by occurred_at""",
    "customer_alerts": "select alert_reason, magnitude, alert_detail from engagement_alerts where customer_id = ?",
    "customer_search": """
        select customer_id from customer_360
        where customer_id ilike ? escape '\\' order by propensity_rank nulls last, customer_id limit 50""",
}


# the target list: only known filter columns (TARGET_FILTERS) and bound values go into {where}
TARGETS_SQL = """
    select customer_id, segment_name, radar_segment, value_segment, territory, plan, industry, company_size,
           propensity, propensity_decile, monetary, recency_days, engagement_score, next_best_action,
           count(*) over () as matching_customers
    from customer_360 where {where}
    order by propensity_rank nulls last, customer_id limit {limit}"""


class WarehouseMissing(RuntimeError):
    pass


def warehouse_path() -> Path:
    return published_path()


def _published() -> tuple[Path, tuple]:
    """The published warehouse and its identity, which changes when a build publishes a new file (a new inode)
    or the file is rewritten; raises WarehouseMissing when there is none yet."""
    path = warehouse_path()
    if not path.exists():
        raise WarehouseMissing(str(path))
    stat = path.stat()
    return path, (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@st.cache_resource(max_entries=1)
def _connection(path: str, identity: tuple) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the published file attached read-only. duckdb.connect(path) would return the
    database already open in this process for that path, which after a publish is the old, deleted file; an
    attached file is opened anew. When the identity changes, the old connection is dropped from the cache, and
    its file closed once the last query on it ends."""
    con = duckdb.connect()
    con.execute(f"attach {_sql_string(path)} as warehouse (read_only)")
    return con


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the published warehouse: one per query, so several sessions can query at once."""
    path, identity = _published()
    new = _connection(str(path), identity).cursor()
    new.execute("use warehouse")
    return new


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False, max_entries=500)
def _cached(name: str, params: tuple, identity: tuple) -> pd.DataFrame:
    query_cursor = cursor()
    try:
        return query_cursor.execute(QUERIES[name], list(params)).df()
    finally:
        query_cursor.close()


def query(name: str, *params) -> pd.DataFrame:
    """Runs one of the named queries with its parameters bound."""
    return _cached(name, tuple(params), _published()[1])


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False, max_entries=200)
def _targets(selections: tuple, limit: int, identity: tuple) -> pd.DataFrame:
    clauses, params = [], []
    for column, values in selections:
        if column not in TARGET_FILTERS:
            raise ValueError(f"not a filter: {column}")
        clauses.append(f"{column} in (select unnest(?))")
        params.append(list(values))
    where = " and ".join(clauses) if clauses else "true"
    sql = TARGETS_SQL.format(where=where, limit=int(limit))
    query_cursor = cursor()
    try:
        return query_cursor.execute(sql, params).df()
    finally:
        query_cursor.close()


def targets(filters: dict[str, list[str]], limit: int = 5000) -> pd.DataFrame:
    """The propensity-ranked target list; filters map a TARGET_FILTERS column to the values kept."""
    selections = tuple(sorted((column, tuple(values)) for column, values in filters.items() if values))
    return _targets(selections, limit, _published()[1])

