-- What each customer did in each calendar month up to as_of_date: whether they
-- were active (an order, or an active engagement such as an open, click,
-- visit, registration, attendance or call), whether they ordered, and their
-- email deliveries, opens and clicks. Months with nothing are absent here;
-- cohort_retention adds them from a spine.
with

engagement_days as (

    select * from {{ ref('int_engagement_days_classified') }}

),

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

engagement_months as (

    select
        engagement_days.customer_id,
        cast({{ dbt.date_trunc('month', 'engagement_days.activity_date') }} as date) as activity_month,
        cast(sum(case when engagement_days.is_active_engagement then engagement_days.event_count else 0 end)
            as {{ dbt.type_bigint() }}) as active_engagements,
        cast(sum(case when engagement_days.channel = 'email' and engagement_days.event_type = 'delivered'
            then engagement_days.event_count else 0 end) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(case when engagement_days.channel = 'email' and engagement_days.event_type = 'open'
            then engagement_days.event_count else 0 end) as {{ dbt.type_bigint() }}) as email_opens,
        cast(sum(case when engagement_days.channel = 'email' and engagement_days.event_type = 'click'
            then engagement_days.event_count else 0 end) as {{ dbt.type_bigint() }}) as email_clicks
    from engagement_days
    cross join reporting_dates
    where engagement_days.activity_date <= reporting_dates.as_of_date
    group by 1, 2

),

order_months as (

    select
        orders.customer_id,
        cast({{ dbt.date_trunc('month', 'orders.ordered_date') }} as date) as activity_month,
        count(*) as orders,
        {{ exact_sum('orders.net_revenue', 4) }} as net_revenue
    from orders
    cross join reporting_dates
    where orders.ordered_date <= reporting_dates.as_of_date
    group by 1, 2

),

final as (

    select
        coalesce(engagement_months.customer_id, order_months.customer_id) as customer_id,
        coalesce(engagement_months.activity_month, order_months.activity_month) as activity_month,
        coalesce(engagement_months.active_engagements, 0) > 0
            or coalesce(order_months.orders, 0) > 0 as is_active,
        coalesce(order_months.orders, 0) > 0 as has_order,
        coalesce(order_months.orders, 0) as orders,
        coalesce(order_months.net_revenue, 0) as net_revenue,
        coalesce(engagement_months.active_engagements, 0) as active_engagements,
        coalesce(engagement_months.emails_delivered, 0) as emails_delivered,
        coalesce(engagement_months.email_opens, 0) as email_opens,
        coalesce(engagement_months.email_clicks, 0) as email_clicks
    from engagement_months
    full outer join order_months
        on engagement_months.customer_id = order_months.customer_id
        and engagement_months.activity_month = order_months.activity_month

)

select * from final
