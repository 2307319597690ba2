-- Every engaged customer measured on each snapshot day of int_snapshot_dates,
-- from what happened on or before that day. The one definition of the
-- engagement score, read by the radar (customer_engagement), the KPIs and the
-- ML features.
--
-- engagement_score = sum over events of weight x 0.5 ^ (age_days / half-life),
-- age_days = whole days from the event date to the snapshot day. It is summed
-- in two parts: the complete months before the snapshot's month, from the
-- monthly rollup (points decayed to each month end, carried on to the snapshot
-- day: points x 0.5 ^ (days from the month end / half-life)); and the days of
-- the snapshot's own month, from the events. Windows (the last 30 and 90 days,
-- lags of 0-29, 30-59 and 60-89 days, the KPI periods) are counted from the
-- events, for the days int_snapshot_dates asks them for.
{%- set groups = channel_groups() %}
{%- set networks = social_networks() %}
{%- set lags = [(0, 29), (30, 59), (60, 89)] %}
{%- set kpi_days = var('kpi_period_days') %}
{%- set bounds = snapshot_event_bounds() %}
with

snapshot_days as (

    select
        snapshot_date,
        min(snapshot_month) as snapshot_month,
        {{ dbt.bool_or('counts_windows') }} as counts_windows
    from {{ ref('int_snapshot_dates') }}
    where measures_engagement
    group by snapshot_date

),

engagement_months as (

    select * from {{ ref('int_engagement_months') }}

),

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}
    -- the days any snapshot reads, fixed when the model is compiled, so the file is read once for them
    where occurred_date >= cast('{{ bounds[0] }}' as date)
        and occurred_date <= cast('{{ bounds[1] }}' as date)

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

complete_months as (

    -- the months before each snapshot's month, carried forward to the snapshot day
    select
        snapshot_days.snapshot_date,
        engagement_months.customer_id,
        {% for group in groups -%}
        {{ exact_sum("engagement_months.points_" ~ group ~ " * "
                     ~ decay_factor(last_day_of_month('engagement_months.activity_month'), 'snapshot_days.snapshot_date'))
        }} as score_{{ group }},
        {% endfor -%}
        max(engagement_months.last_active_date) as last_active_date
    from snapshot_days
    inner join engagement_months
        on snapshot_days.snapshot_month > engagement_months.activity_month
    group by snapshot_days.snapshot_date, engagement_months.customer_id

),

classified as (

    select
        engagement_events.customer_id,
        engagement_events.occurred_date,
        engagement_events.channel,
        engagement_events.event_type,
        {{ engagement_taxonomy_columns('taxonomy') }}
    from engagement_events
    left join taxonomy
        on engagement_events.channel = taxonomy.channel
        and engagement_events.event_type = taxonomy.event_type

),

