-- Customers who need attention today, one row per customer and reason (the
-- alerts of int_engagement_alerts), with when each was first seen and whether
-- this build raised it (is_new): what the alert delivery sends.
with

current_alerts as (

    select * from {{ ref('int_engagement_alerts') }}

),

alert_history as (

    select * from {{ ref('engagement_alert_history') }}

),

final as (

    select
        current_alerts.alert_id,
        current_alerts.customer_id,
        current_alerts.alert_reason,
        current_alerts.magnitude,
        current_alerts.alert_detail,
        current_alerts.engagement_score,
        current_alerts.prior_quarter_score,
        current_alerts.radar_segment,
        current_alerts.monetary,
        current_alerts.value_segment,
        current_alerts.as_of_date,
        alert_history.first_seen_date,
        coalesce(alert_history.first_seen_date = current_alerts.as_of_date, false) as is_new
    from current_alerts
    left join alert_history
        on current_alerts.alert_id = alert_history.alert_id

)

select * from final
