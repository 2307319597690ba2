-- The alerts of this build: customers who need attention, one row per customer
-- and reason (engagement_alerts adds their history and which are new):
--   engagement_drop      the radar says Alert; magnitude = share of the
--                        prior-quarter score that was lost (0-1)
--   high_value_at_risk   a top-spending customer (monetary score at least
--                        var('high_value_min_m_score')) whose purchases are
--                        overdue; magnitude = days since the last order over
--                        the days at which they became at risk
with

engagement as (

    select * from {{ ref('customer_engagement') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

engagement_drops as (

    select
        customer_id,
        'engagement_drop' as alert_reason,
        1 - engagement_score / prior_quarter_score as magnitude,
        'Engagement score fell from ' || cast(round(prior_quarter_score, 1) as {{ dbt.type_string() }})
        || ' to ' || cast(round(engagement_score, 1) as {{ dbt.type_string() }}) || ' in a quarter'
            as alert_detail
    from engagement
    where radar_segment = 'Alert'

),

overdue_top_spenders as (

    select
        customer_id,
        'high_value_at_risk' as alert_reason,
        cast(recency_days as {{ type_double() }})
        / {{ at_risk_after_days('frequency', 'purchase_cadence_days') }} as magnitude,
        'No order for ' || cast(recency_days as {{ dbt.type_string() }}) || ' days' as alert_detail
    from rfm
    where is_at_risk
        and m_score >= {{ var('high_value_min_m_score') }}

),

alerts as (

    select * from engagement_drops
    union all
    select * from overdue_top_spenders

),

final as (

    select
        {{ dbt.hash(dbt.concat(['alerts.customer_id', "'|'", 'alerts.alert_reason'])) }} as alert_id,
        alerts.customer_id,
        alerts.alert_reason,
        alerts.magnitude,
        alerts.alert_detail,
        engagement.engagement_score,
        engagement.prior_quarter_score,
        engagement.radar_segment,
        rfm.monetary,
        rfm.value_segment,
        engagement.as_of_date
    from alerts
    left join engagement
        on alerts.customer_id = engagement.customer_id
    left join rfm
        on alerts.customer_id = rfm.customer_id

)

select * from final
