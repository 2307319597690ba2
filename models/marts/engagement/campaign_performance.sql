-- One row per campaign (those in the campaigns file, and any other campaign id
-- that events name), with its reach and responses up to as_of_date, the orders
-- credited to it (last active touch within var('attribution_window_days')
-- days) and, where a cost is given, the return on it.
with

campaigns as (

    select * from {{ ref('stg_raw__campaigns') }}

),

engagement_events as (

    select * from {{ ref('fct_engagement_events') }}

),

attributions as (

    select * from {{ ref('int_order_attributions') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

campaign_events as (

    select engagement_events.*
    from engagement_events
    cross join reporting_dates
    where engagement_events.campaign_id is not null
        and engagement_events.occurred_date <= reporting_dates.as_of_date

),

campaign_customers as (

    -- one row per campaign and customer first, so the distinct counts below
    -- are plain counts over a much smaller set
    select
        campaign_id,
        customer_id,
        min(channel) as event_channel,
        count(case when event_type = 'delivered' then 1 end) as emails_delivered,
        count(case when funnel_stage = 'reach' then 1 end) as reach_events,
        {{ dbt.bool_or("event_type = 'open'") }} as has_opened,
        {{ dbt.bool_or("funnel_stage = 'click'") }} as has_clicked,
        {{ dbt.bool_or("funnel_stage = 'registration'") }} as has_registered,
        {{ dbt.bool_or("funnel_stage = 'attendance'") }} as has_attended,
        {{ dbt.bool_or('is_active_engagement') }} as has_engaged
    from campaign_events
    group by campaign_id, customer_id

),

responses as (

    select
        campaign_id,
        min(event_channel) as event_channel,
        count(*) as customers_reached,
        cast(sum(emails_delivered) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(reach_events) as {{ dbt.type_bigint() }}) as reach_events,
        count(case when has_opened then 1 end) as openers,
        count(case when has_clicked then 1 end) as clickers,
        count(case when has_registered then 1 end) as registrants,
        count(case when has_attended then 1 end) as attendees,
        count(case when has_engaged then 1 end) as engaged_customers
    from campaign_customers
    group by campaign_id

),

credited as (

    select
        touch_campaign_id as campaign_id,
        count(*) as attributed_orders,
        count(distinct customer_id) as attributed_customers,
        {{ exact_sum('net_revenue', 4) }} as attributed_revenue
    from attributions
    where touch_campaign_id is not null
    group by touch_campaign_id

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
