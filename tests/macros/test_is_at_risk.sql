-- purchase_cadence_days, at_risk_after_days and is_at_risk (macros/customers/customer_metrics.sql): a repeat buyer
-- is at risk once the days since the last order exceed var('at_risk_cadence_multiplier') times their own average
-- days between orders, and never before var('at_risk_min_days'); a one-time buyer after
-- var('at_risk_one_time_buyer_days'); a customer without orders never. The boundary day itself is not yet at risk.
-- Thresholds are built from the vars, so the test holds for any setting. Returns the cases whose result differs.
{%- set multiplier = var('at_risk_cadence_multiplier') %}
{%- set min_days = var('at_risk_min_days') %}
{%- set one_time_days = var('at_risk_one_time_buyer_days') %}
{#- a short cadence (1 day: the minimum applies) and a long one (100 days: the multiple applies) -#}
{%- set short_threshold = [min_days, multiplier * 1] | max %}
{%- set long_threshold = [min_days, multiplier * 100] | max %}
{{ config(tags=['macro_tests']) }}

with

cases as (

    -- case, orders, first and last order date, days since the last order, expected cadence, expected at risk
    select
        cases.case_name,
        cases.frequency,
        cast(cases.first_order_date as date) as first_order_date,
        cast(cases.last_order_date as date) as last_order_date,
        cast(cases.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(cases.expected_cadence as {{ type_double() }}) as expected_cadence,
        cases.expected_at_risk
    from (
        values
        ('no_orders', 0, null, null, null, null, false),
        ('one_time_on_boundary', 1, '2025-01-01', '2025-01-01', {{ one_time_days }}, null, false),
        ('one_time_after_boundary', 1, '2025-01-01', '2025-01-01', {{ one_time_days + 1 }}, null, true),
        -- three orders over two days: a cadence of 1 day
        ('short_cadence_on_boundary', 3, '2025-01-01', '2025-01-03', {{ short_threshold }}, 1.0, false),
        ('short_cadence_after_boundary', 3, '2025-01-01', '2025-01-03', {{ short_threshold + 1 }}, 1.0, true),
        -- three orders over 200 days: a cadence of 100 days
        ('long_cadence_on_boundary', 3, '2025-01-01', '2025-07-20', {{ long_threshold }}, 100.0, false),
        ('long_cadence_after_boundary', 3, '2025-01-01', '2025-07-20', {{ long_threshold + 1 }}, 100.0, true)
    ) as cases (
        case_name, frequency, first_order_date, last_order_date, recency_days, expected_cadence, expected_at_risk
    )

),

cadences as (

    select
        cases.*,
        {{ purchase_cadence_days('frequency', 'first_order_date', 'last_order_date') }} as actual_cadence
    from cases

),

results as (

    select
        cadences.*,
        {{ is_at_risk('recency_days', 'frequency', 'actual_cadence') }} as actual_at_risk
    from cadences

)

select *
from results
where actual_cadence is distinct from expected_cadence
    or actual_at_risk is distinct from expected_at_risk
