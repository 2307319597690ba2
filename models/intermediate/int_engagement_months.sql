-- Each customer's engagement per calendar month up to as_of_date: the complete
-- months of int_engagement_monthly before the month of as_of_date, and that
-- month up to as_of_date from int_engagement_month_to_date. What the as-of
-- models (cohorts, KPIs, funnels, quarterly trends, engagement scores) read.
{{ config(materialized='view') }}
-- depends_on: {{ ref('channel_event_weights') }}

with

monthly as (

    select * from {{ ref('int_engagement_monthly') }}

),

month_to_date as (

    select * from {{ ref('int_engagement_month_to_date') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

complete_months as (

    select monthly.*
    from monthly
    cross join reporting_dates
    where monthly.activity_month < reporting_dates.as_of_month

),

final as (

    {%- set columns = ['customer_id', 'activity_month'] + engagement_rollup_columns() %}
    select {{ columns | join(', ') }} from complete_months
    union all
    select {{ columns | join(', ') }} from month_to_date

)

select * from final
