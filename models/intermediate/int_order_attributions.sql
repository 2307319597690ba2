-- Each order up to as_of_date, credited to the customer's last active
-- engagement (an open, click, visit, registration, attendance or call) in the
-- var('attribution_window_days') days before it. Orders with no such touch
-- are kept with null touch columns.
with

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

engagement_events as (

    select * from {{ ref('fct_engagement_events') }}
    where is_active_engagement

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

orders_in_scope as (

    select orders.*
    from orders
    cross join reporting_dates
    where orders.ordered_date <= reporting_dates.as_of_date

),

touches as (

    select
        orders_in_scope.order_id,
        engagement_events.event_id,
        engagement_events.occurred_at,
        engagement_events.channel,
        engagement_events.channel_group,
        engagement_events.campaign_id,
        row_number() over (
            partition by orders_in_scope.order_id
            order by engagement_events.occurred_at desc, engagement_events.event_id desc
        ) as touch_rank
    from orders_in_scope
    inner join engagement_events
        on orders_in_scope.customer_id = engagement_events.customer_id
        and engagement_events.occurred_at <= orders_in_scope.ordered_at
        and engagement_events.occurred_at
            >= {{ dbt.dateadd('day', -var('attribution_window_days'), 'orders_in_scope.ordered_at') }}

),

final as (

    select
        orders_in_scope.order_id,
        orders_in_scope.customer_id,
        orders_in_scope.ordered_at,
        orders_in_scope.net_revenue,
        touches.event_id as touch_event_id,
        touches.occurred_at as touch_at,
        touches.channel as touch_channel,
        touches.channel_group as touch_channel_group,
        touches.campaign_id as touch_campaign_id
    from orders_in_scope
    left join touches
        on orders_in_scope.order_id = touches.order_id
        and touches.touch_rank = 1

)

select * from final
