"""The core marts as bare DuckDB queries over the raw Parquet files: the floor any warehouse of these marts has to
pay - no screening, no quarantine, nothing stored but the results. Same definitions and numbers as the warehouse
on clean files.

    python -m engagement_radar.bench.floor RAW_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from engagement_radar.bench import definitions as d

SETUP = """
create temp view customers as
    select customer_id, cast(signup_at as date) as signup_date from read_parquet('{raw}/customers.parquet');
create temp view orders as
    select order_id, customer_id, cast(ordered_at as date) as ordered_date, gross_amount,
           coalesce(discount_amount, 0) as discount_amount,
           gross_amount - coalesce(discount_amount, 0) - coalesce(refund_amount, 0) as net
    from read_parquet('{raw}/orders.parquet');
create temp table weights as select * from read_csv('{seeds}/channel_event_weights.csv');
create temp view events as
    select e.customer_id, cast(e.occurred_at as date) as event_date, e.channel, e.event_type,
           coalesce(w.weight, 0) as weight, coalesce(w.is_active_engagement, false) as is_active
    from read_parquet('{raw}/engagement_events.parquet') e
    left join weights w on e.channel = w.channel and e.event_type = w.event_type;
create temp table dates as
    select greatest((select max(ordered_date) from orders), (select max(event_date) from events)) as as_of;
