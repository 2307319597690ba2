{#
    Last-touch attribution: for each order, the customer's latest active event
    at or before the order and at most `window_days` days before it (ties on the
    time: the greatest event_id). Returns order_id, event_id, occurred_at,
    channel, channel_group and campaign_id of the credited events.
#}

{% macro last_touches(orders, events, window_days) %}
    {{ return(adapter.dispatch('last_touches', 'engagement_radar')(orders, events, window_days)) }}
{% endmacro %}

{% macro default__last_touches(orders, events, window_days) %}
    select order_id, event_id, occurred_at, channel, channel_group, campaign_id
    from (
        select
            {{ orders }}.order_id,
            {{ events }}.event_id,
            {{ events }}.occurred_at,
            {{ events }}.channel,
            {{ events }}.channel_group,
            {{ events }}.campaign_id,
            row_number() over (
                partition by {{ orders }}.order_id
                order by {{ events }}.occurred_at desc, {{ events }}.event_id desc
            ) as touch_rank
        from {{ orders }}
        inner join {{ events }}
            on {{ orders }}.customer_id = {{ events }}.customer_id
            and {{ events }}.occurred_at <= {{ orders }}.ordered_at
            and {{ events }}.occurred_at >= {{ dbt.dateadd('day', -window_days, orders ~ '.ordered_at') }}
    ) as ranked
    where touch_rank = 1
{% endmacro %}

{% macro duckdb__last_touches(orders, events, window_days) %}
    {#-
        One aggregate pass instead of a window over every candidate pair: the
        latest pair per order by (time, event_id), with arg_max_null (arg_max
        skips the rows whose value is null, so an event without a campaign would
        take the campaign of an earlier event).
    -#}
    select
        {{ orders }}.order_id,
        {%- for column in ['event_id', 'occurred_at', 'channel', 'channel_group', 'campaign_id'] %}
        arg_max_null({{ events }}.{{ column }}, ({{ events }}.occurred_at, {{ events }}.event_id)) as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ orders }}
    inner join {{ events }}
        on {{ orders }}.customer_id = {{ events }}.customer_id
        and {{ events }}.occurred_at <= {{ orders }}.ordered_at
        and {{ events }}.occurred_at >= {{ dbt.dateadd('day', -window_days, orders ~ '.ordered_at') }}
    group by {{ orders }}.order_id
{% endmacro %}
