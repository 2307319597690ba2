-- Every customer's radar segment and value segment on the as_of_date of every
-- build, one row per customer and day: the history behind segment_transitions.
-- A build replaces the rows of its own day (a re-run for an earlier as_of_date
-- adds or replaces that day) and keeps every other day; a --full-refresh does not
-- rebuild it (full_refresh=false).
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
with

engagement as (

    select * from {{ ref('customer_engagement') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

final as (

    select
        engagement.customer_id,
        engagement.as_of_date,
        engagement.radar_segment,
        rfm.value_segment
    from engagement
    inner join rfm
        on engagement.customer_id = rfm.customer_id

)

select * from final
