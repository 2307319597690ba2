with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

order_snapshots as (

    select * from {{ ref('int_order_snapshots') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

plan_history as (

    select * from {{ ref('int_plan_history') }}

),

first_plans as (

    -- the plan a customer started on: their first plan, when it began on the signup day
    select
        plan_history.customer_id,
        plan_history.plan
    from plan_history
    inner join customers
        on plan_history.customer_id = customers.customer_id
    where plan_history.plan_number = 1
        and plan_history.valid_from_date <= customers.signup_date

),

order_stats as (

    select order_snapshots.*
    from order_snapshots
    inner join reporting_dates
        on order_snapshots.snapshot_date = reporting_dates.as_of_date

),

final as (

    select
        -- ids
        customers.customer_id,

        -- attributes
        customers.country,
        customers.region,
        customers.territory,
        customers.industry,
        customers.company_size,
        customers.specialty,
        customers.plan,
        plan_at_as_of.plan as plan_at_as_of,
        plan_at_as_of.plan_rank as plan_rank_at_as_of,
        first_plans.plan as plan_at_signup,
        customers.acquisition_channel,
        customers.email_hash,

        -- lifecycle
        customers.signup_at,
        customers.signup_date,
        cast({{ dbt.date_trunc('month', 'customers.signup_date') }} as date) as cohort_month,
        {{ days_between('customers.signup_date', 'reporting_dates.as_of_date') }} as tenure_days,
        order_stats.first_order_date,
        order_stats.last_order_date,
        coalesce(order_stats.frequency, 0) as lifetime_orders,
        coalesce(order_stats.monetary, 0) as lifetime_net_revenue,

        -- flags
        order_stats.customer_id is not null as is_purchaser,
        customers.signup_date > reporting_dates.as_of_date as is_after_as_of_date

    from customers
    cross join reporting_dates
    left join order_stats
        on customers.customer_id = order_stats.customer_id
    left join plan_history as plan_at_as_of
        on customers.customer_id = plan_at_as_of.customer_id
        and reporting_dates.as_of_date >= plan_at_as_of.valid_from_date
        and (reporting_dates.as_of_date < plan_at_as_of.valid_to_date or plan_at_as_of.valid_to_date is null)
    left join first_plans
        on customers.customer_id = first_plans.customer_id

)

select * from final
