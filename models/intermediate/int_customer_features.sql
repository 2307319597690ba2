-- Customer features at two snapshot dates, for the Python models:
--   train  as_of_date - var('propensity_horizon_days'), with the label: did the
--          customer order in the horizon after it?
--   score  as_of_date, label unknown.
-- Every feature of a snapshot reads only rows dated on or before the snapshot
-- date (tested by rebuilding on data cut at the training date).
{%- set channel_groups = ['email', 'webinar', 'live_event', 'social', 'web', 'field'] %}
{%- set networks = ['linkedin', 'twitter', 'facebook', 'instagram'] %}
{%- set lags = [(0, 29), (30, 59), (60, 89)] %}
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

orders as (

    select * from {{ ref('stg_raw__orders') }}

),

engagement_days as (

    select * from {{ ref('int_engagement_days_classified') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

snapshots as (

    select
        'train' as snapshot,
        cast({{ dbt.dateadd('day', -var('propensity_horizon_days'), 'as_of_date') }} as date) as snapshot_date,
        as_of_date as label_end_date
    from reporting_dates
    union all
    select 'score' as snapshot, as_of_date as snapshot_date, cast(null as date) as label_end_date
    from reporting_dates

),

members as (

    select
        snapshots.snapshot,
        snapshots.snapshot_date,
        snapshots.label_end_date,
        customers.*
    from snapshots
    inner join customers
        on customers.signup_date <= snapshots.snapshot_date

),

order_features as (

    select
        snapshots.snapshot,
        orders.customer_id,
        count(*) as frequency,
        {{ exact_sum('orders.net_revenue', 4) }} as monetary,
        {{ exact_sum('orders.gross_amount', 4) }} as gross_spend,
        {{ exact_sum('orders.discount_amount', 4) }} as discount_spend,
        max(orders.ordered_date) as last_order_date,
        sum(case when orders.ordered_date > {{ dbt.dateadd('day', -90, 'snapshots.snapshot_date') }}
            then 1 else 0 end) as orders_90d,
        {{ exact_sum("case when orders.ordered_date > " ~ dbt.dateadd('day', -90, 'snapshots.snapshot_date')
                     ~ " then orders.net_revenue else 0 end", 4) }} as net_revenue_90d
    from snapshots
    inner join orders
        on orders.ordered_date <= snapshots.snapshot_date
    group by snapshots.snapshot, orders.customer_id

),

labels as (

    select snapshots.snapshot, orders.customer_id, count(*) as orders_in_horizon
    from snapshots
    inner join orders
        on orders.ordered_date > snapshots.snapshot_date
        and orders.ordered_date <= snapshots.label_end_date
    group by snapshots.snapshot, orders.customer_id

),

event_days as (

    select
        snapshots.snapshot,
        snapshots.snapshot_date,
        engagement_days.*,
        {{ dbt.datediff('engagement_days.activity_date', 'snapshots.snapshot_date', 'day') }} as age_days
    from snapshots
    inner join engagement_days
        on engagement_days.activity_date <= snapshots.snapshot_date

),

engagement_features as (

    select
        snapshot,
        customer_id,
        {%- set decayed = decayed_weight('event_count', 'weight', 'activity_date', 'snapshot_date') %}
        {{ exact_sum(decayed) }} as engagement_score,
        {% for group in channel_groups -%}
        {{ exact_sum("case when channel_group = '" ~ group ~ "' then " ~ decayed ~ " else 0 end") }}
            as {{ group }}_score,
        {% endfor -%}
        {%- set quarter_earlier = dbt.dateadd('month', -3, 'snapshot_date') %}
        {{ exact_sum("case when activity_date <= " ~ quarter_earlier ~ " then "
                     ~ decayed_weight('event_count', 'weight', 'activity_date', quarter_earlier) ~ " else 0 end") }}
            as engagement_score_quarter_earlier,
        min(case when is_active_engagement then age_days end) as days_since_last_engagement,
        cast(sum(case when is_active_engagement and age_days < 30 then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as active_engagements_30d,
        cast(sum(case when is_active_engagement and age_days < 90 then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as active_engagements_90d,
        cast(sum(case when funnel_stage = 'click' and age_days < 90 then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as clicks_90d,
        cast(sum(case when funnel_stage = 'registration' and age_days < 90 then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as registrations_90d,
        cast(sum(case when funnel_stage = 'attendance' and age_days < 90 then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as attendances_90d,
        {% for network in networks -%}
        {% for low, high in lags -%}
        cast(sum(case when channel = '{{ network }}' and event_type = 'impression'
                and age_days between {{ low }} and {{ high }} then event_count else 0 end)
            as {{ dbt.type_bigint() }}) as {{ network }}_impressions_{{ low }}_{{ high }}d{{ ',' if not loop.last }}
        {% endfor -%}{{ ',' if not loop.last }}
        {% endfor %}
    from event_days
    group by snapshot, customer_id

),

final as (

    select
        -- keys
        members.customer_id,
        members.snapshot,
        members.snapshot_date,

        -- tenure and orders
        {{ dbt.datediff('members.signup_date', 'members.snapshot_date', 'day') }} as tenure_days,
        coalesce(order_features.frequency, 0) as frequency,
        coalesce(order_features.monetary, 0) as monetary,
        coalesce(order_features.monetary / order_features.frequency, 0) as average_order_value,
        coalesce(order_features.discount_spend / nullif(order_features.gross_spend, 0), 0) as discount_share,
        order_features.last_order_date is not null as has_ordered,
        coalesce(
            {{ dbt.datediff('order_features.last_order_date', 'members.snapshot_date', 'day') }},
            {{ dbt.datediff('members.signup_date', 'members.snapshot_date', 'day') }}
        ) as days_since_last_order,
        coalesce(order_features.orders_90d, 0) as orders_90d,
        coalesce(order_features.net_revenue_90d, 0) as net_revenue_90d,

        -- engagement
        coalesce(engagement_features.engagement_score, 0) as engagement_score,
        {% for group in channel_groups -%}
        coalesce(engagement_features.{{ group }}_score, 0) as {{ group }}_score,
        {% endfor -%}
        coalesce(engagement_features.engagement_score_quarter_earlier, 0) as engagement_score_quarter_earlier,
        coalesce(engagement_features.engagement_score, 0)
            - coalesce(engagement_features.engagement_score_quarter_earlier, 0) as engagement_trend,
        coalesce(
            engagement_features.days_since_last_engagement,
            {{ dbt.datediff('members.signup_date', 'members.snapshot_date', 'day') }}
        ) as days_since_last_engagement,
        coalesce(engagement_features.active_engagements_30d, 0) as active_engagements_30d,
        coalesce(engagement_features.active_engagements_90d, 0) as active_engagements_90d,
        coalesce(engagement_features.clicks_90d, 0) as clicks_90d,
        coalesce(engagement_features.registrations_90d, 0) as registrations_90d,
        coalesce(engagement_features.attendances_90d, 0) as attendances_90d,
        {% for network in networks -%}
        {% for low, high in lags -%}
        coalesce(engagement_features.{{ network }}_impressions_{{ low }}_{{ high }}d, 0)
            as {{ network }}_impressions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% endfor -%}

        -- attributes
        coalesce(members.plan, 'unknown') as plan,
        coalesce(members.territory, 'unknown') as territory,
        coalesce(members.industry, 'unknown') as industry,
        coalesce(members.company_size, 'unknown') as company_size,

        -- label (train snapshot only)
        case when members.snapshot = 'train' then coalesce(labels.orders_in_horizon, 0) > 0 end
            as ordered_in_horizon

    from members
    left join order_features
        on members.snapshot = order_features.snapshot
        and members.customer_id = order_features.customer_id
    left join engagement_features
        on members.snapshot = engagement_features.snapshot
        and members.customer_id = engagement_features.customer_id
    left join labels
        on members.snapshot = labels.snapshot
        and members.customer_id = labels.customer_id

)

select * from final
