-- The radar segment of every customer on two days: as_of_date (radar_role
-- 'as_of', compared with prior_quarter_date) and one quarter earlier
-- (radar_role 'prior_quarter', prior_quarter_date compared with the quarter
-- before it), so the radar can say how each segment changed in a quarter.
-- The one definition of the radar segments (vars radar_*): thresholds are
-- percentiles over the customers who signed up by the earlier day of the pair.
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

radar_days as (

    select
        'as_of' as radar_role,
        as_of_date as measured_date,
        prior_quarter_date as compared_date
    from reporting_dates
    union all
    select
        'prior_quarter' as radar_role,
        prior_quarter_date as measured_date,
        second_prior_quarter_date as compared_date
    from reporting_dates

),

measured as (

    select
        radar_days.radar_role,
        radar_days.measured_date,
        customers.customer_id,
        customers.signup_date <= radar_days.compared_date as has_prior_quarter,
        coalesce(scores.engagement_score, 0) as engagement_score,
        coalesce(prior_scores.engagement_score, 0) as prior_quarter_score,
        {{ days_between('scores.last_engagement_date', 'radar_days.measured_date') }}
            as days_since_last_engagement
    from radar_days
    inner join customers
        on radar_days.measured_date >= customers.signup_date
    left join engagement_snapshots as scores
        on customers.customer_id = scores.customer_id
        and radar_days.measured_date = scores.snapshot_date
    left join engagement_snapshots as prior_scores
        on customers.customer_id = prior_scores.customer_id
        and radar_days.compared_date = prior_scores.snapshot_date

),

thresholds as (

    select
        radar_role,
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
    group by radar_role

),

final as (

    select
        measured.radar_role,
        measured.measured_date,
        measured.customer_id,
        measured.has_prior_quarter,
        measured.engagement_score,
        measured.prior_quarter_score,
        measured.days_since_last_engagement,
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
    left join thresholds
        on measured.radar_role = thresholds.radar_role

)

select * from final
