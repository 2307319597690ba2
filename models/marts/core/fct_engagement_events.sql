-- One row per accepted engagement event with its taxonomy and campaign. A view:
-- the events are stored once, in the screened staging table, and this adds
-- only small lookups, so BI queries see current weights without a rebuild.
{{ config(materialized='view') }}

with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

campaigns as (

    select * from {{ ref('stg_raw__campaigns') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

final as (

    select
        -- ids
        engagement_events.event_id,
        engagement_events.customer_id,
        engagement_events.campaign_id,

        -- time
        engagement_events.occurred_at,
        engagement_events.occurred_date,

        -- taxonomy
        engagement_events.channel,
        engagement_events.event_type,
        {{ engagement_taxonomy_columns('taxonomy') }},
        taxonomy.channel is not null as is_known_event_type,

        -- campaign
        campaigns.content_type as campaign_content_type,

        -- flags
        engagement_events.occurred_date > reporting_dates.as_of_date as is_after_as_of_date

    from engagement_events
    cross join reporting_dates
    left join taxonomy
        on engagement_events.channel = taxonomy.channel
        and engagement_events.event_type = taxonomy.event_type
    left join campaigns
        on engagement_events.campaign_id = campaigns.campaign_id

)

select * from final
