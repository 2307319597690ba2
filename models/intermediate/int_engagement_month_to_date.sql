-- The month of as_of_date rolled up like int_engagement_monthly, from its first
-- day up to as_of_date: the partial month every as-of model adds to the
-- complete months of the rollup (see int_engagement_months).
with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

events_by_month as (

    select
        engagement_events.customer_id,
        engagement_events.occurred_at,
        engagement_events.occurred_date,
        engagement_events.channel,
        engagement_events.event_type,
        reporting_dates.as_of_month as activity_month
    from engagement_events
    cross join reporting_dates
    where engagement_events.occurred_date >= reporting_dates.as_of_month
        and engagement_events.occurred_date <= reporting_dates.as_of_date

),

final as (

    {{ engagement_rollup('events_by_month', 'taxonomy') }}

)

select * from final
