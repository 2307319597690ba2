-- Every alert the radar has raised, across builds: one row per customer and
-- reason (alert_id), with the as-of dates of the builds that first saw it, last
-- saw it and saw it gone (resolved_date, null while it stands). An alert raised
-- again after it was resolved starts a new occurrence: first_seen_date moves to
-- that build's day and it counts as new again (and is delivered again).
-- Kept across builds: a --full-refresh does not rebuild it (full_refresh=false).
-- A build for an earlier as_of_date than the latest one seen leaves it as it is.
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='alert_id',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
with

current_alerts as (

    select * from {{ ref('int_engagement_alerts') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

previous as (

    {%- if is_incremental() %}
    select * from {{ this }}
    {%- else %}
    select
        cast(null as {{ api.Column.translate_type('string') }}) as alert_id,
        cast(null as {{ api.Column.translate_type('string') }}) as customer_id,
        cast(null as {{ api.Column.translate_type('string') }}) as alert_reason,
        cast(null as date) as first_seen_date,
        cast(null as date) as last_seen_date,
        cast(null as date) as resolved_date,
        cast(null as {{ type_double() }}) as magnitude,
        cast(null as {{ api.Column.translate_type('string') }}) as alert_detail,
        cast(null as {{ dbt.type_int() }}) as occurrences
    from reporting_dates
    where false
    {%- endif %}

),

latest_build as (

    -- the history moves forward only: a build for an earlier day changes nothing
    select
        reporting_dates.as_of_date,
        reporting_dates.as_of_date >= coalesce(max(previous.last_seen_date), reporting_dates.as_of_date)
            as moves_history
    from reporting_dates
    left join previous
        on true
    group by reporting_dates.as_of_date

),

matched as (

    -- each alert of the history or of this build, and whether this build raises it (again, after a resolution)
    select
        previous.*,
        current_alerts.alert_id as current_alert_id,
        current_alerts.customer_id as current_customer_id,
        current_alerts.alert_reason as current_alert_reason,
        current_alerts.magnitude as current_magnitude,
        current_alerts.alert_detail as current_alert_detail,
        current_alerts.alert_id is not null as is_raised,
        current_alerts.alert_id is not null
        and (previous.alert_id is null or previous.resolved_date is not null) as is_raised_anew,
        latest_build.as_of_date as build_date
    from previous
    full outer join current_alerts
        on previous.alert_id = current_alerts.alert_id
    cross join latest_build
    where latest_build.moves_history

),

merged as (

    select
        coalesce(current_alert_id, alert_id) as alert_id,
        coalesce(current_customer_id, customer_id) as customer_id,
        coalesce(current_alert_reason, alert_reason) as alert_reason,
        case when is_raised_anew then build_date else first_seen_date end as first_seen_date,
        case when is_raised then build_date else last_seen_date end as last_seen_date,
        case
            when is_raised then cast(null as date)
            when resolved_date is not null then resolved_date
            else build_date
        end as resolved_date,
        coalesce(current_magnitude, magnitude) as magnitude,
        coalesce(current_alert_detail, alert_detail) as alert_detail,
        cast(coalesce(occurrences, 0) + case when is_raised_anew then 1 else 0 end as {{ dbt.type_int() }})
            as occurrences
    from matched

),

final as (

    select
        alert_id,
        customer_id,
        alert_reason,
        first_seen_date,
        last_seen_date,
        resolved_date,
        magnitude,
        alert_detail,
        occurrences
    from merged

)

select * from final
