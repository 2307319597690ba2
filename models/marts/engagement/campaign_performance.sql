-- One row per campaign (those in the campaigns file, and any other campaign id
-- that events name), with its reach and responses up to as_of_date, the orders
-- credited to it (last active touch within var('attribution_window_days')
-- days) and, where a cost is given, the return on it.
with

campaigns as (

    select * from {{ ref('stg_raw__campaigns') }}

),

responses as (

    select * from {{ ref('int_campaign_responses') }}

),

attributions as (

    select * from {{ ref('int_order_attributions') }}

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

credited as (

    select
        attributions.touch_campaign_id as campaign_id,
        count(*) as attributed_orders,
        count(distinct attributions.customer_id) as attributed_customers,
        {{ exact_sum('orders.net_revenue', 4) }} as attributed_revenue
    from attributions
    cross join reporting_dates
    inner join orders
        on attributions.order_id = orders.order_id
    where attributions.touch_campaign_id is not null
        and attributions.ordered_date <= reporting_dates.as_of_date
    group by attributions.touch_campaign_id

),

all_campaigns as (

    select campaign_id from campaigns
    union
    select campaign_id from responses

),

final as (

    select
        all_campaigns.campaign_id,
        campaigns.campaign_name,
        coalesce(campaigns.channel, responses.event_channel) as channel,
        campaigns.content_type,
        campaigns.started_at,
        campaigns.ended_at,
        campaigns.campaign_id is not null as is_in_campaigns_file,
        coalesce(responses.customers_reached, 0) as customers_reached,
        coalesce(responses.emails_delivered, 0) as emails_delivered,
        coalesce(responses.reach_events, 0) as reach_events,
        coalesce(responses.openers, 0) as openers,
        coalesce(responses.clickers, 0) as clickers,
        coalesce(responses.registrants, 0) as registrants,
        coalesce(responses.attendees, 0) as attendees,
        coalesce(responses.engaged_customers, 0) as engaged_customers,
        cast(responses.openers as {{ type_double() }}) / nullif(responses.customers_reached, 0) as open_rate,
        cast(responses.clickers as {{ type_double() }}) / nullif(responses.customers_reached, 0)
            as click_through_rate,
        cast(responses.attendees as {{ type_double() }}) / nullif(responses.registrants, 0)
            as attendance_rate,
        coalesce(credited.attributed_orders, 0) as attributed_orders,
        coalesce(credited.attributed_customers, 0) as attributed_customers,
        coalesce(credited.attributed_revenue, 0) as attributed_revenue,
        campaigns.cost,
        (coalesce(credited.attributed_revenue, 0) - campaigns.cost) / nullif(campaigns.cost, 0) as return_on_cost
    from all_campaigns
    left join campaigns
        on all_campaigns.campaign_id = campaigns.campaign_id
    left join responses
        on all_campaigns.campaign_id = responses.campaign_id
    left join credited
        on all_campaigns.campaign_id = credited.campaign_id

)

select * from final