recent_days as (

    select
        snapshot_days.snapshot_date,
        classified.customer_id,
        {%- set in_month = "classified.occurred_date >= snapshot_days.snapshot_month" %}
        {%- set age = dbt.datediff('classified.occurred_date', 'snapshot_days.snapshot_date', 'day') %}
        {%- set active = "snapshot_days.counts_windows and classified.is_active_engagement" %}
        {%- set windows = "snapshot_days.counts_windows and " %}
        {% for group in groups -%}
        {{ exact_sum("case when " ~ in_month ~ " and classified.channel_group = '" ~ group ~ "' then classified.weight"
                     ~ " * " ~ decay_factor('classified.occurred_date', 'snapshot_days.snapshot_date') ~ " else 0 end") }}
            as score_{{ group }},
        {% endfor -%}
        max(case when {{ in_month }} and classified.is_active_engagement then classified.occurred_date end)
            as last_active_date,
        {{ count_if(active ~ " and " ~ age ~ " < 30") }} as active_engagements_30d,
        {{ count_if(active ~ " and " ~ age ~ " < 90") }} as active_engagements_90d,
        {{ count_if(active ~ " and " ~ age ~ " < " ~ kpi_days) }} as active_engagements_kpi_period,
        {{ count_if(active ~ " and " ~ age ~ " between " ~ kpi_days ~ " and " ~ (2 * kpi_days - 1)) }}
            as active_engagements_prior_kpi_period,
        {{ count_if(windows ~ "classified.funnel_stage = 'click' and " ~ age ~ " < 90") }} as clicks_90d,
        {{ count_if(windows ~ "classified.funnel_stage = 'registration' and " ~ age ~ " < 90") }} as registrations_90d,
        {{ count_if(windows ~ "classified.funnel_stage = 'attendance' and " ~ age ~ " < 90") }} as attendances_90d,
        {% for low, high in lags -%}
        {{ count_if(windows ~ "classified.event_type = 'active_user' and " ~ age
                    ~ " between " ~ low ~ " and " ~ high) }}
            as active_user_days_{{ low }}_{{ high }}d,
        {{ count_if(windows ~ "classified.channel_group = 'support' and " ~ age
                    ~ " between " ~ low ~ " and " ~ high) }}
            as support_sessions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% for network in networks -%}
        {% for low, high in lags -%}
        {{ count_if(windows ~ "classified.channel = '" ~ network ~ "' and classified.event_type = 'impression' and "
                    ~ age ~ " between " ~ low ~ " and " ~ high) }} as {{ network }}_impressions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% endfor -%}
        count(*) as events_read
    from snapshot_days
    inner join classified
        on snapshot_days.snapshot_date >= classified.occurred_date
        and classified.occurred_date >= case
            when snapshot_days.counts_windows
                then least(
                        snapshot_days.snapshot_month,
                        {{ dbt.dateadd('day', 1 - engagement_window_days(), 'snapshot_days.snapshot_date') }}
                    )
            else snapshot_days.snapshot_month
        end
    group by snapshot_days.snapshot_date, classified.customer_id

),

final as (

    select
        coalesce(complete_months.snapshot_date, recent_days.snapshot_date) as snapshot_date,
        coalesce(complete_months.customer_id, recent_days.customer_id) as customer_id,
        {% for group in groups -%}
        coalesce(complete_months.score_{{ group }}, 0) + coalesce(recent_days.score_{{ group }}, 0)
            as score_{{ group }},
        {% endfor -%}
        {% for group in groups -%}
        coalesce(complete_months.score_{{ group }}, 0) + coalesce(recent_days.score_{{ group }}, 0)
        {{- ' +' if not loop.last }}
        {% endfor -%}
        {{- '0' if not groups }} as engagement_score,
        coalesce(recent_days.last_active_date, complete_months.last_active_date) as last_engagement_date,
        {% for column in ['active_engagements_30d', 'active_engagements_90d', 'active_engagements_kpi_period',
                          'active_engagements_prior_kpi_period', 'clicks_90d', 'registrations_90d',
                          'attendances_90d'] -%}
        coalesce(recent_days.{{ column }}, 0) as {{ column }},
        {% endfor -%}
        {% for low, high in lags -%}
        {% for column in ['active_user_days_' ~ low ~ '_' ~ high ~ 'd',
                          'support_sessions_' ~ low ~ '_' ~ high ~ 'd'] -%}
        coalesce(recent_days.{{ column }}, 0) as {{ column }},
        {% endfor -%}
        {% endfor -%}
        {% for network in networks -%}
        {% for low, high in lags -%}
        coalesce(recent_days.{{ network }}_impressions_{{ low }}_{{ high }}d, 0)
            as {{ network }}_impressions_{{ low }}_{{ high }}d,
        {% endfor -%}
        {% endfor -%}
        complete_months.customer_id is not null as has_earlier_months
    from complete_months
    full outer join recent_days
        on complete_months.snapshot_date = recent_days.snapshot_date
        and complete_months.customer_id = recent_days.customer_id

)

select * from final
