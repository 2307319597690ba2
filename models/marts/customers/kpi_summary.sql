-- The headline KPIs, one row per metric: the value for the var('kpi_period_days')
-- days ending on as_of_date, and for the period of the same length before it.
-- Stock measures (customers, at-risk rate) are taken on the last day of each
-- period. A customer is active in a period when they engaged actively or
-- ordered in it.
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

engagement_snapshots as (

    select * from {{ ref('int_engagement_snapshots') }}

),

order_snapshots as (

    select * from {{ ref('int_order_snapshots') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

periods as (

    select
        'current' as period,
        kpi_period_start as period_start,
        as_of_date as period_end
    from reporting_dates
    union all
    select
        'prior' as period,
        prior_kpi_period_start as period_start,
        prior_kpi_period_end as period_end
    from reporting_dates

),

customer_counts as (

    select
        periods.period,
        count(*) as customers
    from periods
    inner join customers
        on periods.period_end >= customers.signup_date
    group by periods.period

),

engagement_on_day as (

    select engagement_snapshots.*
    from engagement_snapshots
    inner join reporting_dates
        on engagement_snapshots.snapshot_date = reporting_dates.as_of_date

),

active_in_period as (

    -- engaged actively in the period (counted back from as_of_date), or ordered in it
    select
        'current' as period,
        customer_id
    from engagement_on_day
    where active_engagements_kpi_period > 0
    union
    select
        'prior' as period,
        customer_id
    from engagement_on_day
    where active_engagements_prior_kpi_period > 0
    union
    select
        periods.period,
        orders.customer_id
    from periods
    inner join orders
        on orders.ordered_date between periods.period_start and periods.period_end

),

active_counts as (

    select
        period,
        count(*) as active_customers
    from active_in_period
    group by period

),

order_totals as (

    select
        periods.period,
        count(*) as orders,
        {{ exact_sum('orders.net_revenue', 4) }} as net_revenue
    from periods
    inner join orders
        on orders.ordered_date between periods.period_start and periods.period_end
    group by periods.period

),

risk_by_period as (

    select
        periods.period,
        count(*) as purchasers,
        {{ count_if(is_at_risk(
            dbt.datediff('order_snapshots.last_order_date', 'order_snapshots.snapshot_date', 'day'),
            'order_snapshots.frequency',
            purchase_cadence_days('order_snapshots.frequency', 'order_snapshots.first_order_date',
                                  'order_snapshots.last_order_date')
        )) }} as at_risk_purchasers
    from periods
    inner join order_snapshots
        on periods.period_end = order_snapshots.snapshot_date
    group by periods.period

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
