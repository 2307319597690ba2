-- The raw engagement events that are rejected, with the reason (the first
-- that applies wins; duplicates are judged among otherwise valid rows, and the
-- first in file order is kept), and the rows that were rejected before and are
-- now accepted (kept to record the change). Accepted rows are not stored:
-- stg_raw__engagement_events reads them from the file. Unknown channels and
-- event types are accepted: they score zero and are reported by a warning test.
-- Incremental: a run screens the rows appended since the last run and the rows
-- whose outcome may change (see rows_to_screen).
{%- set raw_columns = ['event_id', 'customer_id', 'occurred_at', 'channel', 'event_type', 'campaign_id'] %}
{%- set kinds = raw_column_kinds('engagement_events') %}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='source_row_number',
        on_schema_change='fail'
    )
}}
{%- do assert_appended_only('engagement_events') %}
with

engagement_events as (

    select * from {{ ref('base_raw__engagement_events') }}
    {{ rows_to_screen('engagement_events', 'event_id', 'occurred_at') }}

),

customers as (

    select customer_id from {{ ref('stg_raw__customers') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

parsed as {{ inline_cte() }} (

    select
        source_row_number,
        source_line_number,
        file_problem,
        {{ key_hash(key_value('event_id', kinds.get('event_id', 'text'))) }} as key_hash,
        {{ engagement_event_values(kinds) }},

        -- the row as given (a Jinja-generated list: sqlfluff cannot place its indents) -- noqa: disable=LT02
        {%- for column in raw_columns %}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from engagement_events

),

repeated_keys as (

    -- only rows whose key is given more than once need the duplicate check
    {{ repeated_key_hashes('parsed') }}

),

checked as (

    select
        parsed.*,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.event_id is null then 'null_event_id'
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_occurred_at', kinds.get('occurred_at', 'text')) }} then 'null_occurred_at'
            when parsed.occurred_at is null then 'unparseable_occurred_at'
            when parsed.channel is null then 'null_channel'
            when parsed.event_type is null then 'null_event_type'
            when {{ is_after_export('parsed.occurred_at') }} then 'future_occurred_at'
            when customers.customer_id is null then 'orphan_customer_id'
        end as row_rejection_reason,
        {{ has_repeated_key() }} as has_repeated_key
    from parsed
    cross join export_date
    left join customers
        on parsed.customer_id = customers.customer_id

),

candidates as (

    {{ rows_worth_storing('checked') }}

),

screened as (

    select
        *,
        {{ duplicate_rejection_reason('event_id', 'duplicate_event_id') }} as rejection_reason
    from candidates

),

outcomes as (

    select
        source_row_number,
        rejection_reason,
        key_hash,
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
    where outcomes.rejection_reason is not null
    {%- if is_incremental() %}
        or previous_screening.source_row_number is not null
    {%- endif %}

)

select * from final
