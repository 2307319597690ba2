-- Monthly KPIs by value segment, from the first month with a signup to the
-- month of as_of_date (the last month is partial). A customer's segment is
-- their value_segment as of as_of_date, carried back over their history, so
-- the rows show how today's segments got here.
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

customer_months as (

    select * from {{ ref('int_customer_months') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

segments as (

    select distinct value_segment from rfm

),

months as (

    {{ month_spine(
        "(select min(" ~ dbt.date_trunc('month', 'signup_date') ~ ") from customers)",
        "(select as_of_month from reporting_dates)"
    ) }}

),

activity as (

    select
        customer_months.activity_month,
        rfm.value_segment,
        cast(sum(case when customer_months.is_active then 1 else 0 end) as {{ dbt.type_bigint() }}) as active_customers,
        cast(sum(case when customer_months.has_order then 1 else 0 end) as {{ dbt.type_bigint() }}) as purchasers,
        cast(sum(customer_months.orders) as {{ dbt.type_bigint() }}) as orders,
        {{ exact_sum('customer_months.net_revenue', 4) }} as net_revenue
    from customer_months
    inner join rfm
        on customer_months.customer_id = rfm.customer_id
    group by customer_months.activity_month, rfm.value_segment

),

signups as (

    select
        cast({{ dbt.date_trunc('month', 'customers.signup_date') }} as date) as activity_month,
        rfm.value_segment,
        count(*) as new_customers
    from customers
    inner join rfm
        on customers.customer_id = rfm.customer_id
    group by cast({{ dbt.date_trunc('month', 'customers.signup_date') }} as date), rfm.value_segment

),

final as (

    select
        months.month_start as activity_month,
        segments.value_segment,
        coalesce(activity.active_customers, 0) as active_customers,
        coalesce(activity.purchasers, 0) as purchasers,
        coalesce(activity.orders, 0) as orders,
        coalesce(activity.net_revenue, 0) as net_revenue,
        case when activity.orders > 0 then activity.net_revenue / activity.orders end as average_order_value,
        coalesce(signups.new_customers, 0) as new_customers,
        -- the month of as_of_date, unless as_of_date is its last day
        months.month_start = reporting_dates.as_of_month
        and reporting_dates.as_of_date < {{ last_day_of_month('reporting_dates.as_of_month') }}
            as is_partial_month
    from months
    cross join segments
    cross join reporting_dates
    left join activity
        on months.month_start = activity.activity_month
        and segments.value_segment = activity.value_segment
    left join signups
        on months.month_start = signups.activity_month
        and segments.value_segment = signups.value_segment

)

select * from final
