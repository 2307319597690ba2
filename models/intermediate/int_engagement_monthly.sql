-- Accepted engagement events rolled up per customer and calendar month (see
-- macros/engagement_rollup.sql): points per channel group decayed to the month
-- end, counts per group and funnel stage, email counts, and the dates the
-- engagement marts need. About 7 customer-months per 100 events: the marts and
-- ML features read this instead of the events.
--
-- Incremental: a run recomputes only the months touched by rows screened since
-- its last run (appended rows, late arrivals of any age, rows whose screening
-- changed) from the events of those months, and replaces them. A marker row per
-- touched month makes a month that lost all its events be replaced too; the
-- post-hook removes the markers. When the half-life or the seed's weights
-- change, every month is recomputed.
{%- set settings = engagement_settings_fingerprint() %}
{%- set previous = none %}
{%- if reads_warehouse() and is_incremental() %}
    {%- set previous = run_query("select max(rows_through), max(screened_through), min(settings_fingerprint) "
                                 ~ "= max(settings_fingerprint) and max(settings_fingerprint) = '" ~ settings ~ "' "
                                 ~ "from " ~ this).rows[0] %}
{%- endif %}
{%- set recompute_all = previous is none or not previous[2] %}
{%- set kinds = raw_column_kinds('engagement_events') %}
-- depends_on: {{ ref('base_raw__engagement_events') }}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='activity_month',
        on_schema_change='fail',
        post_hook="{{ delete_stale_rows('customer_id is null') }}"
    )
}}

with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

watermarks as (

    {{ screening_watermarks('engagement_events') }}

),

-- touched_months is read by an incremental run only (ST03 is off for it)
{% if recompute_all -%}
events_to_aggregate as (

    select * from engagement_events

),

touched_months as ( -- noqa: ST03

    {%- if is_incremental() %}
    -- the half-life or the weights changed: every stored month is replaced
    select distinct activity_month from {{ this }}
    {%- else %}
    select cast(null as date) as activity_month
    {%- endif %}

),
{%- else -%}
touched_months as ( -- noqa: ST03

    select distinct cast({{ dbt.date_trunc('month', parse_timestamp_utc('occurred_at', kinds.get('occurred_at', 'text'))) }}
        as date) as activity_month
    from {{ ref('base_raw__engagement_events') }}
    where source_row_number > {{ previous[0] }}
        and {{ screened_rows_through('engagement_events') }}
    union
    select distinct cast({{ dbt.date_trunc('month', 'occurred_at') }} as date)
    from {{ ref('screen_raw__engagement_events') }}
    where screened_at > {{ dbt.cast("'" ~ previous[1] ~ "'", api.Column.translate_type('timestamp')) }}

),

events_to_aggregate as (

    select engagement_events.*
    from engagement_events
    where cast({{ dbt.date_trunc('month', 'engagement_events.occurred_date') }} as date)
        in (select activity_month from touched_months)

),
{%- endif %}

events_by_month as (

    select
        customer_id,
        occurred_at,
        occurred_date,
        channel,
        event_type,
        cast({{ dbt.date_trunc('month', 'occurred_date') }} as date) as activity_month
    from events_to_aggregate

),

monthly as (

    {{ engagement_rollup('events_by_month', 'taxonomy') }}

),

final as (

    select
        monthly.*,
        watermarks.rows_through,
        watermarks.screened_through,
        '{{ settings }}' as settings_fingerprint
    from monthly
    cross join watermarks
    {% if is_incremental() -%}
    union all
    select
        cast(null as {{ api.Column.translate_type('string') }}) as customer_id,
        touched_months.activity_month,
        {% for column in engagement_rollup_columns() -%}
        null as {{ column }},
        {% endfor -%}
        watermarks.rows_through,
        watermarks.screened_through,
        '{{ settings }}' as settings_fingerprint
    from touched_months
    cross join watermarks
    where touched_months.activity_month is not null
    {%- endif %}

)

select * from final
