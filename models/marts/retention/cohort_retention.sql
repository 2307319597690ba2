-- Signup-month cohorts by months since signup, up to the month of as_of_date.
-- Built on a customer x month spine, so a month in which nobody in a cohort
-- did anything is a row of zeros, not a gap.
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

customer_months as (

    select * from {{ ref('int_customer_months') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

cohort_members as (

    select
        customers.customer_id,
        cast({{ dbt.date_trunc('month', 'customers.signup_date') }} as date) as cohort_month
    from customers
    cross join reporting_dates
    where customers.signup_date <= reporting_dates.as_of_date

),

months as (

    {{ month_spine(
        "(select min(cohort_month) from cohort_members)",
        "(select as_of_month from reporting_dates)"
    ) }}

),

member_months as (

    select
        cohort_members.customer_id,
        cohort_members.cohort_month,
        months.month_start as activity_month,
        {{ dbt.datediff('cohort_members.cohort_month', 'months.month_start', 'month') }}
            as months_since_signup,
        coalesce(customer_months.is_active, false) as is_active,
        coalesce(customer_months.has_order, false) as has_order,
        coalesce(customer_months.emails_delivered, 0) as emails_delivered,
        coalesce(customer_months.email_opens, 0) as email_opens,
        coalesce(customer_months.email_clicks, 0) as email_clicks
    from cohort_members
    inner join months
        on cohort_members.cohort_month <= months.month_start
    left join customer_months
        on cohort_members.customer_id = customer_months.customer_id
        and months.month_start = customer_months.activity_month

),

with_history as (

    select
        *,
        coalesce(lag(is_active) over (
            partition by customer_id order by activity_month
        ), false) as was_active_last_month,
        coalesce(max(case when is_active then 1 else 0 end) over (
            partition by customer_id order by activity_month
            rows between unbounded preceding and 1 preceding
        ), 0) = 1 as was_active_before
    from member_months

),

cohorts as (

    select
        cohort_month,
        months_since_signup,
        activity_month,
        count(*) as cohort_size,
        cast(sum(case when is_active then 1 else 0 end) as {{ dbt.type_bigint() }}) as active_customers,
        cast(sum(case when has_order then 1 else 0 end) as {{ dbt.type_bigint() }}) as purchasers,
        cast(
            sum(case when was_active_before and not was_active_last_month then 1 else 0 end) as {{ dbt.type_bigint() }}
        )
            as lapsed_customers,
        cast(
            sum(
                case when is_active and was_active_before and not was_active_last_month then 1 else 0 end
            ) as {{ dbt.type_bigint() }}
        )
            as reactivated_customers,
        cast(sum(emails_delivered) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(email_opens) as {{ dbt.type_bigint() }}) as email_opens,
        cast(sum(email_clicks) as {{ dbt.type_bigint() }}) as email_clicks
    from with_history
    group by cohort_month, months_since_signup, activity_month

),

final as (

    select
        cohorts.cohort_month,
        cohorts.months_since_signup,
        cohorts.activity_month,
        cohorts.cohort_size,
        cohorts.active_customers,
        cohorts.purchasers,
        cast(cohorts.active_customers as {{ type_double() }}) / cohorts.cohort_size as retention_rate,
        cast(cohorts.purchasers as {{ type_double() }}) / cohorts.cohort_size as purchase_rate,
        cohorts.lapsed_customers,
        cohorts.reactivated_customers,
        case when cohorts.lapsed_customers > 0
                then cast(cohorts.reactivated_customers as {{ type_double() }}) / cohorts.lapsed_customers
        end as reactivation_rate,
        cohorts.emails_delivered,
        cohorts.email_opens,
        cohorts.email_clicks,
        case when cohorts.emails_delivered > 0
                then cast(cohorts.email_clicks as {{ type_double() }}) / cohorts.emails_delivered
        end as email_click_through_rate,
        -- the month of as_of_date, unless as_of_date is its last day
        cohorts.activity_month = reporting_dates.as_of_month
        and reporting_dates.as_of_date < {{ last_day_of_month('reporting_dates.as_of_month') }}
            as is_partial_month
    from cohorts
    cross join reporting_dates

)

select * from final
