-- Accepted engagement events, typed and in UTC: the rows of the file that have
-- been screened and not rejected. A view: the events are read from the file
-- (only rejected rows are stored, in screen_raw__engagement_events), so a
-- model that reads a slice of them (a month, the last quarter) pays for that
-- slice, and nothing is written twice.
{%- set kinds = raw_column_kinds('engagement_events') %}
{{ config(materialized='view') }}

with

engagement_events as (

    select * from {{ ref('base_raw__engagement_events') }}
    where {{ screened_rows_through('engagement_events') }}

),

rejected as (

    select source_row_number from {{ ref('screen_raw__engagement_events') }}
    where rejection_reason is not null

),

parsed as (

    select
        source_row_number,
        {{ engagement_event_values(kinds) }}
    from engagement_events
    where source_row_number not in (select rejected.source_row_number from rejected)

),

accepted as (

    select
        -- ids
        event_id,
        customer_id,
        campaign_id,

        -- timestamps and dates
        occurred_at,
        cast(occurred_at as date) as occurred_date,

        -- taxonomy
        channel,
        event_type,

        -- lineage
        source_row_number

    from parsed

)

select * from accepted
