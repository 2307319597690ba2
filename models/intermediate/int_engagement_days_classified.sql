-- The daily engagement rollup with each row's taxonomy from the seed
-- channel_event_weights. A channel or event type missing from the seed is kept:
-- channel group and funnel stage 'unknown', weight 0, not active.
{{ config(materialized='view') }}

with

engagement_daily as (

    select * from {{ ref('int_engagement_daily') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

classified as (

    select
        engagement_daily.customer_id,
        engagement_daily.activity_date,
        engagement_daily.channel,
        engagement_daily.event_type,
        engagement_daily.event_count,
        {{ engagement_taxonomy_columns('taxonomy') }}
    from engagement_daily
    left join taxonomy
        on engagement_daily.channel = taxonomy.channel
        and engagement_daily.event_type = taxonomy.event_type

)

select * from classified
