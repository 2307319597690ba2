-- Omnichannel funnels up to as_of_date, in customers. Each channel group's
-- funnel runs through the stages its events have in the seed
-- channel_event_weights (reach, interest, click, registration, attendance),
-- then to an order credited to that channel (last touch within
-- var('attribution_window_days') days). A stage counts the customers who
-- reached it and every earlier stage of the funnel. 'all channels' pools the
-- groups; 'social to live event' follows customers from a social click to a
-- live-event registration and attendance after it.
{%- set stages = ['reach', 'interest', 'click', 'registration', 'attendance', 'order'] %}
{%- set labels = {'reach': 'Reached', 'interest': 'Showed interest', 'click': 'Clicked or visited',
                  'registration': 'Registered', 'attendance': 'Attended', 'order': 'Ordered'} %}
with

engagement_events as (

    select * from {{ ref('fct_engagement_events') }}

),

attributions as (

    select * from {{ ref('int_order_attributions') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

events_in_scope as (

    select engagement_events.*
    from engagement_events
    cross join reporting_dates
    where engagement_events.occurred_date <= reporting_dates.as_of_date
        and engagement_events.is_known_event_type

),

customer_stages as (

    select customer_id, channel_group as funnel, funnel_stage as stage from events_in_scope
    union
    select customer_id, 'all channels' as funnel, funnel_stage as stage from events_in_scope
    union
    select customer_id, touch_channel_group as funnel, 'order' as stage from attributions
    where touch_channel_group is not null
    union
    select customer_id, 'all channels' as funnel, 'order' as stage from attributions
    where touch_channel_group is not null

),

customer_flags as (

    select
        customer_id,
        funnel,
        {% for stage in stages -%}
        max(case when stage = '{{ stage }}' then 1 else 0 end) as has_{{ stage }}{{ ',' if not loop.last }}
        {% endfor %}
    from customer_stages
    group by customer_id, funnel

),

funnel_stages as (

    select
        channel_group as funnel,
        {% for stage in stages -%}
        max(case when funnel_stage = '{{ stage }}' or '{{ stage }}' = 'order' then 1 else 0 end)
            as uses_{{ stage }}{{ ',' if not loop.last }}
        {% endfor %}
    from taxonomy
    group by channel_group
    union all
    select
        'all channels' as funnel,
        {% for stage in stages -%}
        1 as uses_{{ stage }}{{ ',' if not loop.last }}
        {% endfor %}

),

channel_funnels as (

    {%- for stage in stages %}
    select
        funnel_stages.funnel,
        {{ loop.index }} as stage_number,
        '{{ stage }}' as stage,
        '{{ labels[stage] }}' as stage_label,
        cast(sum(case when
            {%- for earlier in stages[:loop.index] %}
            (customer_flags.has_{{ earlier }} = 1 or funnel_stages.uses_{{ earlier }} = 0){{ ' and' if not loop.last }}
            {%- endfor %}
            then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers
    from funnel_stages
    left join customer_flags
        on funnel_stages.funnel = customer_flags.funnel
    where funnel_stages.uses_{{ stage }} = 1
    group by funnel_stages.funnel
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

first_social_click as (

    select customer_id, min(occurred_at) as clicked_at
    from events_in_scope
    where channel_group = 'social' and funnel_stage = 'click'
    group by customer_id

),

live_after_social as (

    select
        first_social_click.customer_id,
        max(case when events_in_scope.funnel_stage = 'registration' then 1 else 0 end) as registered,
        max(case when events_in_scope.funnel_stage = 'attendance' then 1 else 0 end) as attended
    from first_social_click
    left join events_in_scope
        on first_social_click.customer_id = events_in_scope.customer_id
        and events_in_scope.channel_group = 'live_event'
        and events_in_scope.occurred_at > first_social_click.clicked_at
    group by first_social_click.customer_id

),

social_to_live_event as (

    select 'social to live event' as funnel, 1 as stage_number, 'click' as stage,
        'Clicked on social' as stage_label, count(*) as customers
    from live_after_social
    union all
    select 'social to live event', 2, 'registration', 'Then registered for a live event', sum(registered)
    from live_after_social
    union all
    select 'social to live event', 3, 'attendance', 'Then attended a live event', sum(registered * attended)
    from live_after_social

),

funnels as (

    select * from channel_funnels
    union all
    select * from social_to_live_event

),

final as (

    select
        funnel,
        stage_number,
        stage,
        stage_label,
        cast(coalesce(customers, 0) as {{ dbt.type_bigint() }}) as customers,
        cast(coalesce(customers, 0) as {{ type_double() }}) / nullif(lag(customers) over (
            partition by funnel order by stage_number
        ), 0) as conversion_from_previous_stage,
        cast(coalesce(customers, 0) as {{ type_double() }}) / nullif(first_value(customers) over (
            partition by funnel order by stage_number
        ), 0) as conversion_from_first_stage
    from funnels

)

select * from final
