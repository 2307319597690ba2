-- The propensity target 'campaign_response': the customers who responded to a
-- campaign in a labelled snapshot's window - an engagement with a campaign at
-- the click, registration or attendance stage of the funnel (an open or an
-- impression is not a response), or an order credited to a campaign
-- (int_order_attributions). One row per snapshot and customer who reached the
-- target.
with

snapshots as (

    select * from {{ ref('int_propensity_snapshots') }}
    where label_end_date is not null

),

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

attributions as (

    select * from {{ ref('int_order_attributions') }}

),

responses as (

    select
        engagement_events.customer_id,
        engagement_events.occurred_date as response_date
    from engagement_events
    inner join taxonomy
        on engagement_events.channel = taxonomy.channel
        and engagement_events.event_type = taxonomy.event_type
    where engagement_events.campaign_id is not null
        and taxonomy.funnel_stage in ('click', 'registration', 'attendance')
    union all
    select
        customer_id,
        ordered_date
    from attributions
    where touch_campaign_id is not null

),

final as (

    select
        snapshots.snapshot,
        responses.customer_id,
        count(*) as target_events
    from snapshots
    inner join responses
        on snapshots.snapshot_date < responses.response_date
        and snapshots.label_end_date >= responses.response_date
    group by snapshots.snapshot, responses.customer_id

)

select * from final
