-- Engagement by calendar quarter and channel group up to as_of_date, for
-- quarter-over-quarter trends: customers who engaged actively, active
-- engagements, and all events.
{%- set channel_groups = channel_groups() %}
-- depends_on: {{ ref('channel_event_weights') }}
with

engagement_months as (

    select * from {{ ref('int_engagement_months') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

customer_quarters as (

    select
        customer_id,
        cast({{ dbt.date_trunc('quarter', 'activity_month') }} as date) as quarter_start,
        -- noqa: disable=LT02
        {%- for group in channel_groups %}
        sum({{ group_events(group, active_only=true) }}) as active_{{ group }},
        sum({{ group_events(group) }}) as events_{{ group }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from engagement_months
    group by customer_id, cast({{ dbt.date_trunc('quarter', 'activity_month') }} as date)

),

by_group as (

    {%- for group in channel_groups %}
    select
        quarter_start,
        '{{ group }}' as channel_group,
        {{ count_if('active_' ~ group ~ ' > 0') }} as customers_engaged,
        cast(sum(active_{{ group }}) as {{ dbt.type_bigint() }}) as active_engagements,
        cast(sum(events_{{ group }}) as {{ dbt.type_bigint() }}) as events
    from customer_quarters
    group by quarter_start
    having sum(events_{{ group }}) > 0
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        by_group.quarter_start,
        by_group.channel_group,
        by_group.customers_engaged,
        by_group.active_engagements,
        by_group.events,
        -- the quarter of as_of_date, unless as_of_date is its last day
        by_group.quarter_start = cast({{ dbt.date_trunc('quarter', 'reporting_dates.as_of_date') }} as date)
        and reporting_dates.as_of_date
        < cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'by_group.quarter_start')) }} as date)
            as is_partial_quarter
    from by_group
    cross join reporting_dates

)

select * from final
