-- Each accepted order credited to the customer's last active engagement (an
-- open, click, visit, registration, attendance or call) in the
-- var('attribution_window_days') days before it. Orders with no such touch are
-- kept with null touch columns. Readers take the orders up to as_of_date.
--
-- Incremental: a run credits again the new orders and the orders an event
-- screened since the last run can touch (those placed from its day to
-- var('attribution_window_days') days after it); the post-hook drops the
-- credits of orders that are gone.
{%- set previous = none %}
{%- if reads_warehouse() and is_incremental() %}
    {%- set previous = run_query("select max(rows_through), max(screened_through) from " ~ this).rows[0] %}
{%- endif %}
{%- set incremental = previous is not none and previous[0] is not none %}
{%- set kinds = raw_column_kinds('engagement_events') %}
{%- set window = var('attribution_window_days') %}
-- depends_on: {{ ref('base_raw__engagement_events') }}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail',
        post_hook="{{ delete_stale_rows('order_id not in (select order_id from ' ~ ref('int_orders_sequenced') ~ ')') }}"
    )
}}

with

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

watermarks as (

    {{ screening_watermarks('engagement_events') }}

),

{% if incremental -%}
changed_event_days as (

    select min(event_date) as first_day, max(event_date) as last_day
    from (
        select cast({{ parse_timestamp_utc('occurred_at', kinds.get('occurred_at', 'text')) }} as date) as event_date
        from {{ ref('base_raw__engagement_events') }}
        where source_row_number > {{ previous[0] }}
            and {{ screened_rows_through('engagement_events') }}
        union all
        select cast(occurred_at as date)
        from {{ ref('screen_raw__engagement_events') }}
        where screened_at > {{ dbt.cast("'" ~ previous[1] ~ "'", api.Column.translate_type('timestamp')) }}
    ) as changed

),

orders_to_credit as (

    select orders.*
    from orders
    cross join changed_event_days
    where orders.order_id not in (select order_id from {{ this }})
        or orders.ordered_date between changed_event_days.first_day
            and {{ dbt.dateadd('day', window, 'changed_event_days.last_day') }}

),
{%- else -%}
orders_to_credit as (

    select * from orders

),
{%- endif %}

credit_span as (

    select
        cast({{ dbt.dateadd('day', -window, 'min(ordered_date)') }} as date) as first_day,
        max(ordered_date) as last_day
    from orders_to_credit

),

active_events as (

    select
        engagement_events.event_id,
        engagement_events.customer_id,
        engagement_events.occurred_at,
        engagement_events.channel,
        engagement_events.campaign_id,
        taxonomy.channel_group
    from engagement_events
    cross join credit_span
    inner join taxonomy
        on engagement_events.channel = taxonomy.channel
        and engagement_events.event_type = taxonomy.event_type
    where taxonomy.is_active_engagement
        and engagement_events.occurred_date between credit_span.first_day and credit_span.last_day

),

touches as (

    {{ last_touches('orders_to_credit', 'active_events', var('attribution_window_days')) }}

),

final as (

    select
        orders_to_credit.order_id,
        orders_to_credit.customer_id,
        orders_to_credit.ordered_at,
        orders_to_credit.ordered_date,
        touches.event_id as touch_event_id,
        touches.occurred_at as touch_at,
        touches.channel as touch_channel,
        touches.channel_group as touch_channel_group,
        touches.campaign_id as touch_campaign_id,
        watermarks.rows_through,
        watermarks.screened_through
    from orders_to_credit
    cross join watermarks
    left join touches
        on orders_to_credit.order_id = touches.order_id

)

select * from final
