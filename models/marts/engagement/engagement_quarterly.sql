-- Engagement by calendar quarter and channel group up to as_of_date, for
-- quarter-over-quarter trends: customers who engaged actively, active
-- engagements, and all events.
with

engagement_days as (

    select * from {{ ref('int_engagement_days_classified') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

quarters as (

    select
        cast({{ dbt.date_trunc('quarter', 'engagement_days.activity_date') }} as date) as quarter_start,
        engagement_days.channel_group,
        engagement_days.customer_id,
        engagement_days.is_active_engagement,
        engagement_days.event_count
    from engagement_days
    cross join reporting_dates
    where engagement_days.activity_date <= reporting_dates.as_of_date

),

final as (

    select
        quarters.quarter_start,
        quarters.channel_group,
        count(distinct case when quarters.is_active_engagement then quarters.customer_id end)
            as customers_engaged,
        cast(sum(case when quarters.is_active_engagement then quarters.event_count else 0 end)
            as {{ dbt.type_bigint() }}) as active_engagements,
        cast(sum(quarters.event_count) as {{ dbt.type_bigint() }}) as events,
        quarters.quarter_start = cast({{ dbt.date_trunc('quarter', 'max(reporting_dates.as_of_date)') }} as date)
            as is_partial_quarter
    from quarters
    cross join reporting_dates
    group by quarters.quarter_start, quarters.channel_group

)

select * from final
