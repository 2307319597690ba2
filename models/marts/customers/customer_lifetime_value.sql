-- Every customer's expected purchases, chance of being alive and lifetime
-- value as of as_of_date, from the buy-till-you-die models (btyd_model).
with

customers as (

    select customer_id from {{ ref('stg_raw__customers') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

histories as (

    select * from {{ ref('int_purchase_histories') }}

),

scores as (

    select * from {{ ref('btyd_scores') }}
    where snapshot = 'score'

),

final as (

    select
        customers.customer_id,
        reporting_dates.as_of_date,
        histories.customer_id is not null as has_purchased,
        histories.repeat_purchases,
        cast(histories.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(histories.age_days as {{ dbt.type_bigint() }}) as age_days,
        cast(scores.p_alive as {{ type_double() }}) as p_alive,
        cast(scores.expected_purchases as {{ type_double() }}) as expected_purchases,
        cast(scores.probability_of_purchase as {{ type_double() }}) as probability_of_purchase,
        cast(scores.expected_purchase_value as {{ type_double() }}) as expected_purchase_value,
        cast(scores.lifetime_value as {{ type_double() }}) as lifetime_value,
        cast({{ var('propensity_horizon_days') }} as {{ dbt.type_int() }}) as horizon_days,
        cast({{ var('clv_horizon_days') }} as {{ dbt.type_int() }}) as clv_horizon_days,
        cast({{ var('clv_annual_discount_rate') }} as {{ type_double() }}) as annual_discount_rate
    from customers
    cross join reporting_dates
    left join histories
        on customers.customer_id = histories.customer_id
        and reporting_dates.as_of_date = histories.snapshot_date
    left join scores
        on customers.customer_id = scores.customer_id

)

select * from final
