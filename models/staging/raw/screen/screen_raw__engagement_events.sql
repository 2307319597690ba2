-- Every raw engagement event, parsed, with the reason it is rejected (null
-- when accepted). The first reason that applies wins; duplicates are judged
-- among otherwise valid rows, and the first in file order is kept.
-- Unknown channels and event types are accepted: they score zero and are
-- reported by a warning test.
-- Incremental: a run screens only the rows appended to the file since the last
-- run and the rows whose outcome may change (see rows_to_screen).
{%- set raw_columns = ['event_id', 'customer_id', 'occurred_at', 'channel', 'event_type', 'campaign_id'] %}
{%- set kinds = raw_column_kinds('engagement_events') %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='source_row_number',
        on_schema_change='fail'
    )
}}
{%- do assert_appended_only('engagement_events') %}
with

engagement_events as {{ inline_cte() }} (

    select * from {{ ref('base_raw__engagement_events') }}
    {{ rows_to_screen(ref('base_raw__engagement_events'), 'event_id', 'occurred_at') }}

),

customers as (

    select customer_id from {{ ref('stg_raw__customers') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

parsed as (

    select
        source_row_number,
        source_line_number,
        file_problem,

        -- ids
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('campaign_id') }} as campaign_id,

        -- timestamps
        {{ parse_timestamp_utc('occurred_at', kinds.occurred_at) }} as occurred_at,

        -- taxonomy
        {{ normalized_code('channel') }} as channel,
        {{ normalized_code('event_type') }} as event_type,

        -- the row as given
        {% for column in raw_columns -%}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {% endfor %}
    from engagement_events

),

repeated_keys as (

    -- only rows whose key is given more than once need the duplicate check
    {{ repeated_key_hashes('engagement_events', 'event_id') }}

),

checked as {{ inline_cte() }} (

    select
        parsed.*,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.event_id is null then 'null_event_id'
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_occurred_at', kinds.occurred_at) }} then 'null_occurred_at'
            when parsed.occurred_at is null then 'unparseable_occurred_at'
            when parsed.channel is null then 'null_channel'
            when parsed.event_type is null then 'null_event_type'
            when {{ is_after_export('parsed.occurred_at') }} then 'future_occurred_at'
            when customers.customer_id is null then 'orphan_customer_id'
        end as row_rejection_reason,
        {{ has_repeated_key('parsed.event_id') }} as has_repeated_key
    from parsed
    cross join export_date
    left join customers
        on parsed.customer_id = customers.customer_id

),

screened as (

    {{ rejecting_duplicates('checked', 'event_id', 'duplicate_event_id') }}

),

outcomes as (

    select
        source_row_number,
        rejection_reason,
        event_id,
        customer_id,
        occurred_at,
        channel,
        event_type,
        campaign_id,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

),

final as (

    select
        outcomes.*,
        {{ screened_at('outcomes') }} as screened_at
    from outcomes
    {{- previous_screening_join('outcomes') }}

)

select * from final
