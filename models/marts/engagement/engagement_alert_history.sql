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

merged as (

    select
        coalesce(current_alerts.alert_id, previous.alert_id) as alert_id,
        coalesce(current_alerts.customer_id, previous.customer_id) as customer_id,
        coalesce(current_alerts.alert_reason, previous.alert_reason) as alert_reason,
        case
            when current_alerts.alert_id is not null
                and (previous.alert_id is null or previous.resolved_date is not null)
                then latest_build.as_of_date
            else previous.first_seen_date
        end as first_seen_date,
        case
            when current_alerts.alert_id is not null then latest_build.as_of_date
            else previous.last_seen_date
        end as last_seen_date,
        case
            when current_alerts.alert_id is not null then cast(null as date)
            when previous.resolved_date is not null then previous.resolved_date
            else latest_build.as_of_date
        end as resolved_date,
        coalesce(current_alerts.magnitude, previous.magnitude) as magnitude,
        coalesce(current_alerts.alert_detail, previous.alert_detail) as alert_detail,
        cast(coalesce(previous.occurrences, 0) + case
            when current_alerts.alert_id is not null
                and (previous.alert_id is null or previous.resolved_date is not null)
                then 1
            else 0
        end as {{ dbt.type_int() }}) as occurrences
    from previous
    full outer join current_alerts
        on previous.alert_id = current_alerts.alert_id
    cross join latest_build
    where latest_build.moves_history

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
