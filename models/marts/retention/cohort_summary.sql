-- One row per signup cohort: its size, and over all its months so far how many
-- lapsed customers came back (reactivation) and how often its emails were
-- clicked - the cohort-level figures of cohort_retention, summed.
with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

final as (

    select
        cohort_month,
        max(cohort_size) as cohort_size,
        count(*) as months_observed,
        cast(sum(lapsed_customers) as {{ dbt.type_bigint() }}) as lapsed_customers,
        cast(sum(reactivated_customers) as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(sum(reactivated_customers) as {{ type_double() }}) / nullif(sum(lapsed_customers), 0)
            as reactivation_rate,
        cast(sum(emails_delivered) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(email_clicks) as {{ dbt.type_bigint() }}) as email_clicks,
        cast(sum(email_clicks) as {{ type_double() }}) / nullif(sum(emails_delivered), 0)
            as email_click_through_rate
    from cohort_retention
    group by cohort_month

)

select * from final
