-- Engagement events per customer, day, channel and event type: the rollup the
-- engagement marts read. Incremental: a run deletes the last
-- var('engagement_lookback_days') days it holds and re-reads every day from
-- there on, so events that arrive a few days late are counted. Older late
-- arrivals need a --full-refresh.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}
            delete from {{ this }}
            where activity_date > (
                select {{ dbt.dateadd('day', -var('engagement_lookback_days'), 'max(activity_date)') }}
                from {{ this }}
            )
        {% endif %}"
    )
}}

with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}
    {% if is_incremental() %}
    where occurred_date > (select coalesce(max(activity_date), cast('1900-01-01' as date)) from {{ this }})
    {% endif %}

),

daily as (

    select
        customer_id,
        occurred_date as activity_date,
        channel,
        event_type,
        count(*) as event_count
    from engagement_events
    group by customer_id, occurred_date, channel, event_type

)

select * from daily
