-- The alerts to deliver: every standing alert (engagement_alert_history, not
-- resolved) whose reason notifies and whose magnitude reaches the seed
-- alert_rules' minimum, one row per occurrence (alert_id, first_seen_date) with
-- what a message says about the customer. engagement_radar.alerts sends those not
-- yet delivered to each sink and records it in alert_deliveries.
with

alert_history as (

    select * from {{ ref('engagement_alert_history') }}

),

alert_rules as (

    select * from {{ ref('alert_rules') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        alert_history.alert_id,
        alert_history.first_seen_date,
        alert_history.last_seen_date,
        alert_history.customer_id,
        alert_history.alert_reason,
        alert_rules.label as alert_label,
        alert_history.magnitude,
        alert_history.alert_detail,
        customers.territory,
        customers.plan_at_as_of as plan,
        customers.lifetime_net_revenue
    from alert_history
    inner join alert_rules
        on alert_history.alert_reason = alert_rules.alert_reason
    left join customers
        on alert_history.customer_id = customers.customer_id
    where alert_history.resolved_date is null
        and alert_rules.notify
        and alert_history.magnitude >= alert_rules.min_magnitude

)

select * from final
