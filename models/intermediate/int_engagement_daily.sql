-- Engagement events per customer, day, channel and event type: the rollup the
-- engagement marts read.
--
-- Incremental: a run re-aggregates only the days touched by events screened
-- since the last run (new rows, late arrivals of any age, rows whose screening
-- changed) and replaces those days. A marker row per touched day makes a day
-- that lost all its events be replaced too; the post-hook removes the markers.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='activity_date',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where customer_id is null"
    )
}}

with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

screened_events as (

    select * from {{ ref('screen_raw__engagement_events') }}

),

{% if is_incremental() -%}
touched_days as (

    select distinct cast(occurred_at as date) as activity_date
    from screened_events
    where screened_at > (select max(screened_through) from {{ this }})
        and occurred_at is not null

),

events_to_aggregate as (

    select engagement_events.*
    from engagement_events
    inner join touched_days
        on engagement_events.occurred_date = touched_days.activity_date

),

markers as (

    select
        cast(null as {{ api.Column.translate_type('string') }}) as customer_id,
        activity_date,
        cast(null as {{ api.Column.translate_type('string') }}) as channel,
        cast(null as {{ api.Column.translate_type('string') }}) as event_type,
        0 as event_count,
        (select max(screened_at) from screened_events) as screened_through
    from touched_days

),
{%- else -%}
events_to_aggregate as (

    select * from engagement_events

),
{%- endif %}

daily as (

    select
        customer_id,
        occurred_date as activity_date,
        channel,
        event_type,
        count(*) as event_count,
        max(screened_at) as screened_through
    from events_to_aggregate
    group by customer_id, occurred_date, channel, event_type

),

final as (

    select * from daily
    {% if is_incremental() -%}
    union all
    select * from markers
    {%- endif %}

)

select * from final
