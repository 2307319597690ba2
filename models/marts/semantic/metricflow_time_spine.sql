-- MetricFlow's time spine: one row per day from the first day of the month of
-- the earliest signup, order or engagement event through as_of_date. Taken from
-- the data, never from the wall clock: the same data and as_of_date give the
-- same spine, and cumulative and offset metrics run over the data's own dates
-- (a fixed range would list every day to its end). Up to 100 years of days.
with

-- the first dates come from the small per-customer tables, not from the events
customers as (

    select * from {{ ref('stg_raw__customers') }}

),

orders as (

    select * from {{ ref('int_orders_sequenced') }}

),

engagement_months as (

    select * from {{ ref('int_engagement_monthly') }}

),

report_context as (

    select * from {{ ref('report_context') }}

),

first_dates as (

    select min(signup_date) as first_date from customers
    union all
    select min(ordered_date) as first_date from orders
    union all
    select min(activity_month) as first_date from engagement_months

),

bounds as (

    select
        cast({{ dbt.date_trunc('month', 'min(first_dates.first_date)') }} as date) as start_date,
        max(report_context.as_of_date) as end_date
    from first_dates
    cross join report_context

),

day_offsets as (

    select generated_number - 1 as day_offset
    from ({{ dbt.generate_series(36525) }}) as numbers

),

final as (

    select cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'bounds.start_date') }} as date) as date_day
    from day_offsets
    cross join bounds
    where day_offsets.day_offset <= {{ dbt.datediff('bounds.start_date', 'bounds.end_date', 'day') }}

)

select * from final