"""

QUERIES = {
    "customer_rfm": """
        with stats as (
            select customer_id, count(*) as frequency, round(sum(net), 4) as monetary, sum(gross_amount) as gross,
                   sum(discount_amount) as discount, min(ordered_date) as first_date, max(ordered_date) as last_date
            from orders, dates where ordered_date <= as_of group by customer_id
        ),
        measured as (
            select c.customer_id, coalesce(s.frequency, 0) as frequency, coalesce(s.monetary, 0) as monetary,
                   date_diff('day', s.last_date, dates.as_of) as recency_days, s.gross, s.discount,
                   case when s.frequency > 1 then date_diff('day', s.first_date, s.last_date) / (s.frequency - 1) end
                       as cadence
            from customers c cross join dates left join stats s using (customer_id)
            where c.signup_date <= dates.as_of
        ),
        scored as (
            select customer_id,
                   (5 * count(*) over (order by recency_days desc range between unbounded preceding and current row)
                    + count(*) over () - 1) // count(*) over () as r_score,
                   (5 * count(*) over (order by frequency range between unbounded preceding and current row)
                    + count(*) over () - 1) // count(*) over () as f_score,
                   (5 * count(*) over (order by monetary range between unbounded preceding and current row)
                    + count(*) over () - 1) // count(*) over () as m_score
            from measured where frequency > 0
        ),
        flagged as (
            select m.*, s.r_score, s.f_score, s.m_score,
                   coalesce(m.recency_days > case when m.frequency = 1 then {one_time}
                                                  when m.frequency > 1 then greatest({min_days}, {multiplier} * cadence)
                                             end, false) as is_at_risk
            from measured m left join scored s using (customer_id)
        )
        select customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, is_at_risk,
               case when frequency = 0 then 'No Purchase Yet' when is_at_risk then 'At-Risk / Dormant'
                    when gross > 0 and discount / gross >= {discount_share} then 'Discount-Driven'
                    when m_score >= {high_value} then 'High-Value Active' else 'Regular' end as value_segment
        from flagged
    """,
    "customer_engagement": """
        with scores as (
            select customer_id,
                   sum(case when event_date <= as_of
                       then weight * pow(0.5, date_diff('day', event_date, as_of) / {half_life}) else 0 end)
                       as engagement_score,
                   sum(case when event_date <= as_of - interval 3 month
                       then weight * pow(0.5, date_diff('day', event_date, cast(as_of - interval 3 month as date))
                                          / {half_life}) else 0 end) as prior_quarter_score
            from events, dates group by customer_id
        )
        select c.customer_id, coalesce(s.engagement_score, 0) as engagement_score,
               coalesce(s.prior_quarter_score, 0) as prior_quarter_score
        from customers c cross join dates left join scores s using (customer_id)
        where c.signup_date <= dates.as_of
    """,
    "customer_months": """
        create temp table customer_months as
        with engagement as (
            select customer_id, date_trunc('month', event_date) as month,
                   count(*) filter (where is_active) as active,
                   count(*) filter (where channel = 'email' and event_type = 'delivered') as delivered,
                   count(*) filter (where channel = 'email' and event_type = 'click') as clicks
            from events, dates where event_date <= as_of group by all
        ),
        ordered as (
            select customer_id, date_trunc('month', ordered_date) as month, count(*) as orders, sum(net) as net
            from orders, dates where ordered_date <= as_of group by all
        )
        select customer_id, month, coalesce(active, 0) > 0 or coalesce(orders, 0) > 0 as is_active,
               coalesce(orders, 0) > 0 as has_order, coalesce(orders, 0) as orders, coalesce(net, 0) as net,
               coalesce(delivered, 0) as delivered, coalesce(clicks, 0) as clicks
        from engagement full outer join ordered using (customer_id, month)
    """,
    "cohort_retention": """
        with members as (
            select customer_id, date_trunc('month', signup_date) as cohort
            from customers, dates where signup_date <= as_of
        ),
        spine as (
            select m.customer_id, m.cohort, month, date_diff('month', m.cohort, month) as months_since_signup
            from members m, dates,
                 unnest(generate_series(m.cohort, date_trunc('month', dates.as_of), interval 1 month)) as t(month)
        ),
        history as (
            select s.*, coalesce(cm.is_active, false) as is_active, coalesce(cm.has_order, false) as has_order,
                   coalesce(cm.delivered, 0) as delivered, coalesce(cm.clicks, 0) as clicks,
                   coalesce(lag(coalesce(cm.is_active, false)) over w, false) as last_month,
                   coalesce(bool_or(coalesce(cm.is_active, false)) over (w rows between unbounded preceding
                                                                         and 1 preceding), false) as before
            from spine s left join customer_months cm using (customer_id, month)
            window w as (partition by s.customer_id order by s.month)
        )
        select cohort as cohort_month, months_since_signup, count(*) as cohort_size,
               count(*) filter (where is_active) as active_customers, count(*) filter (where has_order) as purchasers,
               count(*) filter (where before and not last_month) as lapsed_customers,
               count(*) filter (where before and not last_month and is_active) as reactivated_customers,
               sum(delivered) as emails_delivered, sum(clicks) as email_clicks,
               count(*) filter (where is_active) / count(*) as retention_rate
        from history group by all
    """,
    "kpi_monthly": """
        with segments as (select customer_id, value_segment from customer_rfm_result),
        activity as (
            select month, value_segment, count(*) filter (where is_active) as active_customers,
                   count(*) filter (where has_order) as purchasers, sum(orders) as orders, sum(net) as net_revenue
            from customer_months join segments using (customer_id) group by all
        ),
        signups as (
            select date_trunc('month', signup_date) as month, value_segment, count(*) as new_customers
            from customers join segments using (customer_id) group by all
        ),
        spine as (
            select month, value_segment
            from dates, unnest(generate_series((select date_trunc('month', min(signup_date)) from customers),
                                               date_trunc('month', as_of), interval 1 month)) as t(month),
                 (select distinct value_segment from segments)
        )
        select spine.month as activity_month, spine.value_segment,
               coalesce(active_customers, 0) as active_customers, coalesce(purchasers, 0) as purchasers,
               coalesce(orders, 0) as orders, coalesce(net_revenue, 0) as net_revenue,
               coalesce(new_customers, 0) as new_customers
        from spine left join activity using (month, value_segment) left join signups using (month, value_segment)
    """,
}


def core_marts(raw: Path, out: Path) -> None:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(SETUP.format(raw=raw, seeds=d.SEEDS))
    settings = {"one_time": d.AT_RISK_ONE_TIME_BUYER_DAYS, "min_days": d.AT_RISK_MIN_DAYS,
                "multiplier": d.AT_RISK_CADENCE_MULTIPLIER, "discount_share": d.DISCOUNT_DRIVEN_SHARE,
                "high_value": d.HIGH_VALUE_MIN_M_SCORE, "half_life": d.HALF_LIFE_DAYS}
    con.execute("create temp table customer_rfm_result as " + QUERIES["customer_rfm"].format(**settings))
    con.execute(f"copy customer_rfm_result to '{out}/customer_rfm.parquet' (format parquet)")
    con.execute(QUERIES["customer_months"])
    for name in ("customer_engagement", "cohort_retention", "kpi_monthly"):
        con.execute(f"copy ({QUERIES[name].format(**settings)}) to '{out}/{name}.parquet' (format parquet)")


def main(argv: list[str] | None = None) -> int:
    raw, out = (Path(argument) for argument in (argv or sys.argv[1:]))
    out.mkdir(parents=True, exist_ok=True)
    core_marts(raw, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
