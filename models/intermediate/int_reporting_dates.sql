-- One row: the dates every as-of mart measures from. as_of_date is
-- var('as_of_date') when given, otherwise the latest accepted order or event
-- date (the latest signup when there is neither).
with

orders as (

    select max(ordered_date) as latest_date from {{ ref('int_orders_sequenced') }}

),

engagement_events as (

    select max(last_event_date) as latest_date from {{ ref('int_engagement_monthly') }}

),

customers as (

    select
        max(signup_date) as latest_date,
        count(*) as accepted_customers
    from {{ ref('stg_raw__customers') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

latest_activity as (

    select
        coalesce(
            case
                when orders.latest_date >= engagement_events.latest_date then orders.latest_date
                else coalesce(engagement_events.latest_date, orders.latest_date)
            end,
            customers.latest_date,
            export_date.export_date
        ) as latest_activity_date
    from orders
    cross join engagement_events
    cross join customers
    cross join export_date
    where {{ fails_when('customers.accepted_customers = 0',
                        'No row of the customers file was accepted, so there is nothing to build: '
                        ~ 'quarantine_raw__customers gives the reason for each row.') }}

),

as_of as (

    select
        {% if var('as_of_date') -%}
        cast('{{ var('as_of_date') }}' as date) as as_of_date,
        'var' as as_of_date_source,
        {%- else -%}
        latest_activity_date as as_of_date,
        'latest_activity' as as_of_date_source,
        {%- endif %}
        latest_activity_date
    from latest_activity

),

final as (

    select
        as_of_date,
        as_of_date_source,
        latest_activity_date,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month,
        cast({{ dbt.dateadd('month', -3, 'as_of_date') }} as date) as prior_quarter_date,
        cast({{ dbt.dateadd('month', -3, dbt.dateadd('month', -3, 'as_of_date')) }} as date)
            as second_prior_quarter_date,
        cast({{ dbt.dateadd('day', 1 - var('kpi_period_days'), 'as_of_date') }} as date) as kpi_period_start,
        cast({{ dbt.dateadd('day', -var('kpi_period_days'), 'as_of_date') }} as date) as prior_kpi_period_end,
        cast({{ dbt.dateadd('day', 1 - 2 * var('kpi_period_days'), 'as_of_date') }} as date)
            as prior_kpi_period_start
    from as_of

)

select * from final
