-- The headline KPIs, one row per metric: the value for the var('kpi_period_days')
-- days ending on as_of_date, and for the period of the same length before it.
-- Stock measures (customers, at-risk rate) are taken on the last day of each
-- period.
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

engagement_days as (

    select * from {{ ref('int_engagement_days_classified') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

periods as (

    select 'current' as period, kpi_period_start as period_start, as_of_date as period_end
    from reporting_dates
    union all
    select 'prior' as period, prior_kpi_period_start as period_start, prior_kpi_period_end as period_end
    from reporting_dates

),

active_engagement_days as (

    select customer_id, activity_date
    from engagement_days
    where is_active_engagement

),

activity as (

    select customer_id, activity_date from active_engagement_days
    union all
    select customer_id, ordered_date as activity_date from orders

),

customer_counts as (

    select periods.period, count(*) as customers
    from periods
    inner join customers
        on customers.signup_date <= periods.period_end
    group by periods.period

),

active_counts as (

    select periods.period, count(distinct activity.customer_id) as active_customers
    from periods
    inner join activity
        on activity.activity_date between periods.period_start and periods.period_end
    group by periods.period

),

order_totals as (

    select periods.period, count(*) as orders, {{ exact_sum('orders.net_revenue', 4) }} as net_revenue
    from periods
    inner join orders
        on orders.ordered_date between periods.period_start and periods.period_end
    group by periods.period

),

risk_by_period as (

    {%- for period, date_column in [('current', 'as_of_date'), ('prior', 'prior_kpi_period_end')] %}
    select
        '{{ period }}' as period,
        count(*) as purchasers,
        cast(sum(case when {{ is_at_risk(
            dbt.datediff('stats.last_order_date', 'stats.measured_on', 'day'),
            'stats.frequency',
            purchase_cadence_days('stats.frequency', 'stats.first_order_date', 'stats.last_order_date')
        ) }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as at_risk_purchasers
    from ({{ customer_order_stats('orders', 'reporting_dates', date_column) }}) as stats
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

by_period as (

    select
        periods.period,
        periods.period_start,
        periods.period_end,
        coalesce(customer_counts.customers, 0) as customers,
        coalesce(active_counts.active_customers, 0) as active_customers,
        coalesce(order_totals.net_revenue, 0) as net_revenue,
        coalesce(order_totals.orders, 0) as orders,
        case when order_totals.orders > 0 then order_totals.net_revenue / order_totals.orders end
            as average_order_value,
        case when risk_by_period.purchasers > 0
            then cast(risk_by_period.at_risk_purchasers as {{ type_double() }}) / risk_by_period.purchasers
        end as at_risk_rate
    from periods
    left join customer_counts on periods.period = customer_counts.period
    left join active_counts on periods.period = active_counts.period
    left join order_totals on periods.period = order_totals.period
    left join risk_by_period on periods.period = risk_by_period.period

),

metrics as (

    {%- set metrics = [
        ('customers', 'Customers', 'count', 1),
        ('active_customers', 'Active customers', 'count', 2),
        ('net_revenue', 'Net revenue', 'currency', 3),
        ('orders', 'Orders', 'count', 4),
        ('average_order_value', 'Average order value', 'currency', 5),
        ('at_risk_rate', 'At-risk rate', 'share', 6),
    ] %}
    {%- for name, label, unit, position in metrics %}
    select
        '{{ name }}' as metric,
        '{{ label }}' as metric_label,
        '{{ unit }}' as unit,
        {{ position }} as display_order,
        max(case when period = 'current' then cast({{ name }} as {{ type_double() }}) end) as value,
        max(case when period = 'prior' then cast({{ name }} as {{ type_double() }}) end) as prior_value,
        max(case when period = 'current' then period_start end) as period_start,
        max(case when period = 'current' then period_end end) as period_end,
        max(case when period = 'prior' then period_start end) as prior_period_start,
        max(case when period = 'prior' then period_end end) as prior_period_end
    from by_period
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        metric,
        metric_label,
        unit,
        display_order,
        value,
        prior_value,
        value - prior_value as change,
        case when prior_value <> 0 then (value - prior_value) / abs(prior_value) end as change_share,
        period_start,
        period_end,
        prior_period_start,
        prior_period_end
    from metrics

)

select * from final
