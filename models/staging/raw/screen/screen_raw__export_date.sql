-- The day the export was taken: rows dated after it are future-dated.
-- var('export_date') when given; otherwise the last day of continuous
-- activity. Activity dates (signups, orders, events) are scanned from their
-- median onwards; the first gap longer than var('future_gap_days') ends the
-- data, so a stray row typed years ahead cannot stretch the export date.
with

customers as (

    select {{ parse_timestamp_utc('signup_at', raw_column_kinds('customers').signup_at) }} as activity_at
    from {{ ref('base_raw__customers') }}
    where file_problem is null

),

orders as (

    select {{ parse_timestamp_utc('ordered_at', raw_column_kinds('orders').ordered_at) }} as activity_at
    from {{ ref('base_raw__orders') }}
    where file_problem is null

),

engagement_events as (

    select {{ parse_timestamp_utc('occurred_at', raw_column_kinds('engagement_events').occurred_at) }} as activity_at
    from {{ ref('base_raw__engagement_events') }}
    where file_problem is null

),

activity_dates as (

    select distinct cast(activity_at as date) as activity_date
    from (
        select * from customers
        union all
        select * from orders
        union all
        select * from engagement_events
    ) as all_activity
    where activity_at is not null

),

gaps as (

    select
        activity_date,
        lead(activity_date) over (order by activity_date) as next_activity_date
    from activity_dates

),

median_date as (

    -- taken over day numbers: percentile_disc orders dates on DuckDB, not on every engine
    select
        cast({{ dbt.dateadd('day', 'percentile_disc(0.5) within group (order by '
                            ~ dbt.datediff("cast('1970-01-01' as date)", 'activity_date', 'day') ~ ')',
                            "cast('1970-01-01' as date)") }} as date) as activity_date
    from activity_dates

),

end_of_continuous_activity as (

    select
        coalesce(
            min(case
                when gaps.activity_date >= median_date.activity_date
                    and {{ days_between('gaps.activity_date', 'gaps.next_activity_date') }}
                    > {{ var('future_gap_days') }}
                    then gaps.activity_date
            end),
            max(gaps.activity_date)
        ) as activity_date,
        max(gaps.activity_date) as latest_activity_date
    from gaps
    cross join median_date

),

final as (

    select
        {% if var('export_date') -%}
        cast('{{ var('export_date') }}' as date) as export_date,
        'var' as export_date_source,
        {%- else -%}
        activity_date as export_date,
        'inferred' as export_date_source,
        {%- endif %}
        latest_activity_date
    from end_of_continuous_activity
    where {{ fails_when('latest_activity_date is null',
                        'No row of the customers file was accepted, so there is nothing to build: no date in the '
                        ~ 'raw files could be read (quarantine_raw__customers gives the reason for each row).') }}

)

select * from final
