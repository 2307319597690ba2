-- The engagement radar, one row per customer signed up by as_of_date.
-- engagement_score = sum over events of weight x 0.5 ^ (age_days / half-life),
-- age_days = whole days from the event date to as_of_date; weights from the
-- seed channel_event_weights (unknown channel or event type: 0). The same
-- score one quarter earlier gives the trend; thresholds are percentiles taken
-- over customers who signed up before that earlier date (vars radar_*). Scores
-- come from int_engagement_snapshots, the one place they are computed.
{%- set channel_groups = channel_groups() %}
-- depends_on: {{ ref('channel_event_weights') }}
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

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

prior_scores as (

    select engagement_snapshots.customer_id, engagement_snapshots.engagement_score as prior_quarter_score
    from engagement_snapshots
    inner join reporting_dates
        on engagement_snapshots.snapshot_date = reporting_dates.prior_quarter_date

),

measured as (

    select
        customers.customer_id,
        reporting_dates.as_of_date,
        customers.signup_date <= reporting_dates.prior_quarter_date as has_prior_quarter,
        coalesce(scores.engagement_score, 0) as engagement_score,
        {% for group in channel_groups -%}
        coalesce(scores.score_{{ group }}, 0) as {{ group }}_score,
        {% endfor -%}
        coalesce(prior_scores.prior_quarter_score, 0) as prior_quarter_score,
        scores.last_engagement_date,
        {{ dbt.datediff('scores.last_engagement_date', 'reporting_dates.as_of_date', 'day') }}
            as days_since_last_engagement,
        coalesce(scores.active_engagements_30d, 0) as active_engagements_30d,
        coalesce(scores.active_engagements_90d, 0) as active_engagements_90d
    from customers
    cross join reporting_dates
    left join scores
        on customers.customer_id = scores.customer_id
    left join prior_scores
        on customers.customer_id = prior_scores.customer_id
    where customers.signup_date <= reporting_dates.as_of_date

),

thresholds as (

    select
        percentile_cont({{ var('radar_high_percentile') }}) within group (order by engagement_score)
            as high_score,
        percentile_cont({{ var('radar_high_percentile') }}) within group (order by prior_quarter_score)
            as high_prior_score,
        percentile_cont({{ var('radar_meaningful_percentile') }}) within group (order by prior_quarter_score)
            as meaningful_prior_score,
        percentile_cont({{ var('radar_active_percentile') }}) within group (order by engagement_score)
            as active_score
    from measured
    where has_prior_quarter

),

segmented as (

    select
        measured.*,
        measured.engagement_score - measured.prior_quarter_score as score_change,
        case when measured.prior_quarter_score > 0
            then measured.engagement_score / measured.prior_quarter_score
        end as score_ratio,
        case
            when not measured.has_prior_quarter then 'New'
            when measured.prior_quarter_score > 0
                and measured.prior_quarter_score >= thresholds.meaningful_prior_score
                and measured.engagement_score
                    <= (1 - {{ var('radar_alert_drop') }}) * measured.prior_quarter_score
                then 'Alert'
            when measured.engagement_score >= thresholds.high_score
                and measured.prior_quarter_score >= thresholds.high_prior_score
                then 'Watch List'
            when measured.prior_quarter_score < thresholds.meaningful_prior_score
                and measured.engagement_score >= {{ var('radar_growth_ratio') }} * measured.prior_quarter_score
                and measured.engagement_score >= thresholds.active_score
                and measured.engagement_score > 0
                then 'Potential'
            when coalesce(measured.days_since_last_engagement, {{ var('radar_dormant_days') }} + 1)
                > {{ var('radar_dormant_days') }}
                then 'Dormant'
            else 'Steady'
        end as radar_segment
    from measured
    cross join thresholds

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
