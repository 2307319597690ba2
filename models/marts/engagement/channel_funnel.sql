-- Omnichannel funnels up to as_of_date, in customers. Each channel group's
-- funnel runs through the stages its events have in the seed
-- channel_event_weights (reach, interest, click, registration, attendance),
-- then to an order credited to that channel (last touch within
-- var('attribution_window_days') days). A stage counts the customers who
-- reached it and every earlier stage of the funnel. 'all channels' pools the
-- groups; 'social to live event' follows customers from a social click to a
-- live-event registration and attendance after it.
{%- set stages = funnel_stages() + ['order'] %}
{%- set labels = {'reach': 'Reached', 'interest': 'Showed interest', 'click': 'Clicked or visited',
                  'registration': 'Registered', 'attendance': 'Attended', 'order': 'Ordered'} %}
{%- set pairs = group_stages() %}
{%- set groups = channel_groups() %}
with

engagement_months as (

    select * from {{ ref('int_engagement_months') }}

),

attributions as (

    select attributions.*
    from {{ ref('int_order_attributions') }} as attributions
    cross join {{ ref('int_reporting_dates') }} as reporting_dates
    where attributions.ordered_date <= reporting_dates.as_of_date

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

customer_engagement as (

    -- per customer: did they ever reach each (group, stage) of the seed, and the social-to-live-event times
    select
        customer_id,
        {% for group, stage in pairs -%}
        sum({{ stage_events(group, stage) }}) > 0 as has_{{ group }}__{{ stage }},
        {% endfor -%}
        min(first_social_click_at) as first_social_click_at,
        max(last_live_event_registration_at) as last_live_event_registration_at,
        max(last_live_event_attendance_at) as last_live_event_attendance_at
    from engagement_months
    group by customer_id

),

customer_orders as (

    select
        customer_id,
        {% for group in groups -%}
        {{ dbt.bool_or("touch_channel_group = '" ~ group ~ "'") }} as has_{{ group }}__order,
        {% endfor -%}
        true as has_order
    from attributions
    where touch_channel_group is not null
    group by customer_id

),

-- noqa: disable=LT02,LT05
-- (customer_flags, funnel_stages, channel_funnels: select lists generated from the seed by Jinja loops, whose
-- indents sqlfluff cannot place, and whose generated lines grow with the seed)
customer_flags as (

    {%- for group in groups %}
    select
        coalesce(customer_engagement.customer_id, customer_orders.customer_id) as customer_id,
        '{{ group }}' as funnel,
        {% for stage in stages -%}
        {%- if stage == 'order' -%}
        coalesce(customer_orders.has_{{ group }}__order, false) as has_order
        {%- elif [group, stage] in pairs -%}
        coalesce(customer_engagement.has_{{ group }}__{{ stage }}, false) as has_{{ stage }},
        {%- else -%}
        false as has_{{ stage }},
        {%- endif %}
        {% endfor %}
    from customer_engagement
    full outer join customer_orders
        on customer_engagement.customer_id = customer_orders.customer_id
    union all
    {%- endfor %}
    select
        coalesce(customer_engagement.customer_id, customer_orders.customer_id) as customer_id,
        'all channels' as funnel,
        {% for stage in stages -%}
        {%- set reached = pairs | selectattr(1, 'equalto', stage) | list -%}
        {%- if stage == 'order' -%}
        coalesce(customer_orders.has_order, false) as has_order
        {%- elif reached -%}
        coalesce({% for group, _ in reached %}customer_engagement.has_{{ group }}__{{ stage }}{{ ' or ' if not loop.last }}{% endfor %}, false)
            as has_{{ stage }},
        {%- else -%}
        false as has_{{ stage }},
        {%- endif %}
        {% endfor %}
    from customer_engagement
    full outer join customer_orders
        on customer_engagement.customer_id = customer_orders.customer_id

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
            (customer_flags.has_{{ earlier }} or funnel_stages.uses_{{ earlier }} = 0){{ ' and' if not loop.last }}
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
-- noqa: enable=LT02,LT05

live_after_social as (

    select
        customer_id,
        coalesce(last_live_event_registration_at > first_social_click_at, false) as registered,
        coalesce(last_live_event_attendance_at > first_social_click_at, false) as attended
    from customer_engagement
    where first_social_click_at is not null

),

social_to_live_event as (

    select
        'social to live event' as funnel,
        1 as stage_number,
        'click' as stage,
        'Clicked on social' as stage_label,
        count(*) as customers
    from live_after_social
    union all
    select
        'social to live event' as funnel,
        2 as stage_number,
        'registration' as stage,
        'Then registered for a live event' as stage_label,
        {{ count_if('registered') }} as customers
    from live_after_social
    union all
    select
        'social to live event' as funnel,
        3 as stage_number,
        'attendance' as stage,
        'Then attended a live event' as stage_label,
        {{ count_if('registered and attended') }} as customers
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
