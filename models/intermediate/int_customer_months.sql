-- What each customer did in each calendar month up to as_of_date: whether they
-- were active (an order, or an active engagement such as an open, click,
-- visit, registration, attendance or call), whether they ordered, and their
-- email deliveries, opens and clicks. Months with nothing are absent here;
-- cohort_retention adds them from a spine.
with

engagement_months as (

    select * from {{ ref('int_engagement_months') }}

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

order_months as (

    select
        orders.customer_id,
        orders.order_month as activity_month,
        count(*) as orders,
        {{ exact_sum('orders.net_revenue', 4) }} as net_revenue
    from orders
    cross join reporting_dates
    where orders.ordered_date <= reporting_dates.as_of_date
    group by orders.customer_id, orders.order_month

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
