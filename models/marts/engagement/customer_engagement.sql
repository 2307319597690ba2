-- The engagement radar, one row per customer signed up by as_of_date.
-- engagement_score = sum over events of weight x 0.5 ^ (age_days / half-life),
-- age_days = whole days from the event date to as_of_date; weights from the
-- seed channel_event_weights (unknown channel or event type: 0). The same
-- score one quarter earlier gives the trend. Scores come from
-- int_engagement_snapshots and segments from int_radar_segments, the one place
-- each is computed.
-- The split by channel group: one <group>_score column for each group the
-- contract declares (a declared group no longer in the seed scores 0); every
-- group of the seed channel_event_weights, one added later included, is in
-- customer_channel_scores, and in the total.
{%- set seed_groups = channel_groups() %}
{%- set totals = ['engagement_score', 'prior_quarter_score'] %}
{%- set channel_groups = [] %}
{%- set node = graph.get('nodes', {}).get('model.' ~ project_name ~ '.customer_engagement', {}) %}
{%- for column in node.get('columns', {}) if column.endswith('_score') and column not in totals %}
{%- do channel_groups.append(column[:-6]) %}
{%- endfor %}
{#- a unit test sees no graph: the seed's groups -#}
{%- set channel_groups = channel_groups or seed_groups %}
-- depends_on: {{ ref('channel_event_weights') }}
with

engagement_snapshots as (

    select * from {{ ref('int_engagement_snapshots') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

scores as (

    select engagement_snapshots.*
    from engagement_snapshots
    inner join reporting_dates
        on engagement_snapshots.snapshot_date = reporting_dates.as_of_date

),

radar as (

    select * from {{ ref('int_radar_segments') }}
    where radar_role = 'as_of'

),

segmented as (

    select
        radar.customer_id,
        radar.measured_date as as_of_date,
        radar.engagement_score,
        {% for group in channel_groups -%}
        {% if group in seed_groups -%}
        coalesce(scores.score_{{ group }}, 0) as {{ group }}_score,
        {% else -%}
        cast(0 as {{ type_double() }}) as {{ group }}_score,
        {% endif -%}
        {% endfor -%}
        radar.prior_quarter_score,
        radar.engagement_score - radar.prior_quarter_score as score_change,
        case when radar.prior_quarter_score > 0
                then radar.engagement_score / radar.prior_quarter_score
        end as score_ratio,
        scores.last_engagement_date,
        radar.days_since_last_engagement,
        coalesce(scores.active_engagements_30d, 0) as active_engagements_30d,
        coalesce(scores.active_engagements_90d, 0) as active_engagements_90d,
        radar.has_prior_quarter,
        radar.radar_segment
    from radar
    left join scores
        on radar.customer_id = scores.customer_id

),

final as (

    select
        customer_id,
        as_of_date,
        engagement_score,
        {% for group in channel_groups -%}
        {{ group }}_score,
        {% endfor -%}
        prior_quarter_score,
        score_change,
        score_ratio,
        case
            when score_ratio is null and engagement_score > 0 then 'new activity'
            when score_ratio is null then 'none'
            when score_ratio <= 1 - {{ var('radar_alert_drop') }} then 'falling'
            when score_ratio >= {{ var('radar_growth_ratio') }} then 'rising'
            else 'stable'
        end as trend,
        last_engagement_date,
        days_since_last_engagement,
        active_engagements_30d,
        active_engagements_90d,
        has_prior_quarter,
        radar_segment,
        percent_rank() over (order by engagement_score) as engagement_percentile
    from segmented

)

select * from final
